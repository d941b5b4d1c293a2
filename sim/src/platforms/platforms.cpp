// The platform registry: one line per platform. Its order is the order platforms are deployed,
// started and billed in a replication; a new platform goes at the end (earlier ones keep their
// event order, so their golden runs stay as they are).
#include <algorithm>

#include "platforms/app_runner/app_runner_model.hpp"
#include "platforms/ecs_ec2/ecs_ec2_model.hpp"
#include "platforms/fargate/fargate_model.hpp"
#include "platforms/lambda/lambda_model.hpp"
#include "platforms/platform.hpp"
#include "pricing/billed_interval.hpp"

namespace fargatelab::detail {

const std::vector<const PlatformModel*>& platform_models() {
  static const std::vector<const PlatformModel*> models = {
      &fargate_model(),
      &ecs_ec2_model(),
      &lambda_model(),
      &app_runner_model(),
  };
  return models;
}

const PlatformModel* find_platform(std::string_view name) {
  for (const PlatformModel* m : platform_models())
    if (m->name() == name) return m;
  return nullptr;
}

std::string platform_names() {
  std::string out;
  for (const PlatformModel* m : platform_models()) out += (out.empty() ? "" : ", ") + std::string(m->name());
  return out;
}

bool PlatformModel::needed(const ScenarioSpec& spec) const {
  return std::any_of(spec.services.begin(), spec.services.end(), [&](const ServiceSpec& s) { return s.platform == name(); });
}

ScalingTargetKind PlatformModel::scaling_target(const nlohmann::json& service_doc) const {
  const auto it = service_doc.find("desired_count");
  return {"ecs", it != service_doc.end() && it->is_number_integer() ? it->get<int>() : 2};
}

PlatformRuntime* Deployment::runtime(std::string_view platform) const {
  for (const auto& [name, rt] : runtimes)
    if (name == platform) return rt;
  return nullptr;
}

std::vector<std::size_t> Deployment::services_on(std::string_view platform) const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < spec.services.size(); ++i)
    if (spec.services[i].platform == platform) out.push_back(i);
  return out;
}

double BillingPeriod::clipped(SimTime a, SimTime b) const noexcept { return seconds_within(a, b, from, to); }

}  // namespace fargatelab::detail

namespace fargatelab::detail {

void refuse_ecs_deployments(const nlohmann::json& service, const std::string& base, std::string_view platform,
                            std::vector<Diagnostic>& out) {
  const auto it = service.is_object() ? service.find("deployments") : service.end();
  if (it == service.end() || !it->is_array()) return;
  for (std::size_t i = 0; i < it->size(); ++i)
    out.push_back({base + "/deployments/" + std::to_string(i),
                   std::string("deployments are ECS deployments (rolling update, circuit breaker); a ") + std::string(platform) +
                       " service's own deployments are not modelled yet: move the service to fargate or ecs_ec2, or remove "
                       "the deployment"});
}

}  // namespace fargatelab::detail
