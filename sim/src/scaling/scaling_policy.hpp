// The scaling policy interface: a policy observes metrics and recommends a desired capacity
// for its scalable target. Target tracking, step, predictive, HPA, KEDA-style and user policies
// (C++ registered by name, or a Python callable) all implement it.
//
// Contract
//  * evaluate() is called once per evaluation period of the target's PolicyEvaluator (on the
//    simulation clock, at k x period), never per request or per event. A policy keeps its own
//    state between calls (alarm datapoint counts, stabilisation windows, forecasts).
//  * It reads only what it is given: the metrics published so far and the target's state. It
//    does not change the model; the evaluator applies the combined decision of all policies.
//  * It answers with a Recommendation; cooldowns, DisableScaleIn, tolerances and missing data
//    are the policy's own rules and shape that answer (see Recommendation).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fargatelab/time.hpp"
#include "scaling/metric_view.hpp"
#include "scaling/scalable_target.hpp"

namespace fargatelab::detail {

// One change of a target's desired capacity (AAS DescribeScalingActivities).
struct ScalingActivity {
  SimTime at;
  int from = 0;        // desired capacity before
  int to = 0;          // desired capacity after, within the limits
  int requested = 0;   // what the winning policy asked for, before clamping to the limits
  std::string policy;  // the winning policy's name
  std::string cause;   // its reason, in AWS's words ("monitor alarm ... in state ALARM triggered policy ...")
};

// The target as a policy sees it at an evaluation.
struct TargetState {
  SimTime now;
  int desired = 0;  // ScalableTarget::desired_capacity()
  int current = 0;  // ScalableTarget::current_capacity()
  CapacityLimits limits;
  SuspendedState suspended;
  // The target's latest activity in each direction (by any policy), for cooldowns: AAS lets a
  // scale-out cooldown count the capacity its activity added, and a scale-out ends a scale-in
  // cooldown. nullopt before the first one.
  std::optional<ScalingActivity> last_scale_out, last_scale_in;
};

// A policy's answer for one evaluation.
//  * desired: the capacity it asks for (any integer; the target clamps to its limits), or
//    nullopt: no change asked.
//  * votes_on_scale_in: AAS scales in only when every target tracking policy with scale-in
//    enabled is ready to scale in. A voting policy that asks for no capacity below the
//    target's desired capacity (nullopt included: insufficient data, within the band, in
//    cooldown) holds back every voter's scale-in. A non-voting policy (DisableScaleIn; step
//    scaling, whose scale-in target tracking does not block) never holds others back, and its
//    own scale-in needs no vote.
//  * floor (predictive scaling in ForecastAndScale): a request at or below the desired capacity
//    that never scales in by itself; it only stops others from scaling in below it (AWS combines
//    predictive and dynamic capacity by taking the larger: aws-facts D.1; "predictive scaling
//    will not scale in": aws-facts-2 1.5). A floor above the desired capacity is a scale-out.
//  * max_capacity (predictive IncreaseMaxCapacity): a maximum this request may go up to when it
//    is above the target's MaxCapacity; the evaluator raises the target's maximum to it when this
//    request wins a scale-out (as in EC2 Auto Scaling, a raised maximum stays raised).
struct Recommendation {
  std::optional<int> desired;
  bool votes_on_scale_in = true;
  std::string cause;
  bool floor = false;
  std::optional<int> max_capacity;

  // No change, and no consent to scale in (the usual answer of a target tracking policy).
  static Recommendation hold() { return {}; }
  // No change and no vote (a policy with nothing to say this period).
  static Recommendation abstain() { return {std::nullopt, false, {}, false, {}}; }
  static Recommendation to(int capacity, std::string cause, bool votes_on_scale_in = true) {
    return {capacity, votes_on_scale_in, std::move(cause)};
  }
  // Scale out to `capacity` if it is above the desired capacity; else hold scale-in at it.
  static Recommendation at_least(int capacity, std::string cause) { return {capacity, true, std::move(cause), true, {}}; }
};

class Alarm;  // scaling/alarm.hpp

class ScalingPolicy {
 public:
  virtual ~ScalingPolicy() = default;
  virtual Recommendation evaluate(const MetricView& metrics, const TargetState& target) = 0;
  // The CloudWatch alarms the policy evaluates (target tracking: AlarmHigh, AlarmLow; step: its
  // alarm), for the event log and plots: each has its state history and a state_changed signal.
  // Valid for the policy's lifetime; empty for policies without alarms.
  virtual std::vector<const Alarm*> alarms() const { return {}; }
};

// What a registered policy is instantiated against, once per replication and target.
struct PolicyContext {
  std::string service;         // the scenario service whose capacity it scales (metric dimension ServiceName)
  std::size_t service_index = 0;
  // AAS ServiceNamespace of the target: "ecs" (an ECS service) or "lambda" (provisioned
  // concurrency). Defaults that AWS gives per namespace follow it (cooldowns: 300 s for ecs, 0 s
  // for lambda; scaling/cooldown.hpp).
  std::string service_namespace = "ecs";
  // AAS ResourceId, for alarm names and causes; empty: "service/default/<service>" for ecs,
  // "function:<service>" otherwise.
  std::string resource_id;
  std::string resource() const {
    if (!resource_id.empty()) return resource_id;
    return service_namespace == "ecs" ? "service/default/" + service : "function:" + service;
  }
};

}  // namespace fargatelab::detail
