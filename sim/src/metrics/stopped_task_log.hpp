// The stopped-task observer: for every task that stops, and every task not yet started when the
// run ends, a StoppedTaskRow with the facts of why (the task's StartFailure, the service
// scheduler's backoff after it, whether the circuit breaker counted it), and each deployment
// the circuit breaker failed. What `fargatelab explain` and Result.stopped_tasks() read. It
// never changes the model.
#pragma once

#include <unordered_map>
#include <vector>

#include "ecs/launch_type.hpp"
#include "ecs/service_scheduler.hpp"
#include "ecs/task.hpp"
#include "fargatelab/run.hpp"
#include "fargatelab/scenario.hpp"

namespace fargatelab::detail {

class StoppedTaskLog {
 public:
  // Connect after the schedulers (their backoff is then known when a task's STOPPED arrives here).
  StoppedTaskLog(const ScenarioSpec& spec, std::vector<LaunchType*> launch_types, const std::vector<ServiceScheduler*>& schedulers,
                 int replication, RunResult& out);
  // Records the tasks that had not started by the end.
  void finish();

 private:
  void on_state(const LaunchType& lt, const Task& t);
  void on_backoff(const Task& t, const ServiceScheduler::Backoff& b);
  void on_deployment(std::size_t service, const ServiceScheduler::DeploymentEvent& e);
  StoppedTaskRow row_of(const LaunchType& lt, const Task& t) const;

  const ScenarioSpec& spec_;
  std::vector<LaunchType*> launch_types_;
  int replication_;
  RunResult& out_;
  std::unordered_map<const Task*, ServiceScheduler::Backoff> backoff_;  // until the task's STOPPED
};

}  // namespace fargatelab::detail
