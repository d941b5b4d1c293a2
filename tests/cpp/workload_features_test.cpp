// Queue-fed services (SQS semantics), request classes and scheduled (EventBridge) workloads.
// One message at a known time with constant demands, so every expected value is hand arithmetic.
#include <catch2/catch.hpp>

#include "fargatelab/metrics.hpp"
#include "fargatelab/run.hpp"

using namespace fargatelab;
using nlohmann::json;

namespace {

// A queue worker with `vcpu` 1024-units and `pollers` pollers; messages every minute from t = 60 s.
json queue_scenario(int cpu_units, int pollers, const std::string& demand, json queue, double duration) {
  return {{"schema_version", 1},
          {"duration", duration},
          {"services", {{{"name", "worker"}, {"desired_count", 1}, {"task", {{"cpu", cpu_units}, {"memory", 2 * cpu_units}}},
                         {"serving", {{"concurrency", pollers}}}, {"queue", queue}}}},
          {"workloads", {{{"name", "producer"}, {"target", "worker"},
                          {"arrival", "schedule(expression='rate(1 minute)')"}, {"request", {{"cpu_time", demand}}}}}},
          {"output", {{"event_log", false}}}};
}

json worker(const RunResult& r) { return summary_json(r).at("results").at("services").at("worker"); }

}  // namespace

TEST_CASE("queue: a message processed longer than its visibility timeout is delivered again, then dead-lettered",
          "[queue]") {
  // One message at 60 s needing 1 s on a 2-vCPU task with 2 pollers; visibility 0.6 s, redrive
  // after 3 receives.
  //   60.0 received (1st), 60.6 visible again -> received by the 2nd poller (2nd receive),
  //   61.0 first delivery done (ok, latency 1 s), 61.2 the 2nd delivery's timeout -> 3rd
  //   receive, 61.6 2nd done, 61.8 visible again: a 4th receive exceeds 3 -> dead-letter queue,
  //   62.2 3rd done. Duplicate deliveries processed: the 2nd and the 3rd; one copy dead-lettered.
  const RunResult r = run(Scenario::from_json(
      queue_scenario(2048, 2, "constant(value=1)", {{"visibility_timeout", "600ms"}, {"max_receive_count", 3}}, 100)));
  CHECK(worker(r).at("ok") == 1);
  CHECK(worker(r).at("latency_ms").at("max").get<double>() == Approx(1000).epsilon(0.01));  // sketch: 0.5 % error
  CHECK(worker(r).at("queue").at("duplicate_deliveries") == 2);
  CHECK(worker(r).at("queue").at("dead_lettered_copies") == 1);
  CHECK(worker(r).at("errors").at("dead_letter") == 0);  // the message itself was processed
}

TEST_CASE("queue: a message in a task that dies is received again when its visibility timeout ends", "[queue]") {
  // A 100 s message received at 60 s; the service scales to 0 at 90 s (the task dies), back to
  // 1 at 200 s. The message, never deleted, is visible again at 60 + 300 = 360 s, received by
  // the new task (in service long before) and done at 460 s: latency 400 s, one message, no
  // duplicate.
  json doc = queue_scenario(1024, 1, "constant(value=100)", {{"visibility_timeout", "300s"}}, 600);
  doc["services"][0]["schedule"] = {{{"at", 90}, {"desired_count", 0}}, {{"at", 200}, {"desired_count", 1}}};
  doc["workloads"][0]["arrival"] = "schedule(expression='cron(1 0 1 1 ? *)')";  // 00:01 on 1 January: t = 60 s
  doc["start_time"] = "2026-01-01T00:00:00Z";
  const RunResult r = run(Scenario::from_json(doc));
  CHECK(worker(r).at("ok") == 1);
  CHECK(worker(r).at("latency_ms").at("max").get<double>() == Approx(400000).epsilon(0.01));
  CHECK(worker(r).at("queue").at("duplicate_deliveries") == 0);
}

TEST_CASE("queue: an M/M/1 queue worker fed through the queue matches 1 / (mu - lambda)", "[queue][theory]") {
  // Poisson messages at 0.5/s, exponential 1 s of work, one poller on 1 vCPU: the queue is the
  // FCFS waiting line, E[T] = 1 / (1 - 0.5) = 2 s. 10 replications of 20,000 s; the theory must
  // lie in the 99% confidence interval.
  json doc = queue_scenario(1024, 1, "exponential(mean=1)", json::object(), 20000);
  doc["warmup"] = 1000;
  doc["replications"] = 10;
  doc["workloads"][0]["arrival"] = "poisson(rate=0.5)";
  const RunResult r = run(Scenario::from_json(doc));
  RunningStats s;
  for (const auto& rep : json(summary_json(r).at("per_replication")))
    s.add(rep.at("services").at("worker").at("latency_ms").at("mean").get<double>() / 1e3);
  INFO("simulated " << s.mean() << " +- " << confidence_half_width(s, 0.99));
  CHECK(std::abs(s.mean() - 2.0) <= confidence_half_width(s, 0.99));
}

TEST_CASE("workload: request classes share the traffic by weight and are reported apart", "[workload][classes]") {
  // Weights 3 : 1 over ~36,000 requests: the light class gets 3/4 (binomial sd 0.0023, accept
  // +-0.01). Demands are constant and the 4-vCPU task is 10% busy, so latency ~ demand: light
  // 10 ms, heavy 100 ms (processor sharing adds a little when they overlap: accept +5%).
  json doc = {{"schema_version", 1},
              {"duration", "1h"},
              {"services", {{{"name", "api"}, {"desired_count", 1}, {"load_balancer", "none"},
                             {"task", {{"cpu", 4096}, {"memory", 8192}}}}}},
              {"workloads", {{{"name", "w"}, {"target", "api"}, {"arrival", "poisson(rate=10)"},
                              {"classes", {{{"name", "light"}, {"weight", 3}, {"cpu_time", "constant(value=0.01)"}},
                                           {{"name", "heavy"}, {"weight", 1}, {"cpu_time", "constant(value=0.1)"}}}}}}},
              {"output", {{"event_log", false}}}};
  const RunResult r = run(Scenario::from_json(doc));
  const json classes = summary_json(r).at("results").at("workloads").at("w").at("classes");
  const double light = classes.at("light").at("requests").get<double>();
  const double heavy = classes.at("heavy").at("requests").get<double>();
  CHECK(light / (light + heavy) == Approx(0.75).margin(0.01));
  CHECK(classes.at("light").at("latency_ms").at("p50").get<double>() == Approx(10).epsilon(0.05));
  CHECK(classes.at("heavy").at("latency_ms").at("p50").get<double>() == Approx(100).epsilon(0.05));
  doc["workloads"][0]["request"] = json::object();  // request and classes together are refused
  REQUIRE_THROWS_WITH(Scenario::from_json(doc), Catch::Contains("not both"));
}

TEST_CASE("workload: an EventBridge schedule sends count events at every fire", "[workload][schedule]") {
  // rate(1 minute) with count 5 over 10 minutes: fires at 60, 120, ..., 600 s -> 10 x 5 = 50.
  json doc = queue_scenario(1024, 10, "constant(value=0.01)", json::object(), 600);
  doc["workloads"][0]["arrival"] = "schedule(expression='rate(1 minute)', count=5)";
  const RunResult r = run(Scenario::from_json(doc));
  CHECK(summary_json(r).at("results").at("workloads").at("producer").at("arrivals") == 50);
}
