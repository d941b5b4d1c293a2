// Billed task time of ECS services on one launch type: what AWS bills a Fargate task (and App
// Runner an instance, which is a Fargate task underneath), from the start of its image pull
// (PENDING; t = 0 for a task already running then) to STOPPED, clipped to the measured period.
// An observer: it connects to the launch type's state_changed and never changes the model.
#pragma once

#include <cstddef>
#include <vector>

#include "ecs/launch_type.hpp"
#include "fargatelab/engine.hpp"
#include "fargatelab/scenario.hpp"

namespace fargatelab::detail {

class TaskBillingMeter {
 public:
  TaskBillingMeter(Simulation& sim, const ScenarioSpec& spec, LaunchType& launch_type);
  // The measured period starts now.
  void begin_measurement() { from_ = sim_.now(); }
  // Closes the period now: tasks still running are billed to the end. Call once.
  void finish();

  // Each finished task's billed seconds (one entry per task) of `service`, On-Demand or Spot.
  const std::vector<double>& seconds(std::size_t service, bool spot) const { return task_seconds_[service * 2 + spot]; }
  // Task-seconds of `service` in public subnets (each such task holds a public IPv4 address).
  double public_ip_seconds(std::size_t service) const { return public_ip_seconds_[service]; }

 private:
  void on_state(Task& t, TaskState previous);
  void close(const Task& t);

  Simulation& sim_;
  const ScenarioSpec& spec_;
  LaunchType& launch_type_;
  SimTime from_;
  std::vector<SimTime> billing_from_;              // by task id: start of billing (infinity: not billing)
  std::vector<std::vector<double>> task_seconds_;  // by service x {On-Demand, Spot}
  std::vector<double> public_ip_seconds_;          // by service
};

}  // namespace fargatelab::detail
