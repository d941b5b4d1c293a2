// Scaling policies by name ("target_tracking(metric=cpu, target=60)"), with a parameter spec
// like every other registry (fargatelab/registry.hpp). An entry's factory checks the
// parameters once, when the scenario is validated, and returns a ScalingPolicySpec; the
// replication then instantiates one ScalingPolicy per scalable target from it.
//
// Registered: target_tracking (target_tracking_policy.hpp), step (step_policy.hpp), predictive,
// hpa and keda_sqs. AWS's own put-scaling-policy JSON is accepted too, through
// build_scaling_policy (policy_input.hpp). Scheduled actions are not policies (they set limits,
// not a desired capacity): scheduled_action_registry() in scheduled_input.hpp. Adding one:
// sim/README.md, "Adding a scaling policy".
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "fargatelab/registry.hpp"
#include "scaling/scaling_policy.hpp"

namespace fargatelab::detail {

// A checked, parameterised policy, ready to be instantiated in each replication. `instantiate`
// is never empty and returns a fresh policy (no state shared between replications or targets).
struct ScalingPolicySpec {
  std::function<std::unique_ptr<ScalingPolicy>(const PolicyContext&)> instantiate;
  // How often the policy wants to be evaluated, when it has a period of its own (Kubernetes HPA:
  // its 15 s sync period; KEDA: its 30 s pollingInterval); nullopt: the target's evaluation
  // period (AAS: once per 60 s CloudWatch period). Whoever builds the target's PolicyEvaluator
  // uses the shortest one; a policy evaluated more often than its period skips the extra calls.
  std::optional<Duration> evaluation_period;
  // The policy's name (AWS PolicyName; the short form's `name`, or one derived from its
  // parameters), for PolicyEvaluator::add and the activities' causes. May be empty.
  std::string name;
};

const Registry<ScalingPolicySpec>& scaling_registry();

}  // namespace fargatelab::detail
