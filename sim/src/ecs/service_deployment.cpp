// The service scheduler's deployments: the ECS rolling update and its circuit breaker (the
// contract is in service_scheduler.hpp; the arithmetic in ecs/deployment/rolling_rules.hpp).
#include <algorithm>

#include <fmt/format.h>

#include "ecs/deployment/rolling_rules.hpp"
#include "ecs/service_scheduler.hpp"

namespace fargatelab::detail {
namespace {

// Without load balancer or container health checks ECS counts a task healthy this long after
// it reaches RUNNING (API DeploymentConfiguration; aws-facts-2.md 2.1).
constexpr Duration kHealthyAfterRunning = SimTime::from_ns(40'000'000'000);

// A task lost with its availability zone is not the revision's failure.
bool is_failure(const Task& t) noexcept {
  if (t.lost_at) return false;
  return t.stop_code == StopCode::task_failed_to_start || t.stop_code == StopCode::essential_container_exited ||
         (t.stop_code == StopCode::service_scheduler_initiated && t.unhealthy);
}

}  // namespace

const TaskSpec* ServiceScheduler::task_of(std::size_t revision) const noexcept {
  return revision == 0 || !deployments_ ? &spec_.task : &deployments_->revisions[revision - 1].task;
}

const TaskBehavior* ServiceScheduler::behavior_of(std::size_t revision) const noexcept {
  return revision == 0 || !deployments_ ? nullptr : &deployments_->revisions[revision - 1].behavior;
}

const std::string& ServiceScheduler::revision_name(std::size_t revision) const {
  static const std::string initial = "initial";
  return revision == 0 || !deployments_ ? initial : deployments_->revisions[revision - 1].name;
}

void ServiceScheduler::emit(std::string kind, std::string message, std::string stage, double green_percent) {
  DeploymentEvent e;
  e.stage = std::move(stage);
  e.green_percent = green_percent;
  e.at = sim_.now();
  e.kind = std::move(kind);
  e.deployment = rollout_ ? rollout_->id : fmt::format("ecs-svc/{}", deployment_count_ + 1);
  e.revision = rollout_ ? rollout_->revision : primary_;
  e.message = std::move(message);
  if (rollout_) {
    e.failed_tasks = rollout_->failures;
    e.threshold = rollout_->config.circuit_breaker.enable ? circuit_breaker_threshold(rollout_->config.circuit_breaker, desired_) : 0;
  }
  e.served_revision = served_by_revision(e.revision);
  e.served_total = served_by_service();
  deployment_event.emit(e);
}

std::uint64_t ServiceScheduler::served_by_revision(std::size_t revision) const {
  std::uint64_t n = 0;
  for (std::size_t server = 0; server < server_task_.size(); ++server)
    if (server_task_[server] != ~0u && platform_.tasks()[server_task_[server]].revision == revision)
      n += serving_.served(static_cast<std::uint32_t>(server));
  return n;
}

std::uint64_t ServiceScheduler::served_by_service() const {
  std::uint64_t n = 0;
  for (std::size_t server = 0; server < server_task_.size(); ++server)
    if (server_task_[server] != ~0u) n += serving_.served(static_cast<std::uint32_t>(server));
  return n;
}

void ServiceScheduler::on_deployment(std::uint64_t index) {
  const DeploymentSpec& d = deployments_->deployments[index];
  if (d.rollback) {
    stop_deployment();
    return;
  }
  begin_rollout(d.revision, d.config, false);
}

// stop-service-deployment --stop-type ROLLBACK: the deployment in progress goes back to the last
// COMPLETED one, whether or not it configured a rollback. With none in progress the API refuses.
void ServiceScheduler::stop_deployment() {
  if (!rollout_ || rollout_->rolling_back) {
    emit("rollback_refused", "stop-service-deployment: the service has no deployment in progress to roll back.");
    return;
  }
  if (rollout_->config.blue_green_family()) {
    roll_back_shift("stop-service-deployment --stop-type ROLLBACK");
    return;
  }
  emit("deployment_stopped", fmt::format("Service deployment {} stopped by stop-service-deployment (ROLLBACK).", rollout_->id));
  const DeploymentConfig config = rollout_->config;
  rollout_.reset();
  begin_rollout(completed_, config, true, "stop-service-deployment");
}

void ServiceScheduler::begin_rollout(std::size_t revision, const DeploymentConfig& config, bool rollback, const char* cause) {
  // A deployment that starts while another is in progress replaces it (the older one's tasks
  // are old tasks now); the service's own task is deployment ecs-svc/1.
  // Blue is what production traffic reaches: a blue/green deployment replaced mid-way leaves its
  // blue in production, and the listener goes back to it.
  const bool shifting = rollout_ && rollout_->config.blue_green_family() && !rollout_->rolling_back;
  const std::size_t blue = shifting ? rollout_->blue : primary_;
  if (shifting) serving_.clear_group_weight();
  if (rebalancing_) end_rebalancing("service_rebalancing_stopped",
                                    fmt::format("service ({}) stopped AZ Rebalancing: a deployment started.", spec_.name));
  ++deployment_count_;
  rollout_ = Rollout{revision, config, sim_.now(), fmt::format("ecs-svc/{}", deployment_count_ + 1), 0, rollback};
  primary_ = revision;
  stalled_ = false;
  for (const std::string& a : config.alarms.names)
    if (std::find(alarms_in_alarm_.begin(), alarms_in_alarm_.end(), a) != alarms_in_alarm_.end())
      rollout_->ignored_alarms.push_back(a);
  if (config.blue_green_family()) {
    rollout_->blue = blue;
    begin_shift();
    return;
  }
  emit(rollback ? "rollback_started" : "deployment_started",
       rollback ? fmt::format("{}: rolling back to revision {} (deployment {}).", cause, revision_name(revision), rollout_->id)
                : fmt::format("ECS deployment {} in progress (revision {}).", rollout_->id, revision_name(revision)));
  request_reconcile();
}

bool ServiceScheduler::healthy_for_deployment(const Task& t) const noexcept {
  return t.deployment_healthy && active(t) && t.state == TaskState::running && !t.unhealthy;
}

void ServiceScheduler::reconcile_rollout(const std::vector<std::uint32_t>& live) {
  const Rollout& r = *rollout_;
  const int max_total = maximum_tasks(desired_, r.config.maximum_percent);
  const int min_healthy = minimum_healthy_tasks(desired_, r.config.minimum_healthy_percent);
  std::vector<std::uint32_t> old_unhealthy, old_healthy, fresh;
  int healthy = 0, fresh_healthy = 0;
  for (std::uint32_t id : live) {
    const Task& t = platform_.tasks()[id];
    const bool h = healthy_for_deployment(t);
    healthy += h ? 1 : 0;
    if (t.revision == r.revision) {
      fresh.push_back(id);
      fresh_healthy += h ? 1 : 0;
    } else {
      (h ? old_healthy : old_unhealthy).push_back(id);
    }
  }
  // COMPLETED once the new revision's tasks are all healthy and every old task has STOPPED
  // (draining ones included).
  const bool old_left = std::any_of(tasks_.begin(), tasks_.end(),
                                    [&](std::uint32_t id) { return platform_.tasks()[id].revision != r.revision; });
  if (!old_left && fresh_healthy >= desired_ && static_cast<int>(fresh.size()) == desired_) {
    // With alarms the deployment stays IN_PROGRESS for a bake time "computed from the alarm
    // configuration" (ECS developer guide, deployment-alarm-failure; the formula is not
    // published; scaling/deployment_alarms.hpp says which one the simulator takes).
    if (r.config.alarms.enable && !r.alarm_bake_until) {
      rollout_->alarm_bake_until = sim_.now() + alarm_bake(r.config);
      emit("alarm_bake", fmt::format("ECS deployment {}: new tasks healthy, watching alarms for {:g} s.", r.id,
                                     alarm_bake(r.config).to_seconds()));
      sim_.schedule_at(*rollout_->alarm_bake_until, bind<&ServiceScheduler::request_reconcile>(this));
      return;
    }
    if (r.alarm_bake_until && sim_.now() < *r.alarm_bake_until) return;
    completed_ = r.revision;
    emit("deployment_completed", fmt::format("ECS deployment {} completed.", r.id));
    rollout_.reset();
    return;
  }
  int total = static_cast<int>(live.size());
  auto stop = [&](std::uint32_t id) {
    platform_.stop(platform_.tasks()[id], StopCode::service_scheduler_initiated,
                   fmt::format("Deployment {}: replaced by revision {}", r.id, revision_name(r.revision)));
    --total;
  };
  // Old tasks that are not healthy do not count toward the minimum: they go first.
  for (std::uint32_t id : old_unhealthy) stop(id);
  // Healthy old tasks, newest first, while the healthy count stays at or above the minimum.
  for (auto it = old_healthy.rbegin(); it != old_healthy.rend() && healthy > min_healthy; ++it) {
    stop(*it);
    --healthy;
  }
  // New tasks up to the desired count, within the maximum.
  int fresh_count = static_cast<int>(fresh.size());
  while (fresh_count < desired_ && total < max_total) {
    launch_one(false);
    ++fresh_count;
    ++total;
  }
  // Fewer wanted than running (a scale-in during the deployment is blocked, a schedule is not):
  // the newest new tasks that are not healthy go first.
  for (auto it = fresh.rbegin(); it != fresh.rend() && fresh_count > desired_; ++it) {
    const Task& t = platform_.tasks()[*it];
    if (healthy_for_deployment(t)) continue;
    stop(*it);
    --fresh_count;
  }
}

void ServiceScheduler::on_task_running(Task& t) {
  if (const TaskBehavior* b = behavior_of(t.revision)) {
    if (b->fail_health_checks && t.server >= 0) serving_.fail_health_checks(static_cast<std::uint32_t>(t.server));
    if (b->effects.any() && t.server >= 0) serving_.set_server_effects(static_cast<std::uint32_t>(t.server), &b->effects);
    if (b->exit_after)
      sim_.schedule_in(Duration::from_seconds(std::max(0.0, b->exit_after->sample(random_))),
                       bind<&ServiceScheduler::on_task_exit>(this, t.id));
    if (b->memory_leak_mib_per_hour > 0) {
      // The leak fills what the baseline leaves of the task's memory (the hard limit on Fargate).
      const double headroom_mib = std::max(0.0, task_of(t.revision)->memory_mib - spec_.serving.memory_baseline_mib);
      if (t.server >= 0) serving_.set_server_memory_leak(static_cast<std::uint32_t>(t.server), b->memory_leak_mib_per_hour / 3600.0);
      sim_.schedule_in(Duration::from_seconds(3600.0 * headroom_mib / b->memory_leak_mib_per_hour),
                       bind<&ServiceScheduler::on_task_out_of_memory>(this, t.id));
    }
  }
  // Without a load balancer a task counts healthy 40 s after RUNNING.
  if (!behind_load_balancer())
    sim_.schedule_in(kHealthyAfterRunning, Callback{[](void* self, std::uint64_t id) {
                                                      auto* s = static_cast<ServiceScheduler*>(self);
                                                      Task& task = s->platform_.tasks()[id];
                                                      if (s->active(task) && task.state == TaskState::running &&
                                                          !task.deployment_healthy)
                                                        s->on_new_task_healthy(task);
                                                    },
                                                    this, t.id});
}

void ServiceScheduler::on_task_exit(std::uint64_t id) {
  Task& t = platform_.tasks()[id];
  if (t.state != TaskState::running || t.stop_requested) return;
  platform_.stop(t, StopCode::essential_container_exited, "Essential container in task exited");
}

void ServiceScheduler::on_task_out_of_memory(std::uint64_t id) {
  Task& t = platform_.tasks()[id];
  if (t.state != TaskState::running || t.stop_requested) return;
  t.out_of_memory = true;
  // ECS: the container's reason and exit code 137 (SIGKILL by the kernel's OOM killer); the
  // developer guide's "Troubleshooting Amazon ECS OutOfMemoryError errors".
  platform_.stop(t, StopCode::essential_container_exited, "OutOfMemoryError: Container killed due to memory usage (exit code 137)");
}

void ServiceScheduler::on_new_task_healthy(Task& t) {
  t.deployment_healthy = true;
  if (!rollout_) return;
  if (t.revision == rollout_->revision && rollout_->config.circuit_breaker.reset_on_healthy_task) rollout_->failures = 0;
  request_reconcile();
}

void ServiceScheduler::on_failure(Task& t) {
  if (!rollout_ || t.failure_counted || t.revision != rollout_->revision || !is_failure(t)) return;
  t.failure_counted = true;
  const CircuitBreakerConfig& cb = rollout_->config.circuit_breaker;
  if (!cb.enable) return;
  ++rollout_->failures;
  if (rollout_->failures < circuit_breaker_threshold(cb, desired_)) return;
  emit("deployment_failed", fmt::format("ECS deployment circuit breaker: tasks failed to start. Deployment {} failed after "
                                        "{} failed tasks.", rollout_->id, rollout_->failures));
  const DeploymentConfig config = rollout_->config;
  rollout_.reset();
  if (cb.rollback && completed_ != primary_) {
    begin_rollout(completed_, config, true);
  } else {
    stalled_ = true;  // FAILED: the scheduler launches no more tasks of it
  }
}

void ServiceScheduler::set_alarm_window(const std::string& name, Duration window) { alarm_windows_.emplace_back(name, window); }

Duration ServiceScheduler::alarm_bake(const DeploymentConfig& c) const {
  Duration bake = Duration::zero();
  for (const auto& [name, window] : alarm_windows_)
    if (std::find(c.alarms.names.begin(), c.alarms.names.end(), name) != c.alarms.names.end()) bake = std::max(bake, window);
  return bake;
}

void ServiceScheduler::on_alarm(const std::string& name, bool in_alarm, const std::string& reason) {
  auto it = std::find(alarms_in_alarm_.begin(), alarms_in_alarm_.end(), name);
  if (!in_alarm) {
    if (it != alarms_in_alarm_.end()) alarms_in_alarm_.erase(it);
    return;
  }
  if (it == alarms_in_alarm_.end()) alarms_in_alarm_.push_back(name);
  if (!rollout_ || rollout_->rolling_back || !rollout_->config.alarms.enable) return;
  const auto& watched = rollout_->config.alarms.names;
  const auto& ignored = rollout_->ignored_alarms;
  if (std::find(watched.begin(), watched.end(), name) == watched.end() ||
      std::find(ignored.begin(), ignored.end(), name) != ignored.end())
    return;
  fail_by_alarm(name, reason);
}

// "If any of the alarms enter the ALARM state during the deployment, ECS sets the deployment to
// FAILED" and rolls back when alarms.rollback is set; a FAILED deployment launches no new tasks.
void ServiceScheduler::fail_by_alarm(const std::string& name, const std::string& reason) {
  const std::string why = fmt::format("alarm {} in ALARM state ({})", name, reason);
  if (rollout_->config.blue_green_family()) {  // validation: the family's alarms always roll back
    roll_back_shift(why);
    return;
  }
  emit("deployment_failed", fmt::format("ECS deployment {} failed: {}.", rollout_->id, why));
  const DeploymentConfig config = rollout_->config;
  rollout_.reset();
  if (config.alarms.rollback && completed_ != primary_) {
    begin_rollout(completed_, config, true, "ECS deployment alarms");
  } else {
    stalled_ = true;
  }
}

}  // namespace fargatelab::detail
