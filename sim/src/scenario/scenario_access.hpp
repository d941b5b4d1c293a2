// What derives one scenario from another inside the library (moved_to_platform), without going
// back through text: the parts of a Scenario, set directly.
#pragma once

#include <memory>

#include <nlohmann/json.hpp>

#include "fargatelab/scenario.hpp"

namespace fargatelab::detail {

struct ScenarioAccess {
  // A scenario of these parts; `document` and `spec` must come from a validated document (the
  // caller checked what it changed).
  static Scenario make(nlohmann::json input, nlohmann::json document, ScenarioSpec spec) {
    Scenario s;
    s.input_ = std::make_shared<const nlohmann::json>(std::move(input));
    s.document_ = std::make_shared<const nlohmann::json>(std::move(document));
    s.spec_ = std::make_shared<const ScenarioSpec>(std::move(spec));
    return s;
  }
};

}  // namespace fargatelab::detail
