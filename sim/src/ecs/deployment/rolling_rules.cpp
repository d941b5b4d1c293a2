#include "ecs/deployment/rolling_rules.hpp"

#include <algorithm>
#include <cmath>

namespace fargatelab::detail {

// Integer arithmetic: percent x desired / 100 rounded without floating-point error.
int minimum_healthy_tasks(int desired, int pct) noexcept {
  const long long p = static_cast<long long>(desired) * pct;
  return static_cast<int>((p + 99) / 100);
}

int maximum_tasks(int desired, int pct) noexcept { return static_cast<int>(static_cast<long long>(desired) * pct / 100); }

int circuit_breaker_threshold(const CircuitBreakerConfig& c, int desired) noexcept {
  switch (c.threshold_type) {
    case ThresholdType::count:
      return std::max(1, static_cast<int>(std::lround(c.threshold_value)));
    case ThresholdType::unbounded_percent:
      return std::max(1, static_cast<int>(std::ceil(c.threshold_value * desired / 100.0 - 1e-9)));
    case ThresholdType::bounded_percent:
    default:
      return std::clamp(static_cast<int>(std::ceil(c.threshold_value * desired / 100.0 - 1e-9)), 3, 200);
  }
}

const char* to_string(ThresholdType t) noexcept {
  switch (t) {
    case ThresholdType::unbounded_percent: return "UNBOUNDED_PERCENT";
    case ThresholdType::count: return "COUNT";
    case ThresholdType::bounded_percent:
    default: return "BOUNDED_PERCENT";
  }
}

}  // namespace fargatelab::detail
