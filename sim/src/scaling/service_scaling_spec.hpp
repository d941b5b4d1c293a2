// A service's auto scaling as the scenario declares it, checked and built once at validation
// (scaling_input.hpp) and instantiated in every replication (service_auto_scaling.hpp): the
// scalable target's registration (RegisterScalableTarget: limits, suspended state) and the
// policies on it, each ready to instantiate.
#pragma once

#include "scaling/alarm.hpp"

#include <string>
#include <vector>

#include "fargatelab/scenario.hpp"
#include "scaling/scalable_target.hpp"
#include "scaling/scheduled_actions.hpp"
#include "scaling/scaling_registry.hpp"

namespace fargatelab::detail {

// What a service's "scaling" section scales (its platform's PlatformModel::scaling_target): the
// AAS ServiceNamespace its policies and AWS documents are checked against ("ecs": an ECS
// service's desired count; "lambda": a function's provisioned concurrency) and the target's
// capacity at the start, which the default limits follow (scaling_input.hpp).
struct ScalingTargetKind {
  std::string service_namespace = "ecs";
  int initial_capacity = 0;
};

struct ServiceScalingSpec {
  struct Policy {
    std::string name;  // PolicyName, or "<model>-<n>" for the short form
    ScalingPolicySpec spec;
  };
  CapacityLimits limits;
  SuspendedState suspended;
  std::vector<Policy> policies;
  std::vector<ScheduledActionSpec> scheduled_actions;  // PutScheduledAction, run in order when due together
  // Every valid alarm of the section (put-metric-alarm), in its order: step policies take theirs
  // through AlarmActions, deployments theirs by AlarmName (deploymentConfiguration.alarms).
  std::vector<AlarmSpec> alarms;
  // CPUUtilization and MemoryUtilization resolution: 60 s, or 20 s when the service opts in to
  // high-resolution metrics (ECS monitoringConfiguration resolutionSeconds=20, June 2026).
  Duration metric_resolution = SimTime::from_ns(60'000'000'000);
  // How often the target's policies are evaluated: once per standard metric period, or the
  // shortest period a policy asks for (HPA's 15 s sync, KEDA's 30 s polling).
  Duration evaluation_period = SimTime::from_ns(60'000'000'000);
};

}  // namespace fargatelab::detail
