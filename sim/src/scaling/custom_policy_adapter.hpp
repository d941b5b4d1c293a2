// A user's CustomPolicy (fargatelab/custom_policy.hpp) as a ScalingPolicy: it builds the
// observation from the service's published metrics and the target's state, once per the
// policy's period, and turns the answer into a Recommendation that does not vote on scale-in.
#pragma once

#include <string>
#include <vector>

#include "fargatelab/custom_policy.hpp"
#include "scaling/scaling_policy.hpp"

namespace fargatelab::detail {

class CustomPolicyAdapter final : public ScalingPolicy {
 public:
  // keys: the service's published metrics, read by name (the key's metric name).
  CustomPolicyAdapter(CustomPolicy policy, std::vector<MetricKey> keys);
  Recommendation evaluate(const MetricView& metrics, const TargetState& target) override;

 private:
  CustomPolicy policy_;
  std::vector<MetricKey> keys_;
  SimTime next_;  // the policy's own period may be longer than the evaluator's
};

}  // namespace fargatelab::detail
