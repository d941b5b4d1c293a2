// The "app_runner" section of a service in a scenario.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/diagnostics.hpp"
#include "fargatelab/scenario.hpp"
#include "platforms/app_runner/app_runner_spec.hpp"

namespace fargatelab::detail {

// App Runner instance sizes and limits on a service object `s` at JSON pointer `base`.
void check_app_runner_section(const nlohmann::json& s, const std::string& base, std::vector<Diagnostic>& out);
// The service's App Runner settings (sv.platform_spec) and what they imply: max_concurrency
// workers per instance, a waiting line in front, a one-minute active minimum, min_size instances.
void build_app_runner_service(const nlohmann::json& sj, ServiceSpec& sv);

}  // namespace fargatelab::detail
