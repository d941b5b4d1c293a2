// A scalable target, as Application Auto Scaling registers one (RegisterScalableTarget): a
// resource's capacity dimension with its min and max capacity and suspended state. Scaling
// policies recommend a desired capacity; the PolicyEvaluator combines them and sets it here.
//
// Contract
//  * desired_capacity() is the scalable dimension's value (ECS: the service's desiredCount).
//    AAS computes its adjustments from it: target tracking, step and percent changes are
//    relative to the desired capacity, not to what is running yet.
//  * current_capacity() is the capacity actually serving (ECS: runningCount, tasks in RUNNING);
//    it lags the desired capacity by the launch time. Kubernetes-style policies (HPA) and
//    reports use it.
//  * set_desired_capacity(n) clamps n to [min, max], asks the resource for the result and
//    returns it. The resource then works towards it (tasks launch or drain); desired_capacity()
//    returns the new value at once.
//  * Capacities are integers >= 0 (tasks, environments, instances).
#pragma once

#include <algorithm>
#include <limits>
#include <string>

namespace fargatelab::detail {

// MinCapacity and MaxCapacity of the registered target; 0 <= min <= max.
struct CapacityLimits {
  int min = 0;
  int max = std::numeric_limits<int>::max();
  int clamp(int n) const noexcept { return std::clamp(n, min, max); }
};

// RegisterScalableTarget SuspendedState: each flag stops one kind of scaling activity.
struct SuspendedState {
  bool dynamic_scaling_in = false;   // target tracking and step policies do not remove capacity
  bool dynamic_scaling_out = false;  // ... do not add capacity
  bool scheduled_scaling = false;    // scheduled actions do not run
};

class ScalableTarget {
 public:
  virtual ~ScalableTarget() = default;

  // AAS's identity of the target: "service/default/api" and "ecs:service:DesiredCount".
  virtual std::string resource_id() const = 0;
  virtual std::string scalable_dimension() const = 0;
  virtual int desired_capacity() const = 0;
  virtual int current_capacity() const = 0;
  // Dynamic scaling may not remove capacity now (ECS: "Application Auto Scaling turns off
  // scale-in processes while Amazon ECS deployments are in progress"; scale-out goes on).
  virtual bool scale_in_blocked() const { return false; }

  // Clamps to limits() and applies; returns the capacity set.
  int set_desired_capacity(int n) {
    const int applied = limits_.clamp(n);
    apply_desired(applied);
    return applied;
  }

  const CapacityLimits& limits() const noexcept { return limits_; }
  // Only records the new limits (std::invalid_argument unless 0 <= min <= max). Whoever changes
  // them applies AWS's rule for the capacity already set: a scheduled action that raises the
  // minimum above the desired capacity scales out to it (and a lowered maximum scales in).
  void set_limits(CapacityLimits l);
  const SuspendedState& suspended() const noexcept { return suspended_; }
  void set_suspended(SuspendedState s) noexcept { suspended_ = s; }

 protected:
  // Asks the resource for `n` (already within limits).
  virtual void apply_desired(int n) = 0;

 private:
  CapacityLimits limits_;
  SuspendedState suspended_;
};

// A plain integer capacity whose owner reports what is running: desired capacity changes
// when scaling sets it, current capacity when the owner calls set_current() (e.g. a test, or a
// resource that adds capacity at once). Both start at `initial`.
class IntegerTarget final : public ScalableTarget {
 public:
  IntegerTarget(std::string resource_id, std::string dimension, int initial, CapacityLimits limits = {});

  std::string resource_id() const override { return resource_id_; }
  std::string scalable_dimension() const override { return dimension_; }
  int desired_capacity() const override { return desired_; }
  int current_capacity() const override { return current_; }
  void set_current(int n) noexcept { current_ = n; }

 protected:
  void apply_desired(int n) override { desired_ = n; }

 private:
  std::string resource_id_, dimension_;
  int desired_, current_;
};

}  // namespace fargatelab::detail
