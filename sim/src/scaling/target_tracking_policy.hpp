// Application Auto Scaling target tracking (PutScalingPolicy PolicyType TargetTrackingScaling).
// Sources: AAS user guide application-auto-scaling-target-tracking.md; API
// TargetTrackingScalingPolicyConfiguration; ECS dev guide service-autoscaling-targettracking;
// aws-facts-2 §1.1, §1.3, §1.6.
//
// Rules
//  * Two alarms, as AWS creates them (observed in exported alarms; AWS does not document the
//    counts): AlarmHigh "TargetTracking-<resource>-AlarmHigh-<policy>": metric > target
//    (GreaterThanThreshold, strict) for 3 of 3 datapoints; AlarmLow "...-AlarmLow-...": metric <
//    0.9 x target (LessThanThreshold) for 15 of 15; period = the metric's (60 s; 20 s for the
//    HighResolution types), TreatMissingData missing. DisableScaleIn: no AlarmLow.
//    High-resolution counts are not documented (aws-facts-2 §1.3); defaults 3 and 15 datapoints
//    (the standard counts, so AlarmHigh reacts in 60 s instead of 3 min), parameters.
//  * While AlarmHigh is in ALARM (alarms invoke Auto Scaling actions every period they stay in
//    ALARM, CloudWatch "Using alarms"): desired = ceil(desired x metric / target), metric = the
//    newest datapoint AlarmHigh evaluated; from 0 at least 1 (the formula gives 0 there; AWS
//    scales a 0-task service out when its alarm fires, aws/copilot-cli #3376).
//  * While AlarmLow is in ALARM on N real datapoints: remove floor(desired - desired x metric /
//    target) ("rounding up or down ... This prevents it from adding insufficient capacity or
//    removing too much capacity"). INSUFFICIENT_DATA or any missing datapoint never scales in
//    ("does not interpret insufficient data as low utilization").
//  * Cooldowns (scaling/cooldown.hpp): ScaleOutCooldown, ScaleInCooldown, default by namespace
//    (300 s ecs, 0 s lambda).
//  * Votes on scale-in unless DisableScaleIn (then it never asks below the desired capacity).
#pragma once

#include <optional>
#include <string>

#include "fargatelab/registry.hpp"
#include "scaling/alarm.hpp"
#include "scaling/cooldown.hpp"
#include "scaling/policy_metrics.hpp"
#include "scaling/scaling_registry.hpp"

namespace fargatelab::detail {

struct TargetTrackingConfig {
  std::string policy_name = "target_tracking";
  double target_value = 0;  // > 0, in the metric's unit (percent, requests per target per minute, 0..1)
  MetricResolver metric;    // predefined or customized
  bool disable_scale_in = false;
  std::optional<Duration> scale_out_cooldown, scale_in_cooldown;  // nullopt: default_cooldown(namespace)
  int high_datapoints = 3;   // AlarmHigh: N = M
  int low_datapoints = 15;   // AlarmLow: N = M
  double scale_in_ratio = 0.9;  // AlarmLow threshold = ratio x target ("usually more than 10% lower")
};

class TargetTrackingPolicy final : public ScalingPolicy {
 public:
  TargetTrackingPolicy(const TargetTrackingConfig& config, const PolicyContext& ctx);

  Recommendation evaluate(const MetricView& metrics, const TargetState& target) override;
  std::vector<const Alarm*> alarms() const override;

  const Alarm& alarm_high() const noexcept { return high_; }
  const Alarm* alarm_low() const noexcept { return low_ ? &*low_ : nullptr; }
  Duration scale_out_cooldown() const noexcept { return out_cooldown_; }
  Duration scale_in_cooldown() const noexcept { return in_cooldown_; }

 private:
  std::string cause(const Alarm& a) const;

  std::string name_;
  double target_;
  bool disable_scale_in_;
  Duration out_cooldown_, in_cooldown_;
  Alarm high_;
  std::optional<Alarm> low_;
  ScaleOutCooldownTracker out_tracker_;
};

// The spec the registry and the AWS-JSON input build; `config` is checked (target > 0,
// datapoints >= 1, metric set).
ScalingPolicySpec target_tracking_spec(TargetTrackingConfig config);

// Registers "target_tracking(metric=cpu, target=60, disable_scale_in=false,
// scale_out_cooldown=300s, scale_in_cooldown=300s, high_datapoints=3, low_datapoints=15, name=...)".
void add_target_tracking_policy(Registry<ScalingPolicySpec>& r);

}  // namespace fargatelab::detail
