// Constants the C++ core, the CLI and the Python package share, defined here once. fargatelab._core
// exports them (MONTH_HOURS, COMPARE_OPTIONS) and the Python package reads them from there.
#pragma once

#include <array>
#include <string_view>

namespace fargatelab {

// AWS's pricing month: 730 hours (365 days x 24 h / 12), the convention of the AWS Pricing
// Calculator and the Price List (e.g. NAT "$0.045 x 730 hours = $32.85/month"). Bills of a
// simulated period are extrapolated to it; every price catalog's month_hours must equal it.
inline constexpr double month_hours = 730.0;

// The options `compare` runs (their descriptions: compare_options() in compare.hpp).
namespace compare_option {
inline constexpr std::string_view fargate = "fargate";
inline constexpr std::string_view fargate_spot = "fargate_spot";
inline constexpr std::string_view ecs_ec2 = "ecs_ec2";
inline constexpr std::string_view ecs_ec2_spot = "ecs_ec2_spot";
inline constexpr std::string_view lambda = "lambda";
inline constexpr std::string_view app_runner = "app_runner";
}  // namespace compare_option

// Every option, in the order a full comparison runs them.
inline constexpr std::array<std::string_view, 6> compare_option_names = {
    compare_option::fargate, compare_option::fargate_spot, compare_option::ecs_ec2,
    compare_option::ecs_ec2_spot, compare_option::lambda, compare_option::app_runner};

}  // namespace fargatelab
