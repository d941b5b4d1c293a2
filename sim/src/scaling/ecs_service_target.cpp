#include "scaling/ecs_service_target.hpp"

namespace fargatelab::detail {

EcsServiceTarget::EcsServiceTarget(ServiceScheduler& scheduler, std::int32_t service, std::string name, CapacityLimits limits)
    : scheduler_(scheduler), service_(service), name_(std::move(name)) {
  set_limits(limits);
}

void EcsServiceTarget::follow(LaunchType& launch_type) {
  launch_type.state_changed.connect([this](Task& t, TaskState previous) { on_task_state(t, previous); });
}

void EcsServiceTarget::on_task_state(const Task& t, TaskState previous) noexcept {
  if (t.service != service_) return;
  // A task's creation is reported "from STOPPED", so `previous == running` is a real exit.
  running_ += (t.state == TaskState::running ? 1 : 0) - (previous == TaskState::running ? 1 : 0);
}

}  // namespace fargatelab::detail
