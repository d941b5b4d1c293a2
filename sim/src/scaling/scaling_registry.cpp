#include "scaling/scaling_registry.hpp"

#include "scaling/hpa_policy.hpp"
#include "scaling/keda_policy.hpp"
#include "scaling/predictive_policy.hpp"
#include "scaling/step_policy.hpp"
#include "scaling/target_tracking_policy.hpp"

namespace fargatelab::detail {
namespace {

// Each policy lives in its own file (sim/src/scaling/<name>_policy.cpp) with a function that
// adds its entry; it is called here, one line per policy. Explicit calls rather than static
// self-registration: the library is static, and the linker drops object files nothing names.
Registry<ScalingPolicySpec> make() {
  Registry<ScalingPolicySpec> r("scaling policy");
  add_predictive_policy(r);
  add_hpa_policy(r);
  add_keda_sqs_policy(r);
  add_target_tracking_policy(r);
  add_step_policy(r);
  return r;
}

}  // namespace

const Registry<ScalingPolicySpec>& scaling_registry() {
  static const Registry<ScalingPolicySpec> r = make();
  return r;
}

}  // namespace fargatelab::detail
