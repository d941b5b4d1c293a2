#include "scaling/step_policy.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "scaling/cooldown.hpp"
#include "scaling/policy_metrics.hpp"
#include "scaling/policy_params.hpp"

namespace fargatelab::detail {

const char* to_string(AdjustmentType t) noexcept {
  switch (t) {
    case AdjustmentType::change_in_capacity: return "ChangeInCapacity";
    case AdjustmentType::exact_capacity: return "ExactCapacity";
    case AdjustmentType::percent_change_in_capacity: return "PercentChangeInCapacity";
  }
  return "?";
}

const char* to_string(MetricAggregationType t) noexcept {
  switch (t) {
    case MetricAggregationType::average: return "Average";
    case MetricAggregationType::minimum: return "Minimum";
    case MetricAggregationType::maximum: return "Maximum";
  }
  return "?";
}

std::optional<AdjustmentType> parse_adjustment_type(std::string_view s) noexcept {
  for (auto t : {AdjustmentType::change_in_capacity, AdjustmentType::exact_capacity, AdjustmentType::percent_change_in_capacity})
    if (s == to_string(t)) return t;
  return std::nullopt;
}

std::optional<MetricAggregationType> parse_metric_aggregation_type(std::string_view s) noexcept {
  for (auto t : {MetricAggregationType::average, MetricAggregationType::minimum, MetricAggregationType::maximum})
    if (s == to_string(t)) return t;
  return std::nullopt;
}

std::vector<StepProblem> check_step_adjustments(const std::vector<StepAdjustment>& steps, AdjustmentType type) {
  std::vector<StepProblem> out;
  if (steps.empty()) out.push_back({std::nullopt, "at least one step adjustment is required"});
  int null_lower = 0, null_upper = 0;
  bool negative_lower = false, positive_upper = false;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto& s = steps[i];
    null_lower += !s.lower;
    null_upper += !s.upper;
    negative_lower |= s.lower && *s.lower < 0;
    positive_upper |= s.upper && *s.upper > 0;
    if (!s.lower && !s.upper) out.push_back({i, "the upper and lower bound can't both be null"});
    if (s.lower && s.upper && !(*s.lower < *s.upper))
      out.push_back({i, fmt::format("the lower bound ({:g}) must be below the upper bound ({:g})", *s.lower, *s.upper)});
    if (type == AdjustmentType::exact_capacity && s.scaling_adjustment < 0)
      out.push_back({i, fmt::format("ExactCapacity needs a capacity >= 0, got {}", s.scaling_adjustment)});
  }
  if (null_lower > 1) out.push_back({std::nullopt, "only one step adjustment can have a null lower bound (negative infinity)"});
  if (null_upper > 1) out.push_back({std::nullopt, "only one step adjustment can have a null upper bound (positive infinity)"});
  if (negative_lower && null_lower == 0)
    out.push_back({std::nullopt, "a step has a negative lower bound, so one step needs a null lower bound"});
  if (positive_upper && null_upper == 0)
    out.push_back({std::nullopt, "a step has a positive upper bound, so one step needs a null upper bound"});
  if (!out.empty()) return out;
  // Sorted by lower bound (null first), each step must start where the previous one ends.
  std::vector<std::size_t> order(steps.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return steps[a].lower.value_or(-INFINITY) < steps[b].lower.value_or(-INFINITY);
  });
  for (std::size_t k = 1; k < order.size(); ++k) {
    const auto& prev = steps[order[k - 1]];
    const auto& next = steps[order[k]];
    const double end = prev.upper.value_or(INFINITY), start = next.lower.value_or(-INFINITY);
    if (end < start)
      out.push_back({order[k], fmt::format("gap between {:g} and {:g}: the ranges of step adjustments can't leave a gap", end, start)});
    else if (end > start)
      out.push_back({order[k], fmt::format("overlaps step {} (which ends at {:g}): the ranges can't overlap", order[k - 1], end)});
  }
  return out;
}

const StepAdjustment* find_step(const std::vector<StepAdjustment>& steps, double delta, bool upward) {
  for (const auto& s : steps) {
    // Above the threshold: lower inclusive, upper exclusive; below it: lower exclusive, upper inclusive.
    const bool lower_ok = !s.lower || delta > *s.lower || (delta == *s.lower && (*s.lower > 0 || (*s.lower == 0 && upward)));
    const bool upper_ok = !s.upper || delta < *s.upper || (delta == *s.upper && (*s.upper < 0 || (*s.upper == 0 && !upward)));
    if (lower_ok && upper_ok) return &s;
  }
  return nullptr;
}

int percent_change(int capacity, int percent, std::optional<int> min_magnitude) {
  const double change = capacity * static_cast<double>(percent) / 100.0;
  int rounded = 0;
  if (change > 1) rounded = static_cast<int>(std::floor(change));       // 12.7 -> 12
  else if (change > 0) rounded = 1;                                      // 0.67 -> 1
  else if (change < -1) rounded = static_cast<int>(std::ceil(change));  // -6.67 -> -6
  else if (change < 0) rounded = -1;                                     // -0.58 -> -1
  if (min_magnitude && percent != 0 && std::abs(rounded) < *min_magnitude) rounded = percent > 0 ? *min_magnitude : -*min_magnitude;
  return rounded;
}

int adjusted_capacity(AdjustmentType type, int capacity, int adjustment, std::optional<int> min_magnitude) {
  switch (type) {
    case AdjustmentType::change_in_capacity: return capacity + adjustment;
    case AdjustmentType::exact_capacity: return adjustment;
    case AdjustmentType::percent_change_in_capacity: return capacity + percent_change(capacity, adjustment, min_magnitude);
  }
  return capacity;
}

StepScalingPolicy::StepScalingPolicy(StepScalingConfig config, AlarmSpec alarm, const PolicyContext& ctx)
    : config_(std::move(config)),
      cooldown_(config_.cooldown.value_or(default_cooldown(ctx.service_namespace))),
      alarm_(std::move(alarm)) {}

Recommendation StepScalingPolicy::evaluate(const MetricView& metrics, const TargetState& target) {
  alarm_.evaluate(metrics, target.now);
  const auto& points = alarm_.evaluated();
  // No real datapoint (an alarm in ALARM on missing data treated as breaching): no metric value
  // to choose a step with.
  if (alarm_.state() != AlarmState::alarm || points.empty()) return Recommendation::abstain();
  double metric = points.front().value;
  for (const auto& d : points) {
    if (config_.aggregation == MetricAggregationType::minimum) metric = std::min(metric, d.value);
    if (config_.aggregation == MetricAggregationType::maximum) metric = std::max(metric, d.value);
  }
  if (config_.aggregation == MetricAggregationType::average) {
    double sum = 0;
    for (const auto& d : points) sum += d.value;
    metric = sum / static_cast<double>(points.size());
  }
  const AlarmSpec& a = alarm_.spec();
  const StepAdjustment* step = find_step(config_.steps, metric - a.threshold, is_upward(a.comparison));
  if (!step) return Recommendation::abstain();
  const auto capacity_from = [&](int base) {
    return adjusted_capacity(config_.adjustment_type, base, step->scaling_adjustment, config_.min_adjustment_magnitude);
  };
  const std::string cause = fmt::format("monitor alarm {} in state ALARM triggered policy {}", a.name, config_.policy_name);
  int proposed = capacity_from(target.desired);
  if (proposed > target.desired) {
    if (const auto cooldown = out_tracker_.in_effect(target, cooldown_)) {
      proposed = capacity_from(cooldown->base);  // the capacity already added counts
      if (proposed <= cooldown->above) return Recommendation::abstain();
    }
    return Recommendation::to(proposed, cause, false);
  }
  if (proposed < target.desired && !in_scale_in_cooldown(target, cooldown_)) return Recommendation::to(proposed, cause, false);
  return Recommendation::abstain();
}

ScalingPolicySpec step_scaling_spec(StepScalingConfig config, AlarmResolver alarm) {
  const auto problems = check_step_adjustments(config.steps, config.adjustment_type);
  if (!problems.empty()) throw std::invalid_argument("step scaling: " + problems.front().message);
  std::string name = config.policy_name;
  return ScalingPolicySpec{[config = std::move(config), alarm = std::move(alarm)](const PolicyContext& ctx) -> std::unique_ptr<ScalingPolicy> {
                             return std::make_unique<StepScalingPolicy>(config, alarm(ctx), ctx);
                           },
                           {}, std::move(name)};
}

namespace {

// The short form's words for AWS's enumerations.
std::optional<ComparisonOperator> short_comparison(const std::string& s) {
  if (s == "gt") return ComparisonOperator::greater;
  if (s == "ge") return ComparisonOperator::greater_or_equal;
  if (s == "lt") return ComparisonOperator::less;
  if (s == "le") return ComparisonOperator::less_or_equal;
  return parse_comparison_operator(s);
}
std::optional<AdjustmentType> short_adjustment_type(const std::string& s) {
  if (s == "change") return AdjustmentType::change_in_capacity;
  if (s == "exact") return AdjustmentType::exact_capacity;
  if (s == "percent") return AdjustmentType::percent_change_in_capacity;
  return parse_adjustment_type(s);
}
std::optional<MetricAggregationType> short_aggregation(const std::string& s) {
  if (s == "average") return MetricAggregationType::average;
  if (s == "minimum") return MetricAggregationType::minimum;
  if (s == "maximum") return MetricAggregationType::maximum;
  return parse_metric_aggregation_type(s);
}

}  // namespace

void add_step_policy(Registry<ScalingPolicySpec>& r) {
  ModelInfo info{"step",
                 "Application Auto Scaling step scaling on an alarm defined inline: while the alarm is in ALARM, "
                 "the step containing (metric - threshold) adjusts the desired capacity.",
                 {}};
  auto& p = info.params;
  p.push_back(policy_param("metric", ParamType::string, true, nullptr, std::nullopt,
                           fmt::format("the alarm's metric: {}", fmt::join(named_metric_names(), ", "))));
  p.push_back(policy_param("threshold", ParamType::number, true, nullptr, std::nullopt, "the alarm's Threshold"));
  p.push_back(policy_param("comparison", ParamType::string, false, "gt", std::nullopt,
                           "gt, ge, lt, le (or the ComparisonOperator names)"));
  p.push_back(policy_param("period", ParamType::duration, false, 60, 0, "the alarm's Period: 10, 20, 30 s or a multiple of 60 s", true));
  p.push_back(policy_param("evaluation_periods", ParamType::integer, false, 1, 1, "EvaluationPeriods (N)"));
  p.push_back(policy_param("datapoints_to_alarm", ParamType::integer, false, nullptr, 1, "DatapointsToAlarm (M); default N"));
  p.push_back(policy_param("treat_missing_data", ParamType::string, false, "missing", std::nullopt,
                           "missing, notBreaching, breaching or ignore"));
  p.push_back(policy_param("adjustment_type", ParamType::string, false, "change", std::nullopt,
                           "change, exact or percent (ChangeInCapacity, ExactCapacity, PercentChangeInCapacity)"));
  p.push_back(policy_param("bounds", ParamType::number_list, true, nullptr, std::nullopt,
                           "the steps' bounds relative to the threshold, from it outwards: step i spans bounds[i]..bounds[i+1]"));
  p.push_back(policy_param("adjustments", ParamType::number_list, true, nullptr, std::nullopt,
                           "ScalingAdjustment of each step (integers), as many as bounds"));
  p.push_back(policy_param("min_adjustment_magnitude", ParamType::integer, false, nullptr, 1,
                           "MinAdjustmentMagnitude (percent only)"));
  p.push_back(policy_param("cooldown", ParamType::duration, false, nullptr, 0, "Cooldown; default 300 s for ECS"));
  p.push_back(policy_param("aggregation", ParamType::string, false, "average", std::nullopt,
                           "MetricAggregationType: average, minimum or maximum"));
  p.push_back(policy_param("name", ParamType::string, false, nullptr, std::nullopt, "PolicyName; default step-<metric>-<threshold>"));
  r.add(std::move(info), [](const Params& p, Problems& problems) -> std::optional<ScalingPolicySpec> {
    const Duration period = p.duration("period");
    const auto metric = named_metric(p.string("metric"), period);
    if (!metric)
      problems.push_back(fmt::format("metric \"{}\" is not known (metrics: {})", p.string("metric"), fmt::join(named_metric_names(), ", ")));
    else if (metric->predefined && (is_high_resolution(*metric->predefined) ? seconds(20) : seconds(60)) != period)
      problems.push_back(fmt::format("metric {} is published every {} s: give period={}s", metric->name,
                                     is_high_resolution(*metric->predefined) ? 20 : 60,
                                     is_high_resolution(*metric->predefined) ? 20 : 60));
    if (!valid_alarm_period(period)) problems.push_back(fmt::format("period: {:g} s must be 10, 20, 30 or a multiple of 60", period.to_seconds()));
    const auto comparison = short_comparison(p.string("comparison"));
    if (!comparison) problems.push_back(fmt::format("comparison \"{}\" must be gt, ge, lt or le", p.string("comparison")));
    const auto missing = parse_treat_missing_data(p.string("treat_missing_data"));
    if (!missing)
      problems.push_back(fmt::format("treat_missing_data \"{}\" must be missing, notBreaching, breaching or ignore", p.string("treat_missing_data")));
    const auto type = short_adjustment_type(p.string("adjustment_type"));
    if (!type) problems.push_back(fmt::format("adjustment_type \"{}\" must be change, exact or percent", p.string("adjustment_type")));
    const auto aggregation = short_aggregation(p.string("aggregation"));
    if (!aggregation) problems.push_back(fmt::format("aggregation \"{}\" must be average, minimum or maximum", p.string("aggregation")));
    const int n = static_cast<int>(p.integer("evaluation_periods"));
    if (p.has("datapoints_to_alarm") && p.integer("datapoints_to_alarm") > n)
      problems.push_back(fmt::format("datapoints_to_alarm ({}) must be <= evaluation_periods ({})", p.integer("datapoints_to_alarm"), n));
    const auto bounds = p.numbers("bounds"), adjustments = p.numbers("adjustments");
    if (bounds.size() != adjustments.size())
      problems.push_back(fmt::format("bounds has {} values and adjustments {}: give one bound per step", bounds.size(), adjustments.size()));
    for (double a : adjustments)
      if (a != std::floor(a)) problems.push_back(fmt::format("adjustments: {:g} is not an integer", a));
    if (p.has("min_adjustment_magnitude") && type && *type != AdjustmentType::percent_change_in_capacity)
      problems.push_back("min_adjustment_magnitude applies only to adjustment_type=percent");
    if (!problems.empty()) return std::nullopt;

    StepScalingConfig c;
    c.adjustment_type = *type;
    c.aggregation = *aggregation;
    if (p.has("min_adjustment_magnitude")) c.min_adjustment_magnitude = static_cast<int>(p.integer("min_adjustment_magnitude"));
    if (p.has("cooldown")) c.cooldown = p.duration("cooldown");
    const bool upward = is_upward(*comparison);
    for (std::size_t i = 0; i < bounds.size(); ++i) {
      StepAdjustment s;
      s.scaling_adjustment = static_cast<int>(adjustments[i]);
      const std::optional<double> near = bounds[i];
      const std::optional<double> far = i + 1 < bounds.size() ? std::optional<double>(bounds[i + 1]) : std::nullopt;
      (upward ? s.lower : s.upper) = near;
      (upward ? s.upper : s.lower) = far;
      c.steps.push_back(s);
    }
    for (const auto& sp : check_step_adjustments(c.steps, c.adjustment_type))
      problems.push_back(sp.step ? fmt::format("step {} ({}): {}", *sp.step, upward ? "bounds must increase" : "bounds must decrease", sp.message)
                                 : sp.message);
    if (!problems.empty()) return std::nullopt;
    const double threshold = p.number("threshold");
    c.policy_name = p.has("name") ? p.string("name") : fmt::format("step-{}-{}", metric->name, threshold);
    AlarmSpec alarm{c.policy_name + "-alarm", MetricSource(MetricKey{})};
    alarm.evaluation_periods = n;
    if (p.has("datapoints_to_alarm")) alarm.datapoints_to_alarm = static_cast<int>(p.integer("datapoints_to_alarm"));
    alarm.threshold = threshold;
    alarm.comparison = *comparison;
    alarm.treat_missing_data = *missing;
    return step_scaling_spec(std::move(c), [alarm, resolve = metric->resolve](const PolicyContext& ctx) {
      AlarmSpec a = alarm;
      a.metric = resolve(ctx);
      return a;
    });
  });
}

}  // namespace fargatelab::detail
