// An ECS task as the model tracks it: lifecycle state, where it runs, what happened when.
// States, stop codes and reasons are the ones ECS reports (Amazon ECS Developer Guide, "Task
// lifecycle" and the TaskStopCode API enum; aws-facts.md B.3, B.4).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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

struct RegistryFault;
struct SecretsFault;

// Why a task failed to start, as the facts the model knew when it failed (what `fargatelab
// explain` builds its chain of causes from, never from the stopped reason's text).
struct StartFailure {
  enum class Kind : std::uint8_t {
    none,
    no_free_address,  // no subnet it may use had a free address for its ENI
    no_pull_path,     // its private subnet has no NAT gateway, public IP or ECR endpoints
    no_capacity,      // no Fargate capacity (Spot, hosts) or no container instance with room
    registry,         // every pull attempt was refused by a registry fault
    secrets,          // Secrets Manager was unavailable (a secrets fault)
    container,        // a container did not start (dependsOn, health check)
  };
  Kind kind = Kind::none;
  const std::vector<std::size_t>* subnets = nullptr;  // no_free_address: the subnets tried, all full
  std::int32_t subnet = -1;                          // no_pull_path: its subnet
  const RegistryFault* registry = nullptr;           // registry: the fault that refused the last attempt
  const SecretsFault* secrets = nullptr;             // secrets: the fault in force
  int attempts = 0;                                  // registry: pull attempts made
};
const char* to_string(StartFailure::Kind k) noexcept;

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
  bool out_of_memory = false;        // its essential container was killed at the task's memory (a leak)
  Duration deregistration_delay;     // drained for this long in DEACTIVATING (0 without a load balancer)
  std::optional<SimTime> spot_warning_at;  // when a Spot interruption warning arrived
  // When its zone went dark (an availability zone outage, faults/zone_outage.hpp): its host and
  // containers are gone at once, so it skips draining and shutdown; neither the circuit breaker
  // nor the service throttle counts it against its revision.
  std::optional<SimTime> lost_at;
  SimTime created_at;                // createdAt
  SimTime started_at;                // startedAt (RUNNING)
  SimTime stopped_at;
  std::optional<SimTime> in_service_at;  // the load balancer first sent it traffic
  std::array<double, kPhases> phase_seconds{};  // the launch breakdown
  std::array<bool, kPhases> phase_done{};
  StopCode stop_code = StopCode::none;
  std::string stopped_reason;
  StartFailure start_failure;  // with TaskFailedToStart: why
  Process process;  // the lifecycle
};

}  // namespace fargatelab::detail
