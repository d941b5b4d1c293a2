// Scaling policies by name ("target_tracking(metric=cpu, target=60)"), with a parameter spec
// like every other registry (fargatelab/registry.hpp). An entry's factory checks the
// parameters once, when the scenario is validated, and returns a ScalingPolicySpec; the
// replication then instantiates one ScalingPolicy per scalable target from it.
//
// Registered: target_tracking (target_tracking_policy.hpp) and step (step_policy.hpp). AWS's own
// put-scaling-policy JSON is accepted too, through build_scaling_policy (policy_input.hpp).
// Adding one: sim/README.md, "Adding a scaling policy".
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "fargatelab/registry.hpp"
#include "scaling/scaling_policy.hpp"

namespace fargatelab::detail {

// A checked, parameterised policy, ready to be instantiated in each replication. `instantiate`
// is never empty and returns a fresh policy (no state shared between replications or targets).
struct ScalingPolicySpec {
  std::function<std::unique_ptr<ScalingPolicy>(const PolicyContext&)> instantiate;
  // The policy's name (AWS PolicyName; the short form's `name`, or one derived from its
  // parameters), for PolicyEvaluator::add and the activities' causes. May be empty.
  std::string name;
};

const Registry<ScalingPolicySpec>& scaling_registry();

}  // namespace fargatelab::detail
