#include "scaling/custom_policy_adapter.hpp"

#include <fmt/format.h>

namespace fargatelab::detail {

CustomPolicyAdapter::CustomPolicyAdapter(CustomPolicy policy, std::vector<MetricKey> keys)
    : policy_(std::move(policy)), keys_(std::move(keys)) {}

Recommendation CustomPolicyAdapter::evaluate(const MetricView& metrics, const TargetState& target) {
  if (target.now < next_) return Recommendation::abstain();
  next_ = target.now + policy_.period;
  PolicyObservation o;
  o.time_s = target.now.to_seconds();
  o.desired = target.desired;
  o.running = target.current;
  o.min_capacity = target.limits.min;
  o.max_capacity = target.limits.max;
  for (const MetricKey& k : keys_)
    if (const MetricSeries* s = metrics.find(k))
      if (const auto d = s->latest()) o.metrics.push_back({k.name, {d->timestamp.to_seconds(), d->value}});
  const std::optional<int> desired = policy_.decide(o);
  if (!desired) return Recommendation::abstain();
  return Recommendation::to(*desired, fmt::format("custom policy {} asked for {}", policy_.name, *desired), false);
}

}  // namespace fargatelab::detail
