// Scaling policies by name ("target_tracking(...)", "step(...)"). Policies arrive with the
// scaling issue; until then the registry is empty and a scenario naming one is told so.
#pragma once

#include "fargatelab/registry.hpp"

namespace fargatelab::detail {

struct ScalingPolicySpec {
  ModelCall call;
};

const Registry<ScalingPolicySpec>& scaling_registry();

}  // namespace fargatelab::detail
