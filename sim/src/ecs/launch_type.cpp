#include "ecs/launch_type.hpp"

#include <algorithm>

namespace fargatelab::detail {

bool LaunchType::zone_up(std::string_view az) const noexcept {
  return std::find(zones_down_.begin(), zones_down_.end(), az) == zones_down_.end();
}

void LaunchType::lose_task(Task& t, const std::string& reason, SimTime now) {
  if (t.state == TaskState::stopped || t.lost_at) return;
  t.lost_at = now;
  if (t.stop_code == StopCode::none) {
    t.stop_code = t.state == TaskState::running ? StopCode::essential_container_exited : StopCode::task_failed_to_start;
    t.stopped_reason = reason;
  }
  t.stop_requested = true;
  if (!t.process.done()) t.process.interrupt("availability zone lost");
}

void LaunchType::lose_zone(const std::string& az, const std::string& reason, SimTime now) {
  if (!zone_up(az)) return;
  zones_down_.push_back(az);
  for (Task& t : tasks())
    if (t.az == az) lose_task(t, reason, now);
  on_zone_lost(az);
  zone_changed.emit(az, false);
}

void LaunchType::restore_zone(const std::string& az) {
  const auto it = std::find(zones_down_.begin(), zones_down_.end(), az);
  if (it == zones_down_.end()) return;
  zones_down_.erase(it);
  on_zone_restored(az);
  zone_changed.emit(az, true);
}

}  // namespace fargatelab::detail
