// The "ec2" section of a scenario: the cluster's Auto Scaling group capacity providers and the
// container-instance model (defaults and sources: ecs_ec2.schema.json). Built by build_ec2
// (ec2_section.hpp); read only in this folder, through platform_settings<Ec2Spec>(scenario).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "fargatelab/random.hpp"
#include "fargatelab/scenario.hpp"
#include "fargatelab/time.hpp"

namespace fargatelab::detail {

// One Auto Scaling group capacity provider of an ECS cluster on EC2.
struct Ec2CapacityProviderSpec {
  std::string name;
  std::string instance_type = "m6i.large";
  bool spot = false;
  int min_size = 0, max_size = 100;
  int desired_capacity = 0;  // instances registered at t = 0 (resolved from "auto" when the scenario is built)
  std::vector<std::size_t> subnets;  // indices into NetworkSpec::subnets
  bool trunking = false;
  int reserved_memory_mib = 0;
  bool managed_scaling = true;
  int target_capacity = 100;  // percent
  int min_step = 1, max_step = 10000;
  Duration instance_warmup;
  double spot_monthly_interruption = 0;  // probability an instance is interrupted within 730 h
};

struct Ec2Spec final : PlatformScenarioSpec {
  static constexpr std::string_view kPlatform = "ecs_ec2";  // its slot in ScenarioSpec::platform_specs
  // CapacityProviderItem::ec2 indexes this list.
  std::vector<Ec2CapacityProviderSpec> capacity_providers;
  Distribution instance_launch;       // s, ASG launch -> container instance registered
  enum class PullBehavior { pull_default, always, once, prefer_cached } pull_behavior = PullBehavior::pull_default;
  Distribution cached_pull;           // s, a pull whose layers are all on the instance
  Duration provisioning_timeout;
  Duration metric_period;
  int scale_in_datapoints = 15;
  Duration spot_warning;
};

}  // namespace fargatelab::detail
