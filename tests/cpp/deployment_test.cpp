// ECS deployments (rolling update, circuit breaker, scale-in off meanwhile), with the times
// worked out by hand from the rules in ecs/deployment/ and from each task's own launch.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>

#include "deterministic_fargate.hpp"
#include "ecs/deployment/rolling_rules.hpp"
#include "deployment_fixture.hpp"
#include "fargatelab/run.hpp"

using namespace fargatelab;
using namespace fargatelab::detail;
using nlohmann::json;
using deployment_fixture::deployment_events;
using deployment_fixture::left_running;

namespace {

// Fixed launch phases (fargate_launch_test.cpp) and no pull noise: tasks created together are
// RUNNING together (expectations use each task's own started_s). No load balancer: a new task
// is healthy 40 s after RUNNING.
json scenario(int desired, json strategy, json behavior = json::object(), double duration = 600) {
  return {{"schema_version", 1},
          {"duration", duration},
          {"fargate", deterministic_fargate()},
          {"services",
           {{{"name", "api"},
             {"desired_count", desired},
             {"load_balancer", "none"},
             {"task", deterministic_task()},
             {"revisions", {{{"name", "v2"}, {"task", {{"image", {{"size_mb", 0}}}}}, {"behavior", behavior}}}},
             {"deployments", {{{"at", "60s"}, {"revision", "v2"}, {"strategy", strategy}}}}}}},
          {"workloads", {{{"name", "w"}, {"target", "api"}, {"arrival", "poisson(rate=1e-9)"}}}},
          {"output", {{"event_log", true}}}};
}

struct Tasks {
  std::vector<const TaskRecord*> old_tasks, new_tasks;  // created before / at or after the deployment
};
Tasks split(const RunResult& r) {
  Tasks t;
  for (const auto& x : r.tasks) (x.created_s < 60 ? t.old_tasks : t.new_tasks).push_back(&x);
  auto by_start = [](const TaskRecord* a, const TaskRecord* b) { return a->started_s < b->started_s; };
  std::sort(t.new_tasks.begin(), t.new_tasks.end(), by_start);
  return t;
}

// The largest number of tasks RUNNING or starting at once.
int peak_tasks(const RunResult& r) {
  std::vector<std::pair<double, int>> edges;
  const auto left = left_running(r);
  for (const auto& t : r.tasks) {
    edges.emplace_back(t.created_s, +1);
    const auto it = left.find(t.task);
    if (it != left.end()) edges.emplace_back(it->second, -1);
  }
  std::sort(edges.begin(), edges.end(), [](auto a, auto b) { return a.first < b.first || (a.first == b.first && a.second < b.second); });
  int n = 0, peak = 0;
  for (const auto& [_, d] : edges) peak = std::max(peak, n += d);
  return peak;
}

}  // namespace

TEST_CASE("deployment rules: AWS's rounding and the circuit breaker's threshold", "[deployment]") {
  // ECS developer guide examples: min 75 % of 2 rounds up to 2; max 125 % of 3 rounds down to 3.
  CHECK(minimum_healthy_tasks(2, 75) == 2);
  CHECK(maximum_tasks(3, 125) == 3);
  CHECK(minimum_healthy_tasks(4, 50) == 2);
  CHECK(maximum_tasks(4, 150) == 6);
  CHECK(maximum_tasks(4, 200) == 8);
  // 0.5 x desired rounded up, clamped to 3..200 (desired 1 -> 3; 25 -> 13; 400 -> 200).
  CircuitBreakerConfig cb;
  CHECK(circuit_breaker_threshold(cb, 1) == 3);
  CHECK(circuit_breaker_threshold(cb, 2) == 3);
  CHECK(circuit_breaker_threshold(cb, 10) == 5);
  CHECK(circuit_breaker_threshold(cb, 25) == 13);
  CHECK(circuit_breaker_threshold(cb, 400) == 200);
  cb.threshold_type = ThresholdType::unbounded_percent;
  CHECK(circuit_breaker_threshold(cb, 800) == 400);
  cb.threshold_type = ThresholdType::count;
  cb.threshold_value = 7;
  CHECK(circuit_breaker_threshold(cb, 800) == 7);
}

TEST_CASE("rolling update min 100 % / max 200 % on 4 tasks: 4 new at once, an old one stops as each new one turns healthy",
          "[deployment]") {
  // Max 8 tasks: the 4 new start at 60 s. Min 4 healthy: no old task stops until a new one is
  // healthy (40 s after its RUNNING); then exactly one per new healthy task.
  const RunResult r = run(Scenario::from_json(scenario(4, "rolling(minimum_healthy_percent=100, maximum_percent=200)")));
  const Tasks t = split(r);
  REQUIRE(t.old_tasks.size() == 4);
  REQUIRE(t.new_tasks.size() == 4);
  for (const auto* n : t.new_tasks) CHECK(n->created_s == 60.0);
  std::vector<double> stops, healthy;
  const auto left = left_running(r);
  for (const auto* o : t.old_tasks) stops.push_back(left.at(o->task));
  for (const auto* n : t.new_tasks) healthy.push_back(n->started_s + 40);
  std::sort(stops.begin(), stops.end());
  for (std::size_t k = 0; k < 4; ++k) CHECK(stops[k] == Approx(healthy[k]).margin(1e-9));
  CHECK(peak_tasks(r) == 8);
  // COMPLETED when the last old task has STOPPED (4 s ENI detach after it stops).
  const auto ev = deployment_events(r);
  REQUIRE(ev.size() == 2);
  CHECK(ev[0].at("event") == "deployment_started");
  CHECK(ev[0].at("t") == 60.0);
  CHECK(ev[1].at("event") == "deployment_completed");
  CHECK(ev[1].at("t").get<double>() == Approx(healthy[3] + 4).margin(1e-9));
  CHECK(r.results.services.at("api").deployments->completed == Number(1));
}

TEST_CASE("rolling update min 100 % / max 150 % on 4 tasks replaces 2 at a time", "[deployment]") {
  // Max 6: 2 new at 60 s. When both are healthy (the later one's RUNNING + 40 s) 2 old stop and
  // 2 more new start at that instant; the last 2 old stop when those are healthy.
  const RunResult r = run(Scenario::from_json(scenario(4, "rolling(minimum_healthy_percent=100, maximum_percent=150)")));
  const Tasks t = split(r);
  REQUIRE(t.new_tasks.size() == 4);
  std::vector<double> created;
  for (const auto* n : t.new_tasks) created.push_back(n->created_s);
  std::sort(created.begin(), created.end());
  CHECK(created[0] == 60.0);
  CHECK(created[1] == 60.0);
  const double first_healthy = std::max(t.new_tasks[0]->started_s, t.new_tasks[1]->started_s) + 40;
  CHECK(created[2] == Approx(first_healthy).margin(1e-9));
  CHECK(created[3] == Approx(first_healthy).margin(1e-9));
  std::vector<double> stops;
  for (const auto* o : t.old_tasks) stops.push_back(left_running(r).at(o->task));
  std::sort(stops.begin(), stops.end());
  CHECK(stops[0] == Approx(first_healthy).margin(1e-9));
  CHECK(stops[1] == Approx(first_healthy).margin(1e-9));
  const double second_healthy = std::max(t.new_tasks[2]->started_s, t.new_tasks[3]->started_s) + 40;
  CHECK(stops[2] == Approx(second_healthy).margin(1e-9));
  CHECK(stops[3] == Approx(second_healthy).margin(1e-9));
  CHECK(peak_tasks(r) == 6);
}

TEST_CASE("rolling update min 50 % / max 100 % on 4 tasks stops 2 first, then replaces them 2 at a time", "[deployment]") {
  // Min 2 healthy, max 4: at 60 s 2 old stop and 2 new start in their place; when those are
  // healthy the other 2 old stop and 2 more new start.
  const RunResult r = run(Scenario::from_json(scenario(4, "rolling(minimum_healthy_percent=50, maximum_percent=100)")));
  const Tasks t = split(r);
  REQUIRE(t.new_tasks.size() == 4);
  std::vector<double> stops;
  for (const auto* o : t.old_tasks) stops.push_back(left_running(r).at(o->task));
  std::sort(stops.begin(), stops.end());
  CHECK(stops[0] == 60.0);
  CHECK(stops[1] == 60.0);
  const double first_healthy = std::max(t.new_tasks[0]->started_s, t.new_tasks[1]->started_s) + 40;
  CHECK(stops[2] == Approx(first_healthy).margin(1e-9));
  CHECK(stops[3] == Approx(first_healthy).margin(1e-9));
  int at_60 = 0, at_first_healthy = 0;
  for (const auto* n : t.new_tasks) {
    at_60 += n->created_s == 60.0 ? 1 : 0;
    at_first_healthy += std::abs(n->created_s - first_healthy) < 1e-9 ? 1 : 0;
  }
  CHECK(at_60 == 2);
  CHECK(at_first_healthy == 2);
  CHECK(peak_tasks(r) == 4);
}

TEST_CASE("circuit breaker: a revision that crashes at start fails after 0.5 x desired failures (at least 3) and rolls back",
          "[deployment]") {
  // v2's container exits 5 s after RUNNING. Min 100 % keeps every old task; max 200 % starts
  // `desired` new ones at 60 s, which all crash; ECS replaces them, and so on. The breaker trips
  // at the threshold's failure: 5 for 10 tasks, 3 (the minimum) for 2; the rollback goes back to
  // the service's own revision, whose tasks never stopped, and completes when the last v2 task
  // has stopped.
  for (const auto& [desired, threshold] : std::vector<std::pair<int, int>>{{10, 5}, {2, 3}}) {
    const RunResult r = run(Scenario::from_json(scenario(
        desired, "rolling(circuit_breaker=true, rollback=true)", {{"exit_after", "constant(value=5)"}})));
    const auto ev = deployment_events(r);
    REQUIRE(ev.size() == 4);
    CHECK(ev[0].at("event") == "deployment_started");
    CHECK(ev[1].at("event") == "deployment_failed");
    CHECK(ev[1].at("failed_tasks") == threshold);
    CHECK(ev[1].at("threshold") == threshold);
    CHECK(ev[2].at("event") == "rollback_started");
    CHECK(ev[2].at("revision") == "initial");
    CHECK(ev[3].at("event") == "deployment_completed");
    int crashed = 0, old_running = 0;
    for (const auto& t : r.tasks) {
      if (t.stop_code == "EssentialContainerExited") ++crashed;
      if (t.created_s < 60 && t.last_state == "RUNNING") ++old_running;
    }
    CHECK(crashed >= threshold);
    CHECK(old_running == desired);
    const auto& d = *r.results.services.at("api").deployments;
    CHECK(d.failed == Number(1));
    CHECK(d.rollbacks == Number(1));
    CHECK(d.failed_tasks == Number(threshold));
  }
}

TEST_CASE("circuit breaker without rollback: the deployment fails and the scheduler launches no more of it", "[deployment]") {
  const RunResult r = run(Scenario::from_json(
      scenario(2, "rolling(circuit_breaker=true)", {{"exit_after", "constant(value=5)"}})));
  const auto ev = deployment_events(r);
  REQUIRE(ev.size() == 2);
  CHECK(ev[1].at("event") == "deployment_failed");
  double failed_at = ev[1].at("t").get<double>();
  for (const auto& t : r.tasks) CHECK(t.created_s <= failed_at);
}

TEST_CASE("auto scaling does not scale in while a deployment is in progress", "[deployment][scaling]") {
  // 4 idle tasks with target tracking on CPU 50 %: AlarmLow (< 45 for 15 of 15 minutes) scales
  // in at 960 s (the 15th datapoint, [840, 900), readable at 960) without a deployment. A
  // deployment of a version whose health checks fail behind the ALB never completes (no circuit
  // breaker), so the service is never scaled in.
  auto doc = [](bool deploy) {
    json s = scenario(4, "rolling", {{"fail_health_checks", true}}, 1500);
    s["services"][0]["load_balancer"] = "alb";
    s["services"][0]["scaling"] = json::array({"target_tracking(metric=cpu, target=50)"});
    if (!deploy) s["services"][0]["deployments"] = json::array();
    return s;
  };
  auto scale_ins = [](const RunResult& r) {
    std::vector<double> out;
    for (const auto& e : r.events)
      if (e.kind == "scaling_activity" && e.fields.at("to").get<int>() < e.fields.at("from").get<int>()) out.push_back(e.time_s);
    return out;
  };
  const auto without = scale_ins(run(Scenario::from_json(doc(false))));
  REQUIRE(!without.empty());
  CHECK(without.front() == 960.0);
  const RunResult with = run(Scenario::from_json(doc(true)));
  CHECK(scale_ins(with).empty());
  CHECK(with.results.services.at("api").deployments->completed == Number(0));
}

TEST_CASE("deployment input: ECS's deploymentConfiguration JSON works like the short form, and errors point at the field",
          "[deployment]") {
  const json aws = {{"minimumHealthyPercent", 100}, {"maximumPercent", 150},
                    {"deploymentCircuitBreaker", {{"enable", true}, {"rollback", true}}}};
  const RunResult a = run(Scenario::from_json(scenario(4, aws)));
  const RunResult b = run(Scenario::from_json(scenario(4, "rolling(maximum_percent=150, circuit_breaker=true, rollback=true)")));
  REQUIRE(a.tasks.size() == b.tasks.size());
  for (std::size_t i = 0; i < a.tasks.size(); ++i) CHECK(a.tasks[i].created_s == b.tasks[i].created_s);

  json bad = scenario(4, {{"minimumHealthyPercnt", 50},
                          {"maximumPercent", 250},
                          {"deploymentCircuitBreaker", {{"enable", "yes"}}},
                          {"strategy", "BLUE_GREEN"}});
  bad["services"][0]["deployments"].push_back({{"at", "5m"}, {"revision", "v3"}});
  bad["services"][0]["revisions"].push_back({{"name", "v2"}});
  try {
    (void)Scenario::from_json(bad);
    FAIL("no error");
  } catch (const ScenarioError& e) {
    std::map<std::string, std::string> by;
    for (const auto& d : e.diagnostics()) by[d.pointer] = d.message;
    const std::string s = "/services/0/deployments/0/strategy";
    CHECK(by.count(s + "/minimumHealthyPercnt"));
    CHECK(by[s + "/minimumHealthyPercnt"].find("minimumHealthyPercent") != std::string::npos);
    CHECK(by.count(s + "/maximumPercent"));
    CHECK(by.count(s + "/deploymentCircuitBreaker/enable"));
    CHECK(by[s].find("needs the field \"bakeTimeInMinutes\"") != std::string::npos);  // BLUE_GREEN needs it
    CHECK(by["/services/0/deployments/1/revision"].find("no revision is named \"v3\"") != std::string::npos);
    CHECK(by.count("/services/0/revisions/1/name"));
  }
  // Deployments are ECS deployments.
  json lambda = scenario(1, "rolling");
  lambda["services"][0]["platform"] = "lambda";
  for (const char* k : {"load_balancer", "task"}) lambda["services"][0].erase(k);
  lambda["services"][0]["revisions"] = json::array();
  CHECK_THROWS_WITH(Scenario::from_json(lambda), Catch::Contains("deployments are ECS deployments"));
}
