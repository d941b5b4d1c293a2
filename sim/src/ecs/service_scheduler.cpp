#include "ecs/service_scheduler.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

namespace fargatelab::detail {

ServiceScheduler::ServiceScheduler(Simulation& sim, LaunchType& platform, Service& serving, const ServiceSpec& spec,
                                   std::uint32_t index, const EcsSpec& ecs)
    : sim_(sim),
      platform_(platform),
      serving_(serving),
      spec_(spec),
      index_(index),
      ecs_(ecs),
      launch_bucket_(ecs.service_launch_burst, ecs.service_launch_per_second),
      deployments_(spec.deployments.get()) {
  for (std::size_t s : spec.subnets) {
    const std::string& az = platform.zone_of_subnet(s);
    if (std::find(zones_.begin(), zones_.end(), az) == zones_.end()) zones_.push_back(az);
  }
  serving_.target_healthy.connect([this](std::uint32_t server) { on_healthy(server); });
  serving_.target_unhealthy.connect([this](std::uint32_t server) { on_unhealthy(server); });
  platform_.zone_changed.connect([this](const std::string& az, bool up) { on_zone_changed(az, up); });
}

// A load balancer (or a queue) takes its requests through the target group; without one the
// task is discoverable at once and has no deregistration delay.
bool ServiceScheduler::behind_load_balancer() const noexcept {
  return !spec_.queue.enabled && (spec_.load_balancer == LoadBalancerKind::alb || spec_.load_balancer == LoadBalancerKind::nlb);
}

std::uint32_t ServiceScheduler::attach_server(Task& t) {
  const std::uint32_t server = serving_.add_server(task_of(t.revision)->vcpu());
  if (server_task_.size() <= server) server_task_.resize(server + 1u, ~0u);
  server_task_[server] = t.id;
  t.server = static_cast<std::int32_t>(server);
  serving_.set_target_group(server, t.group);
  return server;
}

bool ServiceScheduler::active(const Task& t) const noexcept {
  return !t.stop_requested && t.stop_code == StopCode::none &&
         (t.state == TaskState::provisioning || t.state == TaskState::pending || t.state == TaskState::activating ||
          t.state == TaskState::running);
}

void ServiceScheduler::start() {
  desired_ = daemon_count_ ? daemon_count_() : spec_.desired_count;
  desired_changed.emit(desired_);
  if (spec_.warm_start)
    for (int i = 0; i < desired_; ++i) launch_one(true);
  reconcile();
  struct Scheduled {
    static void fire(void* self, std::uint64_t i) { static_cast<ServiceScheduler*>(self)->on_scheduled(i); }
  };
  for (std::size_t i = 0; i < spec_.schedule.size(); ++i)
    sim_.schedule_at(spec_.schedule[i].at, Callback{&Scheduled::fire, this, i});
  if (deployments_)
    for (std::size_t i = 0; i < deployments_->deployments.size(); ++i)
      sim_.schedule_at(deployments_->deployments[i].at, bind<&ServiceScheduler::on_deployment>(this, i));
}

void ServiceScheduler::on_scheduled(std::uint64_t i) { set_desired(spec_.schedule[i].desired_count); }

void ServiceScheduler::set_desired(int n) {
  desired_ = n;
  desired_changed.emit(n);
  request_reconcile();
}

// Several changes in one instant (a task stops, desired changes) reconcile once, after them.
void ServiceScheduler::request_reconcile() {
  if (reconcile_pending_) return;
  reconcile_pending_ = true;
  sim_.schedule_in(Duration::zero(), bind<&ServiceScheduler::reconcile>(this), Priority::late);
}

const CapacityProviderItem& ServiceScheduler::next_provider() const {
  const auto& strategy = spec_.capacity_provider_strategy;
  // Active tasks per strategy item.
  std::vector<int> count(strategy.size(), 0);
  int total = 0;
  for (std::uint32_t id : tasks_) {
    const Task& t = platform_.tasks()[id];
    if (!active(t)) continue;
    for (std::size_t k = 0; k < strategy.size(); ++k)
      if (strategy[k].provider == t.provider && strategy[k].ec2 == t.ec2) {
        ++count[k];
        break;
      }
    ++total;
  }
  // The base first.
  for (std::size_t k = 0; k < strategy.size(); ++k)
    if (strategy[k].base > 0 && count[k] < strategy[k].base) return strategy[k];
  // Then the provider furthest below its weighted share of the tasks beyond the base.
  int base_total = 0, weight_total = 0;
  for (std::size_t k = 0; k < strategy.size(); ++k) {
    base_total += std::min(strategy[k].base, count[k]);
    weight_total += strategy[k].weight;
  }
  const double beyond = static_cast<double>(total - base_total + 1);
  std::size_t best = 0;
  double best_deficit = -1e300;
  for (std::size_t k = 0; k < strategy.size(); ++k) {
    if (strategy[k].weight == 0) continue;
    const double have = static_cast<double>(count[k] - std::min(strategy[k].base, count[k]));
    const double deficit = beyond * strategy[k].weight / weight_total - have;
    if (deficit > best_deficit + 1e-12) {
      best_deficit = deficit;
      best = k;
    }
  }
  return strategy[best];
}

std::string ServiceScheduler::next_zone() const {
  std::map<std::string, int> count;
  for (std::uint32_t id : tasks_) {
    const Task& t = platform_.tasks()[id];
    // A task not yet placed counts in the zone it was asked for, so a batch of launches spreads.
    const std::string& zone = t.az.empty() ? t.intended_az : t.az;
    if (active(t) && !zone.empty()) ++count[zone];
  }
  std::string best;
  int best_count = 1 << 30;
  for (const auto& z : zones_)
    if (platform_.zone_up(z) && count[z] < best_count) {
      best_count = count[z];
      best = z;
    }
  return best;
}

void ServiceScheduler::launch_one(bool warm, std::size_t revision, std::uint8_t group) {
  LaunchRequest r;
  r.service = static_cast<std::int32_t>(index_);
  r.name = fmt::format("{}/{}", spec_.name, ++launched_);
  r.spec = task_of(revision);
  const CapacityProviderItem& provider = next_provider();
  r.provider = provider.provider;
  r.ec2 = provider.ec2;
  r.daemon = static_cast<bool>(daemon_count_);
  r.subnets = &spec_.subnets;
  r.preferred_az = next_zone();
  Task* t = nullptr;
  if (warm) {
    t = platform_.adopt_running(r);
  } else {
    r.not_before = launch_bucket_.reserve(sim_.now());
    t = &platform_.launch(r);
  }
  if (!t) return;
  t->intended_az = r.preferred_az;
  t->revision = static_cast<std::uint32_t>(revision);
  t->group = group;
  t->deployment_healthy = warm;  // adopted in service
  t->deregistration_delay = behind_load_balancer() ? spec_.deregistration_delay : Duration::zero();
  tasks_.push_back(t->id);
  if (warm) serving_.register_target(attach_server(*t), /*healthy=*/true);
}

void ServiceScheduler::reconcile() {
  reconcile_pending_ = false;
  if (sim_.now() < backoff_until_) {
    sim_.schedule_at(backoff_until_, bind<&ServiceScheduler::request_reconcile>(this));
    return;
  }
  std::vector<std::uint32_t> live;
  for (std::uint32_t id : tasks_)
    if (active(platform_.tasks()[id])) live.push_back(id);
  if (rollout_) {
    if (rollout_->config.blue_green_family())
      reconcile_shift(live);
    else
      reconcile_rollout(live);
    return;
  }
  const int n = static_cast<int>(live.size());
  // A task started to move one into another zone runs beside the desired count until healthy.
  const int target = desired_ + static_cast<int>(rebalance_tasks_.size());
  if (!stalled_)
    for (int i = n; i < target; ++i) launch_one(false);
  if (n == target) rebalance(live);
  if (n <= target) return;
  // Scale in: tasks not yet running first (newest first), then running ones from the zone
  // with the most tasks (newest first).
  int excess = n - target;
  std::map<std::string, int> per_zone;
  for (std::uint32_t id : live) ++per_zone[platform_.tasks()[id].az];
  for (auto it = live.rbegin(); it != live.rend() && excess > 0; ++it) {
    Task& t = platform_.tasks()[*it];
    if (t.state == TaskState::running) continue;
    --per_zone[t.az];
    platform_.stop(t, StopCode::service_scheduler_initiated, "Scaling activity initiated by the service scheduler");
    --excess;
  }
  while (excess > 0) {
    std::string zone;
    int most = -1;
    for (const auto& [z, c] : per_zone)
      if (c > most) {
        most = c;
        zone = z;
      }
    for (auto it = live.rbegin(); it != live.rend(); ++it) {
      Task& t = platform_.tasks()[*it];
      if (t.az != zone || t.state != TaskState::running || t.stop_requested) continue;
      --per_zone[zone];
      platform_.stop(t, StopCode::service_scheduler_initiated, "Scaling activity initiated by the service scheduler");
      break;
    }
    --excess;
  }
}

void ServiceScheduler::on_healthy(std::uint32_t server) {
  Task& t = platform_.tasks()[server_task_[server]];
  t.in_service = true;
  t.unhealthy = false;
  if (!t.in_service_at) t.in_service_at = sim_.now();
  if (std::find(rebalance_tasks_.begin(), rebalance_tasks_.end(), t.id) != rebalance_tasks_.end()) on_rebalance_task_healthy(t);
  // Behind a load balancer a task is healthy for its deployment once in service; without one, 40 s
  // after RUNNING (service_deployment.cpp).
  if (deployments_ && behind_load_balancer() && !t.deployment_healthy) on_new_task_healthy(t);
}

// ECS replaces a task its load balancer reports unhealthy, except during the health check
// grace period after the task started (service_definition_parameters: healthCheckGracePeriodSeconds).
void ServiceScheduler::on_unhealthy(std::uint32_t server) {
  Task& t = platform_.tasks()[server_task_[server]];
  t.in_service = false;
  t.unhealthy = true;
  if (t.state != TaskState::running || t.stop_requested) return;
  if (sim_.now() - t.started_at < spec_.health_check_grace_period) {
    // Ignored during the grace period, but a target still unhealthy when it ends is replaced.
    sim_.schedule_at(t.started_at + spec_.health_check_grace_period, bind<&ServiceScheduler::on_grace_over>(this, server));
    return;
  }
  replace_unhealthy(t);
}

void ServiceScheduler::on_grace_over(std::uint64_t server) {
  Task& t = platform_.tasks()[server_task_[server]];
  if (t.unhealthy && t.state == TaskState::running && !t.stop_requested && t.server == static_cast<std::int32_t>(server))
    replace_unhealthy(t);
}

void ServiceScheduler::replace_unhealthy(Task& t) {
  ++unhealthy_replaced_;
  platform_.stop(t, StopCode::service_scheduler_initiated,
                 fmt::format("Task failed ELB health checks in (target-group {})", spec_.name));
}

void ServiceScheduler::on_state(Task& t, TaskState previous) {
  switch (t.state) {
    case TaskState::running:
      if (previous == TaskState::stopped) break;  // adopted at a warm start: handled in launch_one
      consecutive_failures_ = 0;
      serving_.register_target(attach_server(t));  // health checked behind a load balancer
      if (deployments_) on_task_running(t);
      if (!behind_load_balancer() && std::find(rebalance_tasks_.begin(), rebalance_tasks_.end(), t.id) != rebalance_tasks_.end())
        on_rebalance_task_healthy(t);
      else if (rebalancing_)
        request_reconcile();  // the stop-first move waits for its replacement to run
      break;
    case TaskState::deactivating:
    case TaskState::stopping:
      if (deployments_) on_failure(t);
      if (t.server >= 0) serving_.deregister_target(static_cast<std::uint32_t>(t.server));
      t.in_service = false;
      if (previous == TaskState::running || previous == TaskState::activating || previous == TaskState::pending)
        request_reconcile();  // it no longer counts: replace it now
      break;
    case TaskState::deprovisioning:
    case TaskState::stopped:
      if (deployments_) on_failure(t);
      if (previous == TaskState::stopping && t.server >= 0) serving_.kill_server(static_cast<std::uint32_t>(t.server));
      if (t.state == TaskState::stopped) {
        tasks_.erase(std::remove(tasks_.begin(), tasks_.end(), t.id), tasks_.end());
        rebalance_tasks_.erase(std::remove(rebalance_tasks_.begin(), rebalance_tasks_.end(), t.id), rebalance_tasks_.end());
        // A task lost with its zone says nothing about the service's ability to start tasks.
        if (t.stop_code == StopCode::task_failed_to_start && !t.lost_at) {
          ++consecutive_failures_;
          const double delay = ecs_.backoff_initial.to_seconds() * std::pow(ecs_.backoff_factor, consecutive_failures_ - 1);
          const Duration wait = std::min(SimTime::from_seconds(delay), ecs_.backoff_max);
          backoff_until_ = sim_.now() + wait;
          backed_off.emit(t, {consecutive_failures_, wait});
        }
        request_reconcile();
      }
      break;
    default:
      break;
  }
}

}  // namespace fargatelab::detail
