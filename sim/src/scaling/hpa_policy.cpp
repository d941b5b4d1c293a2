// Kubernetes HPA: the controller's stabilisation and rate limits, and the policy on CloudWatch
// metrics (rules in hpa_policy.hpp).
#include "scaling/hpa_policy.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "scaling/metric_keys.hpp"

namespace fargatelab::detail {

namespace {

// The tolerance band includes its edges despite floating-point noise (hpa_policy.hpp).
constexpr double kToleranceSlack = 1e-9;
// A datapoint older than this many periods is stale (fresh_datapoint).
constexpr SimTime::rep kStalePeriods = 3;

Duration longest(const std::vector<HpaRatePolicy>& policies) {
  Duration d = Duration::zero();
  for (const auto& p : policies) d = std::max(d, p.period);
  return d;
}

MetricKey hpa_key(HpaMetric m, const std::string& service, Duration period) {
  switch (m) {
    case HpaMetric::cpu: return metric_keys::ecs_service("CPUUtilization", service, Statistic::average, period);
    case HpaMetric::memory: return metric_keys::ecs_service("MemoryUtilization", service, Statistic::average, period);
    case HpaMetric::alb_requests_per_target: return metric_keys::alb_request_count_per_target(service, period);
  }
  throw std::logic_error("unknown HPA metric");
}

const char* reason(HpaMetric m) {
  switch (m) {
    case HpaMetric::cpu: return "cpu resource utilization (percentage of request)";
    case HpaMetric::memory: return "memory resource utilization (percentage of request)";
    case HpaMetric::alb_requests_per_target: return "pods metric RequestCountPerTarget";
  }
  return "?";
}

}  // namespace

std::optional<Datapoint> fresh_datapoint(const MetricView& metrics, const MetricKey& key, SimTime now) {
  const MetricSeries* s = metrics.find(key);
  const auto latest = s ? s->latest() : std::nullopt;
  if (!latest || latest->timestamp < now - key.period * kStalePeriods) return std::nullopt;
  return latest;
}

bool HpaController::within_tolerance(double ratio) const noexcept {
  return std::abs(ratio - 1.0) <= behavior_.tolerance + kToleranceSlack;
}

void HpaController::observe(SimTime now, int replicas) {
  if (last_sync_ && replicas != last_sync_->value) events_.push_back({last_sync_->at, replicas - last_sync_->value});
  last_sync_ = Stamped{now, replicas};
  const Duration keep = std::max(longest(behavior_.scale_up), longest(behavior_.scale_down));
  while (!events_.empty() && events_.front().at <= now - keep) events_.pop_front();
}

int HpaController::change_within(Duration period, SimTime now, bool up) const {
  int sum = 0;
  for (const Stamped& e : events_)
    if (e.at > now - period && (up ? e.value > 0 : e.value < 0)) sum += up ? e.value : -e.value;
  return sum;
}

int HpaController::decide(SimTime now, int replicas, int proposal) {
  // Stabilisation (stabilizeRecommendationWithBehaviors): the windows hold the proposals of the
  // syncs strictly inside (now - window, now], the current one included.
  int up = proposal, down = proposal;
  for (const Stamped& p : proposals_) {
    if (p.at > now - behavior_.scale_up_window) up = std::min(up, p.value);
    if (p.at > now - behavior_.scale_down_window) down = std::max(down, p.value);
  }
  const Duration keep = std::max(behavior_.scale_up_window, behavior_.scale_down_window);
  while (!proposals_.empty() && proposals_.front().at <= now - keep) proposals_.pop_front();
  proposals_.push_back({now, proposal});
  int result = replicas;  // moved towards the proposals, within both windows' bounds
  if (result < up) result = up;
  if (result > down) result = down;

  // Rate limits (convertDesiredReplicasWithBehaviorRate), selectPolicy Max.
  if (result > replicas) {
    int limit = INT_MIN;
    for (const HpaRatePolicy& p : behavior_.scale_up) {
      const int start = replicas - change_within(p.period, now, true) + change_within(p.period, now, false);
      const int proposed = p.type == HpaRatePolicy::Type::pods
                               ? start + p.value
                               : static_cast<int>(std::ceil(start * (1 + p.value / 100.0)));
      limit = std::max(limit, proposed);
    }
    if (!behavior_.scale_up.empty()) result = std::min(result, limit);
  } else if (result < replicas) {
    int limit = INT_MAX;
    for (const HpaRatePolicy& p : behavior_.scale_down) {
      const int start = replicas - change_within(p.period, now, true) + change_within(p.period, now, false);
      const int proposed = p.type == HpaRatePolicy::Type::pods ? start - p.value
                                                               : static_cast<int>(start * (1 - p.value / 100.0));
      limit = std::min(limit, proposed);
    }
    if (!behavior_.scale_down.empty()) result = std::max(result, limit);
  }
  return result;
}

HpaPolicy::HpaPolicy(HpaSettings settings, std::string service)
    : settings_(std::move(settings)),
      key_(hpa_key(settings_.metric, service, settings_.metric_period)),
      controller_(settings_.behavior),
      sync_(settings_.sync_period) {
  if (!(settings_.target > 0)) throw std::invalid_argument("an HPA needs a target > 0");
}

Recommendation HpaPolicy::evaluate(const MetricView& metrics, const TargetState& target) {
  if (!sync_.due(target.now)) return Recommendation::abstain();
  controller_.observe(target.now, target.desired);
  // Scaling is disabled at 0 replicas (HPA docs: "when the replicas field is 0").
  if (target.desired == 0) return Recommendation::hold();
  const auto latest = fresh_datapoint(metrics, key_, target.now);
  if (!latest) return Recommendation::hold();
  if (latest->timestamp != last_datapoint_) {
    if (target.current == 0) return Recommendation::hold();  // no pod reports the metric
    const double ratio = latest->value / settings_.target;
    last_proposal_ = controller_.within_tolerance(ratio) ? target.desired
                                                         : static_cast<int>(std::ceil(ratio * target.current));
    last_datapoint_ = latest->timestamp;
  }
  const int replicas = controller_.decide(target.now, target.desired, last_proposal_);
  if (replicas == target.desired) return Recommendation::hold();
  return Recommendation::to(replicas, fmt::format("New size: {}; reason: {} {} target", replicas, reason(settings_.metric),
                                                  replicas > target.desired ? "above" : "below"));
}

std::vector<ParamSpec> hpa_behavior_params() {
  return {{"tolerance", ParamType::number, false, 0.1, 0.0, 1.0, false,
           "no scaling while |metric / target - 1| <= tolerance (k8s default 0.1)"},
          {"scale_down_window", ParamType::duration, false, 300, 0.0, 3600.0, false,
           "behavior.scaleDown.stabilizationWindowSeconds (k8s default 300 s)"},
          {"scale_up_window", ParamType::duration, false, 0, 0.0, 3600.0, false,
           "behavior.scaleUp.stabilizationWindowSeconds (k8s default 0 s)"}};
}

HpaBehavior hpa_behavior_from(const Params& p) {
  HpaBehavior b;
  b.tolerance = p.number("tolerance");
  b.scale_down_window = p.duration("scale_down_window");
  b.scale_up_window = p.duration("scale_up_window");
  return b;
}

void add_hpa_policy(Registry<ScalingPolicySpec>& r) {
  std::vector<ParamSpec> params{
      {"metric", ParamType::string, true, nullptr, {}, {}, false,
       "cpu or memory (averageUtilization, % of the task's reservation) or alb_requests_per_target (averageValue)"},
      {"target", ParamType::number, true, nullptr, 0.0, {}, true,
       "target: % for cpu and memory, requests per task per minute for alb_requests_per_target"},
      {"sync_period", ParamType::duration, false, 15, 0.0, 3600.0, true,
       "--horizontal-pod-autoscaler-sync-period (k8s default 15 s)"},
      {"metric_period", ParamType::duration, false, 60, 0.0, 3600.0, true,
       "the CloudWatch period read: 60 s, or 20 s for ECS high-resolution metrics"}};
  for (ParamSpec& p : hpa_behavior_params()) params.push_back(std::move(p));
  r.add({"hpa", "Kubernetes HorizontalPodAutoscaler: desired = ceil(running x metric / target), 10 % tolerance, 5 min "
                "scale-down stabilisation, k8s default rate limits",
         std::move(params)},
        [](const Params& p, Problems& problems) -> std::optional<ScalingPolicySpec> {
          HpaSettings s;
          const std::string metric = p.string("metric");
          if (metric == "cpu") s.metric = HpaMetric::cpu;
          else if (metric == "memory") s.metric = HpaMetric::memory;
          else if (metric == "alb_requests_per_target") s.metric = HpaMetric::alb_requests_per_target;
          else problems.push_back(fmt::format("metric: expected cpu, memory or alb_requests_per_target, got \"{}\"", metric));
          s.target = p.number("target");
          s.sync_period = p.duration("sync_period");
          s.metric_period = p.duration("metric_period");
          s.behavior = hpa_behavior_from(p);
          if (!problems.empty()) return std::nullopt;
          return ScalingPolicySpec{[s](const PolicyContext& ctx) { return std::make_unique<HpaPolicy>(s, ctx.service); },
                                   s.sync_period};
        });
}

}  // namespace fargatelab::detail
