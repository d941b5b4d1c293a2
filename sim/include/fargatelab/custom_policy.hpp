// A scaling policy the user brings (a Python callable, or C++ outside the registry), given to a
// run through RunOptions::policies: it scales one ECS service's desired count like any policy
// of its scaling section (sim/src/scaling/scaling_policy.hpp), evaluated once per period, never
// per event.
//
// Contract: decide(observation) is called at k x period on the simulation clock (after the
// model's events of that instant) with the metrics published so far and the target's state;
// it returns the desired capacity it asks for (clamped to the limits), or nullopt for no change.
// It must be deterministic in what it is given (same scenario and seed, same results). Its
// scale-in needs no other policy's consent (it does not vote, like step scaling).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fargatelab/time.hpp"

namespace fargatelab {

struct PolicyObservation {
  double time_s = 0;
  int desired = 0;   // the service's desired count
  int running = 0;   // tasks in RUNNING
  int min_capacity = 0, max_capacity = 0;
  // The newest published datapoint of each of the service's CloudWatch metrics, by metric name
  // ("CPUUtilization", "MemoryUtilization", "RunningTaskCount", "RequestCountPerTarget",
  // "ApproximateNumberOfMessagesVisible", ...): (period start in s, value). A metric with no
  // datapoint yet is absent (INSUFFICIENT_DATA).
  std::vector<std::pair<std::string, std::pair<double, double>>> metrics;
};

struct CustomPolicy {
  std::string service;           // the scenario service it scales (ECS: fargate or ecs_ec2)
  std::string name = "custom";   // for the scaling activities' causes
  std::function<std::optional<int>(const PolicyObservation&)> decide;
  Duration period = SimTime::from_ns(60'000'000'000);
};

}  // namespace fargatelab
