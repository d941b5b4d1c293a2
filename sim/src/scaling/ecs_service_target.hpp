// An ECS service's desired count as a scalable target (AAS: ResourceId "service/<cluster>/<name>",
// ScalableDimension "ecs:service:DesiredCount"). Setting the desired capacity is UpdateService
// through the service scheduler, which launches or drains tasks towards it; the current
// capacity is the service's runningCount (tasks in RUNNING; a draining task no longer counts),
// counted from the launch type's task transitions, never by asking the tasks.
#pragma once

#include <cstdint>
#include <string>

#include "ecs/launch_type.hpp"
#include "ecs/service_scheduler.hpp"
#include "scaling/scalable_target.hpp"

namespace fargatelab::detail {

class EcsServiceTarget final : public ScalableTarget {
 public:
  // service: the scenario's index of the service `scheduler` runs; name: its name. The simulator
  // has one ECS cluster, "default".
  EcsServiceTarget(ServiceScheduler& scheduler, std::int32_t service, std::string name, CapacityLimits limits = {});

  // Counts this service's tasks entering and leaving RUNNING; other services' tasks are ignored.
  // Follow every launch type the service's tasks can come from, before the scheduler starts
  // (tasks adopted RUNNING at a warm start arrive as a transition "from STOPPED").
  void follow(LaunchType& launch_type);
  void on_task_state(const Task& t, TaskState previous) noexcept;

  std::string resource_id() const override { return "service/default/" + name_; }
  std::string scalable_dimension() const override { return "ecs:service:DesiredCount"; }
  int desired_capacity() const override { return scheduler_.desired(); }
  int current_capacity() const override { return running_; }
  bool scale_in_blocked() const override { return scheduler_.deployment_in_progress(); }

 protected:
  void apply_desired(int n) override { scheduler_.set_desired(n); }

 private:
  ServiceScheduler& scheduler_;
  std::int32_t service_;
  std::string name_;
  int running_ = 0;
};

}  // namespace fargatelab::detail
