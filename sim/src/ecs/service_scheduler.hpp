// The ECS service scheduler: keeps a service at its desired count, independent of the launch
// type it launches on (Fargate today; EC2 capacity plugs in under the same calls).
//
// * Replaces tasks that stop or fail (self-healing); tasks marked for stopping (DEACTIVATING,
//   STOPPING) no longer count, as in ECS's runningCount + pendingCount.
// * Spreads tasks across the availability zones of its subnets (fewest tasks first).
// * Splits tasks between FARGATE and FARGATE_SPOT by the capacity provider strategy: the base
//   first, then in proportion to the weights.
// * Throttles a service whose tasks keep failing to start: the delay before the next attempt
//   grows by `factor` per consecutive failure up to 15 minutes (ECS service throttle logic).
// * Launches at most at the service launch rate (500 per service per minute).
// * Scale-in stops tasks not yet running first, then running ones from the fullest zone.
// * Registers a RUNNING task with the service's front door (health checked behind a load
//   balancer), deregisters and drains it on the way down, and replaces a task the load
//   balancer finds unhealthy once the health check grace period is over.
// * Runs the service's deployments (ECS deployment controller, rolling update; rules in
//   ecs/deployment/): at a deployment's time new tasks run its revision; at most
//   maximumPercent of the desired count (rounded down) run or start, at least
//   minimumHealthyPercent (rounded up) stay healthy (in service behind a load balancer, else 40 s
//   after RUNNING); old tasks stop as new ones turn healthy; the circuit breaker counts the new
//   revision's failed tasks and fails the deployment at its threshold, rolling back to the last
//   COMPLETED revision when asked to, else stalling (no more tasks of it are launched).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ecs/deployment/deployment_spec.hpp"
#include "ecs/ecs_spec.hpp"
#include "ecs/task.hpp"
#include "ecs/token_bucket.hpp"
#include "fargatelab/engine.hpp"
#include "fargatelab/scenario.hpp"
#include "fargatelab/signal.hpp"
#include "ecs/launch_type.hpp"
#include "serving/service.hpp"

namespace fargatelab::detail {

class ServiceScheduler {
 public:
  ServiceScheduler(Simulation& sim, LaunchType& platform, Service& serving, const ServiceSpec& spec,
                   std::uint32_t index, const EcsSpec& ecs);
  // The initial tasks (warm: running and in service now; cold: launched now) and the schedule.
  void start();
  void set_desired(int n);
  // A DAEMON service: the desired count is the number of container instances `count` reports,
  // read at start() and whenever follow_instances() is called; its tasks are launched as
  // daemon tasks (one per instance).
  void set_daemon_count(std::function<int()> count) { daemon_count_ = std::move(count); }
  void follow_instances() {
    if (daemon_count_) set_desired(daemon_count_());
  }
  int desired() const noexcept { return desired_; }
  // Tasks stopped because the load balancer found them unhealthy.
  std::uint64_t unhealthy_replaced() const noexcept { return unhealthy_replaced_; }
  // The platform's transitions of this service's tasks.
  void on_state(Task& t, TaskState previous);

  // Deployments. The stream draws the revisions' misbehaviour (exit_after); set it before start().
  void set_random(RandomStream stream) noexcept { random_ = stream; }
  // A deployment is IN_PROGRESS (Application Auto Scaling does not scale in meanwhile).
  bool deployment_in_progress() const noexcept { return rollout_.has_value(); }
  // The revision new tasks run (0: the service's own task).
  std::size_t primary_revision() const noexcept { return primary_; }
  const std::string& revision_name(std::size_t revision) const;

  // What a deployment did, as ECS reports it in the service's events.
  struct DeploymentEvent {
    SimTime at;
    std::string kind;      // "deployment_started", "deployment_completed", "deployment_failed", "rollback_started"
    std::string deployment;  // "ecs-svc/<n>"
    std::size_t revision = 0;
    std::string message;   // ECS's words
    int failed_tasks = 0;  // the circuit breaker's count
    int threshold = 0;
  };
  Signal<const DeploymentEvent&> deployment_event;
  Signal<int> desired_changed;
  // The service throttle logic after a task failed to start: the service's consecutive failures
  // and the delay before its next launch attempt (what `fargatelab explain` reports).
  struct Backoff {
    int consecutive_failures = 0;
    Duration delay;
  };
  Signal<const Task&, const Backoff&> backed_off;

 private:
  void request_reconcile();
  void reconcile();
  void launch_one(bool warm);
  const CapacityProviderItem& next_provider() const;
  std::string next_zone() const;
  bool active(const Task& t) const noexcept;
  void on_healthy(std::uint32_t server);
  void on_unhealthy(std::uint32_t server);
  void on_grace_over(std::uint64_t server);
  void replace_unhealthy(Task& t);
  bool behind_load_balancer() const noexcept;
  std::uint32_t attach_server(Task& t);
  void on_scheduled(std::uint64_t index);
  // ecs/service_deployment.cpp
  struct Rollout {
    std::size_t revision = 0;
    RollingConfig config;
    SimTime started;
    std::string id;
    int failures = 0;
    bool rollback = false;  // this rollout is the circuit breaker's rollback
  };
  void on_deployment(std::uint64_t index);
  void begin_rollout(std::size_t revision, const RollingConfig& config, bool rollback);
  void reconcile_rollout(const std::vector<std::uint32_t>& live);
  bool healthy_for_deployment(const Task& t) const noexcept;
  void on_task_running(Task& t);
  void on_task_exit(std::uint64_t task);
  void on_failure(Task& t);
  void on_new_task_healthy(Task& t);
  void emit(std::string kind, std::string message);
  const TaskSpec* task_of(std::size_t revision) const noexcept;
  const TaskBehavior* behavior_of(std::size_t revision) const noexcept;

  Simulation& sim_;
  LaunchType& platform_;
  Service& serving_;
  const ServiceSpec& spec_;
  std::uint32_t index_;
  const EcsSpec& ecs_;
  TokenBucket launch_bucket_;
  int desired_ = 0;
  std::vector<std::uint32_t> tasks_;  // ids of this service's tasks not yet stopped
  std::vector<std::string> zones_;    // zones of the service's subnets, in subnet order
  int consecutive_failures_ = 0;
  SimTime backoff_until_;
  bool reconcile_pending_ = false;
  std::uint32_t launched_ = 0;
  std::vector<std::uint32_t> server_task_;  // task id by server index
  std::uint64_t unhealthy_replaced_ = 0;
  std::function<int()> daemon_count_;
  // Deployments
  const ServiceDeployments* deployments_ = nullptr;  // spec_.deployments, null without any
  std::size_t primary_ = 0;    // the revision new tasks run
  std::size_t completed_ = 0;  // the revision of the last COMPLETED deployment
  std::optional<Rollout> rollout_;
  bool stalled_ = false;       // a failed deployment without rollback: no more launches
  int deployment_count_ = 0;
  RandomStream random_;
};

}  // namespace fargatelab::detail
