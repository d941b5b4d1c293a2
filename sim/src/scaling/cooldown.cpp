#include "scaling/cooldown.hpp"

#include <array>

namespace fargatelab::detail {

std::optional<ScalingActivity> scale_out_cooldown(const TargetState& target, Duration cooldown) {
  const auto& out = target.last_scale_out;
  if (!out || target.now >= out->at + cooldown) return std::nullopt;
  if (target.last_scale_in && target.last_scale_in->at > out->at) return std::nullopt;
  return out;
}

bool in_scale_in_cooldown(const TargetState& target, Duration cooldown) {
  const auto& in = target.last_scale_in;
  if (!in || target.now >= in->at + cooldown) return false;
  return !(target.last_scale_out && target.last_scale_out->at > in->at);
}

std::optional<ScaleOutCooldownTracker::InEffect> ScaleOutCooldownTracker::in_effect(const TargetState& target, Duration cooldown) {
  const auto out = scale_out_cooldown(target, cooldown);
  if (!out) {
    last_.reset();
    return std::nullopt;
  }
  if (!last_ || last_->at != out->at) {
    // A new scale-out: part of the chain if it was made during the previous one's cooldown,
    // from the capacity that one set.
    const bool chained = last_ && out->from == last_->to && out->at < last_->at + cooldown;
    if (!chained) base_ = out->from;
    last_ = out;
  }
  return InEffect{base_, out->to};
}

Duration default_cooldown(std::string_view service_namespace) noexcept {
  static constexpr std::array<std::string_view, 8> k300 = {"appstream", "rds",       "ecs",  "elasticmapreduce",
                                                           "neptune",   "sagemaker", "ec2",  "custom-resource"};
  for (auto ns : k300)
    if (ns == service_namespace) return seconds(300);
  return Duration::zero();
}

}  // namespace fargatelab::detail
