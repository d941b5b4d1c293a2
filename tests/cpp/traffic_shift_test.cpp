// ECS native blue/green, linear and canary deployments (service_traffic_shift.cpp): stage times
// worked out by hand from the strategy and each task's own launch, the listener's weights
// checked against the requests each fleet served, and the deployment configuration's JSON.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "fargatelab/deployment_bench.hpp"
#include "fargatelab/diagnostics.hpp"
#include "deployment_fixture.hpp"
#include "deterministic_fargate.hpp"
#include "fargatelab/run.hpp"

using namespace fargatelab;
using nlohmann::json;
using deployment_fixture::deployment_events;
using deployment_fixture::left_running;

namespace {

// The shared traffic-shift service (deployment_fixture.hpp).
json scenario(int desired, json strategy, double rate = 5, double duration = 1800, json hooks = json::array(),
              json behavior = json::object(), std::string lb = "alb") {
  return deployment_fixture::shift_scenario(desired, std::move(strategy), rate, duration, std::move(hooks), std::move(behavior),
                                            std::move(lb));
}

json scenario_json_for_bench() { return scenario(4, "rolling", 5, 1200); }

// The first event of `kind` (and `stage`, for stage events) at or after `from`.
const json& find_event(const std::vector<json>& ev, const std::string& kind, const std::string& stage = "", double from = -1) {
  for (const json& e : ev)
    if (e.at("event") == kind && (stage.empty() || e.value("stage", "") == stage) && e.at("t").get<double>() >= from) return e;
  FAIL("no " << kind << " " << stage << " event");
  static json none;
  return none;
}

struct Fleets {
  std::vector<const TaskRecord*> blue, green;  // created before / at or after the deployment
  double green_in_service = 0;                 // when the last green task entered service
};
Fleets fleets(const RunResult& r) {
  Fleets f;
  for (const auto& x : r.tasks) (x.created_s < 60 ? f.blue : f.green).push_back(&x);
  for (const auto* g : f.green) f.green_in_service = std::max(f.green_in_service, g->in_service_s);
  return f;
}

double served_share(const json& from, const json& to) {
  const double revision = to.at("served_revision").get<double>() - from.at("served_revision").get<double>();
  const double total = to.at("served_total").get<double>() - from.at("served_total").get<double>();
  return revision / total;
}

}  // namespace

TEST_CASE("blue/green on 4 tasks: green scaled to full size first, 100 % at once, both fleets billed for exactly the bake",
          "[deployment][blue_green]") {
  // At 60 s 4 green tasks start beside the 4 blue (8 at once); when the last green one enters
  // service (its first passing ALB health check) the stages up to PRODUCTION_TRAFFIC_SHIFT run
  // in that instant (no hooks), BAKE_TIME lasts 5 min, and CLEAN_UP stops every blue task
  // exactly then; with no deregistration delay and no shutdown time, blue's tasks run 300 s
  // beyond the shift and no more.
  const RunResult r = run(Scenario::from_json(scenario(4, "blue_green(bake=5m)")));
  const Fleets f = fleets(r);
  REQUIRE(f.blue.size() == 4);
  REQUIRE(f.green.size() == 4);
  for (const auto* g : f.green) CHECK(g->created_s == 60.0);
  const double shift = f.green_in_service;
  const auto ev = deployment_events(r);
  CHECK(find_event(ev, "stage", "SCALE_UP").at("t") == 60.0);
  CHECK(find_event(ev, "stage", "POST_SCALE_UP").at("t").get<double>() == Approx(shift).margin(1e-9));
  const json& production = find_event(ev, "stage", "PRODUCTION_TRAFFIC_SHIFT");
  CHECK(production.at("t").get<double>() == Approx(shift).margin(1e-9));
  CHECK(production.at("green_percent") == 100.0);
  const json& bake = find_event(ev, "stage", "BAKE_TIME");
  const json& clean = find_event(ev, "stage", "CLEAN_UP");
  CHECK(clean.at("t").get<double>() == Approx(shift + 300).margin(1e-9));
  const auto left = left_running(r);
  for (const auto* b : f.blue) CHECK(left.at(b->task) == Approx(shift + 300).margin(1e-9));
  // COMPLETED when the last blue task has STOPPED (4 s ENI detach).
  CHECK(find_event(ev, "deployment_completed").at("t").get<double>() == Approx(shift + 304).margin(1e-9));
  // During the bake every request goes to green (v2).
  CHECK(served_share(bake, clean) == 1.0);
  // Before the shift, none did.
  CHECK(production.at("served_revision") == 0);
  CHECK(r.results.services.at("api").deployments->completed == Number(1));
}

TEST_CASE("canary 10 % with a 5 minute bake sends 10 % of the requests to green during the bake", "[deployment][blue_green]") {
  // 70 requests/s for 300 s: about 21,000 requests in the canary bake, each to green with
  // probability 0.10. The binomial standard deviation is sqrt(0.1 x 0.9 / 21,000) = 0.0021, so
  // +-1 % is 4.8 standard deviations (two-sided miss probability about 2e-6) at this fixed seed.
  const RunResult r = run(Scenario::from_json(scenario(4, "canary(percent=10, bake=5m, final_bake=1m)", 70)));
  const Fleets f = fleets(r);
  const double shift = f.green_in_service;
  const auto ev = deployment_events(r);
  const json& canary = find_event(ev, "stage", "PRODUCTION_TRAFFIC_SHIFT");
  CHECK(canary.at("t").get<double>() == Approx(shift).margin(1e-9));
  CHECK(canary.at("green_percent") == 10.0);
  // The second step (100 %) after the canary bake, then the final bake, then CLEAN_UP.
  const json& full = find_event(ev, "stage", "PRODUCTION_TRAFFIC_SHIFT", shift + 1);
  CHECK(full.at("t").get<double>() == Approx(shift + 300).margin(1e-9));
  CHECK(full.at("green_percent") == 100.0);
  const json& step2 = find_event(ev, "stage", "PRE_PRODUCTION_TRAFFIC_SHIFT", shift + 1);
  CHECK(step2.at("t").get<double>() == Approx(shift + 300).margin(1e-9));
  const double requests = step2.at("served_total").get<double>() - canary.at("served_total").get<double>();
  CHECK(requests > 20000);
  CHECK(served_share(canary, step2) == Approx(0.10).margin(0.01));
  CHECK(find_event(ev, "stage", "CLEAN_UP").at("t").get<double>() == Approx(shift + 360).margin(1e-9));
}

TEST_CASE("canary rolled back during its bake: the listener flips to blue and green serves nothing after",
          "[deployment][blue_green]") {
  // A Lambda hook at POST_PRODUCTION_TRAFFIC_SHIFT answers FAILED after 2 minutes: the rollback
  // comes 120 s after the canary step, with no task relaunched; green's tasks stop at once.
  const json hooks = {{{"stages", {"POST_PRODUCTION_TRAFFIC_SHIFT"}}, {"duration", "2m"}, {"verdict", "FAILED"}}};
  const RunResult r = run(Scenario::from_json(scenario(4, "canary(percent=10, bake=5m)", 70, 1800, hooks)));
  const Fleets f = fleets(r);
  REQUIRE(f.green.size() == 4);
  const double shift = f.green_in_service;
  const auto ev = deployment_events(r);
  const json& failed = find_event(ev, "deployment_failed");
  CHECK(failed.at("t").get<double>() == Approx(shift + 120).margin(1e-9));
  const json& rollback = find_event(ev, "rollback_started");
  CHECK(rollback.at("t").get<double>() == Approx(shift + 120).margin(1e-9));
  const auto left = left_running(r);
  for (const auto* g : f.green) CHECK(left.at(g->task) == Approx(shift + 120).margin(1e-9));
  for (const auto* b : f.blue) CHECK(left.count(b->task) == 0);  // blue never stopped
  CHECK(f.blue.size() == 4);                                     // and nothing was relaunched
  // Green served about 10 % before the rollback, and after it only what was already in it
  // (10 ms requests: at 70/s a task holds a request 0.7 % of the time).
  CHECK(served_share(find_event(ev, "stage", "PRODUCTION_TRAFFIC_SHIFT"), rollback) == Approx(0.10).margin(0.02));
  const json& done = find_event(ev, "rollback_completed");
  CHECK(done.at("served_revision").get<double>() - rollback.at("served_revision").get<double>() <= 4);
  CHECK(std::none_of(ev.begin(), ev.end(), [](const json& e) { return e.at("event") == "deployment_completed"; }));
  CHECK(r.results.services.at("api").deployments->rollbacks == Number(1));
}

TEST_CASE("linear 25 % every minute: four steps a minute apart, no bake after the 100 % step", "[deployment][blue_green]") {
  const RunResult r = run(Scenario::from_json(scenario(2, "linear(percent=25, bake=1m)")));
  const double shift = fleets(r).green_in_service;
  const auto ev = deployment_events(r);
  std::vector<std::pair<double, double>> steps;  // (time, percent)
  for (const json& e : ev)
    if (e.value("stage", "") == "PRODUCTION_TRAFFIC_SHIFT") steps.emplace_back(e.at("t"), e.at("green_percent"));
  REQUIRE(steps.size() == 4);
  for (std::size_t k = 0; k < 4; ++k) {
    CHECK(steps[k].first == Approx(shift + 60.0 * k).margin(1e-9));
    CHECK(steps[k].second == 25.0 * (k + 1));
  }
  CHECK(find_event(ev, "stage", "CLEAN_UP").at("t").get<double>() == Approx(shift + 180).margin(1e-9));
}

TEST_CASE("pause hooks: continued after 10 minutes, or timed out with ROLLBACK", "[deployment][blue_green]") {
  const json continued = {{{"stages", {"PRE_PRODUCTION_TRAFFIC_SHIFT"}}, {"type", "pause"}, {"continue_after", "10m"}}};
  RunResult r = run(Scenario::from_json(scenario(2, "blue_green(bake=0m)", 5, 1800, continued)));
  double shift = fleets(r).green_in_service;
  auto ev = deployment_events(r);
  CHECK(find_event(ev, "stage", "PRODUCTION_TRAFFIC_SHIFT").at("t").get<double>() == Approx(shift + 600).margin(1e-9));
  // Nobody continues: the 30-minute timeout's ROLLBACK action ends it.
  const json timed_out = {{{"stages", {"POST_SCALE_UP"}}, {"type", "pause"}, {"timeout", "30m"}}};
  r = run(Scenario::from_json(scenario(2, "blue_green(bake=0m)", 5, 3600, timed_out)));
  shift = fleets(r).green_in_service;
  ev = deployment_events(r);
  CHECK(find_event(ev, "rollback_started").at("t").get<double>() == Approx(shift + 1800).margin(1e-9));
  CHECK(std::none_of(ev.begin(), ev.end(), [](const json& e) { return e.value("stage", "") == "PRODUCTION_TRAFFIC_SHIFT"; }));
}

TEST_CASE("1-click rollback: stop-service-deployment rolls a rolling update back, and is refused with none in progress",
          "[deployment]") {
  json s = scenario(4, "rolling", 5, 1200);
  s["services"][0]["revisions"][0]["behavior"] = {{"fail_health_checks", true}};  // v2 never turns healthy
  s["services"][0]["deployments"].push_back({{"at", "10m"}, {"action", "rollback"}});
  s["services"][0]["deployments"].push_back({{"at", "15m"}, {"action", "rollback"}});
  const RunResult r = run(Scenario::from_json(s));
  const auto ev = deployment_events(r);
  CHECK(find_event(ev, "deployment_stopped").at("t") == 600.0);
  const json& back = find_event(ev, "rollback_started");
  CHECK(back.at("t") == 600.0);
  CHECK(back.at("revision") == "initial");
  CHECK(find_event(ev, "deployment_completed").at("revision") == "initial");
  CHECK(find_event(ev, "rollback_refused").at("t") == 900.0);
}

TEST_CASE("deploymentConfiguration JSON for CANARY, LINEAR and BLUE_GREEN equals the short form; bad fields by pointer",
          "[deployment][blue_green]") {
  const json canary = {{"strategy", "CANARY"},
                       {"bakeTimeInMinutes", 1},
                       {"canaryConfiguration", {{"canaryPercent", 10}, {"canaryBakeTimeInMinutes", 5}}}};
  const RunResult a = run(Scenario::from_json(scenario(2, canary, 5, 900)));
  const RunResult b = run(Scenario::from_json(scenario(2, "canary(percent=10, bake=5m, final_bake=1m)", 5, 900)));
  CHECK(summary_json(a).dump() == summary_json(b).dump());
  CHECK(deployment_events(a) == deployment_events(b));

  auto errors = [](json strategy, std::string lb = "alb") {
    std::vector<std::string> out;
    try {
      Scenario::from_json(scenario(2, std::move(strategy), 5, 900, json::array(), json::object(), lb));
    } catch (const ScenarioError& e) {
      for (const auto& d : e.diagnostics()) out.push_back(d.pointer + ": " + d.message);
    }
    return out;
  };
  const std::string at = "/services/0/deployments/0/strategy";
  auto has = [](const std::vector<std::string>& v, const std::string& text) {
    return std::any_of(v.begin(), v.end(), [&](const std::string& s) { return s.find(text) != std::string::npos; });
  };
  // All reported at once: BLUE_GREEN needs bakeTimeInMinutes; a canaryConfiguration on it is misplaced.
  auto e = errors({{"strategy", "BLUE_GREEN"}, {"canaryConfiguration", {{"canaryPercent", 10}}}});
  CHECK(has(e, at + ": deploymentConfiguration needs the field \"bakeTimeInMinutes\""));
  CHECK(has(e, at + "/canaryConfiguration: canaryConfiguration belongs to the CANARY strategy"));
  CHECK(e.size() == 2);
  e = errors({{"strategy", "LINEAR"}, {"bakeTimeInMinutes", 0}, {"linearConfiguration", {{"stepPercent", 2}}}});
  CHECK(has(e, at + "/linearConfiguration/stepPercent"));
  e = errors({{"strategy", "BLUE_GREEN"}, {"bakeTimeInMinutes", 5}, {"deploymentCircuitBreaker", {{"enable", true}}}});
  CHECK(has(e, "works with ROLLING only"));
  e = errors({{"strategy", "CANARY"}, {"bakeTimeInMinutes", 1441}, {"canaryConfiguration", {{"canaryPercent", 10}}}});
  CHECK(has(e, at + "/bakeTimeInMinutes"));
  // Linear and canary shift a listener's traffic: a headless service cannot use them.
  CHECK(has(errors("canary(percent=10, bake=5m)", "none"), "needs load_balancer"));
  CHECK(errors("blue_green(bake=5m)", "none").empty());
  CHECK(has(errors("canary(bake=5m)"), "percent"));
}

TEST_CASE("headless blue/green: no listener, green joins as it runs and blue stops after the bake", "[deployment][blue_green]") {
  // No load balancer: a task is healthy 40 s after RUNNING, so SCALE_UP ends 40 s after the last
  // green task runs, and blue stops the bake after that.
  const RunResult r = run(Scenario::from_json(scenario(2, "blue_green(bake=2m)", 5, 900, json::array(), json::object(), "none")));
  const Fleets f = fleets(r);
  double last_running = 0;
  for (const auto* g : f.green) last_running = std::max(last_running, g->started_s);
  const auto left = left_running(r);
  for (const auto* b : f.blue) CHECK(left.at(b->task) == Approx(last_running + 40 + 120).margin(1e-9));
}

TEST_CASE("deployment scorecard: blue/green's extra fleet in task-hours and dollars, against the run without it",
          "[deployment][blue_green][scorecard]") {
  // The 4 green tasks are extra from their creation at 60 s until blue has STOPPED (4 s after the
  // stop asked at shift + 300): 4 x (shift + 304 - 60) task-seconds. Each is 1 vCPU and 2 GB at
  // us-east-1 Linux/x86 Fargate rates, $0.04048 per vCPU-hour + $0.004445 per GB-hour =
  // $0.049370 per task-hour; Fargate bills from the image pull to the task's stop, so the bill
  // differs from that product by the few seconds before the pull (2 % margin).
  const Scenario scenario = Scenario::from_json(scenario_json_for_bench());
  const Scenario bg = scenario_for_strategy(scenario, "blue_green(bake=5m)");
  const RunResult r = run(bg);
  const RunResult base = run(scenario_without_deployments(scenario));
  const auto rows = deployment_scores(r, bg, "blue_green(bake=5m)", &base);
  REQUIRE(rows.size() == 1);
  const DeploymentScore& s = rows[0];
  const double shift = fleets(r).green_in_service;
  CHECK(s.completed == 1);
  CHECK(s.duration_s == Approx(shift + 304 - 60).margin(1e-6));
  CHECK(s.peak_tasks == 8);
  CHECK(s.peak_extra_tasks == 4);
  const double extra_h = 4 * (shift + 304 - 60) / 3600;
  CHECK(s.extra_task_hours == Approx(extra_h).margin(1e-9));
  CHECK(s.release_cost_usd == Approx(extra_h * (0.04048 + 2 * 0.004445)).epsilon(0.02));
  CHECK(std::isnan(s.detect_s));
  CHECK(s.errors == 0);
  // A strategy the service cannot take is refused before anything runs.
  CHECK_THROWS_AS(scenario_for_strategy(scenario, "canary(percent=200, bake=1m)"), ScenarioError);
}
