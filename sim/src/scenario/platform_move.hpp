// Every service of a validated scenario moved onto one platform: the scenarios of compare's
// options. Derived from the parsed scenario -- its document after defaults, edited in place --
// not from override text: nothing is re-parsed, and only what the move can break is checked
// again, by the platform models that receive the services (each platform's check() of the
// services now on it and of its scenario-wide sections). Their problems carry the pointers and
// messages the same scenario written that way would get.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/scenario.hpp"

namespace fargatelab::detail {

// One entry of a service's capacity_provider_strategy, as the scenario writes it.
struct StrategyItem {
  std::string capacity_provider;  // FARGATE, FARGATE_SPOT or an EC2 capacity provider's name
  int base = 0;
  int weight = 1;
};

struct PlatformMove {
  std::string platform;                // a registered platform's name
  std::vector<StrategyItem> strategy;  // every service's capacity provider strategy
  // The EC2 capacity providers become Spot: those the scenario's author wrote, or, when none
  // was written, one provider named "default" (the schema's defaults otherwise).
  bool ec2_spot = false;
  // Empty: scaling as the scenario has it. Else the policies every service without any gets,
  // with min capacity min(2, desired count) (two tasks in two zones: ECS's availability advice)
  // and the default max; its desired-count schedule goes (auto scaling owns the count then).
  std::vector<std::string> default_policies;
};

// The scenario with the move applied. Throws ScenarioError listing every problem the receiving
// platforms find (e.g. an App Runner size the task does not have, at /services/<i>/task), and
// std::invalid_argument for an unregistered platform.
Scenario moved_to_platform(const Scenario& scenario, const PlatformMove& move);

}  // namespace fargatelab::detail
