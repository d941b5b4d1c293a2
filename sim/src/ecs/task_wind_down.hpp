// The way down of an ECS task, the same on every launch type: DEACTIVATING (load balancer
// draining for the deregistration delay; none after a Spot interruption), STOPPING (SIGTERM,
// the application exits after its shutdown time or is killed at stopTimeout), the capacity
// released, DEPROVISIONING (the task's ENI detached, its address returned) and STOPPED.
// A Spot interruption notice fixes a hard deadline at its time + min(stopTimeout, the notice):
// a notice arriving during the way down shortens what is left.
//
// It runs as its own process, which becomes the task's process (so stop() and Spot notices reach
// it) and which the launch lifecycle joins. It clears task.process when done, so the frames are
// freed with the task's end.
#pragma once

#include <functional>
#include <vector>

#include "ecs/task.hpp"
#include "fargatelab/process.hpp"
#include "fargatelab/random.hpp"
#include "network/subnet_pool.hpp"

namespace fargatelab::detail {

struct WindDown {
  Simulation* sim = nullptr;
  Duration spot_warning;               // the Spot notice (two minutes)
  const Distribution* eni_detach = nullptr;  // s in DEPROVISIONING
  RandomStream* stop_rs = nullptr;     // the application's shutdown time
  RandomStream* eni_rs = nullptr;      // the ENI detach
  std::vector<SubnetPool>* subnets = nullptr;
  std::function<void(Task&, TaskState)> set_state;  // the launch type's transition (emits state_changed)
  std::function<void(Task&)> release_capacity;      // host or container instance, once the containers stopped
};

// Takes the task down from wherever its launch got to. `down` must outlive the process (the
// launch type keeps it).
Process wind_down(Task& t, const WindDown& down);

// Replaces the running lifecycle as the task's process by wind_down and returns it to join.
Process start_wind_down(Task& t, const WindDown& down);

}  // namespace fargatelab::detail
