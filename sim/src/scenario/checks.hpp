// Semantic checks shared by the scenario's sections: each appends what is wrong, with the JSON
// pointer, to `out`, and tolerates parts of the wrong type (the JSON Schema reports those).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "fargatelab/diagnostics.hpp"
#include "fargatelab/registry.hpp"
#include "scenario/json_access.hpp"
#include "scenario/json_schema.hpp"

namespace fargatelab::detail {

using nlohmann::json;

// A model given by name ("lognormal(mean=4, sd=1)") that `registry` must be able to build.
template <class Product>
inline void check_model(const Registry<Product>& registry, const json& value, const std::string& pointer,
                 std::vector<Diagnostic>& out) {
  if (!value.is_string() && !value.is_object()) return;  // the schema reports the type
  try {
    registry.build(model_call_from_json(value), pointer, out);
  } catch (const std::invalid_argument& e) {
    out.push_back({pointer, e.what()});
  }
}

// Every name in owner.subnets must be one of the network's subnets.
inline void check_subnet_names(const json& doc, const json& owner, const std::string& base, std::vector<Diagnostic>& out) {
  std::map<std::string, std::size_t> names;
  if (const json* net = member(doc, "network"))
    for (std::size_t i = 0; const json& sn : array_or_empty(*net, "subnets")) names.emplace(str_or(sn, "name", ""), i++);
  const json& wanted = array_or_empty(owner, "subnets");
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    if (!wanted[i].is_string() || names.count(wanted[i].get<std::string>())) continue;
    std::vector<std::string> known;
    for (const auto& [n, _] : names) known.push_back(n);
    const std::string guess = did_you_mean(wanted[i].get<std::string>(), known);
    out.push_back({at(base + "/subnets", i), fmt::format("no subnet is named \"{}\"{}", wanted[i].get<std::string>(),
                                                         guess.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", guess))});
  }
}

}  // namespace fargatelab::detail
