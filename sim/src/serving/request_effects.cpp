#include "serving/request_effects.hpp"

#include "random/distribution_registry.hpp"

namespace fargatelab::detail {

RequestEffects build_request_effects(const nlohmann::json& o) {
  RequestEffects e;
  if (o.contains("error_share")) e.error_share = o.at("error_share").get<double>();
  if (o.contains("cpu_factor")) e.cpu_factor = o.at("cpu_factor").get<double>();
  if (o.contains("extra_latency") && !o.at("extra_latency").is_null())
    e.extra_latency = distribution_registry().build(model_call_from_json(o.at("extra_latency")));
  return e;
}

}  // namespace fargatelab::detail
