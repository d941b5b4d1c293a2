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
//   The blue/green family (BLUE_GREEN, LINEAR, CANARY) runs its lifecycle stages instead
//   (service_traffic_shift.cpp): green at full size in the other target group, the listener's
//   weight moved in steps, the bake, blue stopped; a rollback flips the weight back.
//   Deployment alarms fail (and roll back) a deployment on ALARM; a 1-click rollback
//   (stop_deployment) rolls back the one in progress.
// * Availability zone outages (faults/zone_outage.hpp): places nothing in a zone that is down;
//   its lost tasks are replaced in the zones still up and count neither for the circuit breaker
//   nor for the service throttle. When the zone comes back, a service with
//   availabilityZoneRebalancing ENABLED moves tasks into it (service_rebalancing.cpp): with
//   headroom under maximumPercent it starts a task in the zone with fewest tasks and, once that
//   one is healthy, stops one in the zone with most; without headroom it stops first and the
//   replacement goes to the zone with fewest. It ends when no two zones differ by more than one
//   task, or when a deployment starts. Assumption (ECS publishes no trigger rule): rebalancing
//   is checked when a zone comes back, not continuously.
#pragma once

#include <functional>
#include <map>
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

  // Deployment alarms (deploymentConfiguration.alarms; scaling/deployment_alarms.hpp): an alarm's
  // evaluation window (Period x EvaluationPeriods), from which the rolling update's bake is
  // computed, and its state changes. An alarm going to ALARM fails the deployment in progress
  // that names it, unless it was already in ALARM when that deployment started.
  void set_alarm_window(const std::string& name, Duration window);
  void on_alarm(const std::string& name, bool in_alarm, const std::string& reason);

  // What a deployment did, as ECS reports it in the service's events.
  struct DeploymentEvent {
    SimTime at;
    std::string kind;      // "deployment_started", "deployment_completed", "deployment_failed", "rollback_started"
    std::string deployment;  // "ecs-svc/<n>"
    std::size_t revision = 0;
    std::string message;   // ECS's words
    int failed_tasks = 0;  // the circuit breaker's count
    int threshold = 0;
    // Blue/green family: the lifecycle stage entered (kind "stage") and the production
    // listener's share on green then (percent; -1 when not shifting).
    std::string stage;
    double green_percent = -1;
    // Requests finished so far (since t = 0) by the tasks of the deployment's revision, and by
    // all of the service's tasks: differences between two events give each side's share.
    std::uint64_t served_revision = 0, served_total = 0;
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
  // A service event that is not a deployment's (AZ rebalancing), in ECS's words; kind is the
  // ECS event type in lower case ("service_rebalancing_started", "service_rebalancing_completed",
  // "service_rebalancing_stopped", "tasks_started", "tasks_stopped").
  struct ServiceEvent {
    SimTime at;
    std::string kind;
    std::string message;
  };
  Signal<const ServiceEvent&> service_event;

 private:
  void request_reconcile();
  void reconcile();
  void launch_one(bool warm) { launch_one(warm, primary_, prod_group_); }
  void launch_one(bool warm, std::size_t revision, std::uint8_t group);
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
  // service_rebalancing.cpp
  void on_zone_changed(const std::string& az, bool up);
  std::map<std::string, int> tasks_per_zone(const std::vector<std::uint32_t>& live) const;
  std::string zone_counts(const std::map<std::string, int>& counts) const;
  void rebalance(const std::vector<std::uint32_t>& live);
  void on_rebalance_task_healthy(Task& t);
  void end_rebalancing(const char* kind, std::string message);
  void stop_in_fullest_zone(const std::vector<std::uint32_t>& live, std::uint32_t except);
  void service_note(std::string kind, std::string message);
  // ecs/service_deployment.cpp
  struct Rollout {
    std::size_t revision = 0;
    DeploymentConfig config;
    SimTime started;
    std::string id;
    int failures = 0;
    bool rollback = false;  // this rollout is the circuit breaker's rollback
    // Blue/green family (service_traffic_shift.cpp)
    std::size_t blue = 0;                 // the revision blue runs
    std::uint8_t green_group = 1;         // green's target group
    LifecycleStage stage = LifecycleStage::reconcile_service;
    std::vector<double> steps;            // the listener's share on green after each step (%)
    std::size_t step = 0;                 // the traffic step in progress
    bool rolling_back = false;            // traffic is back on blue, green is being stopped
    bool step_baked = false;              // the step's bake is over (or under way)
    std::vector<std::string> ignored_alarms;  // in ALARM when it started
    std::optional<SimTime> alarm_bake_until;  // rolling with alarms: COMPLETED after this
  };
  void fail_by_alarm(const std::string& name, const std::string& reason);
  Duration alarm_bake(const DeploymentConfig& c) const;
  void on_deployment(std::uint64_t index);
  void begin_rollout(std::size_t revision, const DeploymentConfig& config, bool rollback,
                     const char* cause = "ECS deployment circuit breaker");
  void stop_deployment();  // 1-click rollback
  // service_traffic_shift.cpp: the blue/green family's lifecycle
  void begin_shift();
  void enter_stage(LifecycleStage stage);
  void after_stage();
  void on_shift_timer(std::uint64_t token);
  void schedule_shift_timer(Duration in, bool rollback, std::string reason);
  void reconcile_shift(const std::vector<std::uint32_t>& live);
  void set_green_share(double percent);
  void roll_back_shift(const std::string& reason);
  const char* stage_name(LifecycleStage s) const;  // ECS's stage, or CodeDeploy's lifecycle event
  std::uint64_t served_by_revision(std::size_t revision) const;
  std::uint64_t served_by_service() const;
  void reconcile_rollout(const std::vector<std::uint32_t>& live);
  bool healthy_for_deployment(const Task& t) const noexcept;
  void on_task_running(Task& t);
  void on_task_exit(std::uint64_t task);
  void on_task_out_of_memory(std::uint64_t task);  // a leaking revision's task at its memory
  void on_failure(Task& t);
  void on_new_task_healthy(Task& t);
  void emit(std::string kind, std::string message, std::string stage = {}, double green_percent = -1);
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
  std::uint8_t prod_group_ = 0;  // the target group production traffic goes to outside a shift
  std::uint64_t shift_timer_ = 0;  // the serial of the blue/green timer that counts (older ones are stale)
  bool shift_timer_rollback_ = false;
  std::string shift_timer_reason_;
  RandomStream random_;
  std::vector<std::pair<std::string, Duration>> alarm_windows_;
  std::vector<std::string> alarms_in_alarm_;
  // AZ rebalancing
  bool rebalance_check_ = false;  // a zone came back: check the balance at the next reconcile
  bool rebalancing_ = false;      // SERVICE_REBALANCING_STARTED and not yet ended
  std::vector<std::uint32_t> rebalance_tasks_;  // started to move a task, not yet healthy
};

}  // namespace fargatelab::detail
