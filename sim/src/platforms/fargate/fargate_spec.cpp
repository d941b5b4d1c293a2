#include "platforms/fargate/fargate_spec.hpp"

#include "random/distribution_registry.hpp"

namespace fargatelab::detail {

std::shared_ptr<const FargateSpec> build_fargate_spec(const nlohmann::json& doc) {
  using nlohmann::json;
  auto dist = [](const json& j) { return distribution_registry().build(model_call_from_json(j)); };
  const json& f = doc.at("fargate");
  auto fs = std::make_shared<FargateSpec>();
  fs->isolation = model_call_from_json(f.at("isolation"));
  fs->placement = model_call_from_json(f.at("placement"));
  fs->hosts_per_az = f.at("hosts").at("per_az").get<int>();
  fs->host_vcpu = f.at("hosts").at("vcpu").get<double>();
  fs->host_memory_gib = f.at("hosts").at("memory_gib").get<double>();
  fs->launch_burst = f.at("launch_bucket").at("burst").get<double>();
  fs->launch_per_second = f.at("launch_bucket").at("per_second").get<double>();
  fs->provisioning = dist(f.at("provisioning"));
  fs->eks_node_registration = dist(f.at("eks_node_registration"));
  const json& spot = f.at("spot");
  fs->spot_interruptions_per_task_hour = spot.at("interruptions_per_task_hour").get<double>();
  for (const json& w : spot.at("waves"))
    fs->spot_waves.push_back({parse_duration(w.at("at")), w.at("az").is_null() ? "" : w.at("az").get<std::string>(),
                              w.at("fraction").get<double>()});
  if (!spot.at("capacity_per_az").is_null()) fs->spot_capacity_per_az = spot.at("capacity_per_az").get<int>();
  fs->spot_warning = parse_duration(spot.at("warning"));
  return fs;
}

}  // namespace fargatelab::detail
