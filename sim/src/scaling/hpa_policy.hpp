// Kubernetes HorizontalPodAutoscaler (autoscaling/v2) on a scalable target, so a team moving
// from EKS can compare it with AAS policies on the same workload.
//
// The algorithm (Kubernetes docs "Horizontal Pod Autoscaling", "Algorithm details" and
// "Configurable scaling behavior"; pkg/controller/podautoscaler in kubernetes/kubernetes):
//  * every sync period (--horizontal-pod-autoscaler-sync-period, default 15 s):
//      ratio = currentMetricValue / desiredMetricValue;
//      if |ratio - 1| <= tolerance (0.1 by default) nothing changes, else
//      proposal = ceil(ratio x ready pods) (Resource / Pods metrics: the pods that report, here the
//      running tasks, TargetState::current);
//  * stabilisation: the proposal is stored; the result is the current replicas moved towards
//    the proposal but no lower than the highest proposal of the scale-down window
//    (stabilizationWindowSeconds, default 300 s) and no higher than the lowest of the scale-up
//    window (default 0 s: no stabilisation);
//  * rate limits (HPAScalingRules, selectPolicy Max: the policy allowing the larger change):
//    scale-up default Percent 100 per 15 s and Pods 4 per 15 s; scale-down default Percent 100
//    per 15 s. A limit counts from the replicas at the start of its period (replicas now minus
//    those added, plus those removed, in the last periodSeconds);
//  * a missing metric means no scaling (the controller skips the HPA and reports it).
// Differences from the controller, by design:
//  * metrics come from CloudWatch datapoints (metric_keys), not metrics-server; a datapoint is
//    used once: until a newer one is published the previous proposal stands (metrics-server would
//    count the new, not yet reporting pods as idle, which has the same effect);
//  * the tolerance band includes its edges exactly: k8s compares floating-point numbers, so a
//    ratio of 66/60 (1.1000000000000001) scales there while the docs' "within 10 %" says it
//    should not; here |ratio - 1| <= tolerance + 1e-9 holds.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "scaling/metric_series.hpp"
#include "scaling/scaling_registry.hpp"

namespace fargatelab::detail {

// One HPAScalingPolicy: Percent (value in %) or Pods (value in pods), per period.
struct HpaRatePolicy {
  enum class Type { percent, pods } type = Type::percent;
  int value = 100;
  Duration period = seconds(15);
};

// spec.behavior (defaults from the Kubernetes docs, "Default Behavior").
struct HpaBehavior {
  Duration scale_up_window = seconds(0);
  std::vector<HpaRatePolicy> scale_up{{HpaRatePolicy::Type::percent, 100, seconds(15)},
                                      {HpaRatePolicy::Type::pods, 4, seconds(15)}};
  Duration scale_down_window = seconds(300);
  std::vector<HpaRatePolicy> scale_down{{HpaRatePolicy::Type::percent, 100, seconds(15)}};
  double tolerance = 0.1;  // --horizontal-pod-autoscaler-tolerance
};

// Stabilisation windows and rate limits of the HPA controller, shared by the HPA and KEDA
// policies. Times are the simulation's; replicas are the target's desired capacity.
class HpaController {
 public:
  explicit HpaController(HpaBehavior behavior) : behavior_(std::move(behavior)) {}
  const HpaBehavior& behavior() const noexcept { return behavior_; }

  // True when the ratio is inside the tolerance band (no scaling).
  bool within_tolerance(double ratio) const noexcept;
  // The replicas to set at `now` for a metric-based `proposal`, given the `replicas` set now:
  // stores the proposal, applies the stabilisation windows and the rate limits.
  int decide(SimTime now, int replicas, int proposal);
  // Tells the controller the replicas it finds set at a sync (records its own earlier change
  // as a scale event, timed at that earlier sync).
  void observe(SimTime now, int replicas);

 private:
  struct Stamped {
    SimTime at;
    int value;
  };
  int change_within(Duration period, SimTime now, bool up) const;

  HpaBehavior behavior_;
  std::deque<Stamped> proposals_;
  std::deque<Stamped> events_;  // replica changes (+ up, - down)
  std::optional<Stamped> last_sync_;  // when the controller last decided, and what it found set
};

// What Kubernetes-style policies (HPA, KEDA) share besides the controller: a sync period of
// their own, and the metric's newest datapoint as long as it is fresh.
class SyncPeriod {
 public:
  explicit SyncPeriod(Duration period) : period_(period) {}
  // True at the first call and once `period` has passed since the last true.
  bool due(SimTime now) {
    if (last_ && now - *last_ < period_) return false;
    last_ = now;
    return true;
  }

 private:
  Duration period_;
  std::optional<SimTime> last_;
};
// The newest datapoint of `key` unless it is older than 3 periods at `now` (ours: CloudWatch
// datapoints arrive one period plus the publication delay late, so two periods are normal);
// nullopt means the metric is missing.
std::optional<Datapoint> fresh_datapoint(const MetricView& metrics, const MetricKey& key, SimTime now);

enum class HpaMetric { cpu, memory, alb_requests_per_target };

struct HpaSettings {
  HpaMetric metric = HpaMetric::cpu;
  double target = 60;  // averageUtilization (%) for cpu and memory; averageValue per task per minute for requests
  Duration metric_period = seconds(60);  // the CloudWatch period read (20 s: ECS high resolution)
  Duration sync_period = seconds(15);
  HpaBehavior behavior;
};

class HpaPolicy final : public ScalingPolicy {
 public:
  HpaPolicy(HpaSettings settings, std::string service);
  Recommendation evaluate(const MetricView& metrics, const TargetState& target) override;

 private:
  HpaSettings settings_;
  MetricKey key_;
  HpaController controller_;
  SyncPeriod sync_;
  std::optional<SimTime> last_datapoint_;
  int last_proposal_ = 0;
};

// Registers "hpa(metric=cpu, target=60, ...)".
void add_hpa_policy(Registry<ScalingPolicySpec>& r);
// The HPA behaviour parameters both hpa() and keda_sqs() take (stabilisation windows, tolerance),
// and reading them back.
std::vector<ParamSpec> hpa_behavior_params();
HpaBehavior hpa_behavior_from(const Params& p);

}  // namespace fargatelab::detail
