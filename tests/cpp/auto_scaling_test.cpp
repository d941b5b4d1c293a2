// Auto scaling inside a replication: the metric pipeline, a policy and a scheduled action on an
// ECS service, with the times of each scaling activity worked out by hand.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>

#include <fmt/format.h>

#include "fargatelab/run.hpp"

using namespace fargatelab;
using nlohmann::json;

namespace {

std::string fmt_step(double base, double to) { return fmt::format("step(base={}, at=600s, to={})", base, to); }

// api: 2 tasks of 1 vCPU behind an ALB; Poisson requests of 0.1 CPU s at `base`/s, `to`/s from
// 600 s; 1500 s.
json scaled(json scaling, double base = 10, double to = 30) {
  return {{"schema_version", 1},
          {"duration", 1500},
          {"services",
           {{{"name", "api"}, {"desired_count", 2}, {"task", {{"cpu", 1024}, {"memory", 2048}}}, {"scaling", scaling}}}},
          {"workloads",
           {{{"name", "w"}, {"target", "api"}, {"arrival", fmt_step(base, to)},
             {"request", {{"cpu_time", "exponential(mean=0.1)"}, {"timeout", "30s"}}}}}},
          {"output", {{"event_log", true}}}};
}

}  // namespace

namespace {

struct Activity {
  double t;
  int from, to;
  std::string policy, cause;
};

std::vector<Activity> activities(const RunResult& r) {
  std::vector<Activity> out;
  for (const auto& e : r.events)
    if (e.kind == "scaling_activity")
      out.push_back({e.time_s, e.fields.at("from").get<int>(), e.fields.at("to").get<int>(),
                     e.fields.at("policy").get<std::string>(), e.fields.at("cause").get<std::string>()});
  return out;
}

const ScalingResults& scaling_of(const RunResult& r) { return *r.results.services.at("api").scaling; }

}  // namespace

TEST_CASE("auto scaling: HPA on CPU reacts to a load step one datapoint and one publication delay later", "[scaling][auto_scaling]") {
  // 10/s x 0.1 s on 2 vCPU: 50 % = the target, inside the 10 % tolerance: no change. From 600 s,
  // 30/s saturates both tasks (CPU 100 %): the datapoint of [600, 660) is readable at 660 + 60 =
  // 720 s, ratio 100 / 50 = 2 -> ceil(2 x 2) = 4 (within k8s's limit max(2 x 2, 2 + 4) = 6).
  // The backlog built meanwhile keeps the CPU high while the new tasks start, so HPA may
  // overshoot; once drained, 30 x 0.1 = 3 vCPU of work at 50 % settles at ceil(3 / 0.5) = 6 (a
  // scale-in only after the 300 s stabilisation window).
  const RunResult r = run(Scenario::from_json(scaled({"hpa(metric=cpu, target=50)"})));
  const auto a = activities(r);
  REQUIRE(a.size() >= 2);
  CHECK(a[0].t == 720.0);
  CHECK(a[0].from == 2);
  CHECK(a[0].to == 4);
  CHECK(a[0].policy == "hpa-1");
  for (const auto& x : a)
    if (x.to < x.from) {
      // the stabilisation window: the highest recommendation of the last 300 s
      CHECK(x.t >= 720.0 + 300.0);
    }
  CHECK(scaling_of(r).desired_at_end == Number(6));
  CHECK(scaling_of(r).desired_max.value() <= 10);
  CHECK(scaling_of(r).min_capacity == Number(1));   // the default limits: 1 ..
  CHECK(scaling_of(r).max_capacity == Number(20));  // .. 10 x desired_count
}

TEST_CASE("auto scaling: a scheduled action raises the minimum at its time and scales out to it", "[scaling][auto_scaling]") {
  // at(2026-01-05T00:05:00), t = 0 being the default start_time 2026-01-05T00:00:00Z: 300 s;
  // min 5 > desired 2 -> 5.
  json scaling = {{"min_capacity", 1},
                  {"max_capacity", 8},
                  {"scheduled_actions", {"scheduled_action(name=warm-up, schedule=\"at(2026-01-05T00:05:00)\", min=5)"}}};
  const RunResult r = run(Scenario::from_json(scaled(scaling, 10, 10)));
  const auto a = activities(r);
  REQUIRE(a.size() == 1);
  CHECK(a[0].t == 300.0);
  CHECK(a[0].from == 2);
  CHECK(a[0].to == 5);
  CHECK(scaling_of(r).scheduled_runs == Number(1));
  CHECK(scaling_of(r).desired_at_end == Number(5));
  CHECK(scaling_of(r).min_capacity == Number(5));
}

TEST_CASE("auto scaling: every bad field of a scaling section is reported at its pointer", "[scaling][auto_scaling]") {
  json scaling = {{"min_capacity", 4}, {"max_capacity", 2}, {"policies", {"hpa(metric=disk, target=50)"}}};
  try {
    Scenario::from_json(scaled(scaling));
    FAIL("expected a ScenarioError");
  } catch (const ScenarioError& e) {
    std::vector<std::string> pointers;
    for (const auto& d : e.diagnostics()) pointers.push_back(d.pointer);
    CHECK(std::find(pointers.begin(), pointers.end(), "/services/0/scaling/max_capacity") != pointers.end());
    CHECK(std::find(pointers.begin(), pointers.end(), "/services/0/scaling/policies/0") != pointers.end());
  }
}

TEST_CASE("auto scaling: without a scaling section nothing is published and nothing scales", "[scaling][auto_scaling]") {
  json doc = scaled(json::array());
  const RunResult r = run(Scenario::from_json(doc));
  CHECK(activities(r).empty());
  CHECK_FALSE(r.results.services.at("api").scaling.has_value());
  CHECK(r.cloudwatch.empty());
}

TEST_CASE("auto scaling: a custom policy sees the published metrics once a minute and sets the desired count",
          "[scaling][auto_scaling]") {
  // No scaling section: the custom policy gets the default limits 1 .. 20. It asks for one task
  // per 10 % of CPU (rounded) once the CPU datapoint is readable: at 120 s (the minute [0, 60) at
  // 50 %: 10/s x 0.1 s on 2 vCPU, readable 60 s after its end) it asks for 5.
  RunOptions opt;
  std::vector<PolicyObservation> seen;
  opt.policies.push_back({"api", "per-ten-percent", [&](const PolicyObservation& o) -> std::optional<int> {
                            seen.push_back(o);
                            for (const auto& [name, point] : o.metrics)
                              if (name == "CPUUtilization" && o.time_s == 120) return static_cast<int>(std::lround(point.second / 10));
                            return std::nullopt;
                          }});
  const RunResult r = run(Scenario::from_json(scaled(json::array(), 10, 10)), opt);
  REQUIRE(seen.size() == 25);  // at 60, 120, ..., 1500 s
  CHECK(seen[0].time_s == 60);
  CHECK(seen[0].metrics.empty());  // nothing readable yet
  CHECK(seen[0].min_capacity == 1);
  CHECK(seen[0].max_capacity == 20);
  const auto a = activities(r);
  REQUIRE(a.size() == 1);
  CHECK(a[0].t == 120.0);
  CHECK(a[0].from == 2);
  CHECK(a[0].to == 5);  // about 50 % CPU (Poisson arrivals: within 45 .. 55), rounded: 5
  CHECK(a[0].policy == "per-ten-percent");
  CHECK(seen[2].desired == 5);
  opt.policies[0].service = "nope";
  CHECK_THROWS_AS(run(Scenario::from_json(scaled(json::array(), 10, 10)), opt), ScenarioError);
}

TEST_CASE("auto scaling: predictive forecasts are an output, 48 hours each, every 6 hours after a day of history",
          "[scaling][auto_scaling]") {
  json doc = scaled({"predictive(metric=cpu, target=50)"}, 10, 10);  // ForecastOnly, the default
  doc["duration"] = "2d";
  doc["workloads"][0]["arrival"] = "diurnal(mean=10, amplitude=0.5, peak_at=14h)";
  doc["output"]["event_log"] = false;
  const RunResult r = run(Scenario::from_json(doc));
  REQUIRE_FALSE(r.forecasts.empty());
  std::map<double, int> per_forecast;
  for (const ForecastRow& f : r.forecasts) {
    ++per_forecast[f.made_at_s];
    CHECK(f.service == "api");
    CHECK(f.hour_s >= f.made_at_s);
  }
  // None before 24 h of history; then at 24, 30, 36 and 42 h (the one due at 48 h is the run's end).
  std::vector<double> made;
  for (const auto& [t, n] : per_forecast) {
    made.push_back(t);
    CHECK(n == 48);
  }
  CHECK(made.front() >= 86400);
  for (std::size_t k = 1; k < made.size(); ++k) CHECK(made[k] - made[k - 1] == 6 * 3600.0);
  CHECK_FALSE(r.results.services.at("api").scaling->scale_outs.value() > 0);  // ForecastOnly never scales
}
