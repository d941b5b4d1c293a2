// Predictive scaling: the seasonal forecaster on exact cycles, AWS's history and refresh rules,
// ForecastAndScale on a pure daily sine (capacity raised SchedulingBufferTime before each hour,
// never lowered), the floor it puts under other policies' scale-in, IncreaseMaxCapacity, and the
// put-scaling-policy JSON with errors by pointer. Expected values are worked out by hand beside
// each assertion.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "fargatelab/engine.hpp"
#include "scaling/metric_keys.hpp"
#include "scaling/policy_combination.hpp"
#include "scaling/policy_evaluator.hpp"
#include "scaling/predictive_input.hpp"
#include "scaling/predictive_policy.hpp"
#include "scaling/scaling_registry.hpp"
#include "scaling/seasonal_forecaster.hpp"

using namespace fargatelab;
using namespace fargatelab::detail;

namespace {

constexpr double kPi = std::numbers::pi;
// The mean of sin over one hour of a 24 h cycle is the value at the hour's midpoint times
// sin(pi/24) / (pi/24) = 0.997147...
const double kHourMean = std::sin(kPi / 24) / (kPi / 24);

// Total CPU (the tasks' CPUUtilization summed, %) at t seconds: 610 + 500 sin(2 pi (t - 1800) / 1 day).
// With a target of 50 % per task the capacity of the hour starting at hour h of the day is
// 12.2 + 10 x 0.997147 x sin(2 pi (h + 0.5 - 0.5) / 24) = 12.2 + 9.97147 sin(15 h degrees).
double total_cpu(double t) { return 610 + 500 * std::sin(2 * kPi * (t - 1800) / 86400); }

// Publishes, at each minute's end, the minute's datapoint of the service "api": average CPU =
// total / 10 over 10 running tasks (the load metric is their product).
struct CpuPublisher {
  MetricSeries& cpu;
  MetricSeries& tasks;
  explicit CpuPublisher(MetricStore& store)
      : cpu(store.series(metric_keys::ecs_service("CPUUtilization", "api"), MetricUnit::percent)),
        tasks(store.series(metric_keys::running_task_count("api"), MetricUnit::count)) {}
  // The datapoint of the minute [start, start + 60 s).
  void publish(SimTime start) {
    // The minute's mean of the sine, to within 1e-4 %: the value at the minute's midpoint.
    const double total = total_cpu(start.to_seconds() + 30);
    cpu.publish({start, total / 10});
    tasks.publish({start, 10});
  }
};

PredictiveSettings scale_settings() {
  PredictiveSettings s;
  s.policy_name = "daily";
  s.metric = PredictiveMetric::cpu;
  s.target = 50;
  s.mode = PredictiveMode::forecast_and_scale;
  return s;
}

}  // namespace

TEST_CASE("seasonal forecaster: an exact daily and weekly cycle is fitted and forecast exactly", "[scaling][predictive]") {
  // load(h) = 100 + 30 sin(2 pi (h + 0.5) / 24) + 10 cos(2 pi (h + 0.5) / 168): one harmonic of each.
  auto load = [](double h) {
    return 100 + 30 * std::sin(2 * kPi * (h + 0.5) / 24) + 10 * std::cos(2 * kPi * (h + 0.5) / 168);
  };
  std::vector<HourlyLoad> history;
  for (int h = 0; h < 14 * 24; ++h) history.push_back({static_cast<double>(h), load(h)});
  const auto f = SeasonalForecaster::fit(history);
  REQUIRE(f);
  REQUIRE(f->uses_weekly_terms());
  REQUIRE(f->coefficients() == 1 + 2 * 4 + 2 * 2);
  for (double h : {336.0, 340.0, 371.0, 383.0}) REQUIRE(f->forecast(h) == Approx(load(h)).margin(1e-8));
  // With less than a week of history the weekly terms are left out: 9 coefficients.
  history.resize(48);
  const auto g = SeasonalForecaster::fit(history);
  REQUIRE(g);
  REQUIRE_FALSE(g->uses_weekly_terms());
  REQUIRE(g->coefficients() == 9);
  // No more observations than coefficients: nothing to fit.
  history.resize(9);
  REQUIRE_FALSE(SeasonalForecaster::fit(history));
}

TEST_CASE("predictive: fewer than 24 hours of history give no forecast, 24 give one of 48 hours", "[scaling][predictive]") {
  MetricStore store;
  CpuPublisher pub(store);
  PredictivePolicy policy(scale_settings(), "api");
  TargetState state;
  state.desired = state.current = 1;
  state.limits = {1, 100};
  // 23 h 59 min of datapoints, evaluated at 23:59: 23 complete hours, so no forecast.
  for (int m = 0; m < 24 * 60 - 1; ++m) pub.publish(seconds(60 * m));
  state.now = seconds(86'340);
  REQUIRE_FALSE(policy.evaluate(store, state).desired);
  REQUIRE(policy.forecasts().empty());
  REQUIRE(policy.history(store, state.now).size() == 23);
  // The minute to 24:00 completes hour 23: 24 hours of history, one forecast of 48 hourly points
  // from the current hour (hour 24).
  pub.publish(seconds(86'340));
  state.now = hours(24);
  const Recommendation r = policy.evaluate(store, state);
  REQUIRE(policy.forecasts().size() == 48);
  REQUIRE(policy.forecasts().front().made_at == hours(24));
  REQUIRE(policy.forecasts().front().hour == hours(24));
  REQUIRE(policy.forecasts().back().hour == hours(71));
  // Hour 24 (00:00-01:00 of day 2): load 610 + 500 x 0.997147 x sin(0) = 610; capacity 12.2.
  REQUIRE(policy.forecasts().front().load == Approx(610).epsilon(1e-6));
  REQUIRE(policy.forecasts().front().capacity == Approx(12.2).epsilon(1e-6));
  // Hour 30 (06:00-07:00) is the peak: 610 + 500 x 0.997147 = 1108.57; capacity 22.17.
  REQUIRE(policy.forecasts()[6].load == Approx(610 + 500 * kHourMean).epsilon(1e-6));
  // At 24:00 + 300 s the hour in force is hour 24: ceil(12.2) = 13, above desired 1.
  REQUIRE(r.desired == 13);
  REQUIRE(r.floor);
}

TEST_CASE("predictive: ForecastAndScale on a daily sine raises capacity SchedulingBufferTime before each hour, "
          "never lowers it",
          "[scaling][predictive]") {
  Simulation sim;
  MetricStore store;
  CpuPublisher pub(store);
  IntegerTarget target("service/default/api", "ecs:service:DesiredCount", 1, {1, 100});
  PolicyEvaluator ev(sim, target, store, seconds(60));
  auto owned = std::make_unique<PredictivePolicy>(scale_settings(), "api");
  const PredictivePolicy* policy = owned.get();
  ev.add("daily", std::move(owned));
  std::vector<ScalingActivity> log;
  ev.scaled.connect([&](const ScalingActivity& a) { log.push_back(a); });
  // The publisher runs at Priority::normal at each minute, the evaluator after it (late).
  struct Tick {
    CpuPublisher* p;
    Simulation* sim;
    void run() { p->publish(sim->now() - seconds(60)); }
  } tick{&pub, &sim};
  sim.every(seconds(60), bind<&Tick::run>(&tick), SimTime::zero() + seconds(60));
  ev.start(SimTime::zero() + seconds(60));
  sim.run(SimTime::zero() + days(3) - seconds(30));

  // Capacities of the hours of day 2 (12.2 + 9.97147 sin(15 h deg)): h0 12.2 -> 13, h1 14.78 -> 15,
  // h2 17.19 -> 18, h3 19.25 -> 20, h4 20.84 -> 21, h5 21.83 -> 22, h6 22.17 -> 23 (the peak).
  // The first forecast exists at 24 h (86,400 s), when hour 24's 13 applies at once; each later
  // hour's capacity applies 300 s before the hour: 86,400 + 3600 h - 300.
  struct Step {
    double t;
    int from, to;
  };
  const std::vector<Step> expected{{86'400, 1, 13},  {89'700, 13, 15},  {93'300, 15, 18}, {96'900, 18, 20},
                                   {100'500, 20, 21}, {104'100, 21, 22}, {107'700, 22, 23}};
  REQUIRE(log.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("activity " << i);
    REQUIRE(log[i].at.to_seconds() == expected[i].t);
    REQUIRE(log[i].from == expected[i].from);
    REQUIRE(log[i].to == expected[i].to);
    REQUIRE(log[i].policy == "daily");
  }
  // The peak hour (hour 30 = 108,000 s) gets its capacity SchedulingBufferTime (300 s) ahead.
  REQUIRE(log.back().at == hours(30) - seconds(300));
  REQUIRE(log.back().cause.find("hour starting at 108000 s") != std::string::npos);
  // Afterwards the forecast falls to 2.2 tasks at hour 18 and rises again: capacity stays 23.
  REQUIRE(target.desired_capacity() == 23);
  // Refreshed every 6 h from the first forecast until the run ends just before 72 h: 8 forecasts
  // (24, 30, 36, 42, 48, 54, 60, 66 h) of 48 points.
  REQUIRE(policy->forecasts().size() == 8 * 48);
  REQUIRE(policy->forecasts()[48].made_at == hours(30));
  REQUIRE(policy->forecasts().back().made_at == hours(66));
}

TEST_CASE("predictive: the forecast is a floor under other policies' scale-in, never a scale-in itself",
          "[scaling][predictive][combine]") {
  const Recommendation floor8 = Recommendation::at_least(8, "forecast 8");
  // Alone, a floor below the desired capacity (10) does not scale in.
  REQUIRE_FALSE(combine_recommendations(10, std::vector<Recommendation>{floor8}));
  // A dynamic policy asking for 5 is held at the forecast's 8 (AWS takes the larger).
  const auto d = combine_recommendations(10, std::vector<Recommendation>{Recommendation::to(5, "tt"), floor8});
  REQUIRE(d);
  REQUIRE(d->desired == 8);
  REQUIRE(d->policy == 1);
  // Asking for 9 (above the floor) goes ahead.
  REQUIRE(combine_recommendations(10, std::vector<Recommendation>{Recommendation::to(9, "tt"), floor8})->desired == 9);
  // A non-voting (step) scale-in to 4 is held at the floor too; a floor at the desired capacity
  // stops it altogether.
  REQUIRE(combine_recommendations(10, std::vector<Recommendation>{Recommendation::to(4, "step", false), floor8})->desired == 8);
  REQUIRE_FALSE(combine_recommendations(
      10, std::vector<Recommendation>{Recommendation::to(4, "step", false), Recommendation::at_least(10, "forecast 10")}));
  // A floor above the desired capacity is a scale-out.
  REQUIRE(combine_recommendations(5, std::vector<Recommendation>{floor8})->desired == 8);
}

TEST_CASE("predictive: HonorMaxCapacity caps at the maximum, IncreaseMaxCapacity raises it by the buffer",
          "[scaling][predictive]") {
  // A flat load of 2,500 % on target 50: 50 tasks every hour; the target's max is 40.
  auto run = [](MaxCapacityBreach breach, double buffer) {
    Simulation sim;
    MetricStore store;
    auto& cpu = store.series(metric_keys::ecs_service("CPUUtilization", "api"), MetricUnit::percent);
    auto& tasks = store.series(metric_keys::running_task_count("api"), MetricUnit::count);
    for (int m = 0; m < 24 * 60; ++m) {
      cpu.publish({seconds(60 * m), 62.5});
      tasks.publish({seconds(60 * m), 40});
    }
    IntegerTarget target("service/default/api", "ecs:service:DesiredCount", 10, {1, 40});
    PolicyEvaluator ev(sim, target, store, seconds(60));
    PredictiveSettings s = scale_settings();
    s.breach = breach;
    s.max_capacity_buffer = buffer;
    ev.add("p", std::make_unique<PredictivePolicy>(s, "api"));
    ev.start(SimTime::zero() + hours(24));
    sim.run(SimTime::zero() + hours(24) + seconds(30));
    return std::pair{target.desired_capacity(), target.limits().max};
  };
  // 62.5 % x 40 tasks = 2,500 % -> 2500 / 50 = 50 tasks; honoured: 40.
  REQUIRE(run(MaxCapacityBreach::honor, 0) == std::pair{40, 40});
  // The API's example: forecast 50, buffer 10 -> the maximum becomes 55 and the capacity 50.
  REQUIRE(run(MaxCapacityBreach::increase, 10) == std::pair{50, 55});
}

TEST_CASE("predictive: ForecastOnly forecasts without scaling or voting", "[scaling][predictive]") {
  Simulation sim;
  MetricStore store;
  auto& requests = store.series(metric_keys::alb_request_count("api"), MetricUnit::count);
  for (int m = 0; m < 24 * 60; ++m) requests.publish({seconds(60 * m), 1200});
  PredictiveSettings s;
  s.metric = PredictiveMetric::alb_request_count;
  s.target = 100;  // requests per task per minute
  PredictivePolicy policy(s, "api");
  TargetState state;
  state.now = hours(24);
  state.desired = 2;
  state.limits = {1, 100};
  const Recommendation r = policy.evaluate(store, state);
  REQUIRE_FALSE(r.desired);
  REQUIRE_FALSE(r.votes_on_scale_in);
  // 1,200 requests a minute / 100 per task = 12 tasks, every hour.
  REQUIRE(policy.forecasts().size() == 48);
  REQUIRE(policy.forecasts()[10].capacity == Approx(12).epsilon(1e-9));
}

TEST_CASE("predictive input: put-scaling-policy JSON with a metric pair becomes the policy's settings",
          "[scaling][predictive][input]") {
  const nlohmann::json doc = {
      {"PolicyName", "daily"},
      {"ServiceNamespace", "ecs"},
      {"ResourceId", "service/default/api"},
      {"ScalableDimension", "ecs:service:DesiredCount"},
      {"PolicyType", "PredictiveScaling"},
      {"PredictiveScalingPolicyConfiguration",
       {{"MetricSpecifications",
         {{{"TargetValue", 40}, {"PredefinedMetricPairSpecification", {{"PredefinedMetricType", "ALBRequestCount"}}}}}},
        {"Mode", "ForecastAndScale"},
        {"SchedulingBufferTime", 600},
        {"MaxCapacityBreachBehavior", "IncreaseMaxCapacity"},
        {"MaxCapacityBuffer", 10}}}};
  std::vector<Diagnostic> out;
  const auto s = build_predictive_settings(doc, "/p", out);
  REQUIRE(out.empty());
  REQUIRE(s);
  REQUIRE(s->policy_name == "daily");
  REQUIRE(s->metric == PredictiveMetric::alb_request_count);
  REQUIRE(s->target == 40);
  REQUIRE(s->mode == PredictiveMode::forecast_and_scale);
  REQUIRE(s->scheduling_buffer == seconds(600));
  REQUIRE(s->breach == MaxCapacityBreach::increase);
  REQUIRE(s->max_capacity_buffer == 10);
  REQUIRE(build_predictive_policy(doc, "/p", out));
  // Defaults: ForecastOnly, 300 s, HonorMaxCapacity.
  const auto d = build_predictive_settings(
      {{"PolicyName", "d"},
       {"PolicyType", "PredictiveScaling"},
       {"PredictiveScalingPolicyConfiguration",
        {{"MetricSpecifications",
          {{{"TargetValue", 60},
            {"PredefinedLoadMetricSpecification", {{"PredefinedMetricType", "ECSServiceTotalMemoryUtilization"}}},
            {"PredefinedScalingMetricSpecification", {{"PredefinedMetricType", "ECSServiceAverageMemoryUtilization"}}}}}}}}},
      "/p", out);
  REQUIRE(out.empty());
  REQUIRE(d->metric == PredictiveMetric::memory);
  REQUIRE(d->mode == PredictiveMode::forecast_only);
  REQUIRE(d->scheduling_buffer == seconds(300));
  REQUIRE(d->breach == MaxCapacityBreach::honor);
}

TEST_CASE("predictive input: bad fields are reported at their JSON pointers", "[scaling][predictive][input]") {
  std::vector<Diagnostic> out;
  REQUIRE_FALSE(build_predictive_settings(
      {{"PolicyName", "p"},
       {"PolicyType", "PredictiveScaling"},
       {"PredictiveScalingPolicyConfiguration",
        {{"MetricSpecifications",
          {{{"TargetValue", 0}, {"PredefinedMetricPairSpecification", {{"PredefinedMetricType", "ECSServiceCPU"}}}}}},
         {"Mode", "Forecast"},
         {"SchedulingBufferTime", 3600},
         {"Buffer", 1}}}},
      "/services/0/scaling/1", out));
  const std::string c = "/services/0/scaling/1/PredictiveScalingPolicyConfiguration";
  auto has = [&](const std::string& pointer) {
    return std::any_of(out.begin(), out.end(), [&](const Diagnostic& d) { return d.pointer == pointer; });
  };
  REQUIRE(has(c + "/MetricSpecifications/0/TargetValue"));
  REQUIRE(has(c + "/MetricSpecifications/0/PredefinedMetricPairSpecification/PredefinedMetricType"));
  REQUIRE(has(c + "/Mode"));
  REQUIRE(has(c + "/SchedulingBufferTime"));
  REQUIRE(out.size() >= 5);  // and the unknown "Buffer"
  // Semantic problems: mixed kinds, a buffer without IncreaseMaxCapacity, customized metrics.
  out.clear();
  REQUIRE_FALSE(build_predictive_settings(
      {{"PolicyName", "p"},
       {"PolicyType", "PredictiveScaling"},
       {"PredictiveScalingPolicyConfiguration",
        {{"MetricSpecifications",
          {{{"TargetValue", 50},
            {"PredefinedLoadMetricSpecification", {{"PredefinedMetricType", "TotalALBRequestCount"}}},
            {"PredefinedScalingMetricSpecification", {{"PredefinedMetricType", "ECSServiceAverageCPUUtilization"}}},
            {"CustomizedCapacityMetricSpecification", nlohmann::json::object()}}}},
         {"MaxCapacityBuffer", 10}}}},
      "/p", out));
  REQUIRE(out.size() == 3);
  REQUIRE(has("/p/PredictiveScalingPolicyConfiguration/MetricSpecifications/0/PredefinedScalingMetricSpecification"));
  REQUIRE(has("/p/PredictiveScalingPolicyConfiguration/MetricSpecifications/0/CustomizedCapacityMetricSpecification"));
  REQUIRE(has("/p/PredictiveScalingPolicyConfiguration/MaxCapacityBuffer"));
}

TEST_CASE("predictive: the short form checks its parameters", "[scaling][predictive][registry]") {
  std::vector<Diagnostic> out;
  REQUIRE(scaling_registry().build(parse_model_call("predictive(metric=cpu, target=50, mode=forecast_and_scale)"), "/s", out));
  REQUIRE(out.empty());
  REQUIRE_FALSE(scaling_registry().build(
      parse_model_call("predictive(metric=cpu2, target=50, mode=scale, scheduling_buffer=3600, max_capacity_buffer=5)"),
      "/s", out));
  REQUIRE(out.size() == 4);
  REQUIRE(out[0].message == "predictive: metric: expected cpu, memory or alb_request_count, got \"cpu2\"");
  REQUIRE(out[1].message == "predictive: mode: expected forecast_only or forecast_and_scale, got \"scale\"");
  REQUIRE(out[2].message == "predictive: scheduling_buffer: must be less than 3600 s, as on AWS");
  REQUIRE(out[3].message == "predictive: max_capacity_buffer: only applies with max_capacity_breach=increase");
}
