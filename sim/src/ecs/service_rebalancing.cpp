// The service scheduler's Availability Zone rebalancing (the contract is in
// service_scheduler.hpp). ECS developer guide, "Balancing an Amazon ECS service across
// Availability Zones" and "Track Amazon ECS Availability Zone rebalancing": ECS launches tasks
// in the zone with fewest tasks and stops tasks in the zone with most, within the service's
// maximumPercent; its service events are SERVICE_REBALANCING_STARTED / _COMPLETED / _STOPPED,
// TASKS_STARTED and TASKS_STOPPED, in the words below.
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ecs/deployment/rolling_rules.hpp"
#include "ecs/service_scheduler.hpp"

namespace fargatelab::detail {
namespace {

constexpr const char* kRebalanceStop = "AZ Rebalancing initiated by the service scheduler";

}  // namespace

void ServiceScheduler::service_note(std::string kind, std::string message) {
  service_event.emit({sim_.now(), std::move(kind), std::move(message)});
}

void ServiceScheduler::on_zone_changed(const std::string& az, bool up) {
  if (std::find(zones_.begin(), zones_.end(), az) == zones_.end()) return;
  if (up && spec_.availability_zone_rebalancing && !daemon_count_) rebalance_check_ = true;
  request_reconcile();
}

// Active tasks per zone that is up (zero for a zone without any); a task not yet placed counts
// in the zone it was asked for.
std::map<std::string, int> ServiceScheduler::tasks_per_zone(const std::vector<std::uint32_t>& live) const {
  std::map<std::string, int> count;
  for (const auto& z : zones_)
    if (platform_.zone_up(z)) count[z] = 0;
  for (std::uint32_t id : live) {
    const Task& t = platform_.tasks()[id];
    const auto it = count.find(t.az.empty() ? t.intended_az : t.az);
    if (it != count.end()) ++it->second;
  }
  return count;
}

// "3 tasks in us-east-1a, 3 tasks in us-east-1b, and 0 tasks in us-east-1c"
std::string ServiceScheduler::zone_counts(const std::map<std::string, int>& counts) const {
  std::string out;
  std::size_t k = 0;
  for (const auto& [z, n] : counts) {
    if (k > 0) out += counts.size() == 2 ? " and " : (k + 1 == counts.size() ? ", and " : ", ");
    out += fmt::format("{} tasks in {}{}", n, ecs_.region, z);
    ++k;
  }
  return out;
}

void ServiceScheduler::end_rebalancing(const char* kind, std::string message) {
  rebalancing_ = false;
  rebalance_check_ = false;
  rebalance_tasks_.clear();  // they stay as the service's tasks
  service_note(kind, std::move(message));
}

// Called by reconcile() at the steady count (active tasks == desired + moves in flight).
void ServiceScheduler::rebalance(const std::vector<std::uint32_t>& live) {
  if (!rebalance_check_ && !rebalancing_) return;
  if (stalled_ || rollout_ || !rebalance_tasks_.empty()) return;  // a move is in flight
  const auto counts = tasks_per_zone(live);
  if (counts.size() < 2) {
    rebalance_check_ = false;
    return;
  }
  auto [lo, hi] = std::minmax_element(counts.begin(), counts.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  if (hi->second - lo->second <= 1) {
    if (rebalancing_)
      end_rebalancing("service_rebalancing_completed", fmt::format("service ({}) is AZ balanced with {}.", spec_.name, zone_counts(counts)));
    rebalance_check_ = false;
    return;
  }
  // Every task must be RUNNING before the next move (a move never takes the service below its
  // healthy count for longer than one replacement).
  for (std::uint32_t id : live)
    if (platform_.tasks()[id].state != TaskState::running) return;
  if (!rebalancing_) {
    rebalancing_ = true;
    service_note("service_rebalancing_started",
                 fmt::format("service ({}) is not AZ balanced with {}. AZ Rebalancing in progress.", spec_.name, zone_counts(counts)));
  }
  rebalance_check_ = false;
  // maximumPercent of the deployment in force (REPLICA default 200 %).
  int maximum_percent = 200;
  if (deployments_)
    for (const DeploymentSpec& d : deployments_->deployments)
      if (d.at <= sim_.now() && !d.rollback) maximum_percent = d.config.maximum_percent;
  const int headroom = maximum_tasks(desired_, maximum_percent) - desired_;
  if (headroom <= 0) {
    // No room to start first: stop one in the fullest zone; reconcile() starts its replacement in
    // the zone with fewest (next_zone).
    stop_in_fullest_zone(live, ~0u);
    return;
  }
  // Start first: as many moves as the imbalance needs, within the headroom; next_zone() sends each
  // to the zone with fewest, counting the moves already asked for.
  auto c = counts;
  int moves = 0;
  while (moves < headroom) {
    auto [l, h] = std::minmax_element(c.begin(), c.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    if (h->second - l->second <= 1) break;
    --h->second;
    ++l->second;
    ++moves;
  }
  std::map<std::string, std::vector<std::string>> started;
  for (int i = 0; i < moves; ++i) {
    const std::size_t before = tasks_.size();
    launch_one(false);
    if (tasks_.size() == before) break;
    const Task& t = platform_.tasks()[tasks_.back()];
    rebalance_tasks_.push_back(t.id);
    started[t.intended_az].push_back(t.name);
  }
  for (const auto& [z, names] : started)
    service_note("tasks_started", fmt::format("service ({}) has started {} tasks in {}{} to AZ Rebalance: {}.", spec_.name, names.size(),
                                              ecs_.region, z, fmt::join(names, ", ")));
}

// A task started for a move is healthy (in service behind a load balancer, else RUNNING): one
// task leaves the fullest zone. One that was placed outside the zone it was started for (the
// zone had no address or capacity) ends the rebalancing: it cannot make progress.
void ServiceScheduler::on_rebalance_task_healthy(Task& t) {
  rebalance_tasks_.erase(std::remove(rebalance_tasks_.begin(), rebalance_tasks_.end(), t.id), rebalance_tasks_.end());
  std::vector<std::uint32_t> live;
  for (std::uint32_t id : tasks_)
    if (active(platform_.tasks()[id])) live.push_back(id);
  if (t.az != t.intended_az) {
    platform_.stop(t, StopCode::service_scheduler_initiated, kRebalanceStop);
    end_rebalancing("service_rebalancing_stopped",
                    fmt::format("service ({}) stopped AZ Rebalancing: a task could not be placed in {}{}.", spec_.name, ecs_.region,
                                t.intended_az));
    request_reconcile();
    return;
  }
  stop_in_fullest_zone(live, t.id);
  request_reconcile();
}

// Stops the newest RUNNING task (not `except`, not a move in flight) in the zone with most tasks.
void ServiceScheduler::stop_in_fullest_zone(const std::vector<std::uint32_t>& live, std::uint32_t except) {
  auto counts = tasks_per_zone(live);
  const auto hi = std::max_element(counts.begin(), counts.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  if (hi == counts.end()) return;
  for (auto it = live.rbegin(); it != live.rend(); ++it) {
    Task& t = platform_.tasks()[*it];
    if (t.id == except || t.az != hi->first || t.state != TaskState::running || t.stop_requested) continue;
    if (std::find(rebalance_tasks_.begin(), rebalance_tasks_.end(), t.id) != rebalance_tasks_.end()) continue;
    platform_.stop(t, StopCode::service_scheduler_initiated, kRebalanceStop);
    service_note("tasks_stopped", fmt::format("service ({}) has stopped 1 running tasks in {}{} to AZ Rebalance: {}.", spec_.name,
                                              ecs_.region, hi->first, t.name));
    return;
  }
}

}  // namespace fargatelab::detail
