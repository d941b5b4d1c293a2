// Lambda provisioned concurrency as an Application Auto Scaling target: target tracking on
// ProvisionedConcurrencyUtilization (0 s cooldowns), scheduled actions, the AWS/Lambda metrics,
// the allocation delay and the bill of a changing level, each worked out by hand.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "fargatelab/run.hpp"

using namespace fargatelab;
using nlohmann::json;

namespace {

// One function "fn" of 1,769 MB (1 vCPU, 1769/1024 GB) with deterministic start-up (50 ms
// placement + 200 ms Init); requests of `demand` CPU s at `arrival`; CloudWatch output and the
// event log on.
json function(json lambda, json scaling, const std::string& arrival, const std::string& demand, double duration) {
  json fn = {{"memory", 1769}, {"init", "constant(value=0.2)"}, {"placement", "constant(value=0.05)"}, {"timeout", "60s"},
             {"idle_expiry", "constant(value=100000)"}};
  fn.update(lambda);
  return {{"schema_version", 1},
          {"duration", duration},
          {"services", {{{"name", "fn"}, {"platform", "lambda"}, {"lambda", fn}, {"scaling", scaling}}}},
          {"workloads", {{{"name", "w"}, {"target", "fn"}, {"arrival", arrival},
                          {"request", {{"cpu_time", demand}, {"timeout", "10m"}}}}}},
          {"output", {{"event_log", true}, {"cloudwatch_metrics", true}}}};
}

struct Activity {
  double t;
  int from, to;
};

std::vector<Activity> activities(const RunResult& r) {
  std::vector<Activity> out;
  for (const auto& e : r.events)
    if (e.kind == "scaling_activity") out.push_back({e.time_s, e.fields.at("from").get<int>(), e.fields.at("to").get<int>()});
  return out;
}

// The datapoint of `metric` (its `statistic`) for the period starting at `start` (NaN: none).
double datapoint(const RunResult& r, const std::string& metric, double start, const std::string& statistic = "Maximum") {
  for (const auto& row : r.cloudwatch)
    if (row.metric == metric && row.time_s == start && row.statistic == statistic) return row.value;
  return NAN;
}

const LineItem* item(const RunResult& r, const std::string& name) {
  for (const LineItem& it : r.per_replication.at(0).bill->items)
    if (it.item == name) return &it;
  return nullptr;
}

json fn_lambda(const RunResult& r) { return summary_json(r).at("results").at("services").at("fn").at("lambda"); }

const json kTracking = {{"min_capacity", 1},
                        {"max_capacity", 100},
                        {"policies", {"target_tracking(metric=provisioned_concurrency, target=0.7)"}}};

}  // namespace

TEST_CASE("lambda PC scaling: target tracking scales out every minute while the alarm holds, no cooldown",
          "[scaling][lambda]") {
  // PC 10; 9 invocations per second of 0.99 s: at most 9 in flight (the 10th arrival comes 1 s
  // after the first, which ended at 0.99 s), 9 x 0.99 = 8.91 on average. The alarms read the
  // Average statistic (Lambda developer guide): 8.91 / 10 = 0.891 > 0.7. The datapoints of
  // [0,60), [60,120), [120,180) are readable at 120, 180, 240 s (60 s publication delay):
  // AlarmHigh has 3 of 3 at 240 -> ceil(10 x 0.891 / 0.7) = ceil(12.73) = 13. Lambda's cooldown
  // is 0 s and [180,240) was measured before the change: at 300 s ceil(13 x 0.891 / 0.7) =
  // ceil(16.55) = 17. [240,300) ran at the level 13 set at 240: 8.91 / 13 = 0.685 < 0.7, so
  // AlarmHigh leaves ALARM at 360.
  const RunResult r =
      run(Scenario::from_json(function({{"provisioned_concurrency", 10}}, kTracking, "deterministic(rate=9)", "constant(value=0.99)", 600)));
  const auto a = activities(r);
  REQUIRE(a.size() == 2);
  CHECK(a[0].t == 240.0);
  CHECK(a[0].from == 10);
  CHECK(a[0].to == 13);
  CHECK(a[1].t == 300.0);
  CHECK(a[1].to == 17);
  // The metrics: Maximum of the in-flight count and of PC busy / PC configured, Average of the
  // utilisation over time, Sum of invocations.
  CHECK(datapoint(r, "ConcurrentExecutions", 0) == 9);
  CHECK(datapoint(r, "ProvisionedConcurrentExecutions", 0) == 9);
  CHECK(datapoint(r, "ProvisionedConcurrencyUtilization", 0) == Approx(0.9));
  CHECK(datapoint(r, "ProvisionedConcurrencyUtilization", 300) == Approx(9.0 / 13));
  CHECK(datapoint(r, "ProvisionedConcurrencyUtilization", 420) == Approx(9.0 / 17));
  CHECK(datapoint(r, "ProvisionedConcurrencyUtilization", 60, "Average") == Approx(0.891));
  CHECK(datapoint(r, "ProvisionedConcurrencyUtilization", 240, "Average") == Approx(8.91 / 13));
  CHECK(std::abs(datapoint(r, "Invocations", 60, "Sum") - 540) <= 1);  // 9/s x 60 s, +-1 at the period's edges
  // Each raise is allocated 60 s later (provisioned_allocation.delay); environments exist from
  // their allocation: 10 x 600 + 3 x (600 - 300) + 4 x (600 - 360) = 7,860 environment-s over
  // 600 s = 13.1 on average; all 17 at the end, none on demand.
  CHECK(fn_lambda(r).at("environments_mean").get<double>() == Approx(13.1));
  CHECK(fn_lambda(r).at("environments_at_end") == 17);
  CHECK(fn_lambda(r).at("cold_starts") == 0);
  // Billed: the configured level from when it is set: 10 x 240 + 13 x 60 + 17 x 300 = 8,280
  // environment-s x 1769/1024 GB.
  const LineItem* pc = item(r, "Provisioned concurrency (fn)");
  REQUIRE(pc);
  CHECK(pc->quantity == Approx(8280 * 1769.0 / 1024));
}

TEST_CASE("lambda PC scaling: a scheduled level 2 -> 5 -> 1 is billed by its time integral and releases idle environments",
          "[scaling][lambda]") {
  // t = 0 is 2026-01-05T00:00:00Z. At 600 s min = 5 raises the level from 2 to 5; at 900 s
  // min = max = 1 lowers it to 1. One invocation every 10 minutes (from t = 0) keeps a PC
  // environment busy for 0.1 s only. 1,024 MB = 1 GB.
  const json scaling = {{"min_capacity", 1},
                        {"max_capacity", 10},
                        {"scheduled_actions",
                         {"scheduled_action(name=up, schedule=\"at(2026-01-05T00:10:00)\", min=5)",
                          "scheduled_action(name=down, schedule=\"at(2026-01-05T00:15:00)\", min=1, max=1)"}}};
  const RunResult r = run(Scenario::from_json(function({{"provisioned_concurrency", 2}, {"memory", 1024}}, scaling,
                                                       "schedule(expression='rate(10 minutes)', count=1)",
                                                       "constant(value=0.1)", 1200)));
  const auto a = activities(r);
  REQUIRE(a.size() == 2);
  CHECK(a[0].t == 600.0);
  CHECK(a[0].to == 5);
  CHECK(a[1].t == 900.0);
  CHECK(a[1].to == 1);
  // Billed level: 2 x 600 + 5 x 300 + 1 x 300 = 3,000 environment-s x 1 GB (2 x 1200 + 3 x 300
  // - 4 x 300), whatever was READY.
  const LineItem* pc = item(r, "Provisioned concurrency (fn)");
  REQUIRE(pc);
  CHECK(pc->quantity == Approx(3000));
  // Environments: 2 from t = 0; 3 more allocated at 600 + 60 = 660 s; at 900 s the 4 idle
  // ones above 1 go at once: 2 x 900 + 3 x (900 - 660) + 1 x 300 = 2,820 environment-s / 1200.
  CHECK(fn_lambda(r).at("environments_mean").get<double>() == Approx(2820.0 / 1200));
  CHECK(fn_lambda(r).at("environments_at_end") == 1);
  CHECK(fn_lambda(r).at("environments_max") == 5);
}

TEST_CASE("lambda PC scaling: a fixed level bills level x period as before", "[scaling][lambda]") {
  // No scaling section: PC 3 for 1200 s = 3 x 1 GB x 1200 s (a multiple of the 300 s rounding).
  const RunResult r = run(Scenario::from_json(function({{"provisioned_concurrency", 3}, {"memory", 1024}}, json::array(),
                                                       "schedule(expression='rate(10 minutes)', count=1)",
                                                       "constant(value=0.1)", 1200)));
  const LineItem* pc = item(r, "Provisioned concurrency (fn)");
  REQUIRE(pc);
  CHECK(pc->quantity == Approx(3600));
  CHECK(pc->arithmetic.rfind("3 environments x 1 GB x 1,200 s = 3,600 GB-s", 0) == 0);
}

TEST_CASE("lambda PC scaling: no invocations means no datapoints, so target tracking never scales in", "[scaling][lambda]") {
  // PC 10 and target 0.7. Without invocations Lambda emits no utilisation: AlarmLow stays
  // INSUFFICIENT_DATA and nothing changes in 1,100 s.
  const RunResult idle = run(Scenario::from_json(function({{"provisioned_concurrency", 10}}, kTracking,
                                                          "schedule(expression='rate(1 day)', count=1)",
                                                          "constant(value=0.1)", 1100)));
  CHECK(activities(idle).empty());
  CHECK(std::isnan(datapoint(idle, "ProvisionedConcurrencyUtilization", 0)));
  // One invocation a minute (from t = 0) of 0.1 s is an average utilisation of 0.1 / 60 / 10 =
  // 1/6000 < 0.9 x 0.7 = 0.63: the 15 datapoints [0,60) ... [840,900) are readable at 960 s,
  // when AlarmLow scales in by floor(10 - 10 x (1/6000) / 0.7) = floor(9.998) = 9, to the
  // minimum 1.
  const RunResult light = run(Scenario::from_json(function({{"provisioned_concurrency", 10}}, kTracking,
                                                           "schedule(expression='rate(1 minute)', count=1)",
                                                           "constant(value=0.1)", 1100)));
  const auto a = activities(light);
  REQUIRE(a.size() == 1);
  CHECK(a[0].t == 960.0);
  CHECK(a[0].from == 10);
  CHECK(a[0].to == 1);
  // Idle environments leave at once: 10 x 960 + 1 x 140 = 9,740 environment-s / 1100.
  CHECK(fn_lambda(light).at("environments_mean").get<double>() == Approx(9740.0 / 1100));
  CHECK(fn_lambda(light).at("environments_at_end") == 1);
}

TEST_CASE("lambda PC scaling: AWS put-scaling-policy and register-scalable-target documents in namespace lambda",
          "[scaling][lambda]") {
  const json policy = {{"PolicyName", "pc-utilization"},
                       {"ServiceNamespace", "lambda"},
                       {"ResourceId", "function:fn:live"},
                       {"ScalableDimension", "lambda:function:ProvisionedConcurrency"},
                       {"PolicyType", "TargetTrackingScaling"},
                       {"TargetTrackingScalingPolicyConfiguration",
                        {{"TargetValue", 0.7},
                         {"PredefinedMetricSpecification", {{"PredefinedMetricType", "LambdaProvisionedConcurrencyUtilization"}}}}}};
  const json target = {{"ServiceNamespace", "lambda"},
                       {"ResourceId", "function:fn:live"},
                       {"ScalableDimension", "lambda:function:ProvisionedConcurrency"},
                       {"MinCapacity", 1},
                       {"MaxCapacity", 100}};
  // The same timeline as the short form: the first scale-out at 240 s to 13.
  const RunResult r = run(Scenario::from_json(function({{"provisioned_concurrency", 10}},
                                                       {{"scalable_target", target}, {"policies", {policy}}},
                                                       "deterministic(rate=9)", "constant(value=0.99)", 250)));
  const auto a = activities(r);
  REQUIRE(a.size() == 1);
  CHECK(a[0].t == 240.0);
  CHECK(a[0].to == 13);

  // An ECS document on the function is refused at its pointers.
  json ecs_policy = policy;
  ecs_policy["ServiceNamespace"] = "ecs";
  json other_alias = target;
  other_alias["ResourceId"] = "function:fn:prod";
  try {
    Scenario::from_json(function({{"provisioned_concurrency", 10}}, {{"scalable_target", other_alias}, {"policies", {ecs_policy}}},
                                 "deterministic(rate=9)", "constant(value=0.99)", 250));
    FAIL("expected a ScenarioError");
  } catch (const ScenarioError& e) {
    std::vector<std::string> pointers;
    for (const auto& d : e.diagnostics()) pointers.push_back(d.pointer);
    CHECK(std::count(pointers.begin(), pointers.end(), "/services/0/scaling/policies/0/ServiceNamespace") == 1);
    CHECK(std::count(pointers.begin(), pointers.end(), "/services/0/scaling/scalable_target/ResourceId") == 1);
  }
}
