#include "ecs/task.hpp"

namespace fargatelab::detail {

const char* to_string(TaskState s) noexcept {
  switch (s) {
    case TaskState::provisioning: return "PROVISIONING";
    case TaskState::pending: return "PENDING";
    case TaskState::activating: return "ACTIVATING";
    case TaskState::running: return "RUNNING";
    case TaskState::deactivating: return "DEACTIVATING";
    case TaskState::stopping: return "STOPPING";
    case TaskState::deprovisioning: return "DEPROVISIONING";
    case TaskState::stopped: return "STOPPED";
  }
  return "?";
}

const char* to_string(StopCode c) noexcept {
  switch (c) {
    case StopCode::none: return "";
    case StopCode::task_failed_to_start: return "TaskFailedToStart";
    case StopCode::essential_container_exited: return "EssentialContainerExited";
    case StopCode::user_initiated: return "UserInitiated";
    case StopCode::service_scheduler_initiated: return "ServiceSchedulerInitiated";
    case StopCode::spot_interruption: return "SpotInterruption";
  }
  return "?";
}

const char* to_string(CapacityProvider p) noexcept {
  return p == CapacityProvider::fargate_spot ? "FARGATE_SPOT" : p == CapacityProvider::ec2 ? "EC2" : "FARGATE";
}

const char* to_string(StartFailure::Kind k) noexcept {
  switch (k) {
    case StartFailure::Kind::none: return "";
    case StartFailure::Kind::no_free_address: return "no_free_address";
    case StartFailure::Kind::no_pull_path: return "no_pull_path";
    case StartFailure::Kind::no_capacity: return "no_capacity";
    case StartFailure::Kind::registry: return "registry";
    case StartFailure::Kind::secrets: return "secrets";
    case StartFailure::Kind::container: return "container";
  }
  return "?";
}

const char* to_string(Phase p) noexcept {
  switch (p) {
    case Phase::throttled: return "throttled";
    case Phase::provisioning: return "provisioning";
    case Phase::vm_boot: return "vm_boot";
    case Phase::image_pull: return "image_pull";
    case Phase::container_start: return "container_start";
    case Phase::activating: return "activating";
    case Phase::health_check: return "health_check";
  }
  return "?";
}

}  // namespace fargatelab::detail
