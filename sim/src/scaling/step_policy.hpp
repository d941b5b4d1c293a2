// Application Auto Scaling step scaling (PutScalingPolicy PolicyType StepScaling). Sources: AAS
// user guide application-auto-scaling-step-scaling-policies.md (step adjustments, bounds,
// adjustment types and rounding, MinAdjustmentMagnitude, cooldown and its worked example); CFN
// AWS::ApplicationAutoScaling::ScalingPolicy StepScalingPolicyConfiguration (Cooldown default
// 300, MetricAggregationType default Average); aws-facts-2 §1.2.
//
// Rules
//  * The policy runs while its alarm (yours, scaling/alarm.hpp) is in ALARM, every evaluation
//    (CloudWatch invokes Auto Scaling actions every period the alarm stays in ALARM).
//  * MetricAggregationType (Average, Minimum, Maximum) over the datapoints the alarm evaluated
//    gives the metric; metric - threshold picks the step. Above the threshold a step's lower
//    bound is inclusive and its upper bound exclusive; below it the reverse; at the threshold
//    itself (a ...OrEqualTo alarm) the side is the alarm's direction.
//  * ChangeInCapacity: desired + adjustment; ExactCapacity: the adjustment;
//    PercentChangeInCapacity: desired x adjustment / 100 rounded: > 1 down, 0..1 -> 1,
//    -1..0 -> -1, < -1 up; then at least MinAdjustmentMagnitude in absolute value.
//  * Cooldown (scaling/cooldown.hpp; default 300 s for ECS): during a scale-out's cooldown only a
//    larger scale-out proceeds, computed from the capacity before it (+2 then +3 adds 1);
//    scale-in waits for the cooldown of the last scale-in, which a scale-out ends.
//  * votes_on_scale_in = false: target tracking does not block a step scale-in, and the step
//    policy does not hold back target tracking.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fargatelab/registry.hpp"
#include "scaling/alarm.hpp"
#include "scaling/cooldown.hpp"
#include "scaling/scaling_registry.hpp"

namespace fargatelab::detail {

enum class AdjustmentType : std::uint8_t { change_in_capacity, exact_capacity, percent_change_in_capacity };
enum class MetricAggregationType : std::uint8_t { average, minimum, maximum };
const char* to_string(AdjustmentType t) noexcept;         // "ChangeInCapacity", ...
const char* to_string(MetricAggregationType t) noexcept;  // "Average", "Minimum", "Maximum"
std::optional<AdjustmentType> parse_adjustment_type(std::string_view s) noexcept;
std::optional<MetricAggregationType> parse_metric_aggregation_type(std::string_view s) noexcept;

// StepAdjustment: bounds relative to the alarm threshold; nullopt = -infinity (lower) or
// +infinity (upper).
struct StepAdjustment {
  std::optional<double> lower, upper;
  int scaling_adjustment = 0;
};

// AWS's rules for a set of steps: each step has a bound; lower < upper; ranges neither overlap
// nor leave a gap; at most one null lower and one null upper bound; a negative lower bound needs
// a step with a null lower bound and a positive upper bound one with a null upper bound; an
// ExactCapacity adjustment is >= 0. Each problem names its step (index into `steps`) or none.
struct StepProblem {
  std::optional<std::size_t> step;
  std::string message;
};
std::vector<StepProblem> check_step_adjustments(const std::vector<StepAdjustment>& steps, AdjustmentType type);

// The step for `delta` = aggregated metric - threshold, or nullptr (no step covers it).
// `upward`: the alarm fires on high values (Greater*), deciding the side at delta == 0.
const StepAdjustment* find_step(const std::vector<StepAdjustment>& steps, double delta, bool upward);

// The percent change in capacity, rounded as AAS does, then raised to min_magnitude if given.
int percent_change(int capacity, int percent, std::optional<int> min_magnitude);
// The capacity an adjustment asks for from `capacity`.
int adjusted_capacity(AdjustmentType type, int capacity, int adjustment, std::optional<int> min_magnitude);

struct StepScalingConfig {
  std::string policy_name = "step";
  AdjustmentType adjustment_type = AdjustmentType::change_in_capacity;
  std::vector<StepAdjustment> steps;
  std::optional<int> min_adjustment_magnitude;  // PercentChangeInCapacity only, >= 1
  std::optional<Duration> cooldown;             // nullopt: default_cooldown(namespace), 300 s for ECS
  MetricAggregationType aggregation = MetricAggregationType::average;
};

class StepScalingPolicy final : public ScalingPolicy {
 public:
  StepScalingPolicy(StepScalingConfig config, AlarmSpec alarm, const PolicyContext& ctx);

  Recommendation evaluate(const MetricView& metrics, const TargetState& target) override;
  std::vector<const Alarm*> alarms() const override { return {&alarm_}; }
  const Alarm& alarm() const noexcept { return alarm_; }
  Duration cooldown() const noexcept { return cooldown_; }

 private:
  StepScalingConfig config_;
  Duration cooldown_;
  Alarm alarm_;
  ScaleOutCooldownTracker out_tracker_;
};

// The spec for a checked config (std::invalid_argument if check_step_adjustments finds a
// problem). `alarm` is resolved per target (the short form names the service's metrics).
using AlarmResolver = std::function<AlarmSpec(const PolicyContext&)>;
ScalingPolicySpec step_scaling_spec(StepScalingConfig config, AlarmResolver alarm);

// Registers "step(metric=cpu, comparison=gt, threshold=70, bounds=[0, 10, 20],
// adjustments=[1, 2, 3], adjustment_type=change, ...)": the alarm is defined inline; step i
// spans bounds[i]..bounds[i+1], the last one open away from the threshold (bounds increase for
// a Greater* alarm, decrease for a Less* one).
void add_step_policy(Registry<ScalingPolicySpec>& r);

}  // namespace fargatelab::detail
