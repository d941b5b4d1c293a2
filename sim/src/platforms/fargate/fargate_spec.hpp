// The "fargate" section of a scenario, Fargate's own part: the fleet, the account's launch
// rate, the phases only Fargate has and Fargate Spot. (ECS's part of the same section -- the
// service launch rate, restart backoff, ENI attach and detach, ACTIVATING, image pull -- is
// EcsSpec, ecs/ecs_spec.hpp.) Defaults and sources: fargate.schema.json.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/random.hpp"
#include "fargatelab/registry.hpp"
#include "fargatelab/scenario.hpp"
#include "fargatelab/time.hpp"

namespace fargatelab::detail {

// A wave of Fargate Spot interruptions: at `at`, this fraction of the running Spot tasks in the
// zone ("" = every zone) gets the two-minute warning.
struct SpotWave {
  Duration at;
  std::string az;
  double fraction = 0;
};

struct FargateSpec final : PlatformScenarioSpec {
  static constexpr std::string_view kPlatform = "fargate";  // its slot in ScenarioSpec::platform_specs
  ModelCall isolation;  // isolation_registry(): firecracker or vm
  ModelCall placement;  // placement_registry(): a task's microVM on a host
  int hosts_per_az = 2000;
  double host_vcpu = 96;
  double host_memory_gib = 384;
  // The account's Fargate task launch rate (ECS throttling docs: burst 100, refill 20 per second).
  double launch_burst = 100, launch_per_second = 20;
  // Seconds: capacity found and agent registered (besides the ENI), and an EKS pod's node
  // registration.
  Distribution provisioning, eks_node_registration;
  double spot_interruptions_per_task_hour = 0;
  std::vector<SpotWave> spot_waves;
  std::optional<int> spot_capacity_per_az;  // nullopt: unlimited
  Duration spot_warning;                    // interruption notice -> SIGTERM
};

// Builds Fargate's settings from a scenario document that passed validation.
std::shared_ptr<const FargateSpec> build_fargate_spec(const nlohmann::json& doc);

}  // namespace fargatelab::detail
