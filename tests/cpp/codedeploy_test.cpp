// The CodeDeploy deployment controller (deploymentController CODE_DEPLOY, codedeploy_input.hpp)
// on the blue/green family's traffic shift: its predefined configurations' step times worked out
// by hand from the moment the replacement task set is all in service, the termination wait in
// the bill, the canary's share of requests, rollbacks by hook and by alarm, and its validation.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "deployment_fixture.hpp"
#include "deterministic_fargate.hpp"
#include "fargatelab/deployment_bench.hpp"
#include "fargatelab/diagnostics.hpp"
#include "fargatelab/run.hpp"

using namespace fargatelab;
using nlohmann::json;
using deployment_fixture::deployment_events;
using deployment_fixture::left_running;
using deployment_fixture::shift_scenario;

namespace {

// CloudWatch alarm (put-metric-alarm input) on the target group's 5xx count: more than 10 in a minute.
json alarm_5xx(std::string name = "5xx-high") {
  return {{"AlarmName", name},
          {"Namespace", "AWS/ApplicationELB"},
          {"MetricName", "HTTPCode_Target_5XX_Count"},
          {"Dimensions", {{{"Name", "TargetGroup"}, {"Value", "targetgroup/api"}}}},
          {"Statistic", "Sum"},
          {"Period", 60},
          {"EvaluationPeriods", 1},
          {"Threshold", 10},
          {"ComparisonOperator", "GreaterThanThreshold"},
          {"TreatMissingData", "notBreaching"}};
}

const json& find_event(const std::vector<json>& ev, const std::string& kind, const std::string& stage = "", double from = -1) {
  for (const json& e : ev)
    if (e.at("event") == kind && (stage.empty() || e.value("stage", "") == stage) && e.at("t").get<double>() >= from) return e;
  FAIL("no " << kind << " " << stage << " event");
  static json none;
  return none;
}

bool has_event(const std::vector<json>& ev, const std::string& kind) {
  return std::any_of(ev.begin(), ev.end(), [&](const json& e) { return e.at("event") == kind; });
}

struct Fleets {
  std::vector<const TaskRecord*> blue, green;  // created before / at or after the deployment (60 s)
  double green_in_service = 0;                 // when the last green task entered service
};
Fleets fleets(const RunResult& r) {
  Fleets f;
  for (const auto& x : r.tasks) (x.created_s < 60 ? f.blue : f.green).push_back(&x);
  for (const auto* g : f.green) f.green_in_service = std::max(f.green_in_service, g->in_service_s);
  return f;
}

// The stage events' (name, time, green percent), in order.
struct Stage {
  std::string name;
  double t, pct;
};
std::vector<Stage> stages(const std::vector<json>& ev) {
  std::vector<Stage> out;
  for (const json& e : ev)
    if (e.at("event") == "stage") out.push_back({e.at("stage"), e.at("t"), e.at("green_percent")});
  return out;
}

double served_share(const json& from, const json& to) {
  const double revision = to.at("served_revision").get<double>() - from.at("served_revision").get<double>();
  const double total = to.at("served_total").get<double>() - from.at("served_total").get<double>();
  return revision / total;
}

std::vector<std::string> errors_of(const json& doc) {
  std::vector<std::string> out;
  try {
    Scenario::from_json(doc);
  } catch (const ScenarioError& e) {
    for (const auto& d : e.diagnostics()) out.push_back(d.pointer + ": " + d.message);
  }
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& text) {
  return std::any_of(v.begin(), v.end(), [&](const std::string& s) { return s.find(text) != std::string::npos; });
}

constexpr const char* kStrategy = "/services/0/deployments/0/strategy";

}  // namespace

TEST_CASE("CodeDeploy ECSCanary10Percent5Minutes on 4 tasks: 10 % when green is in service, 100 % 300 s later, blue "
          "terminated the termination wait after that",
          "[deployment][codedeploy]") {
  // The replacement task set (4 tasks) is created at 60 s beside the original 4. When its last
  // task enters service, BeforeInstall..BeforeAllowTraffic have run (no hooks: in that instant)
  // and AllowTraffic puts 10 % on it; the canary interval is 5 min, so 100 % comes at +300 s,
  // then AfterAllowTraffic, and the termination wait (here 60 min) before the original task set
  // is terminated at +300 + 3600 s. 70 requests/s for 300 s: about 21,000 requests in the
  // canary, each to green with probability 0.10: the binomial standard deviation is
  // sqrt(0.1 x 0.9 / 21,000) = 0.0021, so +-0.01 is 4.8 standard deviations.
  const RunResult r = run(Scenario::from_json(
      shift_scenario(4, "codedeploy(config=ECSCanary10Percent5Minutes, termination_wait=60m)", 70, 4500)));
  const Fleets f = fleets(r);
  REQUIRE(f.blue.size() == 4);
  REQUIRE(f.green.size() == 4);  // nothing relaunched
  for (const auto* g : f.green) CHECK(g->created_s == 60.0);
  const double shift = f.green_in_service;
  const auto ev = deployment_events(r);
  const auto st = stages(ev);
  // CodeDeploy's lifecycle events in order, AllowTraffic once per step.
  const std::vector<std::string> want = {"BeforeInstall",      "Install",      "AfterInstall", "AllowTestTraffic",
                                         "AfterAllowTestTraffic", "BeforeAllowTraffic", "AllowTraffic", "AllowTraffic",
                                         "AfterAllowTraffic",  "TerminationWait", "TerminateOriginalTaskSet"};
  REQUIRE(st.size() == want.size());
  for (std::size_t k = 0; k < want.size(); ++k) CHECK(st[k].name == want[k]);
  CHECK(st[0].t == 60.0);  // BeforeInstall at the deployment
  CHECK(st[1].t == 60.0);  // Install: the replacement task set created
  CHECK(st[6].t == Approx(shift).margin(1e-9));
  CHECK(st[6].pct == 10.0);
  CHECK(st[7].t == Approx(shift + 300).margin(1e-9));
  CHECK(st[7].pct == 100.0);
  CHECK(st[9].t == Approx(shift + 300).margin(1e-9));
  CHECK(st[10].t == Approx(shift + 300 + 3600).margin(1e-9));
  const auto left = left_running(r);
  for (const auto* b : f.blue) CHECK(left.at(b->task) == Approx(shift + 3900).margin(1e-9));
  CHECK(find_event(ev, "deployment_completed").at("t").get<double>() == Approx(shift + 3904).margin(1e-9));  // 4 s ENI detach
  // The canary's share of requests.
  const json& canary = find_event(ev, "stage", "AllowTraffic");
  const json& full = find_event(ev, "stage", "AllowTraffic", shift + 1);
  CHECK(full.at("served_total").get<double>() - canary.at("served_total").get<double>() > 20000);
  CHECK(served_share(canary, full) == Approx(0.10).margin(0.01));
  CHECK(canary.at("served_revision") == 0);  // nothing reached green before AllowTraffic
  CHECK(r.results.services.at("api").deployments->completed == Number(1));
}

TEST_CASE("CodeDeploy termination wait: both task sets billed for it, to the cent", "[deployment][codedeploy]") {
  // The same deployment with a 60-minute and a 0-minute termination wait: the runs differ only
  // in the 4 original tasks running 3600 s longer (same streams, same requests). 4 tasks x 1 h x
  // (1 vCPU x $0.04048 + 2 GB x $0.004445) (Fargate, us-east-1, Linux/x86) = 4 x $0.04937 = $0.19748.
  auto cost = [](const char* strategy) {
    const RunResult r = run(Scenario::from_json(shift_scenario(4, strategy, 5, 4500)));
    return r.results.cost.total_usd->value();
  };
  const double waited = cost("codedeploy(config=ECSCanary10Percent5Minutes, termination_wait=60m)");
  const double not_waited = cost("codedeploy(config=ECSCanary10Percent5Minutes, termination_wait=0m)");
  CHECK(waited - not_waited == Approx(0.19748).margin(0.005));
}

TEST_CASE("CodeDeploy ECSLinear10PercentEvery1Minutes: ten steps a minute apart, 100 % at +540 s", "[deployment][codedeploy]") {
  const RunResult r = run(Scenario::from_json(
      shift_scenario(2, "codedeploy(config=CodeDeployDefault.ECSLinear10PercentEvery1Minutes, termination_wait=1m)", 5, 1500)));
  const double shift = fleets(r).green_in_service;
  const auto st = stages(deployment_events(r));
  std::vector<Stage> steps;
  int before = 0, after = 0;
  for (const Stage& s : st) {
    if (s.name == "AllowTraffic") steps.push_back(s);
    before += s.name == "BeforeAllowTraffic";
    after += s.name == "AfterAllowTraffic";
  }
  REQUIRE(steps.size() == 10);
  for (std::size_t k = 0; k < 10; ++k) {
    CHECK(steps[k].t == Approx(shift + 60.0 * k).margin(1e-9));
    CHECK(steps[k].pct == Approx(10.0 * (k + 1)).margin(1e-9));
  }
  CHECK(before == 1);  // BeforeAllowTraffic and AfterAllowTraffic run once, around all the steps
  CHECK(after == 1);
  const auto term = std::find_if(st.begin(), st.end(), [](const Stage& s) { return s.name == "TerminateOriginalTaskSet"; });
  REQUIRE(term != st.end());
  CHECK(term->t == Approx(shift + 540 + 60).margin(1e-9));
}

TEST_CASE("CodeDeploy ECSAllAtOnce (the default): one shift, blue terminated 5 minutes later by default", "[deployment][codedeploy]") {
  const RunResult r = run(Scenario::from_json(shift_scenario(2, "codedeploy", 5, 900)));
  const double shift = fleets(r).green_in_service;
  const auto st = stages(deployment_events(r));
  int shifts = 0;
  for (const Stage& s : st)
    if (s.name == "AllowTraffic") {
      ++shifts;
      CHECK(s.t == Approx(shift).margin(1e-9));
      CHECK(s.pct == 100.0);
    }
  CHECK(shifts == 1);
  CHECK(st.back().name == "TerminateOriginalTaskSet");
  CHECK(st.back().t == Approx(shift + 300).margin(1e-9));
}

TEST_CASE("CodeDeploy rollback on a FAILED AfterAllowTraffic hook: traffic back on the original task set, nothing relaunched",
          "[deployment][codedeploy]") {
  // AllAtOnce puts 100 % on green at `shift`; the AfterAllowTraffic hook answers FAILED 2 min
  // later: traffic is rerouted to blue then and green's tasks stop; blue never stopped.
  const json hooks = {{{"stages", {"AfterAllowTraffic"}}, {"duration", "2m"}, {"verdict", "FAILED"}}};
  const RunResult r = run(Scenario::from_json(shift_scenario(4, "codedeploy(config=ECSAllAtOnce, termination_wait=10m)", 70, 1200, hooks)));
  const Fleets f = fleets(r);
  REQUIRE(f.blue.size() == 4);
  REQUIRE(f.green.size() == 4);
  const double shift = f.green_in_service;
  const auto ev = deployment_events(r);
  CHECK(find_event(ev, "deployment_failed").at("t").get<double>() == Approx(shift + 120).margin(1e-9));
  CHECK(find_event(ev, "deployment_failed").at("message").get<std::string>().find("AfterAllowTraffic") != std::string::npos);
  const json& rollback = find_event(ev, "rollback_started");
  CHECK(rollback.at("t").get<double>() == Approx(shift + 120).margin(1e-9));
  const auto left = left_running(r);
  for (const auto* g : f.green) CHECK(left.at(g->task) == Approx(shift + 120).margin(1e-9));
  for (const auto* b : f.blue) CHECK(left.count(b->task) == 0);
  // All requests reached green between the shift and the rollback; after it, only those already
  // in a green task (at most one per task).
  CHECK(served_share(find_event(ev, "stage", "AllowTraffic"), rollback) == Approx(1.0).margin(1e-9));
  const json& done = find_event(ev, "rollback_completed");
  CHECK(done.at("served_revision").get<double>() - rollback.at("served_revision").get<double>() <= 4);
  CHECK_FALSE(has_event(ev, "deployment_completed"));
  CHECK(r.results.services.at("api").deployments->rollbacks == Number(1));
}

TEST_CASE("CodeDeploy: a hook that does not report within 1 h fails its lifecycle event", "[deployment][codedeploy]") {
  // BeforeInstall starts with the deployment at 60 s; a 2 h hook is cut at 1 h: FAILED at 3660 s,
  // before any replacement task exists.
  const json hooks = {{{"stages", {"BeforeInstall"}}, {"duration", "2h"}}};
  const RunResult r = run(Scenario::from_json(shift_scenario(2, "codedeploy", 5, 4000, hooks)));
  const auto ev = deployment_events(r);
  CHECK(find_event(ev, "deployment_failed").at("t").get<double>() == 3660.0);
  CHECK(fleets(r).green.empty());
}

TEST_CASE("CodeDeploy alarm rollback: 5xx on the replacement task set during the termination wait reroutes to the original",
          "[deployment][codedeploy][alarms]") {
  // v2 answers half its requests with HTTP 500: from the shift on, 35 errors/s against a threshold
  // of 10 a minute. The alarm fires at the end of the first full minute with errors (plus the
  // publication delay), within the 30-minute wait: the deployment fails and traffic goes back to
  // the original task set, whose tasks never stopped.
  const RunResult r = run(Scenario::from_json(shift_scenario(4, "codedeploy(termination_wait=30m, alarms=5xx-high, alarm_rollback=true)",
                                                       70, 1500, json::array(), {{"error_share", 0.5}}, "alb", {alarm_5xx()})));
  const Fleets f = fleets(r);
  REQUIRE(f.blue.size() == 4);
  REQUIRE(f.green.size() == 4);
  const double shift = f.green_in_service;
  const auto ev = deployment_events(r);
  const double failed = find_event(ev, "deployment_failed").at("t");
  CHECK(failed > shift);
  CHECK(failed < shift + 300);
  CHECK(find_event(ev, "deployment_failed").at("message").get<std::string>().find("5xx-high") != std::string::npos);
  CHECK(find_event(ev, "rollback_started").at("t").get<double>() == failed);
  const auto left = left_running(r);
  for (const auto* g : f.green) CHECK(left.at(g->task) == Approx(failed).margin(1e-9));
  for (const auto* b : f.blue) CHECK(left.count(b->task) == 0);
  CHECK(has_event(ev, "rollback_completed"));
  CHECK_FALSE(has_event(ev, "deployment_completed"));
}

TEST_CASE("CodeDeploy JSON form equals the short form; a custom TimeBasedLinear configuration", "[deployment][codedeploy]") {
  const json canary = {{"deploymentController", {{"type", "CODE_DEPLOY"}}},
                       {"deploymentConfigName", "CodeDeployDefault.ECSCanary10Percent5Minutes"},
                       {"blueGreenDeploymentConfiguration",
                        {{"terminateBlueInstancesOnDeploymentSuccess", {{"action", "TERMINATE"}, {"terminationWaitTimeInMinutes", 2}}}}}};
  const RunResult a = run(Scenario::from_json(shift_scenario(2, canary, 5, 900)));
  const RunResult b = run(Scenario::from_json(shift_scenario(2, "codedeploy(config=ECSCanary10Percent5Minutes, termination_wait=2m)", 5, 900)));
  CHECK(summary_json(a).dump() == summary_json(b).dump());
  auto strip = [](std::vector<json> ev) {  // the strategy text differs, nothing else
    for (json& e : ev) e.erase("message");
    return ev;
  };
  CHECK(strip(deployment_events(a)) == strip(deployment_events(b)));

  // Custom: 25 % every 2 minutes, 4 steps at +0, +120, +240, +360 s; no termination wait given: 5 min.
  const json linear = {{"deploymentController", {{"type", "CODE_DEPLOY"}}},
                       {"deploymentConfigName", "quarter-every-2"},
                       {"trafficRoutingConfig",
                        {{"type", "TimeBasedLinear"}, {"timeBasedLinear", {{"linearPercentage", 25}, {"linearInterval", 2}}}}}};
  const RunResult c = run(Scenario::from_json(shift_scenario(2, linear, 5, 1200)));
  const double shift = fleets(c).green_in_service;
  std::vector<Stage> steps;
  for (const Stage& s : stages(deployment_events(c)))
    if (s.name == "AllowTraffic") steps.push_back(s);
  REQUIRE(steps.size() == 4);
  for (std::size_t k = 0; k < 4; ++k) {
    CHECK(steps[k].t == Approx(shift + 120.0 * k).margin(1e-9));
    CHECK(steps[k].pct == 25.0 * (k + 1));
  }
  CHECK(stages(deployment_events(c)).back().t == Approx(shift + 360 + 300).margin(1e-9));
}

TEST_CASE("CodeDeploy validation: every problem at once, by pointer, with what was expected", "[deployment][codedeploy]") {
  // NLB: only AllAtOnce, pointed at the field that chose the configuration.
  auto e = errors_of(shift_scenario(2, "codedeploy(config=ECSCanary10Percent5Minutes)", 5, 900, json::array(), json::object(), "nlb"));
  REQUIRE(e.size() == 1);
  CHECK(e[0].starts_with(std::string(kStrategy) + ": "));
  CHECK(has(e, "must be CodeDeployDefault.ECSAllAtOnce"));
  const json nlb_linear = {{"deploymentController", {{"type", "CODE_DEPLOY"}}},
                           {"deploymentConfigName", "CodeDeployDefault.ECSLinear10PercentEvery3Minutes"}};
  e = errors_of(shift_scenario(2, nlb_linear, 5, 900, json::array(), json::object(), "nlb"));
  REQUIRE(e.size() == 1);
  CHECK(e[0].starts_with(std::string(kStrategy) + "/deploymentConfigName: "));
  CHECK(errors_of(shift_scenario(2, "codedeploy(config=ECSAllAtOnce)", 5, 900, json::array(), json::object(), "nlb")).empty());

  // The circuit breaker is the ECS controller's, in both forms.
  e = errors_of(shift_scenario(2, "codedeploy(config=ECSAllAtOnce, circuit_breaker=true)"));
  REQUIRE(e.size() == 1);
  CHECK(has(e, std::string(kStrategy) + ": codedeploy: circuit_breaker: the deployment circuit breaker works with the ECS deployment controller only"));

  // Unknown configuration name with a suggestion; all of a document's problems reported at once.
  const json bad = {{"deploymentController", {{"type", "CODE_DEPLOY"}}},
                    {"deploymentConfigName", "CodeDeployDefault.ECSCanary10Percent5Minute"},
                    {"blueGreenDeploymentConfiguration",
                     {{"terminateBlueInstancesOnDeploymentSuccess", {{"terminationWaitTimeInMinutes", 3000}}}}},
                    {"deploymentConfiguration", {{"deploymentCircuitBreaker", {{"enable", true}, {"rollback", true}}}}},
                    {"terminationWait", 5}};
  e = errors_of(shift_scenario(2, bad));
  CHECK(e.size() == 4);
  CHECK(has(e, std::string(kStrategy) + "/deploymentConfigName: \"CodeDeployDefault.ECSCanary10Percent5Minute\" is not a CodeDeploy "
                                        "deployment configuration for ECS"));
  CHECK(has(e, "did you mean \"CodeDeployDefault.ECSCanary10Percent5Minutes\"?"));
  CHECK(has(e, std::string(kStrategy) + "/blueGreenDeploymentConfiguration/terminateBlueInstancesOnDeploymentSuccess/"
                                        "terminationWaitTimeInMinutes"));
  CHECK(has(e, std::string(kStrategy) + "/deploymentConfiguration/deploymentCircuitBreaker: the deployment circuit breaker works "
                                        "with the ECS deployment controller only, not CODE_DEPLOY"));
  CHECK(has(e, std::string(kStrategy) + "/terminationWait"));
  e = errors_of(shift_scenario(2, "codedeploy(config=ECSLinear10PercentEvery2Minutes)"));
  REQUIRE(e.size() == 1);
  CHECK(has(e, "did you mean \"CodeDeployDefault.ECSLinear10PercentEvery1Minutes\"?"));

  // Custom configurations: the canary's fields belong to TimeBasedCanary; percentages 1-99.
  const json custom = {{"deploymentController", {{"type", "CODE_DEPLOY"}}},
                       {"trafficRoutingConfig",
                        {{"type", "TimeBasedCanary"}, {"timeBasedCanary", {{"canaryPercentage", 100}, {"canaryInterval", 5}}},
                         {"timeBasedLinear", {{"linearPercentage", 10}, {"linearInterval", 1}}}}}};
  e = errors_of(shift_scenario(2, custom));
  CHECK(e.size() == 2);
  CHECK(has(e, std::string(kStrategy) + "/trafficRoutingConfig/timeBasedCanary/canaryPercentage"));
  CHECK(has(e, std::string(kStrategy) + "/trafficRoutingConfig/timeBasedLinear: timeBasedLinear belongs to trafficRoutingConfig "
                                        "type TimeBasedLinear"));

  // Hooks: CodeDeploy's lifecycle events, Lambda only; an ECS stage name gets its CodeDeploy twin.
  const json hooks = {{{"stages", {"POST_SCALE_UP"}}, {"duration", "1m"}}, {{"stages", {"BeforeInstall"}}, {"type", "pause"}}};
  e = errors_of(shift_scenario(2, "codedeploy", 5, 900, hooks));
  CHECK(e.size() == 2);
  CHECK(has(e, "/services/0/deployments/0/hooks/0/stages/0: a CODE_DEPLOY deployment's hooks run at CodeDeploy lifecycle events"));
  CHECK(has(e, "did you mean AfterInstall?"));
  CHECK(has(e, "/services/0/deployments/0/hooks/1/type: CodeDeploy has no pause hooks"));
  // ... and CodeDeploy event names on an ECS deployment.
  e = errors_of(shift_scenario(2, "blue_green(bake=1m)", 5, 900, {{{"stages", {"AfterInstall"}}, {"duration", "1m"}}}));
  REQUIRE(e.size() == 1);
  CHECK(has(e, "did you mean POST_SCALE_UP?"));

  // deploymentController ECS hands its deploymentConfiguration to the ECS controller; EXTERNAL is not modelled.
  CHECK(errors_of(shift_scenario(2, {{"deploymentController", {{"type", "ECS"}}},
                               {"deploymentConfiguration", {{"strategy", "BLUE_GREEN"}, {"bakeTimeInMinutes", 1}}}}))
            .empty());
  e = errors_of(shift_scenario(2, {{"deploymentController", {{"type", "ECS"}}}, {"deploymentConfiguration", {{"strategy", "BLUE_GREEN"}}}}));
  REQUIRE(e.size() == 1);
  CHECK(has(e, std::string(kStrategy) + "/deploymentConfiguration: deploymentConfiguration needs the field \"bakeTimeInMinutes\""));
  e = errors_of(shift_scenario(2, {{"deploymentController", {{"type", "EXTERNAL"}}}}));
  REQUIRE(e.size() == 1);
  CHECK(has(e, std::string(kStrategy) + "/deploymentController: the EXTERNAL deployment controller"));

  // A headless service has no listener to reroute; more than 10 alarms; whole minutes only.
  CHECK(has(errors_of(shift_scenario(2, "codedeploy", 5, 900, json::array(), json::object(), "none")), "needs load_balancer"));
  json eleven = json::array();
  std::string names;
  for (int i = 0; i < 11; ++i) {
    eleven.push_back(alarm_5xx(fmt::format("a{}", i)));
    names += fmt::format("{}a{}", i ? ", " : "", i);
  }
  e = errors_of(shift_scenario(2, fmt::format("codedeploy(alarms=\"{}\", alarm_rollback=true)", names), 5, 900, json::array(),
                         json::object(), "alb", eleven));
  REQUIRE(e.size() == 1);
  CHECK(has(e, "takes at most 10 alarms (alarmConfiguration), got 11"));
  CHECK(has(errors_of(shift_scenario(2, "codedeploy(termination_wait=90s)")), "whole minutes"));
  CHECK(has(errors_of(shift_scenario(2, "codedeploy(alarms=5xx-high)", 5, 900, json::array(), json::object(), "alb", {alarm_5xx()})),
            "automatic rollback"));
}

TEST_CASE("deployment scorecard with CodeDeploy: the replacement task set is extra until the original has stopped",
          "[deployment][codedeploy][scorecard]") {
  // Canary 10 % for 5 min, then a 5 min termination wait: the 4 green tasks are extra from 60 s
  // until blue has STOPPED (4 s after the stop at shift + 600): 4 x (shift + 604 - 60) task-seconds.
  const Scenario base_scenario = Scenario::from_json(shift_scenario(4, "rolling", 5, 1200));
  const std::string strategy = "codedeploy(config=ECSCanary10Percent5Minutes, termination_wait=5m)";
  const Scenario cd = scenario_for_strategy(base_scenario, strategy);
  const RunResult r = run(cd);
  const RunResult base = run(scenario_without_deployments(base_scenario));
  const auto rows = deployment_scores(r, cd, strategy, &base);
  REQUIRE(rows.size() == 1);
  const DeploymentScore& s = rows[0];
  const double shift = fleets(r).green_in_service;
  CHECK(s.completed == 1);
  CHECK(s.duration_s == Approx(shift + 604 - 60).margin(1e-6));
  CHECK(s.peak_tasks == 8);
  CHECK(s.peak_extra_tasks == 4);
  CHECK(s.extra_task_hours == Approx(4 * (shift + 604 - 60) / 3600).margin(1e-9));
  CHECK(s.errors == 0);
  // NLB and a canary: refused before anything runs.
  const Scenario nlb = Scenario::from_json(shift_scenario(4, "rolling", 5, 1200, json::array(), json::object(), "nlb"));
  CHECK_THROWS_AS(scenario_for_strategy(nlb, strategy), ScenarioError);
}
