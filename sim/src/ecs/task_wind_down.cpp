#include "ecs/task_wind_down.hpp"

#include <algorithm>

namespace fargatelab::detail {
namespace {

Duration secs(double s) { return SimTime::from_seconds(std::max(0.0, s)); }

}  // namespace

Process wind_down(Task& t, const WindDown& down) {
  Simulation& sim = *down.sim;
  const TaskSpec& task = *t.spec;
  auto hard_stop = [&]() {
    if (t.lost_at) return *t.lost_at;  // nothing left to drain or shut down
    return t.spot_warning_at ? *t.spot_warning_at + std::min(task.stop_timeout, down.spot_warning) : SimTime::infinity();
  };
  // Waits until `until` (or the hard stop, if sooner); interrupts (a later stop request, a Spot
  // notice) only move the hard stop.
  auto wait_until = [&](SimTime until) -> SimTime { return std::min(until, hard_stop()); };
  // A task that failed before any container was created (its secrets or its image could not be
  // had) has nothing to stop: it goes straight to DEPROVISIONING.
  const bool no_container = t.start_failure.kind == StartFailure::Kind::secrets || t.start_failure.kind == StartFailure::Kind::registry;
  const bool was_running =
      !no_container && (t.state == TaskState::running || t.state == TaskState::activating || t.state == TaskState::pending);
  if (was_running) {
    if (t.state == TaskState::running && t.stop_code != StopCode::essential_container_exited && !t.lost_at) {
      down.set_state(t, TaskState::deactivating);
      const bool drains = t.stop_code != StopCode::spot_interruption;
      SimTime deadline = wait_until(sim.now() + (drains ? t.deregistration_delay : Duration::zero()));
      while (sim.now() < deadline) {
        try {
          co_await sim_timeout(sim, deadline - sim.now());
        } catch (const Interrupted&) {
        }
        deadline = wait_until(deadline);
      }
    }
    down.set_state(t, TaskState::stopping);
    if (t.stop_code != StopCode::essential_container_exited) {
      const Duration exit_after = std::min(secs(task.shutdown_time.sample(*down.stop_rs)), task.stop_timeout);
      SimTime deadline = wait_until(sim.now() + exit_after);
      while (sim.now() < deadline) {
        try {
          co_await sim_timeout(sim, deadline - sim.now());
        } catch (const Interrupted&) {
        }
        deadline = wait_until(deadline);
      }
    }
  }
  down.release_capacity(t);
  if (t.subnet >= 0) {
    down.set_state(t, TaskState::deprovisioning);
    const SimTime deadline = sim.now() + secs(down.eni_detach->sample(*down.eni_rs));
    while (sim.now() < deadline) {
      try {
        co_await sim_timeout(sim, deadline - sim.now());
      } catch (const Interrupted&) {
      }
    }
    (*down.subnets)[static_cast<std::size_t>(t.subnet)].release();
  }
  t.stopped_at = sim.now();
  down.set_state(t, TaskState::stopped);
  t.process = Process{};
}

Process start_wind_down(Task& t, const WindDown& down) {
  t.process = spawn(*down.sim, wind_down(t, down), t.name);
  return t.process;
}

}  // namespace fargatelab::detail
