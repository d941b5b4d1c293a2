// The task observer: follows every task transition of the replication's launch types. It keeps
// the counts of tasks by state per service, the launch breakdown (time in each phase), failures
// by reason, the event log of transitions, the per-task records and the capacity time series
// (addresses in use per subnet, then each platform's own rows: PlatformRuntime::sample_capacity).
// It never changes the model.
#pragma once

#include <array>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "ecs/service_scheduler.hpp"
#include "ecs/task.hpp"
#include "fargatelab/metrics.hpp"
#include "fargatelab/results.hpp"
#include "fargatelab/run.hpp"
#include "ecs/launch_type.hpp"
#include "network/subnet_pool.hpp"
#include "platforms/platform.hpp"

namespace fargatelab::detail {

const std::vector<std::string>& capacity_columns();
const std::vector<std::string>& task_phase_columns();

class TaskMetrics {
 public:
  // `launch_types`: each once, in the order their transitions are to be observed; `platforms`:
  // the runtimes whose capacity rows follow the subnets' in each sample.
  TaskMetrics(Simulation& sim, const ScenarioSpec& spec, std::vector<LaunchType*> launch_types,
              const std::vector<SubnetPool>& subnets, std::vector<PlatformRuntime*> platforms,
              std::vector<ServiceScheduler*> schedulers, Duration interval, int replication, RunResult& out, bool event_log);

  const std::array<std::uint32_t, kTaskStates>& service_states(std::size_t service) const { return states_[service]; }
  int desired_count(std::size_t service) const { return desired_[service]; }
  // Closes the run: records tasks still alive; fills `out`'s services' tasks_launch (the
  // services are already there: ServiceMetrics::finish), standalone_tasks and network.
  void finish(Results& out);

 private:
  struct Group {  // a service or a standalone task spec
    std::uint64_t launched = 0, failed_to_start = 0, spot_interruptions = 0;
    std::map<std::string, std::uint64_t> stop_codes, failure_reasons;
    std::array<QuantileSketch, kPhases> phases;
    QuantileSketch to_running, to_in_service;
  };
  void on_state(const LaunchType& lt, Task& t, TaskState previous);
  void record(const LaunchType& lt, const Task& t);
  void sample();
  Group& group_of(const Task& t);
  std::uint32_t intern(const std::string& s);  // index into out_.names

  Simulation& sim_;
  std::vector<LaunchType*> launch_types_;
  const std::vector<SubnetPool>& subnets_;
  std::vector<PlatformRuntime*> platforms_;
  const ScenarioSpec& spec_;
  int replication_;
  RunResult& out_;
  bool event_log_;
  std::vector<std::array<std::uint32_t, kTaskStates>> states_;  // per service
  std::vector<int> desired_;
  std::vector<Group> services_, standalone_;
  std::vector<double> peak_addresses_;
  std::unordered_map<std::string, std::uint32_t> interned_;
};

}  // namespace fargatelab::detail
