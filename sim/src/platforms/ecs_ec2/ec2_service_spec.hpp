// The "ec2" section of a service on ECS with EC2 container instances.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "fargatelab/random.hpp"
#include "fargatelab/scenario.hpp"
#include "fargatelab/time.hpp"

namespace fargatelab::detail {

// A service on ECS with EC2 container instances (platform ecs_ec2): how its tasks are placed.
struct Ec2ServiceSpec final : PlatformServiceSpec {
  bool awsvpc = true;   // network mode: awsvpc (an ENI per task) or bridge
  bool daemon = false;  // scheduling strategy DAEMON: one task per container instance
  struct Strategy {
    std::string type, field;
  };
  struct Constraint {
    std::string type, expression;
  };
  std::vector<Strategy> placement_strategy;      // ECS placementStrategy, in order
  std::vector<Constraint> placement_constraints;  // ECS placementConstraints
};

// The service's EC2 settings (platform ecs_ec2); the defaults for a service on another platform.
inline const Ec2ServiceSpec& ec2_settings(const ServiceSpec& sv) {
  static const Ec2ServiceSpec defaults;
  const auto* e = dynamic_cast<const Ec2ServiceSpec*>(sv.platform_spec.get());
  return e ? *e : defaults;
}

}  // namespace fargatelab::detail
