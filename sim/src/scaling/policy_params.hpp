// Building the ParamSpecs of the scaling policies' short forms (target_tracking(...), step(...)).
#pragma once

#include <optional>
#include <string>

#include "fargatelab/registry.hpp"

namespace fargatelab::detail {

// A parameter: required ones have no default; `min` is an inclusive lower bound (seconds for
// durations) unless `min_exclusive`.
inline ParamSpec policy_param(std::string name, ParamType type, bool required, nlohmann::json default_value,
                              std::optional<double> min, std::string doc, bool min_exclusive = false) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = type;
  p.required = required;
  p.default_value = std::move(default_value);
  p.min = min;
  p.min_exclusive = min_exclusive;
  p.doc = std::move(doc);
  return p;
}

}  // namespace fargatelab::detail
