#include "scaling/scalable_target.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace fargatelab::detail {

void ScalableTarget::set_limits(CapacityLimits l) {
  if (l.min < 0 || l.min > l.max)
    throw std::invalid_argument(fmt::format("{}: capacity limits need 0 <= min <= max, got min {} max {}", resource_id(),
                                            l.min, l.max));
  limits_ = l;
}

IntegerTarget::IntegerTarget(std::string resource_id, std::string dimension, int initial, CapacityLimits limits)
    : resource_id_(std::move(resource_id)), dimension_(std::move(dimension)), desired_(initial), current_(initial) {
  set_limits(limits);
}

}  // namespace fargatelab::detail
