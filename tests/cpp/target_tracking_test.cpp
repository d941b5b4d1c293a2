// Target tracking: the hand-computed timelines on a PolicyEvaluator over an
// IntegerTarget, with datapoints published by a timer that plays the metric pipeline (and its
// publication delay), plus DisableScaleIn, two policies on one target, missing data, the strict
// ">" at zero capacity, namespace defaults and the short form.
#include <catch2/catch.hpp>

#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "fargatelab/engine.hpp"
#include "scaling/metric_keys.hpp"
#include "scaling/policy_evaluator.hpp"
#include "scaling/scaling_registry.hpp"
#include "scaling/target_tracking_policy.hpp"

using namespace fargatelab;
using namespace fargatelab::detail;

namespace {

// A simulation, a metric store, an integer target and a 60 s evaluator, and a publisher: every
// 60 s from `delay` + 60 s, at Priority::late and started before the evaluator, it publishes the
// datapoint of the period that ended `delay` ago, with the value value_at(period start, s).
struct Timeline {
  Simulation sim;
  MetricStore metrics;
  IntegerTarget target;
  PolicyEvaluator ev{sim, target, metrics, seconds(60)};
  std::vector<ScalingActivity> log;
  struct Feed {
    MetricSeries* series;
    std::function<std::optional<double>(int)> value_at;
  };
  std::vector<Feed> feeds;
  int delay_s = 0;

  Timeline(int initial, CapacityLimits limits, int publication_delay_s = 0)
      : target("service/default/api", "ecs:service:DesiredCount", initial, limits), delay_s(publication_delay_s) {
    ev.scaled.connect([this](const ScalingActivity& a) { log.push_back(a); });
  }
  void feed(const MetricKey& key, MetricUnit unit, std::function<std::optional<double>(int)> value_at) {
    feeds.push_back({&metrics.series(key, unit), std::move(value_at)});
  }
  void publish() {
    const int period_start = static_cast<int>(sim.now().to_seconds()) - delay_s - 60;
    for (auto& f : feeds)
      if (auto v = f.value_at(period_start)) f.series->publish({seconds(period_start), *v});
  }
  void start(std::unique_ptr<ScalingPolicy> policy, const std::string& name = "tt") {
    sim.every(seconds(60), bind<&Timeline::publish>(this), seconds(60 + delay_s), Priority::late);
    ev.add(name, std::move(policy));
    ev.start();
  }
};

PolicyContext api() { return {"api", 0}; }

TargetTrackingConfig cpu_target(double target) {
  TargetTrackingConfig c;
  c.policy_name = "cpu50";
  c.target_value = target;
  c.metric = [](const PolicyContext& ctx) { return MetricSource(predefined_metric_key(PredefinedMetricType::ecs_cpu, ctx.service)); };
  return c;
}

MetricKey cpu_key() { return metric_keys::ecs_service("CPUUtilization", "api"); }

}  // namespace

TEST_CASE("target tracking: CPU 40 % -> 80 % on 4 tasks, target 50: AlarmHigh after the third breaching datapoint, "
          "desired ceil(4 x 80 / 50) = 7",
          "[scaling][target_tracking]") {
  // Publication delay 30 s: the datapoint of [k 60, k 60 + 60) becomes visible at k 60 + 90.
  // CPU is 40 % in [0,180), 80 % in [180,420), 100 % from 420 s.
  Timeline tl(4, {1, 20}, 30);
  tl.feed(cpu_key(), MetricUnit::percent, [](int t) { return t < 180 ? 40.0 : t < 420 ? 80.0 : 100.0; });
  auto policy = std::make_unique<TargetTrackingPolicy>(cpu_target(50), api());
  const TargetTrackingPolicy& tt = *policy;
  tl.start(std::move(policy));
  // AlarmHigh (> 50, 3 of 3) at each evaluation, the newest 3 real datapoints:
  //   360 s: [120,180) 40, [180,240) 80, [240,300) 80 -> OK
  //   420 s: [180,240) 80, [240,300) 80, [300,360) 80 (visible at 390) -> ALARM -> 4 x 80 / 50 = 6.4 -> 7
  tl.sim.run(seconds(419));
  REQUIRE(tl.log.empty());
  tl.sim.run(seconds(420));
  REQUIRE(tl.log.size() == 1);
  CHECK(tl.log[0].at == seconds(420));
  CHECK(tl.log[0].from == 4);
  CHECK(tl.log[0].to == 7);
  CHECK(tl.log[0].cause ==
        "monitor alarm TargetTracking-service/default/api-AlarmHigh-cpu50 in state ALARM triggered policy cpu50");
  const auto& high = tt.alarm_high().history();
  REQUIRE(high.size() == 2);
  CHECK(high[0].at == seconds(120));  // [0,60) = 40 visible at 90: INSUFFICIENT_DATA -> OK
  CHECK(high[1].at == seconds(420));
  CHECK(high[1].to == AlarmState::alarm);

  // Scale-out cooldown (300 s, ECS default) from 420 s. At 480 s the metric is still 80 (the new
  // tasks are not running yet): computed from the capacity before the scale-out, 4 x 80 / 50 ->
  // 7, not more than 7: nothing (without the cooldown rule: 7 x 80 / 50 -> 12).
  tl.sim.run(seconds(480));
  REQUIRE(tl.log.size() == 1);
  // At 540 s the newest datapoint, [420,480) = 100 (visible at 510), asks 4 x 100 / 50 = 8 > 7:
  // a larger scale-out proceeds inside the cooldown, to 8.
  tl.sim.run(seconds(540));
  REQUIRE(tl.log.size() == 2);
  CHECK(tl.log[1].from == 7);
  CHECK(tl.log[1].to == 8);
  // 600 s: still 100 %, the chain's base is still 4 -> 8, not more: nothing.
  tl.sim.run(seconds(600));
  REQUIRE(tl.log.size() == 2);
  // 840 s: the cooldown of the 540 s activity ended (840 >= 540 + 300): 8 x 100 / 50 = 16.
  tl.sim.run(seconds(840));
  REQUIRE(tl.log.size() == 3);
  CHECK(tl.log[2].at == seconds(840));
  CHECK(tl.log[2].to == 16);
}

TEST_CASE("target tracking: scale-in only after 15 datapoints below 45 %, and not inside the cooldown",
          "[scaling][target_tracking]") {
  // Target 50: AlarmLow is < 45 for 15 of 15. CPU 46 % in [0,300) (5 datapoints, not low), then
  // 40 %. No publication delay: [k 60, k 60 + 60) is visible at k 60 + 60.
  Timeline tl(10, {1, 20});
  tl.feed(cpu_key(), MetricUnit::percent, [](int t) { return t < 300 ? 46.0 : 40.0; });
  auto policy = std::make_unique<TargetTrackingPolicy>(cpu_target(50), api());
  const TargetTrackingPolicy& tt = *policy;
  tl.start(std::move(policy));
  // The 15 datapoints below 45 are [300,360) ... [1140,1200), all visible at 1200 s. At 1140 s
  // the newest 15 include [240,300) = 46: OK.
  tl.sim.run(seconds(1140));
  REQUIRE(tl.log.empty());
  REQUIRE(tt.alarm_low()->state() == AlarmState::ok);
  // 1200 s: ALARM; 10 x 40 / 50 = 8, remove floor(10 - 8) = 2 -> 8.
  tl.sim.run(seconds(1200));
  REQUIRE(tl.log.size() == 1);
  CHECK(tl.log[0].to == 8);
  CHECK(tl.log[0].cause ==
        "monitor alarm TargetTracking-service/default/api-AlarmLow-cpu50 in state ALARM triggered policy cpu50");
  // Scale-in cooldown 300 s: nothing at 1260 .. 1440 though AlarmLow stays in ALARM.
  tl.sim.run(seconds(1440));
  REQUIRE(tl.log.size() == 1);
  // 1500 s: 8 x 40 / 50 = 6.4; remove floor(8 - 6.4) = 1 (never too much) -> 7.
  tl.sim.run(seconds(1500));
  REQUIRE(tl.log.size() == 2);
  CHECK(tl.log[1].at == seconds(1500));
  CHECK(tl.log[1].to == 7);
}

TEST_CASE("target tracking: missing data never scales in", "[scaling][target_tracking]") {
  // 14 datapoints at 30 % ([0,840)), then none (the service's tasks stopped reporting).
  Timeline tl(6, {0, 20});
  tl.feed(cpu_key(), MetricUnit::percent, [](int t) { return t < 840 ? std::optional<double>(30.0) : std::nullopt; });
  auto policy = std::make_unique<TargetTrackingPolicy>(cpu_target(50), api());
  const TargetTrackingPolicy& tt = *policy;
  tl.start(std::move(policy));
  tl.sim.run(seconds(3600));
  // Never 15 real datapoints: no scale-in. From 1020 s the range (17 periods) starts on a real
  // breaching datapoint with no non-breaching one, which CloudWatch calls ALARM ("X - - - -"),
  // yet the policy does not scale in on datapoints that are missing.
  CHECK(tl.log.empty());
  CHECK(tl.target.desired_capacity() == 6);
  CHECK(tt.alarm_low()->history().back().to == AlarmState::insufficient_data);  // finally nothing in range
  bool was_alarm = false;
  for (const auto& c : tt.alarm_low()->history()) was_alarm |= c.to == AlarmState::alarm;
  CHECK(was_alarm);
}

TEST_CASE("target tracking: DisableScaleIn never scales in and does not vote", "[scaling][target_tracking]") {
  TargetTrackingConfig c = cpu_target(50);
  c.disable_scale_in = true;
  TargetTrackingPolicy p(c, api());
  REQUIRE(p.alarm_low() == nullptr);
  REQUIRE(p.alarms().size() == 1);
  MetricStore store;
  MetricSeries& s = store.series(cpu_key(), MetricUnit::percent);
  for (int t = 0; t < 1200; t += 60) s.publish({seconds(t), 10.0});
  TargetState st;
  st.now = seconds(1200);
  st.desired = 8;
  const Recommendation r = p.evaluate(store, st);
  CHECK_FALSE(r.desired);
  CHECK_FALSE(r.votes_on_scale_in);
}

TEST_CASE("target tracking: two policies on one target, the largest wins and scale-in needs both", "[scaling][target_tracking]") {
  // CPU (target 50) and ALBRequestCountPerTarget (target 1000) on 4 tasks.
  //  [0,180): CPU 80, requests 2000 -> at 180 s: CPU asks ceil(4 x 80 / 50) = 7, ALB ceil(4 x 2000 / 1000) = 8 -> 8.
  Timeline tl(4, {1, 20});
  tl.feed(cpu_key(), MetricUnit::percent, [](int t) { return t < 180 ? 80.0 : 20.0; });
  tl.feed(metric_keys::alb_request_count_per_target("api"), MetricUnit::count, [](int t) { return t < 180 ? 2000.0 : t < 1800 ? 950.0 : 100.0; });
  TargetTrackingConfig alb;
  alb.policy_name = "alb1000";
  alb.target_value = 1000;
  alb.metric = [](const PolicyContext& ctx) {
    return MetricSource(predefined_metric_key(PredefinedMetricType::alb_request_count_per_target, ctx.service));
  };
  tl.ev.add("alb", std::make_unique<TargetTrackingPolicy>(alb, api()));
  tl.start(std::make_unique<TargetTrackingPolicy>(cpu_target(50), api()), "cpu");
  tl.sim.run(seconds(180));
  REQUIRE(tl.log.size() == 1);
  CHECK(tl.log[0].to == 8);
  CHECK(tl.log[0].policy == "alb");
  // From 180 s CPU is 20 % (low: < 45) but requests are 950 (> 900, not low): CPU's AlarmLow is in
  // ALARM from 1080 s (15 datapoints [180,1080)) and asks 8 x 20 / 50 = 3.2 -> 4, but the ALB
  // policy is not ready: no scale-in until requests fall to 100 from 1800 s; its AlarmLow needs
  // [1800,2700), visible at 2700 s: then ALB asks 8 x 100 / 1000 -> 1 and CPU 4: the larger, 4.
  tl.sim.run(seconds(2640));
  REQUIRE(tl.log.size() == 1);
  tl.sim.run(seconds(2700));
  REQUIRE(tl.log.size() == 2);
  CHECK(tl.log[1].to == 4);
  CHECK(tl.log[1].policy == "cpu");
}

TEST_CASE("target tracking: the strict '>' and no datapoints at zero capacity", "[scaling][target_tracking][zero]") {
  // Backlog per task (m1 / m2) with 0 tasks divides by zero: no datapoint, INSUFFICIENT_DATA,
  // the service stays at 0 whatever the queue holds.
  {
    Timeline tl(0, {0, 10});
    tl.feed(metric_keys::sqs("ApproximateNumberOfMessagesVisible", "api"), MetricUnit::count, [](int) { return 500.0; });
    tl.feed(metric_keys::running_task_count("api"), MetricUnit::count, [](int) { return 0.0; });
    TargetTrackingConfig c;
    c.policy_name = "backlog";
    c.target_value = 10;
    c.metric = named_metric("backlog_per_task")->resolve;
    auto p = std::make_unique<TargetTrackingPolicy>(c, api());
    const TargetTrackingPolicy& tt = *p;
    tl.start(std::move(p));
    tl.sim.run(seconds(1800));
    CHECK(tl.log.empty());
    CHECK(tt.alarm_high().state() == AlarmState::insufficient_data);
  }
  // Queue depth with target 1: one message is not > 1, so 0 tasks stay 0; two messages are,
  // and from 0 the policy asks at least 1 (the proportional formula gives 0 x 2 / 1 = 0).
  for (const double messages : {1.0, 2.0}) {
    Timeline tl(0, {0, 10});
    tl.feed(metric_keys::sqs("ApproximateNumberOfMessagesVisible", "api"), MetricUnit::count, [=](int) { return messages; });
    TargetTrackingConfig c;
    c.policy_name = "depth";
    c.target_value = 1;
    c.metric = named_metric("queue_depth")->resolve;
    tl.start(std::make_unique<TargetTrackingPolicy>(c, api()));
    tl.sim.run(seconds(420));  // before the cooldown of a scale-out at 180 s ends
    INFO(messages << " message(s)");
    if (messages == 1.0) {
      CHECK(tl.log.empty());
    } else {
      REQUIRE(tl.log.size() == 1);
      CHECK(tl.log[0].at == seconds(180));  // 3 datapoints [0,180) > 1
      CHECK(tl.log[0].to == 1);
    }
  }
}

TEST_CASE("target tracking: cooldown defaults follow the namespace; high-resolution metrics use 20 s", "[scaling][target_tracking]") {
  TargetTrackingConfig c = cpu_target(50);
  TargetTrackingPolicy ecs(c, {"api", 0});
  CHECK(ecs.scale_out_cooldown() == seconds(300));
  CHECK(ecs.scale_in_cooldown() == seconds(300));
  PolicyContext lambda{"fn", 0, "lambda"};
  c.metric = named_metric("provisioned_concurrency")->resolve;
  TargetTrackingPolicy pc(c, lambda);
  CHECK(pc.scale_out_cooldown() == Duration::zero());
  CHECK(pc.alarm_high().name() == "TargetTracking-function:fn-AlarmHigh-cpu50");
  c.scale_in_cooldown = seconds(60);
  CHECK(TargetTrackingPolicy(c, lambda).scale_in_cooldown() == seconds(60));
  c.metric = named_metric("ECSServiceAverageCPUUtilizationHighResolution")->resolve;
  TargetTrackingPolicy hr(c, {"api", 0});
  CHECK(hr.alarm_high().spec().period() == seconds(20));
  CHECK(hr.alarm_high().spec().evaluation_periods == 3);
  CHECK(hr.alarm_low()->spec().evaluation_periods == 15);
  CHECK(hr.alarm_low()->spec().threshold == Approx(45.0));
}

TEST_CASE("target tracking: the short form builds, and bad parameters are reported at the pointer", "[scaling][target_tracking][registry]") {
  const ScalingPolicySpec spec =
      scaling_registry().build(parse_model_call("target_tracking(metric=cpu, target=60, scale_in_cooldown=120s, high_datapoints=2)"));
  CHECK(spec.name == "target-tracking-cpu-60");
  auto p = spec.instantiate({"web", 1});
  const auto* tt = dynamic_cast<const TargetTrackingPolicy*>(p.get());
  REQUIRE(tt);
  CHECK(tt->scale_in_cooldown() == seconds(120));
  CHECK(tt->scale_out_cooldown() == seconds(300));
  CHECK(tt->alarm_high().spec().evaluation_periods == 2);
  CHECK(tt->alarm_high().spec().metric.queries()[0].key == metric_keys::ecs_service("CPUUtilization", "web"));
  std::vector<Diagnostic> errors;
  CHECK_FALSE(scaling_registry().build(parse_model_call("target_tracking(metric=cpux, target=0)"), "/services/0/scaling/1", errors));
  REQUIRE(errors.size() == 1);  // the spec's bound first (target > 0); the factory then does not run
  CHECK(errors[0].pointer == "/services/0/scaling/1");
  CHECK(errors[0].message == "target_tracking: target: 0 must be > 0");
  errors.clear();
  CHECK_FALSE(scaling_registry().build(parse_model_call("target_tracking(metric=cpux, target=50)"), "/p", errors));
  REQUIRE(errors.size() == 1);
  CHECK_THAT(errors[0].message, Catch::Contains("metric \"cpux\" is not known (metrics: cpu, memory"));
}
