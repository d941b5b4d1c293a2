// Step scaling: AWS's worked example (capacity 10, threshold 50, +10 % / +30 % / -10 % / -30 %),
// the bounds at each interval boundary, percent rounding and MinAdjustmentMagnitude, the
// cooldown ("2 added, then a step of 3 adds only 1"), validation of the steps and the short
// form. Expected values are worked out by hand in the comments.
#include <catch2/catch.hpp>

#include <memory>
#include <vector>

#include "scaling/metric_keys.hpp"
#include "scaling/scaling_registry.hpp"
#include "scaling/step_policy.hpp"

using namespace fargatelab;
using namespace fargatelab::detail;

namespace {

MetricKey cpu() { return metric_keys::ecs_service("CPUUtilization", "api"); }

AlarmSpec cpu_alarm(const char* name, ComparisonOperator c, double threshold) {
  AlarmSpec a{name, MetricSource(cpu())};
  a.threshold = threshold;
  a.comparison = c;
  return a;  // 1 of 1, period 60 s
}

std::vector<StepAdjustment> steps(std::initializer_list<StepAdjustment> s) { return s; }
constexpr std::optional<double> none = std::nullopt;

// A policy, the metric store it reads and a target state, evaluated at 60 s steps: publish the
// value of [t - 60, t) and evaluate at t.
struct Bench {
  MetricStore store;
  MetricSeries& series = store.series(cpu(), MetricUnit::percent);
  StepScalingPolicy policy;
  TargetState state;
  Bench(StepScalingConfig c, AlarmSpec a) : policy(std::move(c), std::move(a), {"api", 0}) {}
  Recommendation at(int t, double value) {
    series.publish({seconds(t - 60), value});
    state.now = seconds(t);
    return policy.evaluate(store, state);
  }
  // Applies a recommendation as the evaluator would, recording the activity.
  void apply(const Recommendation& r) {
    REQUIRE(r.desired);
    ScalingActivity a{state.now, state.desired, *r.desired, *r.desired, "p", r.cause};
    (*r.desired > state.desired ? state.last_scale_out : state.last_scale_in) = a;
    state.desired = *r.desired;
  }
};

}  // namespace

TEST_CASE("step scaling: AWS's worked example, 10 -> 11 -> 14 -> 13 -> 10", "[scaling][step]") {
  // Scale-out: alarm >= 50, steps [0,10) 0 %, [10,20) +10 %, [20,inf) +30 %.
  // Scale-in:  alarm <= 50, steps (-10,0] 0 %, (-20,-10] -10 %, (-inf,-20] -30 %.
  StepScalingConfig out;
  out.policy_name = "out";
  out.adjustment_type = AdjustmentType::percent_change_in_capacity;
  out.steps = steps({{0.0, 10.0, 0}, {10.0, 20.0, 10}, {20.0, none, 30}});
  out.cooldown = Duration::zero();
  StepScalingConfig in = out;
  in.policy_name = "in";
  in.steps = steps({{-10.0, 0.0, 0}, {-20.0, -10.0, -10}, {none, -20.0, -30}});
  Bench up(out, cpu_alarm("high", ComparisonOperator::greater_or_equal, 50));
  Bench down(in, cpu_alarm("low", ComparisonOperator::less_or_equal, 50));
  up.state.desired = 10;
  // 60 %: delta 10 is the lower bound of [10,20) (inclusive above the threshold): +10 % of 10 = 1 -> 11.
  Recommendation r = up.at(60, 60);
  REQUIRE(r.desired == 11);
  CHECK_FALSE(r.votes_on_scale_in);
  CHECK(r.cause == "monitor alarm high in state ALARM triggered policy out");
  up.apply(r);
  // 70 %: delta 20, [20,inf): +30 % of 11 = 3.3 -> 3 -> 14.
  r = up.at(120, 70);
  REQUIRE(r.desired == 14);
  up.apply(r);
  // 40 %: delta -10 is the upper bound of (-20,-10] (inclusive below): -10 % of 14 = -1.4 -> -1 -> 13.
  down.state = up.state;
  r = down.at(180, 40);
  REQUIRE(r.desired == 13);
  down.apply(r);
  // 30 %: delta -20, (-inf,-20]: -30 % of 13 = -3.9 -> -3 -> 10.
  r = down.at(240, 30);
  REQUIRE(r.desired == 10);
  // 55 % on the scale-out policy: [0,10) adjusts 0 %: no change asked.
  up.state.desired = 10;
  CHECK_FALSE(up.at(180, 55).desired);
  // 45 %: the scale-out alarm (>= 50) is OK: nothing.
  CHECK_FALSE(up.at(240, 45).desired);
}

TEST_CASE("step scaling: bounds at each interval boundary", "[scaling][step]") {
  const auto up = steps({{0.0, 10.0, 1}, {10.0, 20.0, 2}, {20.0, none, 3}});
  auto adj = [](const std::vector<StepAdjustment>& s, double d, bool upward) {
    const StepAdjustment* st = find_step(s, d, upward);
    return st ? st->scaling_adjustment : 0;
  };
  CHECK(adj(up, 0, true) == 1);     // lower bound inclusive
  CHECK(adj(up, 9.99, true) == 1);
  CHECK(adj(up, 10, true) == 2);    // upper bound exclusive, next lower inclusive
  CHECK(adj(up, 20, true) == 3);
  CHECK(adj(up, 1e9, true) == 3);
  CHECK(adj(up, -0.01, true) == 0);  // below every step
  const auto down = steps({{-10.0, 0.0, -1}, {-20.0, -10.0, -2}, {none, -20.0, -3}});
  CHECK(adj(down, 0, false) == -1);     // upper bound inclusive below the threshold
  CHECK(adj(down, -10, false) == -2);   // -10 belongs to (-20,-10]
  CHECK(adj(down, -9.99, false) == -1);
  CHECK(adj(down, -20, false) == -3);
  CHECK(adj(down, 0.01, false) == 0);
}

TEST_CASE("step scaling: percent rounding and MinAdjustmentMagnitude", "[scaling][step]") {
  CHECK(percent_change(10, 10, {}) == 1);    // 1.0
  CHECK(percent_change(11, 30, {}) == 3);    // 3.3 -> down
  CHECK(percent_change(127, 10, {}) == 12);  // 12.7 -> 12
  CHECK(percent_change(3, 10, {}) == 1);     // 0.3 -> 1
  CHECK(percent_change(3, -10, {}) == -1);   // -0.3 -> -1
  CHECK(percent_change(667, -1, {}) == -6);  // -6.67 -> -6 (up)
  CHECK(percent_change(0, 50, {}) == 0);
  CHECK(percent_change(4, 25, 2) == 2);      // 1, raised to 2 (AWS's example)
  CHECK(percent_change(4, -25, 2) == -2);
  CHECK(percent_change(100, 25, 2) == 25);   // already larger
  CHECK(adjusted_capacity(AdjustmentType::exact_capacity, 9, 3, {}) == 3);
  CHECK(adjusted_capacity(AdjustmentType::change_in_capacity, 3, 5, {}) == 8);  // AWS: 3 + 5
  CHECK(adjusted_capacity(AdjustmentType::percent_change_in_capacity, 4, 25, 2) == 6);

  // Through the policy: 4 tasks, +25 % with MinAdjustmentMagnitude 2 -> 6; without -> 5.
  StepScalingConfig c;
  c.adjustment_type = AdjustmentType::percent_change_in_capacity;
  c.steps = steps({{0.0, none, 25}});
  c.min_adjustment_magnitude = 2;
  Bench with(c, cpu_alarm("a", ComparisonOperator::greater, 70));
  with.state.desired = 4;
  CHECK(with.at(60, 80).desired == 6);
  c.min_adjustment_magnitude.reset();
  Bench without(c, cpu_alarm("a", ComparisonOperator::greater, 70));
  without.state.desired = 4;
  CHECK(without.at(60, 80).desired == 5);
}

TEST_CASE("step scaling: during the cooldown only a larger scale-out proceeds, and the capacity added counts", "[scaling][step]") {
  // ChangeInCapacity: [0,10) +2, [10,inf) +3; cooldown 300 s (the ECS default). Capacity 4.
  StepScalingConfig c;
  c.steps = steps({{0.0, 10.0, 2}, {10.0, none, 3}});
  Bench b(c, cpu_alarm("a", ComparisonOperator::greater, 50));
  REQUIRE(b.policy.cooldown() == seconds(300));
  b.state.desired = 4;
  Recommendation r = b.at(60, 55);  // +2 -> 6
  REQUIRE(r.desired == 6);
  b.apply(r);
  CHECK_FALSE(b.at(120, 55).desired);  // same step in the cooldown: 4 + 2 = 6, not more
  r = b.at(180, 65);                   // +3 from 4 = 7 > 6: adds only 1
  REQUIRE(r.desired == 7);
  b.apply(r);
  CHECK_FALSE(b.at(240, 65).desired);  // the chain's base is still 4: 4 + 3 = 7, not more
  CHECK_FALSE(b.at(420, 65).desired);  // 420 < 180 + 300
  r = b.at(480, 65);                   // the cooldown of 180 s ended: 7 + 3 = 10
  REQUIRE(r.desired == 10);
}

TEST_CASE("step scaling: scale-in waits for the cooldown, which a scale-out ends", "[scaling][step]") {
  StepScalingConfig c;
  c.steps = steps({{none, 0.0, -1}});
  Bench b(c, cpu_alarm("low", ComparisonOperator::less, 30));
  b.state.desired = 10;
  Recommendation r = b.at(60, 20);
  REQUIRE(r.desired == 9);
  b.apply(r);
  CHECK_FALSE(b.at(120, 20).desired);  // 120 < 60 + 300
  // Another policy scales out at 150 s: the scale-in cooldown stops.
  b.state.last_scale_out = ScalingActivity{seconds(150), 9, 12, 12, "other", ""};
  b.state.desired = 12;
  r = b.at(180, 20);
  REQUIRE(r.desired == 11);
}

TEST_CASE("step scaling: AWS's rules for step adjustments", "[scaling][step]") {
  using T = AdjustmentType;
  auto messages = [](const std::vector<StepAdjustment>& s, T t = T::change_in_capacity) {
    std::vector<std::string> out;
    for (const auto& p : check_step_adjustments(s, t)) out.push_back((p.step ? std::to_string(*p.step) + ": " : "") + p.message);
    return out;
  };
  CHECK(messages(steps({{0.0, 10.0, 1}, {10.0, none, 2}})).empty());
  CHECK(messages(steps({{none, none, 1}})) == std::vector<std::string>{"0: the upper and lower bound can't both be null"});
  CHECK(messages(steps({{0.0, 10.0, 1}, {15.0, none, 2}})) ==
        std::vector<std::string>{"1: gap between 10 and 15: the ranges of step adjustments can't leave a gap"});
  CHECK(messages(steps({{0.0, 10.0, 1}, {5.0, none, 2}})) ==
        std::vector<std::string>{"1: overlaps step 0 (which ends at 10): the ranges can't overlap"});
  CHECK(messages(steps({{0.0, 10.0, 1}})) ==
        std::vector<std::string>{"a step has a positive upper bound, so one step needs a null upper bound"});
  CHECK(messages(steps({{-10.0, 0.0, -1}})) ==
        std::vector<std::string>{"a step has a negative lower bound, so one step needs a null lower bound"});
  CHECK(messages(steps({{0.0, none, 1}, {10.0, none, 2}})).front() ==
        "only one step adjustment can have a null upper bound (positive infinity)");
  CHECK(messages(steps({{10.0, 5.0, 1}, {10.0, none, 1}})).front() == "0: the lower bound (10) must be below the upper bound (5)");
  CHECK(messages(steps({{0.0, none, -1}}), T::exact_capacity) == std::vector<std::string>{"0: ExactCapacity needs a capacity >= 0, got -1"});
  CHECK(messages({}) == std::vector<std::string>{"at least one step adjustment is required"});
}

TEST_CASE("step scaling: the short form, its alarm inline, and exact capacity from zero", "[scaling][step][registry][zero]") {
  // A queue-depth alarm >= 1 for 1 of 1 with ExactCapacity 2: the pattern that leaves zero.
  const ScalingPolicySpec spec = scaling_registry().build(parse_model_call(
      "step(metric=queue_depth, comparison=ge, threshold=1, bounds=[0], adjustments=[2], adjustment_type=exact, cooldown=60s)"));
  CHECK(spec.name == "step-queue_depth-1");
  auto p = spec.instantiate({"worker", 0});
  const auto* step = dynamic_cast<const StepScalingPolicy*>(p.get());
  REQUIRE(step);
  CHECK(step->alarm().spec().metric.queries()[0].key == metric_keys::sqs("ApproximateNumberOfMessagesVisible", "worker"));
  MetricStore store;
  store.series(metric_keys::sqs("ApproximateNumberOfMessagesVisible", "worker"), MetricUnit::count).publish({seconds(0), 1});
  TargetState st;
  st.now = seconds(60);
  st.desired = 0;
  CHECK(p->evaluate(store, st).desired == 2);  // 1 message >= 1: ExactCapacity 2

  std::vector<Diagnostic> errors;
  CHECK_FALSE(scaling_registry().build(
      parse_model_call("step(metric=cpu, threshold=70, comparison=lt, bounds=[0, 10], adjustments=[1], period=45s)"), "/s/0", errors));
  std::vector<std::string> messages;
  for (const auto& e : errors) messages.push_back(e.message);
  CHECK(messages == std::vector<std::string>{"step: metric cpu is published every 60 s: give period=60s",
                                             "step: period: 45 s must be 10, 20, 30 or a multiple of 60",
                                             "step: bounds has 2 values and adjustments 1: give one bound per step"});
  for (const auto& e : errors) CHECK(e.pointer == "/s/0");
  // Bounds that move towards the threshold of a "<" alarm.
  errors.clear();
  CHECK_FALSE(scaling_registry().build(
      parse_model_call("step(metric=cpu, threshold=30, comparison=lt, bounds=[0, 10], adjustments=[-1, -2])"), "/s/1", errors));
  REQUIRE_FALSE(errors.empty());
  CHECK(errors[0].message == "step: step 0 (bounds must decrease): the lower bound (10) must be below the upper bound (0)");
}
