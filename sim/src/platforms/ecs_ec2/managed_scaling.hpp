// ECS cluster auto scaling (capacity provider managed scaling): the CapacityProviderReservation
// metric and the Auto Scaling group size the target tracking policy on it asks for.
//
// ECS Developer Guide, "Automatically manage Amazon ECS capacity with cluster auto scaling", and
// the AWS Containers blog "Deep Dive on Amazon ECS Cluster Auto Scaling" (2020):
//   CapacityProviderReservation = M / N * 100, where
//   N = instances of the Auto Scaling group that are running (registered container instances),
//   M = instances needed: with tasks waiting in PROVISIONING for this provider, N plus a lower
//       bound on the instances those tasks need, kept within [minimumScalingStepSize,
//       maximumScalingStepSize]; otherwise the instances running at least one task that is not
//       a daemon task.
//   N = 0: the metric is 200 when M > 0 (scale out from zero) and 100 when M = 0.
// The target tracking policy keeps the metric at targetCapacity: it scales out when the metric is
// above the target for 1 datapoint of 1 minute and in when below for 15 of 15 (aws/containers-
// roadmap#638), to ceil(M * 100 / targetCapacity) instances (= ceil(N * metric / target) for
// N > 0), within the group's min and max.
#pragma once

#include <span>

#include "platforms/ecs_ec2/cluster.hpp"
#include "platforms/ecs_ec2/instance_types.hpp"

namespace fargatelab::detail {

// The metric for N running instances of which M are needed (percent).
double capacity_provider_reservation(int running, int needed) noexcept;

// A lower bound on the instances of `type` that the waiting tasks need: the largest of
// ceil(sum of CPU / instance CPU), ceil(sum of memory / registered memory) and, for awsvpc tasks,
// ceil(awsvpc tasks / the instance's awsvpc task limit). 0 for no task.
int instances_lower_bound(const InstanceType& type, int reserved_memory_mib, bool trunking,
                          std::span<const PlacementRequest> waiting);

// M: with waiting tasks, running + clamp(lower bound, min_step, max_step); otherwise the running
// instances that hold at least one non-daemon task.
int instances_needed(int running, int with_tasks, int lower_bound_for_waiting, bool tasks_waiting, int min_step,
                     int max_step) noexcept;

// The group size the target tracking policy asks for: ceil(needed * 100 / target).
int target_instances(int needed, int target_capacity_pct) noexcept;

}  // namespace fargatelab::detail
