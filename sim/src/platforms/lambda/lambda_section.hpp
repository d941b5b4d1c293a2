// The "lambda" section of a service in a scenario.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/diagnostics.hpp"
#include "fargatelab/scenario.hpp"
#include "platforms/lambda/lambda_spec.hpp"

namespace fargatelab::detail {

// Lambda limits (Lambda developer guide, quotas; SnapStart; event source mappings) on a service
// object `s` at JSON pointer `base`; each problem appended to `out`.
void check_lambda_section(const nlohmann::json& s, const std::string& base, std::vector<Diagnostic>& out);
// The function's settings (sv.platform_spec) from a validated service object, and what they
// imply: one request per environment at the function's CPU share, no ECS tasks, no load balancer.
void build_lambda_service(const nlohmann::json& sj, ServiceSpec& sv);

}  // namespace fargatelab::detail
