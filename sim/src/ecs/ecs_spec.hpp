// ECS's own settings of a scenario: what the service scheduler and every launch type share (the
// service launch rate, the restart backoff, the task ENI's attach and detach, ACTIVATING, the
// image pull model). Written in the scenario's "fargate" section (keys service_launch_rate,
// restart_backoff, eni_attach, eni_detach, activating, image_pull; the JSON predates ECS on EC2 and stays as
// it is); the platforms' own settings live in their folders (sim/src/platforms/<name>/).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "ecs/image_pull.hpp"
#include "fargatelab/random.hpp"
#include "fargatelab/scenario.hpp"
#include "fargatelab/time.hpp"

namespace fargatelab::detail {

struct EcsSpec {
  // Tasks one service may launch: a token bucket (ECS quota: 500 per service per minute).
  double service_launch_burst = 500, service_launch_per_second = 500.0 / 60;
  // Seconds to create and attach a task's ENI (awsvpc), and to detach and delete it.
  Distribution eni_attach, eni_detach;
  // Seconds in ACTIVATING: load balancer and service discovery registration.
  Distribution activating;
  // Service throttle logic: the delay after consecutive failed starts, initial x factor^(n-1)
  // up to max (ECS service-throttle-logic docs: up to 15 minutes).
  Duration backoff_initial, backoff_max;
  double backoff_factor = 2;
  // The image pull model's parameters, the scenario's overrides applied.
  PullParams image_pull;
  // The scenario's region: zone "a" is "<region>a" in what ECS writes (service events).
  std::string region = "us-east-1";
};

// Builds ECS's settings from a scenario document that passed validation (defaults filled).
EcsSpec build_ecs_spec(const nlohmann::json& doc);

// The scenario's ECS settings (ScenarioSpec::ecs, always set by the scenario builder).
const EcsSpec& ecs_settings(const ScenarioSpec& spec);

}  // namespace fargatelab::detail
