// The start schedule of a task's containers once the image pull has finished: when each
// container starts, finishes initialising, passes its health check and exits, honouring
// dependsOn. A pure function of the task definition and the draws; no simulation events.
//
// Rules:
//   * A container starts when all its dependencies are met, plus its start_time draw
//     (container runtime create + start). START: the dependency started; COMPLETE: it exited;
//     SUCCESS: it exited with code 0; HEALTHY: it passed its health check (ECS API
//     ContainerDependency). A SUCCESS dependency that exits non-zero, or a HEALTHY one that
//     never becomes healthy, leaves the dependent unstarted and the task fails: ECS gives up
//     on unresolvable dependencies and stops the task (ECS API ContainerDefinition.startTimeout).
//   * Application init takes init_cpu_seconds / min(1, vCPU share): init is single-threaded
//     by default (serverless-openclaw, aws-facts E.4: ~35 s at 1 vCPU, ~80 s at 0.5 vCPU, i.e.
//     roughly 1/vCPU below one vCPU and no faster above). The share is app_vcpu_share.
//   * Health checks (Docker HEALTHCHECK reference, which ECS's parameters map to): the first
//     check runs `interval` after the container starts, then every `interval`. A check passes
//     iff the app has finished init; a check on an app not yet listening fails at once
//     (connection refused), so `timeout` does not shift the schedule and check duration is
//     taken as 0. Failures within start_period of the start do not count; `retries` counted
//     failures make the container UNHEALTHY. A container whose first pass comes after that
//     never counts as healthy here (ECS replaces a task whose essential container is
//     unhealthy: "Task failed container health checks").
//   * A container with run_time exits at init end + run_time with its exit_code.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "scenario/task_definition.hpp"
#include "fargatelab/random.hpp"
#include "fargatelab/scenario.hpp"
#include "fargatelab/time.hpp"

namespace fargatelab::detail {

// Times are offsets from the end of the image pull. nullopt: the event never happens.
struct ContainerTimes {
  std::string name;
  std::optional<Duration> started_at;
  std::optional<Duration> app_ready_at;  // init finished: the app can serve
  std::optional<Duration> healthy_at;    // first passing health check (containers with one)
  std::optional<Duration> unhealthy_at;  // declared UNHEALTHY before ever passing
  std::optional<Duration> exited_at;     // containers with run_time
  int exit_code = 0;
};

struct StartSchedule {
  std::vector<ContainerTimes> containers;  // in task-definition order
  // All essential containers started (ECS RUNNING); SimTime::infinity() if one never starts.
  Duration task_running_at = Duration::infinity();
  // All essential containers with a health check healthy (= task_running_at if none has one);
  // SimTime::infinity() if that never happens.
  Duration task_ready_at = Duration::infinity();
  // The earliest reason the task cannot run, e.g.
  // "CannotStartContainerError: dependency 'init' exited with code 1".
  std::optional<std::string> failure;
};

// One container's random draws, seconds.
struct ContainerDraws {
  double start_s = 0;     // start_time
  double init_cpu_s = 0;  // init_cpu_seconds
  double run_s = 0;       // run_time (used only when the container has one)
};

// Draws for every container in definition order: start_time, init_cpu_seconds, then run_time
// if present. Negative draws are clamped to 0.
std::vector<ContainerDraws> draw_container_times(const TaskDefinition& td, RandomStream& rng);

// The schedule for given draws (one per container). task_vcpu is the task's CPU (it may exceed
// td.cpu_units / 1024, e.g. an EKS pod rounded up). Throws std::invalid_argument when
// validate(td) would report a dependsOn problem (unknown name, cycle) or the draws do not
// match the containers.
StartSchedule start_schedule(const TaskDefinition& td, double task_vcpu, const std::vector<ContainerDraws>& draws);
// Same, drawing from `rng` with draw_container_times.
StartSchedule start_schedule(const TaskDefinition& td, double task_vcpu, RandomStream& rng);

// What a task's containers do once its image is pulled, for a launch lifecycle to wait out:
// after `wait` the task is RUNNING, or has failed with `failure`; an essential container exits
// `essential_exit` after RUNNING (multi-container tasks whose essential container has a run time).
// A task without a task definition: one container, started in kContainerStartSeconds, then the
// application's single-threaded init at min(1, vcpu).
struct TaskStart {
  Duration wait;
  std::optional<std::string> failure;
  std::optional<Duration> essential_exit;
};
TaskStart plan_task_start(const TaskSpec& task, double vcpu, RandomStream& rng);

// When the last thing in a failed start happened (the failure is known then), from the pull's end.
Duration last_event(const StartSchedule& plan);

// The earliest exit of an essential container (from the pull's end), if any exits.
std::optional<Duration> first_essential_exit(const StartSchedule& plan, const TaskDefinition& def);

}  // namespace fargatelab::detail
