// Application Auto Scaling cooldowns, shared by target tracking and step scaling (AAS user guide,
// "Cooldown period" in target-tracking and step-scaling policies; API reference
// TargetTrackingScalingPolicyConfiguration ScaleOutCooldown / ScaleInCooldown):
//  * scale-out cooldown: after a scale-out the policy "won't increase the desired capacity again
//    unless either a larger scale out is triggered or the cooldown period ends", and "the
//    capacity added by the initiating scale-out activity is calculated as part of the desired
//    capacity for the next scale-out" (a step of +2, then +3 during the cooldown adds only 1).
//    Here: during the cooldown a scale-out is computed from the capacity before the activity
//    (`from`) and goes ahead only if it asks for more than the activity set (`to`).
//  * scale-in cooldown: "scale-in activities are blocked until the cooldown period has expired";
//    a scale-out during it ends it ("the scale-in cooldown period stops and doesn't complete").
// The activities are the target's latest ones in each direction (TargetState), whichever policy
// made them. A scale-out made during a cooldown starts a new one but still counts what the
// first added: +2, then +3 (adds 1), then +3 again adds nothing until a cooldown expires
// (ScaleOutCooldownTracker keeps the capacity before the first, the base of the chain).
#pragma once

#include <optional>
#include <string_view>

#include "scaling/scaling_policy.hpp"

namespace fargatelab::detail {

// The scale-out activity whose cooldown is in effect at target.now (ended by the cooldown's
// expiry, or by a later scale-in), or nullopt.
std::optional<ScalingActivity> scale_out_cooldown(const TargetState& target, Duration cooldown);
// Whether a scale-in is blocked at target.now: a scale-in less than `cooldown` ago and no
// scale-out since.
bool in_scale_in_cooldown(const TargetState& target, Duration cooldown);

// Per policy instance: the scale-out cooldown in effect at an evaluation, with the capacity a
// scale-out is computed from (`base`, before the chain of scale-outs in cooldown began) and the
// capacity it must exceed (`above`, what the latest one set).
class ScaleOutCooldownTracker {
 public:
  struct InEffect {
    int base = 0;
    int above = 0;
  };
  std::optional<InEffect> in_effect(const TargetState& target, Duration cooldown);

 private:
  std::optional<ScalingActivity> last_;  // the latest scale-out seen in cooldown
  int base_ = 0;
};

// AAS's default cooldown for a service namespace (API reference, ScaleOutCooldown): 300 s for
// AppStream 2.0 fleets, Aurora DB clusters, ECS services, EMR clusters, Neptune clusters,
// SageMaker endpoint variants, inference components and serverless provisioned concurrency,
// Spot Fleets and custom resources; 0 s for every other target (DynamoDB, Comprehend, Lambda
// provisioned concurrency, Keyspaces, MSK, ElastiCache, WorkSpaces). The step scaling Cooldown
// defaults to 300 s where step scaling exists (CFN StepScalingPolicyConfiguration), which the
// same table gives: step scaling is not supported for DynamoDB, Comprehend, Lambda, Keyspaces
// or MSK (AAS user guide, step scaling limitations).
Duration default_cooldown(std::string_view service_namespace) noexcept;

}  // namespace fargatelab::detail
