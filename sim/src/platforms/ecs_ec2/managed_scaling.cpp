#include "platforms/ecs_ec2/managed_scaling.hpp"

#include <algorithm>
#include <cstdint>

namespace fargatelab::detail {
namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return b > 0 ? (a + b - 1) / b : 0; }

}  // namespace

double capacity_provider_reservation(int running, int needed) noexcept {
  if (running == 0) return needed > 0 ? 200.0 : 100.0;
  return 100.0 * needed / running;
}

int instances_lower_bound(const InstanceType& type, int reserved_memory_mib, bool trunking,
                          std::span<const PlacementRequest> waiting) {
  std::int64_t cpu = 0, memory = 0, enis = 0;
  for (const PlacementRequest& r : waiting) {
    cpu += r.cpu_units;
    memory += r.memory_mib;
    enis += r.network_mode == NetworkMode::awsvpc;
  }
  const std::int64_t by_cpu = ceil_div(cpu, type.cpu_units());
  const std::int64_t by_memory = ceil_div(memory, registered_memory_mib(type, reserved_memory_mib));
  const std::int64_t by_eni = ceil_div(enis, type.awsvpc_task_limit(trunking));
  return static_cast<int>(std::max({by_cpu, by_memory, by_eni}));
}

int instances_needed(int running, int with_tasks, int lower_bound_for_waiting, bool tasks_waiting, int min_step,
                     int max_step) noexcept {
  if (!tasks_waiting) return with_tasks;
  return running + std::clamp(lower_bound_for_waiting, min_step, max_step);
}

int target_instances(int needed, int target_capacity_pct) noexcept {
  return static_cast<int>(ceil_div(std::int64_t{needed} * 100, target_capacity_pct));
}

}  // namespace fargatelab::detail
