#include "scenario/platform_move.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "platforms/platform.hpp"
#include "scenario/json_schema.hpp"
#include "scenario/scenario_access.hpp"
#include "scenario/semantics.hpp"

namespace fargatelab::detail {

using nlohmann::json;

Scenario moved_to_platform(const Scenario& scenario, const PlatformMove& move) {
  const PlatformModel* model = find_platform(move.platform);
  if (!model) throw std::invalid_argument(fmt::format("no platform is named \"{}\" (platforms: {})", move.platform, platform_names()));
  json input = scenario.input();
  json doc = scenario.document();
  json strategy = json::array();
  for (const StrategyItem& item : move.strategy)
    strategy.push_back({{"capacity_provider", item.capacity_provider}, {"base", item.base}, {"weight", item.weight}});
  // The input changes as the document does, so input() stays what the document was made from.
  const std::size_t services = doc.at("services").size();
  for (json* d : {&input, &doc})
    for (std::size_t i = 0; i < services; ++i) {
      json& sv = (*d)["services"][i];
      // A scaling section scales what the service's platform gives (an ECS service's desired
      // count, a function's provisioned concurrency): one written for another kind of target
      // does not move with the service.
      const json& before = doc.at("services").at(i);
      const PlatformModel* from = find_platform(before.at("platform").get<std::string>());
      const PlatformModel* to = find_platform(move.platform);
      if (from && to && from->scaling_target(before).service_namespace != to->scaling_target(before).service_namespace)
        sv["scaling"] = json::array();
      sv["platform"] = move.platform;
      sv["capacity_provider_strategy"] = strategy;
      const json& scaling = doc.at("services").at(i).at("scaling");
      if (!move.default_policies.empty() && scaling.is_array() && scaling.empty()) {
        const int desired = doc.at("services").at(i).at("desired_count").get<int>();
        sv["scaling"] = {{"min_capacity", std::min(2, desired)}, {"policies", move.default_policies}};
        sv["schedule"] = json::array();
      }
    }
  if (move.ec2_spot) {
    const json::json_pointer providers("/ec2/capacity_providers");
    const bool written = input.contains(providers) && input.at(providers).is_array() && !input.at(providers).empty();
    for (json* d : {&input, &doc}) {
      if (written)
        for (json& p : d->at(providers)) p["spot"] = true;
      else
        (*d)["ec2"]["capacity_providers"] = json::array({{{"name", "default"}, {"spot", true}}});
    }
  }
  scenario_json_schema().fill_defaults(doc);  // the new provider's fields, if one was added

  std::vector<Diagnostic> problems;
  for (std::size_t i = 0; i < services; ++i) model->check(doc, i, problems);
  for (const PlatformModel* m : platform_models()) m->check(doc, kWholeScenario, problems);
  throw_problems(std::move(problems));
  ScenarioSpec spec = build_spec(doc);
  return ScenarioAccess::make(std::move(input), std::move(doc), std::move(spec));
}

}  // namespace fargatelab::detail
