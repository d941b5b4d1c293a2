// The scenario schema, assembled: the core (scenarios/schema/scenario.core.schema.json) with each
// registered platform's part (sim/src/platforms/<name>/<name>.schema.json): its name in the
// services' "platform" enum, its service section right after "platform", its scenario-wide
// sections at the end, in registry order. scenarios/schema/scenario.schema.json is this text,
// committed for editors and readers; a test keeps the two equal.
#include <stdexcept>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "fargatelab/scenario.hpp"
#include "platforms/platform.hpp"

namespace fargatelab::detail {

extern const std::string_view kScenarioSchema;
extern const std::pair<std::string_view, std::string_view> kPlatformSchemas[];
extern const std::size_t kPlatformSchemaCount;

namespace {

using ordered = nlohmann::ordered_json;

// The platform's schema part, or an empty object for a platform without one.
ordered platform_part(std::string_view platform) {
  for (std::size_t i = 0; i < kPlatformSchemaCount; ++i)
    if (kPlatformSchemas[i].first == platform) return ordered::parse(kPlatformSchemas[i].second);
  return ordered::object();
}

std::string assemble() {
  ordered core = ordered::parse(kScenarioSchema);
  core.erase("$comment");
  std::vector<ordered> parts;
  for (const PlatformModel* m : platform_models()) parts.push_back(platform_part(m->name()));
  ordered& service = core.at("$defs").at("service").at("properties");
  ordered props = ordered::object();
  for (auto& [key, value] : service.items()) {
    props[key] = value;
    if (key != "platform") continue;
    for (const PlatformModel* m : platform_models()) props[key]["enum"].push_back(std::string(m->name()));
    for (const ordered& part : parts)
      if (part.contains("service"))
        for (const auto& [k, v] : part.at("service").items()) {
          if (props.contains(k)) throw std::logic_error(fmt::format("platform schema: service property \"{}\" defined twice", k));
          props[k] = v;
        }
  }
  service = std::move(props);
  ordered& top = core.at("properties");
  for (const ordered& part : parts)
    if (part.contains("scenario"))
      for (const auto& [k, v] : part.at("scenario").items()) {
        if (top.contains(k)) throw std::logic_error(fmt::format("platform schema: scenario property \"{}\" defined twice", k));
        top[k] = v;
      }
  return core.dump(2) + "\n";
}

}  // namespace

const std::string& assembled_scenario_schema() {
  static const std::string text = assemble();
  return text;
}

}  // namespace fargatelab::detail
