#include "ecs/task_billing.hpp"

#include "pricing/billed_interval.hpp"

namespace fargatelab::detail {

TaskBillingMeter::TaskBillingMeter(Simulation& sim, const ScenarioSpec& spec, LaunchType& launch_type)
    : sim_(sim),
      spec_(spec),
      launch_type_(launch_type),
      task_seconds_(spec.services.size() * 2),
      public_ip_seconds_(spec.services.size(), 0.0) {
  launch_type.state_changed.connect([this](Task& t, TaskState previous) { on_state(t, previous); });
}

void TaskBillingMeter::close(const Task& t) {
  const double s = seconds_within(billing_from_[t.id], sim_.now(), from_, sim_.now());
  const auto svc = static_cast<std::size_t>(t.service);
  if (s > 0) task_seconds_[svc * 2 + (t.provider == CapacityProvider::fargate_spot)].push_back(s);
  if (t.subnet >= 0 && spec_.network.subnets[static_cast<std::size_t>(t.subnet)].is_public) public_ip_seconds_[svc] += s;
}

// Billing runs from the image pull (PENDING) or, for a task adopted as running at t = 0, from
// its creation; it ends at STOPPED.
void TaskBillingMeter::on_state(Task& t, TaskState previous) {
  if (t.service < 0) return;  // standalone tasks: not billed in this version
  if (billing_from_.size() <= t.id) billing_from_.resize(t.id + 1, SimTime::infinity());
  const bool created = previous == TaskState::stopped;
  if ((t.state == TaskState::pending && !created) || (created && t.state == TaskState::running)) billing_from_[t.id] = sim_.now();
  if (t.state == TaskState::stopped && !billing_from_[t.id].is_infinite()) {
    close(t);
    billing_from_[t.id] = SimTime::infinity();
  }
}

void TaskBillingMeter::finish() {
  for (const Task& t : launch_type_.tasks())
    if (t.service >= 0 && t.id < billing_from_.size() && !billing_from_[t.id].is_infinite()) close(t);
}

}  // namespace fargatelab::detail
