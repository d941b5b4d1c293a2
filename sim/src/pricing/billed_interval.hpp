// The part of a usage interval that falls in the billed (measured) period.
#pragma once

#include <algorithm>

#include "fargatelab/time.hpp"

namespace fargatelab::detail {

// Seconds of [a, b] inside [from, to]; 0 when they do not overlap.
inline double seconds_within(SimTime a, SimTime b, SimTime from, SimTime to) noexcept {
  const SimTime lo = std::max(a, from), hi = std::min(b, to);
  return hi > lo ? (hi - lo).to_seconds() : 0.0;
}

}  // namespace fargatelab::detail
