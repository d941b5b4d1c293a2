// Load balancing and discovery: NLB flows against ALB requests after a scale-out, ALB slow
// start, health checks that fail under overload, Cloud Map answers cached for the TTL, and a
// queue-fed service (SQS). Expected values come from the arithmetic in each comment.
#include <catch2/catch.hpp>

#include <map>

#include "fargatelab/run.hpp"
#include "serving/service.hpp"

using namespace fargatelab;
using namespace fargatelab::detail;
using nlohmann::json;

namespace {

Scenario example(const std::string& file, const std::vector<std::string>& overrides = {}) {
  return Scenario::from_file(FARGATELAB_SOURCE_DIR "/scenarios/examples/" + file, overrides);
}

json result_of(const RunResult& r, const std::string& service) {
  return summary_json(r).at("results").at("services").at(service);
}

}  // namespace

TEST_CASE("load balancing: after a scale-out an NLB keeps long-lived connections on the old tasks, an ALB spreads requests",
          "[lb][nlb]") {
  // 16 gRPC connections are hashed to the 2 tasks running at t = 0; at 2 min the service grows
  // to 6. Measured from 5 min, when all 6 are in service.
  //   NLB: the 4 new tasks get no request; one of the 2 old ones carries at least half of the
  //        load, so max / mean >= (1/2) / (1/6) = 3.
  //   ALB: round robin per request: every task within one request of the others (max/mean ~ 1).
  //   NLB with connections reopened every 30 s: new flows hash over all 6 tasks.
  const RunResult nlb = run(example("networking/grpc_scale_out.json"));
  const RunResult alb = run(example("networking/grpc_scale_out.json", {"services.orders.load_balancer=alb"}));
  const RunResult aged = run(example("networking/grpc_scale_out.json", {"workloads.clients.connection_max_age=30s"}));
  for (const auto& rep : json(summary_json(nlb).at("per_replication"))) {
    const json& load = rep.at("services").at("orders").at("task_load");
    CHECK(load.at("tasks") == 6);
    CHECK(load.at("requests_min") == 0);
    CHECK(load.at("max_over_mean").get<double>() >= 3.0 - 1e-9);
    // The idle tasks' CPU: only health checks, 1 ms every 10 s on 1 vCPU = 0.01 %.
    CHECK(load.at("cpu_pct_min").get<double>() < 0.1);
  }
  for (const auto& rep : json(summary_json(alb).at("per_replication"))) {
    const json& load = rep.at("services").at("orders").at("task_load");
    CHECK(load.at("requests_max").get<double>() - load.at("requests_min").get<double>() <= 1.0);
    CHECK(load.at("cpu_pct_max").get<double>() / load.at("cpu_pct_min").get<double>() < 1.1);
  }
  const double spread = result_of(aged, "orders").at("task_load").at("max_over_mean").get<double>();
  CHECK(spread < 1.5);
  // Same traffic either way (common random numbers): the arrivals do not depend on the LB.
  CHECK(result_of(nlb, "orders").at("requests") == result_of(alb, "orders").at("requests"));
}

TEST_CASE("load balancing: ALB slow start gives a new target share w / (n + w) of the requests", "[lb][alb]") {
  // One target at full share, one registered at t = 0 with a 100 s slow start. At t = 50 s its
  // share is w = 0.5, so round robin with slow start sends it w / (1 + w) = 1/3 of the
  // requests. 30,000 requests: binomial sd = sqrt(1/3 * 2/3 / 30000) = 0.0027; 4 sd = 0.011.
  Simulation sim;
  RequestPool pool;
  RandomStreams streams(7);
  ServiceSpec spec;
  spec.name = "web";
  spec.slow_start = seconds(100);
  spec.health_check.cpu_seconds = 0;
  Service svc(sim, pool, spec, 0, streams);
  const std::uint32_t old_target = svc.add_server();
  svc.register_target(old_target, true);
  const std::uint32_t new_target = svc.add_server();
  svc.register_target(new_target, true);
  std::map<std::uint32_t, int> count;
  svc.request_done.connect([&](RequestId id, Outcome) { count[pool[id].task]++; });
  struct Burst {
    Service* svc;
    RequestPool* pool;
    void fire() {
      for (int i = 0; i < 30000; ++i) {
        const RequestId id = pool->acquire();
        (*pool)[id].deadline = SimTime::infinity();
        svc->submit(id);
      }
    }
  } burst{&svc, &pool};
  sim.schedule_at(seconds(50), bind<&Burst::fire>(&burst));
  sim.run(seconds(51));
  REQUIRE(count[old_target] + count[new_target] == 30000);
  CHECK(count[new_target] / 30000.0 == Approx(1.0 / 3).margin(0.011));
}

TEST_CASE("load balancing: an overloaded task fails its health checks and ECS replaces it", "[lb][health]") {
  // 1 task of 0.25 vCPU, 40 req/s of 50 ms (8x its capacity): a probe queues behind up to
  // 24 requests x 0.2 s and misses its 5 s timeout; two misses make the target unhealthy.
  const auto overloaded = [](const std::string& grace) {
    return run(Scenario::builtin_default({"duration=10m", "replications=1", "services.api.desired_count=1",
                                          "services.api.task.cpu=256", "services.api.task.memory=512",
                                          "services.api.serving.concurrency=4", "services.api.serving.queue_limit=20",
                                          "services.api.health_check_grace_period=" + grace}));
  };
  const RunResult replaced = overloaded("0s");
  CHECK(result_of(replaced, "api").at("tasks_replaced_unhealthy").get<int>() >= 1);
  const RunResult kept = overloaded("1d");
  CHECK(result_of(kept, "api").at("tasks_replaced_unhealthy") == 0);
  CHECK(result_of(kept, "api").at("health_checks").at("failed").get<int>() >= 2);
  CHECK(result_of(kept, "api").at("ok").get<int>() > 0);  // the ALB fails open to its only target
  // A grace period only delays the verdict: the warm task (started at t = 0) turns unhealthy
  // within its first minute and is still unhealthy when a 2-minute grace period ends, so ECS
  // replaces it then (before, a target that went unhealthy inside the grace period was never
  // replaced: 0 here).
  const RunResult delayed = overloaded("2m");
  CHECK(result_of(delayed, "api").at("tasks_replaced_unhealthy").get<int>() >= 1);
}

TEST_CASE("load balancing: a new target enters service after one passing health check", "[lb][health]") {
  // Cold start: each task is registered when RUNNING; the first probe comes within one
  // interval (30 s) and takes 1 ms of CPU, so RUNNING -> in service is at most 30.001 s.
  const RunResult r = run(Scenario::builtin_default({"duration=5m", "replications=1", "services.api.start=cold"}));
  int checked = 0;
  for (const TaskRecord& t : r.tasks) {
    if (std::isnan(t.in_service_s)) continue;
    CHECK(t.in_service_s - t.started_s > 0);
    CHECK(t.in_service_s - t.started_s <= 30.001 + 1e-9);
    ++checked;
  }
  CHECK(checked == 3);
}

TEST_CASE("load balancing: Cloud Map answers cached for the TTL send requests to stopped tasks", "[lb][dns]") {
  // 6 tasks, 50 req/s, one shared resolver cache. At 630 s the service scales in to 3; the
  // stopped tasks' processes end at about 631 s. The cache was refreshed at about 600 s (60 s
  // TTL, refreshed by the first request after each expiry) and holds all 6 records until
  // about 660 s: for ~29 s half the requests go to a dead task, 50 x 29 x 0.5 = 725
  // (Poisson sd 27; the window's ends are known to ~1 s, so accept 600-850 per replication).
  // With TTL 0 every request resolves afresh and sees only registered tasks, which are alive.
  const RunResult cached = run(example("networking/cloud_map_stale_dns.json"));
  for (const auto& rep : json(summary_json(cached).at("per_replication"))) {
    const auto stale = rep.at("services").at("inventory").at("errors").at("unreachable").get<double>();
    CHECK(stale > 600);
    CHECK(stale < 850);
  }
  const RunResult fresh = run(example("networking/cloud_map_stale_dns.json", {"services.inventory.dns_ttl=0s"}));
  CHECK(result_of(fresh, "inventory").at("errors").at("unreachable") == 0);
}
