// An ECS task as the model tracks it: lifecycle state, where it runs, what happened when.
// States, stop codes and reasons are the ones ECS reports (Amazon ECS Developer Guide, "Task
// lifecycle" and the TaskStopCode API enum; aws-facts.md B.3, B.4).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "fargatelab/process.hpp"
#include "fargatelab/scenario.hpp"
#include "fargatelab/time.hpp"

namespace fargatelab::detail {

enum class TaskState : std::uint8_t {
  provisioning, pending, activating, running, deactivating, stopping, deprovisioning, stopped
};
inline constexpr std::size_t kTaskStates = 8;
const char* to_string(TaskState s) noexcept;

enum class StopCode : std::uint8_t {
  none,
  task_failed_to_start,
  essential_container_exited,
  user_initiated,
  service_scheduler_initiated,
  spot_interruption,
};
const char* to_string(StopCode c) noexcept;
const char* to_string(CapacityProvider p) noexcept;

// Launch phases whose durations the launch breakdown reports, in order.
enum class Phase : std::uint8_t { throttled, provisioning, vm_boot, image_pull, container_start, activating, health_check };
inline constexpr std::size_t kPhases = 7;
const char* to_string(Phase p) noexcept;

struct Task {
  std::uint32_t id = 0;
  std::int32_t service = -1;     // index into the scenario's services, or -1 for a standalone task
  std::int32_t standalone = -1;  // index into the scenario's standalone tasks
  std::string name;              // "api/17"
  const TaskSpec* spec = nullptr;
  CapacityProvider provider = CapacityProvider::fargate;
  std::int32_t ec2 = -1;         // provider == ec2: index into the ecs_ec2 platform's capacity providers
  std::int32_t instance = -1;    // EC2: the container instance id in its provider's cluster once placed
  bool daemon = false;           // a DAEMON service's task
  TaskState state = TaskState::provisioning;
  std::string az;
  std::string intended_az;  // the zone the scheduler asked for (spread counts it before placement)
  std::int32_t subnet = -1;          // index into NetworkSpec::subnets once the ENI has an address
  std::int32_t host = -1;            // host index in its zone's fleet once placed
  std::int32_t server = -1;          // serving slot in its service while it can take requests
  bool in_service = false;           // registered and healthy behind the load balancer
  bool unhealthy = false;            // the load balancer last found it unhealthy
  bool stop_requested = false;       // the scheduler or a user asked it to stop
  std::uint32_t revision = 0;        // the service's task definition revision it runs (0: the service's own)
  std::uint8_t group = 0;            // its target group behind the listener (blue/green: blue or green)
  bool deployment_healthy = false;   // counted healthy by the deployment (in service, or 40 s after RUNNING)
  bool failure_counted = false;      // its failure was counted by the circuit breaker
  Duration deregistration_delay;     // drained for this long in DEACTIVATING (0 without a load balancer)
  std::optional<SimTime> spot_warning_at;  // when a Spot interruption warning arrived
  SimTime created_at;                // createdAt
  SimTime started_at;                // startedAt (RUNNING)
  SimTime stopped_at;
  std::optional<SimTime> in_service_at;  // the load balancer first sent it traffic
  std::array<double, kPhases> phase_seconds{};  // the launch breakdown
  std::array<bool, kPhases> phase_done{};
  StopCode stop_code = StopCode::none;
  std::string stopped_reason;
  Process process;  // the lifecycle
};

}  // namespace fargatelab::detail
