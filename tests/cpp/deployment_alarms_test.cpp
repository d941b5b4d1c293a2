// Alarm-based failure detection of ECS deployments (deploymentConfiguration.alarms): the alarm
// runs on the metric pipeline; ALARM during the deployment fails it (and rolls back), an alarm
// already in ALARM at the start is ignored, and a rolling update with alarms stays IN_PROGRESS
// for the bake (the longest watched alarm's Period x EvaluationPeriods) before COMPLETED.
#include <catch2/catch.hpp>

#include <algorithm>

#include "deployment_fixture.hpp"
#include "deterministic_fargate.hpp"
#include "fargatelab/run.hpp"

using namespace fargatelab;
using nlohmann::json;
using deployment_fixture::deployment_events;
using deployment_fixture::left_running;

namespace {

json cpu_alarm(double threshold) {
  return {{"AlarmName", "cpu-high"},
          {"Namespace", "AWS/ECS"},
          {"MetricName", "CPUUtilization"},
          {"Dimensions", {{{"Name", "ClusterName"}, {"Value", "default"}}, {{"Name", "ServiceName"}, {"Value", "api"}}}},
          {"Statistic", "Average"},
          {"Period", 60},
          {"EvaluationPeriods", 2},
          {"Threshold", threshold},
          {"ComparisonOperator", "GreaterThanThreshold"}};
}

// 4 tasks of 1 vCPU behind no load balancer, 70 requests/s of 10 ms CPU: 0.7 vCPU of 4, a
// CPUUtilization of 17.5 %. Revision v2 runs on 0.25 vCPU: the same load is 70 % of its tasks.
json scenario(json strategy, double threshold, int v2_cpu = 256) {
  return {{"schema_version", 1},
          {"duration", 1500},
          {"fargate", deterministic_fargate()},
          {"services",
           {{{"name", "api"},
             {"desired_count", 4},
             {"load_balancer", "none"},
             {"task", deterministic_task()},
             {"scaling", {{"alarms", {cpu_alarm(threshold)}}}},
             {"revisions", {{{"name", "v2"}, {"task", {{"cpu", v2_cpu}, {"memory", 512}}}}}},
             {"deployments", {{{"at", "5m"}, {"revision", "v2"}, {"strategy", strategy}}}}}}},
          {"workloads",
           {{{"name", "w"}, {"target", "api"}, {"arrival", "poisson(rate=70)"}, {"request", {{"cpu_time", "constant(value=0.01)"}}}}}},
          {"output", {{"event_log", true}}}};
}

struct Event {
  double t;
  std::string kind, what;
};
std::vector<Event> events(const RunResult& r) {
  std::vector<Event> out;
  for (const auto& e : r.events) {
    if (e.kind == "deployment") out.push_back({e.time_s, e.fields.at("event"), e.fields.at("revision")});
    if (e.kind == "alarm_state") out.push_back({e.time_s, "alarm_" + e.fields.at("to").get<std::string>(), e.fields.at("alarm")});
  }
  return out;
}
const Event* first(const std::vector<Event>& ev, const std::string& kind) {
  for (const auto& e : ev)
    if (e.kind == kind) return &e;
  return nullptr;
}

}  // namespace

TEST_CASE("deployment alarms: CPU above 50 % on the smaller revision fails the rolling update and rolls it back",
          "[deployment][alarms]") {
  const RunResult r = run(Scenario::from_json(scenario("rolling(alarms=cpu-high, alarm_rollback=true)", 50)));
  const auto ev = events(r);
  const Event* alarm = first(ev, "alarm_ALARM");
  REQUIRE(alarm);
  CHECK(alarm->t > 300);
  // ECS acts at the alarm's own evaluation: failed and rolled back in that instant.
  const Event* failed = first(ev, "deployment_failed");
  REQUIRE(failed);
  CHECK(failed->t == alarm->t);
  const Event* rollback = first(ev, "rollback_started");
  REQUIRE(rollback);
  CHECK(rollback->t == alarm->t);
  CHECK(rollback->what == "initial");
  CHECK(r.results.services.at("api").deployments->rollbacks == Number(1));
  // The alarm stays in ALARM while the rollback runs (it started in ALARM: ignored by the
  // rollback), and the rollback completes.
  const Event* done = first(ev, "deployment_completed");
  REQUIRE(done);
  CHECK(done->what == "initial");
}

TEST_CASE("deployment alarms: an alarm already in ALARM when the deployment starts is ignored", "[deployment][alarms]") {
  // Threshold 10 %: 17.5 % is above it from the first datapoints on, long before 5 min.
  const RunResult r = run(Scenario::from_json(scenario("rolling(alarms=cpu-high, alarm_rollback=true)", 10)));
  const auto ev = events(r);
  const Event* alarm = first(ev, "alarm_ALARM");
  REQUIRE(alarm);
  CHECK(alarm->t < 300);
  CHECK(first(ev, "deployment_failed") == nullptr);
  REQUIRE(first(ev, "deployment_completed"));
  CHECK(first(ev, "deployment_completed")->what == "v2");
}

TEST_CASE("deployment alarms: a good rolling update stays IN_PROGRESS for the alarm's bake", "[deployment][alarms]") {
  // v2 keeps 1 vCPU: the alarm (50 %) never fires. The bake is (N + 1) x Period + publication
  // delay = 3 x 60 + 60 = 240 s after the last old task stopped.
  const RunResult r = run(Scenario::from_json(scenario("rolling(alarms=cpu-high)", 50, 1024)));
  const auto ev = events(r);
  const Event* bake = first(ev, "alarm_bake");
  REQUIRE(bake);
  const Event* done = first(ev, "deployment_completed");
  REQUIRE(done);
  CHECK(done->t == Approx(bake->t + 240).margin(1e-9));
  CHECK(first(ev, "deployment_failed") == nullptr);
}

TEST_CASE("deployment alarms: unknown alarm names and blue/green without rollback are refused by pointer",
          "[deployment][alarms]") {
  auto errors = [](json strategy) {
    std::vector<std::string> out;
    try {
      Scenario::from_json(scenario(std::move(strategy), 50));
    } catch (const ScenarioError& e) {
      for (const auto& d : e.diagnostics()) out.push_back(d.pointer + ": " + d.message);
    }
    return out;
  };
  auto e = errors("rolling(alarms=cpu-hihg)");
  REQUIRE(e.size() == 1);
  CHECK(e[0].find("/services/0/deployments/0/strategy") == 0);
  CHECK(e[0].find("did you mean \"cpu-high\"") != std::string::npos);
  e = errors({{"alarms", {{"alarmNames", {"cpu-high"}}, {"enable", true}}}});
  REQUIRE(e.size() == 1);
  CHECK(e[0].find("/services/0/deployments/0/strategy/alarms/rollback") == 0);
  e = errors("blue_green(bake=1m, alarms=cpu-high)");
  REQUIRE(e.size() == 1);
  CHECK(e[0].find("modelled with rollback") != std::string::npos);
  // The JSON form equals the short form.
  const RunResult a = run(Scenario::from_json(scenario({{"alarms", {{"alarmNames", {"cpu-high"}}, {"enable", true}, {"rollback", true}}}}, 50)));
  const RunResult b = run(Scenario::from_json(scenario("rolling(alarms=cpu-high, alarm_rollback=true)", 50)));
  CHECK(summary_json(a).dump() == summary_json(b).dump());
}
