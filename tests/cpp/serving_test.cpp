// Serving inside a task: processor sharing, concurrency, queueing and rejection, checked
// against hand arithmetic and against queueing theory.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <map>

#include "fargatelab/metrics.hpp"
#include "fargatelab/run.hpp"
#include "serving/service.hpp"
#include "serving/task_server.hpp"

using namespace fargatelab;
using namespace fargatelab::detail;

namespace {

struct Harness {
  Simulation sim;
  RequestPool pool;
  std::vector<std::pair<RequestId, double>> done;  // (request, completion time in s)
  std::unique_ptr<TaskServer> task;
  Harness(double vcpu, int concurrency, int queue_limit) {
    task = std::make_unique<TaskServer>(sim, pool, vcpu, concurrency, queue_limit, bind<&Harness::on_done>(this));
  }
  void on_done(std::uint64_t id) { done.emplace_back(static_cast<RequestId>(id), sim.now().to_seconds()); }
  RequestId send(double demand) {
    const RequestId id = pool.acquire();
    pool[id].arrival = sim.now();
    pool[id].demand = demand;
    return task->submit(id) ? id : ~0u;
  }
  // Sends a request of `demand` CPU seconds at time t.
  struct Later {
    Harness* h;
    double demand;
    void fire() { h->send(demand); }
  };
  std::vector<std::unique_ptr<Later>> later;
  void send_at(double t, double demand) {
    later.push_back(std::make_unique<Later>(Later{this, demand}));
    sim.schedule_at(seconds(t), bind<&Later::fire>(later.back().get()));
  }
};

}  // namespace

TEST_CASE("serving: two requests on one vCPU share it and finish together", "[serving]") {
  Harness h(1.0, 10, 10);
  h.send(1.0);
  h.send(1.0);
  h.sim.run();
  // Each gets half a vCPU: 1 CPU second takes 2 s.
  REQUIRE(h.done.size() == 2);
  REQUIRE(h.done[0].second == Approx(2.0));
  REQUIRE(h.done[1].second == Approx(2.0));
  REQUIRE(h.task->cpu_seconds() == Approx(2.0));
}

TEST_CASE("serving: a request cannot use more than one vCPU", "[serving]") {
  Harness h(2.0, 10, 10);
  h.send(1.0);
  h.sim.run();
  REQUIRE(h.done[0].second == Approx(1.0));  // not 0.5 s: one request is one thread
  REQUIRE(h.task->cpu_seconds() == Approx(1.0));
}

TEST_CASE("serving: a quarter-vCPU task runs one request at a quarter speed", "[serving]") {
  Harness h(0.25, 10, 10);
  h.send(0.1);
  h.sim.run();
  REQUIRE(h.done[0].second == Approx(0.4));  // 0.1 CPU s at 0.25 vCPU
}

TEST_CASE("serving: processor sharing with staggered arrivals", "[serving]") {
  // A (2 CPU s) at t=0, B (0.5 CPU s) at t=1 on one vCPU:
  //   0..1 A alone at rate 1 -> A has 1 left; 1..2 both at 0.5 -> B done at t=2, A has 0.5 left;
  //   2..2.5 A alone -> A done at t=2.5.
  Harness h(1.0, 10, 10);
  h.send_at(0.0, 2.0);
  h.send_at(1.0, 0.5);
  h.sim.run();
  REQUIRE(h.done.size() == 2);
  REQUIRE(h.done[0].first == 1);  // B first
  REQUIRE(h.done[0].second == Approx(2.0));
  REQUIRE(h.done[1].second == Approx(2.5));
  REQUIRE(h.task->cpu_seconds() == Approx(2.5));
}

TEST_CASE("serving: concurrency 1 serves first come first served from the queue", "[serving]") {
  Harness h(1.0, 1, 5);
  h.send(1.0);
  h.send(1.0);
  h.send(0.5);
  REQUIRE(h.task->in_service() == 1);
  REQUIRE(h.task->queued() == 2);
  h.sim.run();
  REQUIRE(h.done.size() == 3);
  REQUIRE(h.done[0].second == Approx(1.0));
  REQUIRE(h.done[1].second == Approx(2.0));
  REQUIRE(h.done[2].second == Approx(2.5));
}

TEST_CASE("serving: a full queue rejects", "[serving]") {
  Harness h(1.0, 1, 1);
  REQUIRE(h.send(1.0) != ~0u);  // in service
  REQUIRE(h.send(1.0) != ~0u);  // queued
  REQUIRE(h.send(1.0) == ~0u);  // rejected: concurrency 1 + queue 1
  h.sim.run();
  REQUIRE(h.done.size() == 2);
}

// ---------------------------------------------------------------------------------------------
// Queueing theory. One task of 1 vCPU, Poisson arrivals at lambda = 0.5/s, mean demand 1 CPU s
// (rho = 0.5). 20 replications of 20,000 s after 1,000 s warm-up; the theoretical mean response
// time must lie in the 99% confidence interval of the replication means (t_{0.995,19} = 2.861).

namespace {

struct Check {
  double mean, half_width;
};

Check mean_response(const std::string& concurrency, const std::string& demand, int cpu_units = 1024,
                    const std::string& arrival = "poisson(rate=0.5)") {
  nlohmann::json doc = {
      {"schema_version", 1},
      {"duration", 20000},
      {"warmup", 1000},
      {"replications", 20},
      {"seed", 12345},
      {"services", {{{"name", "q"}, {"desired_count", 1}, {"load_balancer", "none"}, {"task", {{"cpu", cpu_units}, {"memory", 2 * cpu_units}}},
                     {"serving", {{"concurrency", std::stoi(concurrency)}, {"queue_limit", 100000}}}}}},
      {"workloads", {{{"name", "w"}, {"target", "q"}, {"arrival", arrival},
                      {"request", {{"cpu_time", demand}, {"timeout", "1d"}}}}}},
      {"output", {{"event_log", false}}}};
  const RunResult r = run(Scenario::from_json(doc));
  RunningStats s;
  for (const auto& rep : nlohmann::json(summary_json(r).at("per_replication")))
    s.add(rep.at("services").at("q").at("latency_ms").at("mean").get<double>() / 1e3);
  return {s.mean(), confidence_half_width(s, 0.99)};
}

}  // namespace

TEST_CASE("serving: M/M/1 FCFS mean response time is 1 / (mu - lambda)", "[serving][theory]") {
  const double theory = 1.0 / (1.0 - 0.5);  // = 2 s
  const Check c = mean_response("1", "exponential(mean=1)");
  INFO("simulated " << c.mean << " ± " << c.half_width);
  REQUIRE(std::abs(c.mean - theory) <= c.half_width);
  REQUIRE(c.half_width < 0.1 * theory);  // the test has power: the interval is tight
}

TEST_CASE("serving: M/M/c FCFS mean wait matches Erlang C", "[serving][theory]") {
  // One 4-vCPU task serving 4 requests at once, each on its own vCPU: an M/M/4 queue with
  // lambda = 3/s, mu = 1/s, offered load a = 3, rho = 0.75.
  //   Erlang C: C(4, 3) = (a^4/4! * 4/(4-a)) / (sum_{k<4} a^k/k! + a^4/4! * 4/(4-a))
  //                     = (3.375 * 4) / (1 + 3 + 4.5 + 4.5 + 13.5) = 13.5 / 26.5 = 0.509434
  //   W_q = C / (c mu - lambda) = 0.509434 s; E[T] = W_q + 1/mu = 1.509434 s.
  const double a = 3.0, c = 4.0;
  double sum = 0, term = 1;
  for (int k = 0; k < 4; ++k) {
    sum += term;
    term *= a / (k + 1);  // term = a^(k+1) / (k+1)!
  }
  const double top = term * c / (c - a);
  const double erlang_c = top / (sum + top);
  REQUIRE(erlang_c == Approx(13.5 / 26.5));
  const double wait = erlang_c / (c * 1.0 - a);
  const Check t = mean_response("4", "exponential(mean=1)", 4096, "poisson(rate=3)");
  const double simulated_wait = t.mean - 1.0;  // E[T] - E[S]; the sample mean of S is within its own noise
  INFO("simulated wait " << simulated_wait << " ± " << t.half_width << ", Erlang C " << wait);
  REQUIRE(std::abs(t.mean - (wait + 1.0)) <= t.half_width);
  REQUIRE(t.half_width < 0.05 * (wait + 1.0));
}

TEST_CASE("serving: M/D/1 FCFS matches Pollaczek-Khinchine", "[serving][theory]") {
  // E[W] = rho E[S^2] / (2 E[S] (1 - rho)) = 0.5 * 1 / (2 * 1 * 0.5) = 0.5 s; E[T] = 1.5 s.
  const double theory = 0.5 * 1.0 / (2 * 1.0 * (1 - 0.5)) + 1.0;
  const Check c = mean_response("1", "constant(value=1)");
  INFO("simulated " << c.mean << " ± " << c.half_width);
  REQUIRE(std::abs(c.mean - theory) <= c.half_width);
}

TEST_CASE("serving: M/M/1 processor sharing mean response time is 1 / (mu - lambda)", "[serving][theory]") {
  // Every request in service at once (concurrency 1000) sharing one vCPU: M/M/1-PS, whose mean
  // response time equals FCFS's, 1 / (1 - 0.5) = 2 s.
  const double theory = 1.0 / (1 - 0.5);
  const Check c = mean_response("1000", "exponential(mean=1)");
  INFO("simulated " << c.mean << " ± " << c.half_width);
  REQUIRE(std::abs(c.mean - theory) <= c.half_width);
}

TEST_CASE("serving: M/D/1 processor sharing is insensitive: E[T] = E[S] / (1 - rho)", "[serving][theory]") {
  // Processor sharing's mean response time depends on the demand only through its mean:
  // 1 / (1 - 0.5) = 2 s for deterministic demand, unlike FCFS's 1.5 s.
  const double theory = 1.0 / (1 - 0.5);
  const Check c = mean_response("1000", "constant(value=1)");
  INFO("simulated " << c.mean << " ± " << c.half_width);
  REQUIRE(std::abs(c.mean - theory) <= c.half_width);
}

TEST_CASE("serving: closed-loop clients match mean value analysis", "[serving][theory]") {
  // N = 10 users, exponential think time Z = 1 s, one 1-vCPU task serving one request at a
  // time with exponential demand S = 0.1 s (a product-form network: a delay station and an
  // FCFS exponential server). Exact MVA: R(n) = S (1 + Q(n-1)), X(n) = n / (R(n) + Z),
  // Q(n) = X(n) R(n), Q(0) = 0. The throughput X(10) must lie in the 99% CI of 20
  // replications of 2 h after 10 min of warm-up.
  const int N = 10;
  const double S = 0.1, Z = 1.0;
  double q = 0, x = 0, r = 0;
  for (int n = 1; n <= N; ++n) {
    r = S * (1 + q);
    x = n / (r + Z);
    q = x * r;
  }
  nlohmann::json doc = {
      {"schema_version", 1}, {"duration", "2h"}, {"warmup", "10m"}, {"replications", 20}, {"seed", 99},
      {"services", {{{"name", "q"}, {"desired_count", 1}, {"load_balancer", "none"}, {"task", {{"cpu", 1024}, {"memory", 2048}}},
                     {"serving", {{"concurrency", 1}, {"queue_limit", 1000}}}}}},
      {"workloads", {{{"name", "users"}, {"target", "q"}, {"clients", {{"users", N}, {"think_time", "exponential(mean=1)"}}},
                      {"request", {{"cpu_time", "exponential(mean=0.1)"}, {"timeout", "1h"}}}}}},
      {"output", {{"event_log", false}}}};
  const RunResult res = run(Scenario::from_json(doc));
  RunningStats tput, resp;
  for (const auto& rep : nlohmann::json(summary_json(res).at("per_replication"))) {
    tput.add(rep.at("services").at("q").at("throughput_rps").get<double>());
    resp.add(rep.at("services").at("q").at("latency_ms").at("mean").get<double>() / 1e3);
  }
  INFO("X simulated " << tput.mean() << " +- " << confidence_half_width(tput, 0.99) << ", MVA " << x);
  INFO("R simulated " << resp.mean() << " +- " << confidence_half_width(resp, 0.99) << ", MVA " << r);
  REQUIRE(std::abs(tput.mean() - x) <= confidence_half_width(tput, 0.99));
  REQUIRE(std::abs(resp.mean() - r) <= confidence_half_width(resp, 0.99));
}

TEST_CASE("serving: a workload needs exactly one of arrival and clients", "[serving]") {
  nlohmann::json doc = {{"schema_version", 1},
                        {"services", {{{"name", "q"}}}},
                        {"workloads", {{{"name", "w"}, {"target", "q"}}}}};
  REQUIRE_THROWS_AS(Scenario::from_json(doc), ScenarioError);
  doc["workloads"][0]["arrival"] = "poisson(rate=1)";
  doc["workloads"][0]["clients"] = {{"users", 3}};
  REQUIRE_THROWS_AS(Scenario::from_json(doc), ScenarioError);
}

TEST_CASE("serving: least outstanding requests avoids the busy task, round robin does not", "[serving]") {
  // Two 1-vCPU tasks. A (10 CPU s) at t=0 goes to task 1, B (0.1 CPU s) at t=0 to task 2 (done
  // at 0.1 s). C (0.1 CPU s) at t=1: round robin sends it to task 1, where it shares the vCPU
  // with A and takes 0.1 / 0.5 = 0.2 s; least outstanding requests sends it to the idle task 2:
  // 0.1 s.
  for (const bool lor : {false, true}) {
    Simulation sim;
    RequestPool pool;
    RandomStreams streams(1);
    ServiceSpec spec;
    spec.name = "api";
    spec.task.cpu_units = 1024;
    spec.serving.concurrency = 10;
    spec.serving.queue_limit = 10;
    spec.least_outstanding_requests = lor;
    spec.health_check.cpu_seconds = 0;  // probes take no CPU here
    Service svc(sim, pool, spec, 0, streams);
    for (int i = 0; i < 2; ++i) svc.register_target(svc.add_server(), /*healthy=*/true);
    std::map<RequestId, double> latency;
    svc.request_done.connect([&](RequestId id, Outcome) { latency[id] = (sim.now() - pool[id].arrival).to_seconds(); });
    auto send = [&](double demand) {
      const RequestId id = pool.acquire();
      pool[id].arrival = sim.now();
      pool[id].demand = demand;
      svc.submit(id);
      return id;
    };
    struct At {
      std::function<void()> f;
      void fire() { f(); }
    };
    RequestId c = 0;
    send(10.0);
    send(0.1);
    At later{[&] { c = send(0.1); }};
    sim.schedule_at(seconds(1), bind<&At::fire>(&later));
    sim.run(seconds(60));  // health checks keep the event list busy forever
    INFO("least outstanding requests: " << lor);
    REQUIRE(latency.at(c) == Approx(lor ? 0.1 : 0.2));
  }
}
