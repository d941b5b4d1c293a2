#include "scaling/scaling_registry.hpp"

namespace fargatelab::detail {

const Registry<ScalingPolicySpec>& scaling_registry() {
  static const Registry<ScalingPolicySpec> r("scaling policy");
  return r;
}

}  // namespace fargatelab::detail
