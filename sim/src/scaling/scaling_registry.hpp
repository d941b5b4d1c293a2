// Scaling policies by name ("target_tracking(metric=cpu, target=60)"), with a parameter spec
// like every other registry (fargatelab/registry.hpp). An entry's factory checks the
// parameters once, when the scenario is validated, and returns a ScalingPolicySpec; the
// replication then instantiates one ScalingPolicy per scalable target from it.
//
// Policies arrive with the scaling issue (target tracking, step, scheduled, predictive, HPA,
// KEDA-style); until then the registry is empty and a scenario naming one is told so ("no
// scaling policy is available yet"). Adding one: sim/README.md, "Adding a scaling policy".
#pragma once

#include <functional>
#include <memory>

#include "fargatelab/registry.hpp"
#include "scaling/scaling_policy.hpp"

namespace fargatelab::detail {

// A checked, parameterised policy, ready to be instantiated in each replication. `instantiate`
// is never empty and returns a fresh policy (no state shared between replications or targets).
struct ScalingPolicySpec {
  std::function<std::unique_ptr<ScalingPolicy>(const PolicyContext&)> instantiate;
};

const Registry<ScalingPolicySpec>& scaling_registry();

}  // namespace fargatelab::detail
