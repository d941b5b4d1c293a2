// Runs the scaling policies of one scalable target on the simulation clock: once per period,
// at first, first + period, first + 2 period, ..., every policy is evaluated with the metrics
// published so far and the target's state, their recommendations are combined
// (combine_recommendations), the suspended state is respected, and the result, clamped to the
// target's limits, becomes its desired capacity. Each change is a ScalingActivity, emitted on
// `scaled` (the event log and the reports listen; the evaluator keeps only the latest one in
// each direction).
//
// Evaluations run at Priority::late: after the model's own events at that instant, so a
// datapoint published at the same instant by a timer started before this one is visible.
// A scale-out decision never lowers the desired capacity and a scale-in never raises it, even
// when the limits were changed under it (scheduled actions apply those themselves). A winning
// scale-out whose recommendation carries a max_capacity above the target's maximum raises the
// maximum to it first (predictive IncreaseMaxCapacity).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fargatelab/engine.hpp"
#include "fargatelab/signal.hpp"
#include "scaling/policy_combination.hpp"
#include "scaling/scaling_policy.hpp"

namespace fargatelab::detail {

class PolicyEvaluator {
 public:
  // period > 0 (std::invalid_argument otherwise). `target` and `metrics` must outlive it, and it
  // must not outlive `sim`.
  PolicyEvaluator(Simulation& sim, ScalableTarget& target, const MetricView& metrics, Duration period);
  PolicyEvaluator(const PolicyEvaluator&) = delete;
  PolicyEvaluator& operator=(const PolicyEvaluator&) = delete;
  ~PolicyEvaluator();

  // Policies are evaluated in the order added; on a tie the first one's activity is recorded.
  void add(std::string name, std::unique_ptr<ScalingPolicy> policy);
  // First evaluation at `first` (>= now), then every period. start() with no argument: one period
  // from now (the first period's datapoint can then exist). Starting twice restarts the timeline.
  void start(SimTime first);
  void start() { start(sim_.now() + period_); }
  void stop() noexcept;

  Duration period() const noexcept { return period_; }
  std::size_t policies() const noexcept { return policies_.size(); }
  // The i-th policy (in the order added) and its name, for reports (i < policies()).
  const ScalingPolicy& policy(std::size_t i) const { return *policies_.at(i).policy; }
  const std::string& policy_name(std::size_t i) const { return policies_.at(i).name; }
  std::uint64_t evaluations() const noexcept { return evaluations_; }
  const std::optional<ScalingActivity>& last_scale_out() const noexcept { return last_out_; }
  const std::optional<ScalingActivity>& last_scale_in() const noexcept { return last_in_; }

  Signal<const ScalingActivity&> scaled;

 private:
  struct Entry {
    std::string name;
    std::unique_ptr<ScalingPolicy> policy;
  };
  void evaluate();

  Simulation& sim_;
  ScalableTarget& target_;
  const MetricView& metrics_;
  Duration period_;
  std::vector<Entry> policies_;
  std::vector<Recommendation> recommendations_;  // reused each evaluation
  TimerId timer_;
  std::uint64_t evaluations_ = 0;
  std::optional<ScalingActivity> last_out_, last_in_;
};

}  // namespace fargatelab::detail
