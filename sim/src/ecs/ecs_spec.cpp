#include "ecs/ecs_spec.hpp"

#include <optional>
#include <stdexcept>

#include "random/distribution_registry.hpp"

namespace fargatelab::detail {

EcsSpec build_ecs_spec(const nlohmann::json& doc) {
  const nlohmann::json& f = doc.at("fargate");
  auto dist = [](const nlohmann::json& j) { return distribution_registry().build(model_call_from_json(j)); };
  EcsSpec e;
  e.service_launch_burst = f.at("service_launch_rate").at("burst").get<double>();
  e.service_launch_per_second = f.at("service_launch_rate").at("per_second").get<double>();
  e.eni_attach = dist(f.at("eni_attach"));
  e.eni_detach = dist(f.at("eni_detach"));
  e.activating = dist(f.at("activating"));
  e.backoff_initial = parse_duration(f.at("restart_backoff").at("initial"));
  e.backoff_factor = f.at("restart_backoff").at("factor").get<double>();
  e.backoff_max = parse_duration(f.at("restart_backoff").at("max"));
  // A null override keeps the model's sourced default (image_pull.hpp).
  const nlohmann::json& pull = f.at("image_pull");
  auto set = [&](double& field, const char* key) {
    if (!pull.at(key).is_null()) field = pull.at(key).get<double>();
  };
  set(e.image_pull.per_layer_overhead_s, "per_layer_overhead_s");
  set(e.image_pull.nat_bandwidth_mb_per_s, "nat_mb_per_s");
  set(e.image_pull.vpc_endpoint_bandwidth_mb_per_s, "vpc_endpoint_mb_per_s");
  set(e.image_pull.public_ip_bandwidth_mb_per_s, "public_ip_mb_per_s");
  set(e.image_pull.extract_mb_per_s_per_vcpu, "extract_mb_per_s_per_vcpu");
  set(e.image_pull.noise_sd, "noise_sd");
  e.region = doc.at("region").get<std::string>();
  return e;
}

const EcsSpec& ecs_settings(const ScenarioSpec& spec) {
  if (!spec.ecs) throw std::logic_error("ScenarioSpec::ecs is not set (build the spec with the scenario loader)");
  return *spec.ecs;
}

}  // namespace fargatelab::detail
