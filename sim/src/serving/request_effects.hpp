// What a bad version (a revision's behavior, ecs/deployment/deployment_spec.hpp) or a fault
// (faults/) does to each request a task serves. Applied once per request, when it is put on a
// task (Service::deliver_to).
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "fargatelab/random.hpp"

namespace fargatelab::detail {

struct RequestEffects {
  // Share of requests answered with an application error (Outcome::app_error, HTTP 500) after
  // the request's own work, in [0, 1]; its calls are not made.
  double error_share = 0;
  // Multiplies the request's CPU demand (a slower build, a hot loop).
  double cpu_factor = 1;
  // Extra off-CPU wall time per request (seconds, a distribution): a slow query, a lock; the
  // worker is held through it.
  std::optional<Distribution> extra_latency;
  bool any() const noexcept { return error_share > 0 || cpu_factor != 1 || extra_latency.has_value(); }
};

// From a checked scenario object with defaults filled: its "error_share", "cpu_factor" and
// "extra_latency" (null: none), each where the object's schema has it.
RequestEffects build_request_effects(const nlohmann::json& object);

}  // namespace fargatelab::detail
