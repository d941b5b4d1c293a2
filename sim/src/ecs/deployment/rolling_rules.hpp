// The arithmetic of the ECS rolling update and its circuit breaker, as pure functions.
#pragma once

#include "ecs/deployment/deployment_spec.hpp"

namespace fargatelab::detail {

// Tasks that must stay healthy during the deployment: minimumHealthyPercent of the desired
// count, rounded up (ECS: "min 75 % of 2 rounds up to 2").
int minimum_healthy_tasks(int desired, int minimum_healthy_percent) noexcept;
// Tasks (RUNNING or PENDING, old and new) allowed at once: maximumPercent of the desired count,
// rounded down ("max 125 % of 3 rounds down to 3").
int maximum_tasks(int desired, int maximum_percent) noexcept;
// Failed tasks that trip the circuit breaker at this desired count (the latest one: scaling
// during a deployment moves it). BOUNDED_PERCENT: ceil(value % x desired) clamped to 3..200
// (desired 1 -> 3, 10 -> 5, 25 -> 13, 400 -> 200); UNBOUNDED_PERCENT: no clamp, at least 1;
// COUNT: the value.
int circuit_breaker_threshold(const CircuitBreakerConfig& c, int desired) noexcept;

}  // namespace fargatelab::detail
