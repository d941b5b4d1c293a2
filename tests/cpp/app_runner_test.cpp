// App Runner: concurrency per instance, waiting in front of busy instances, and
// concurrency-based scaling with a delayed scale-in. Expected values by hand arithmetic.
#include <catch2/catch.hpp>

#include "fargatelab/run.hpp"

using namespace fargatelab;
using nlohmann::json;

namespace {

// 1-vCPU instances; `count` requests of `demand` CPU seconds at t = 60 s (then every minute).
json app(json settings, int count, double demand, double duration) {
  return {{"schema_version", 1},
          {"duration", duration},
          {"services", {{{"name", "web"}, {"platform", "app_runner"}, {"task", {{"cpu", 1024}, {"memory", 2048}}},
                         {"app_runner", settings}}}},
          {"workloads", {{{"name", "w"}, {"target", "web"},
                          {"arrival", "schedule(expression='rate(1 minute)', count=" + std::to_string(count) + ")"},
                          {"request", {{"cpu_time", "constant(value=" + std::to_string(demand) + ")"}, {"timeout", "10m"}}}}}},
          {"output", {{"event_log", false}}}};
}

json web(const RunResult& r) { return summary_json(r).at("results").at("services").at("web"); }

}  // namespace

TEST_CASE("app runner: with 3 instances at max concurrency 100 the 301st concurrent request waits", "[app_runner]") {
  // 301 requests of 0.1 CPU s at t = 60 s: 100 per instance share its vCPU and all finish at
  // 60 + 100 x 0.1 = 70 s; the 301st waits in front until then and takes 0.1 s alone: 10.1 s.
  // (Fixed at 3 instances: min = max = 3.)
  const RunResult r = run(Scenario::from_json(app({{"min_size", 3}, {"max_size", 3}}, 301, 0.1, 90)));
  CHECK(web(r).at("ok") == 301);
  CHECK(web(r).at("latency_ms").at("max").get<double>() == Approx(10100).epsilon(0.006));
  CHECK(web(r).at("latency_ms").at("p50").get<double>() == Approx(10000).epsilon(0.006));
  // Without room to wait, the 301st is turned away (429).
  const RunResult no_wait = run(Scenario::from_json(app({{"min_size", 3}, {"max_size", 3}, {"queue_limit", 0}}, 301, 0.1, 90)));
  CHECK(summary_json(no_wait).at("results").at("services").at("web").at("errors").at("rejected") == 1);
}

TEST_CASE("app runner: instances follow the concurrency, and leave only after the scale-in delay", "[app_runner]") {
  // 250 requests of 20 CPU s at t = 60 s on one instance: concurrency 250 -> ceil(250 / 100) = 3
  // instances, asked for at the next evaluation (61 s). The run ends at 100 s with the work
  // still in progress (250 x 20 s on 3 vCPU takes far longer): still 3, no scale-in.
  const RunResult burst = run(Scenario::from_json(app({{"min_size", 1}, {"max_size", 5}, {"queue_limit", 1000}}, 250, 20, 100)));
  const json a = web(burst).at("app_runner");
  CHECK(a.at("instances_at_end") == 3);
  CHECK(a.at("scale_outs") == 1);
  CHECK(a.at("scale_ins") == 0);
  // One burst of 10 short requests, then nothing: concurrency stays under 100 -> never above 1.
  const RunResult quiet = run(Scenario::from_json(app({{"min_size", 1}, {"max_size", 5}}, 10, 0.01, 600)));
  CHECK(web(quiet).at("app_runner").at("scale_outs") == 0);
  CHECK(web(quiet).at("app_runner").at("instances_at_end") == 1);
  // Active instance time: each burst of 10 x 0.01 CPU s keeps the instance busy 0.1 s (processor
  // sharing on 1 vCPU). Bursts at 60, ..., 540 s finish inside the run (the one at 600 s starts
  // as it ends): 9 x 0.1 = 0.9 s of 600 s.
  CHECK(web(quiet).at("app_runner").at("active_instances_mean").get<double>() == Approx(0.1 / 60 * 9 / 10).epsilon(0.02));
}

TEST_CASE("app runner: once the burst is served the instances return to the minimum after the scale-in delay",
          "[app_runner]") {
  // One burst only (00:01 on 1 January = t = 60 s): 250 requests of 0.4 CPU s. Scale out to 3 at
  // 61 s; the work (100 s of CPU) is done within a few minutes. Scale-in takes the highest count
  // asked for in each 60 s window, so it steps down (3 -> 2 while the last requests drain, then
  // -> 1): at least one scale-in, never a second scale-out, and min_size = 1 at the end.
  json doc = app({{"min_size", 1}, {"max_size", 5}, {"queue_limit", 1000}}, 250, 0.4, 900);
  doc["start_time"] = "2026-01-01T00:00:00Z";
  doc["workloads"][0]["arrival"] = "schedule(expression='cron(1 0 1 1 ? *)', count=250)";
  const RunResult r = run(Scenario::from_json(doc));
  const json a = web(r).at("app_runner");
  CHECK(web(r).at("ok") == 250);
  CHECK(a.at("scale_outs") == 1);
  CHECK(a.at("scale_ins").get<int>() >= 1);
  CHECK(a.at("scale_ins").get<int>() <= 2);
  CHECK(a.at("instances_at_end") == 1);
}
