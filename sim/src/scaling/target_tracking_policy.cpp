#include "scaling/target_tracking_policy.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "scaling/cooldown.hpp"
#include "scaling/policy_params.hpp"

namespace fargatelab::detail {
namespace {

// Doubles from hand-written targets (4 x 80 / 50 = 6.4) are exact enough; the tolerance keeps
// 6.000000000001 from becoming 7.
constexpr double kRoundingTolerance = 1e-9;

AlarmSpec managed_alarm(const std::string& name, MetricSource metric, int datapoints, double threshold, ComparisonOperator c) {
  AlarmSpec a{name, std::move(metric)};
  a.evaluation_periods = datapoints;
  a.threshold = threshold;
  a.comparison = c;
  a.treat_missing_data = TreatMissingData::missing;
  return a;
}

}  // namespace

TargetTrackingPolicy::TargetTrackingPolicy(const TargetTrackingConfig& c, const PolicyContext& ctx)
    : name_(c.policy_name),
      target_(c.target_value),
      disable_scale_in_(c.disable_scale_in),
      out_cooldown_(c.scale_out_cooldown.value_or(default_cooldown(ctx.service_namespace))),
      in_cooldown_(c.scale_in_cooldown.value_or(default_cooldown(ctx.service_namespace))),
      high_(managed_alarm(fmt::format("TargetTracking-{}-AlarmHigh-{}", ctx.resource(), c.policy_name), c.metric(ctx),
                          c.high_datapoints, c.target_value, ComparisonOperator::greater)) {
  if (!disable_scale_in_)
    low_.emplace(managed_alarm(fmt::format("TargetTracking-{}-AlarmLow-{}", ctx.resource(), c.policy_name), c.metric(ctx),
                               c.low_datapoints, c.scale_in_ratio * c.target_value, ComparisonOperator::less));
}

std::vector<const Alarm*> TargetTrackingPolicy::alarms() const {
  std::vector<const Alarm*> out{&high_};
  if (low_) out.push_back(&*low_);
  return out;
}

std::string TargetTrackingPolicy::cause(const Alarm& a) const {
  return fmt::format("monitor alarm {} in state ALARM triggered policy {}", a.name(), name_);
}

Recommendation TargetTrackingPolicy::evaluate(const MetricView& metrics, const TargetState& target) {
  high_.evaluate(metrics, target.now);
  if (low_) low_->evaluate(metrics, target.now);
  const Recommendation no_change = disable_scale_in_ ? Recommendation::abstain() : Recommendation::hold();
  const int desired = target.desired;

  if (high_.state() == AlarmState::alarm && !high_.evaluated().empty()) {
    const double metric = high_.evaluated().back().value;
    const auto cooldown = out_tracker_.in_effect(target, out_cooldown_);
    const int base = cooldown ? cooldown->base : desired;    // the capacity already added counts
    const int above = cooldown ? cooldown->above : desired;  // only a larger scale-out proceeds
    int proposed = static_cast<int>(std::ceil(base * metric / target_ - kRoundingTolerance));
    if (base == 0) proposed = std::max(proposed, 1);
    if (proposed > above) return Recommendation::to(proposed, cause(high_), !disable_scale_in_);
    return no_change;
  }
  if (low_ && low_->state() == AlarmState::alarm && low_->missing_in_last_evaluation() == 0 &&
      !in_scale_in_cooldown(target, in_cooldown_)) {
    const double metric = low_->evaluated().back().value;
    const double exact = desired * metric / target_;
    const int remove = static_cast<int>(std::floor(desired - exact + kRoundingTolerance));
    if (remove > 0) return Recommendation::to(desired - remove, cause(*low_));
  }
  return no_change;
}

ScalingPolicySpec target_tracking_spec(TargetTrackingConfig config) {
  if (!(config.target_value > 0)) throw std::invalid_argument("target tracking: TargetValue must be > 0");
  if (config.high_datapoints < 1 || config.low_datapoints < 1)
    throw std::invalid_argument("target tracking: alarm datapoints must be >= 1");
  if (!config.metric) throw std::invalid_argument("target tracking: no metric");
  std::string name = config.policy_name;
  return ScalingPolicySpec{[config = std::move(config)](const PolicyContext& ctx) -> std::unique_ptr<ScalingPolicy> {
                             return std::make_unique<TargetTrackingPolicy>(config, ctx);
                           },
                           {}, std::move(name)};
}

void add_target_tracking_policy(Registry<ScalingPolicySpec>& r) {
  ModelInfo info{"target_tracking",
                 "Application Auto Scaling target tracking: AlarmHigh (metric > target, 3 of 3) scales out to "
                 "ceil(desired x metric / target); AlarmLow (metric < 0.9 x target, 15 of 15) scales in.",
                 {}};
  info.params.push_back(policy_param("metric", ParamType::string, true, nullptr, std::nullopt,
                              fmt::format("the metric: {} (or an AWS PredefinedMetricType)", fmt::join(named_metric_names(), ", "))));
  info.params.push_back(policy_param("target", ParamType::number, true, nullptr, 0,
                              "TargetValue, in the metric's unit (percent for cpu)", true));
  info.params.push_back(policy_param("disable_scale_in", ParamType::boolean, false, false, std::nullopt, "DisableScaleIn"));
  info.params.push_back(policy_param("scale_out_cooldown", ParamType::duration, false, nullptr, 0,
                              "ScaleOutCooldown; default 300 s for ECS, 0 s for Lambda provisioned concurrency"));
  info.params.push_back(policy_param("scale_in_cooldown", ParamType::duration, false, nullptr, 0,
                              "ScaleInCooldown; default 300 s for ECS, 0 s for Lambda provisioned concurrency"));
  info.params.push_back(policy_param("high_datapoints", ParamType::integer, false, 3, 1, "AlarmHigh datapoints (3 of 3, observed)"));
  info.params.push_back(policy_param("low_datapoints", ParamType::integer, false, 15, 1, "AlarmLow datapoints (15 of 15, observed)"));
  info.params.push_back(policy_param("name", ParamType::string, false, nullptr, std::nullopt,
                              "PolicyName; default target-tracking-<metric>-<target>"));
  r.add(std::move(info), [](const Params& p, Problems& problems) -> std::optional<ScalingPolicySpec> {
    const auto metric = named_metric(p.string("metric"));
    if (!metric) {
      problems.push_back(fmt::format("metric \"{}\" is not known (metrics: {})", p.string("metric"),
                                     fmt::join(named_metric_names(), ", ")));
      return std::nullopt;
    }
    TargetTrackingConfig c;
    c.target_value = p.number("target");
    c.metric = metric->resolve;
    c.disable_scale_in = p.boolean("disable_scale_in");
    if (p.has("scale_out_cooldown")) c.scale_out_cooldown = p.duration("scale_out_cooldown");
    if (p.has("scale_in_cooldown")) c.scale_in_cooldown = p.duration("scale_in_cooldown");
    c.high_datapoints = static_cast<int>(p.integer("high_datapoints"));
    c.low_datapoints = static_cast<int>(p.integer("low_datapoints"));
    c.policy_name = p.has("name") ? p.string("name") : fmt::format("target-tracking-{}-{}", metric->name, p.number("target"));
    return target_tracking_spec(std::move(c));
  });
}

}  // namespace fargatelab::detail
