// ECS on EC2 in a scenario: checking the `ec2` section and the ecs_ec2 services, and building
// their typed specs.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/scenario.hpp"

namespace fargatelab::detail {

inline constexpr const char* kEcsEc2 = "ecs_ec2";  // the platform's registered name

// The ec2 section (instance types, sizes, subnets, models) and every ecs_ec2 service's EC2
// settings (capacity provider names, placement strategies and constraints, task fits an
// instance). Appends each problem with its JSON pointer.
void check_ec2(const nlohmann::json& doc, std::vector<Diagnostic>& out);

// Builds the platform's scenario-wide settings (Ec2Spec, into ScenarioSpec::platform_specs) and
// the ecs_ec2 services' capacity provider strategies and EC2 settings; `s` already holds the
// network and the services. When an ecs_ec2 service exists and
// the section lists no provider, adds one named "default" with the schema's defaults. A
// provider whose desired_capacity is null gets just enough instances for the warm-started tasks
// that its services put on it (daemon tasks included), at least min_size and at most max_size.
void build_ec2(const nlohmann::json& doc, ScenarioSpec& s);

}  // namespace fargatelab::detail
