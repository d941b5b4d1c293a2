#include "scaling/policy_input.hpp"

#include "scaling/predictive_input.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "scaling/json_fields.hpp"
#include "scaling/metric_input.hpp"
#include "scaling/metric_keys.hpp"
#include "scaling/policy_metrics.hpp"
#include "scaling/step_policy.hpp"
#include "scaling/target_tracking_policy.hpp"

namespace fargatelab::detail {
namespace {

constexpr std::int64_t kMaxCooldown = 86400;  // ScaleOutCooldown/ScaleInCooldown/Cooldown: 0..86400 s (AAS API)

std::vector<std::string> comparison_names() {
  return {"GreaterThanThreshold", "GreaterThanOrEqualToThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"};
}

// TargetTrackingScalingPolicyConfiguration.
std::optional<ScalingPolicySpec> target_tracking_from_aws(const nlohmann::json& doc, const std::string& pointer,
                                                          const std::string& policy_name, const PolicyInputContext& ctx,
                                                          std::vector<Diagnostic>& out) {
  const std::size_t before = out.size();
  JsonFields f(doc, pointer, "TargetTrackingScalingPolicyConfiguration", out);
  TargetTrackingConfig c;
  c.policy_name = policy_name;
  const auto target = f.number("TargetValue", true);
  if (target && !(*target > 0)) f.error("TargetValue", fmt::format("TargetValue must be > 0, got {:g}", *target));
  c.target_value = target.value_or(0);
  if (const auto v = f.integer("ScaleOutCooldown", false, 0, kMaxCooldown)) c.scale_out_cooldown = seconds(*v);
  if (const auto v = f.integer("ScaleInCooldown", false, 0, kMaxCooldown)) c.scale_in_cooldown = seconds(*v);
  c.disable_scale_in = f.boolean("DisableScaleIn").value_or(false);
  const nlohmann::json* predefined = f.object("PredefinedMetricSpecification");
  const nlohmann::json* custom = f.object("CustomizedMetricSpecification");
  if (f.is_object() && (predefined != nullptr) == (custom != nullptr))
    f.error("give exactly one of PredefinedMetricSpecification and CustomizedMetricSpecification");
  if (predefined) {
    JsonFields p(*predefined, f.at("PredefinedMetricSpecification"), "PredefinedMetricSpecification", out);
    const auto type_name = p.one_of("PredefinedMetricType", predefined_metric_type_names(), true);
    const auto label = p.string("ResourceLabel");
    p.finish();
    if (type_name) {
      const PredefinedMetricType t = *parse_predefined_metric_type(*type_name);
      if (service_namespace_of(t) != ctx.service_namespace)
        p.error("PredefinedMetricType", fmt::format("{} scales \"{}\" targets, and this service's namespace is \"{}\"", *type_name,
                                                    service_namespace_of(t), ctx.service_namespace));
      // "To use the ALBRequestCountPerTarget metric, you must specify the ResourceLabel parameter"
      // (AAS user guide). The simulated service has its own target group, which the metric reads.
      if (t == PredefinedMetricType::alb_request_count_per_target) {
        if (!label) p.error("ALBRequestCountPerTarget needs ResourceLabel \"app/<load-balancer>/<id>/targetgroup/<target-group>/<id>\"");
        else if (label->rfind("app/", 0) != 0 || label->find("/targetgroup/") == std::string::npos)
          p.error("ResourceLabel", fmt::format("\"{}\" is not app/<load-balancer>/<id>/targetgroup/<target-group>/<id>", *label));
      }
      c.metric = [t](const PolicyContext& pc) { return MetricSource(predefined_metric_key(t, pc.service)); };
    }
  }
  if (custom) {
    // CustomizedMetricSpecification: one metric (MetricName, Namespace, Dimensions, Statistic,
    // Unit) or Metrics (metric math). Target tracking reads 1-minute datapoints.
    JsonFields m(*custom, f.at("CustomizedMetricSpecification"), "CustomizedMetricSpecification", out);
    if (const nlohmann::json* metrics = m.array("Metrics")) {
      for (const char* k : {"MetricName", "Namespace", "Dimensions", "Statistic"})
        if (m.has(k)) m.error(k, fmt::format("give Metrics or {}, not both", k));
      m.accept({"MetricName", "Namespace", "Dimensions", "Statistic", "Unit"});
      if (auto src = read_metric_queries(*metrics, m.at("Metrics"), seconds(60), out))
        c.metric = [src = *src](const PolicyContext&) { return src; };
    } else {
      const auto ident = read_metric_identity(m);
      const auto stat = m.one_of("Statistic", statistic_names(), true);
      m.accept({"Unit"});
      if (ident && stat)
        c.metric = [key = MetricKey{ident->ns, ident->name, ident->dimensions, *parse_statistic(*stat), seconds(60)}](
                       const PolicyContext&) { return MetricSource(key); };
    }
    m.finish();
  }
  f.finish();
  if (out.size() != before) return std::nullopt;
  return target_tracking_spec(std::move(c));
}

// The alarm that triggers a step policy: the one whose AlarmActions name it.
const AlarmSpec* alarm_for(const std::string& policy_name, const std::string& pointer, const PolicyInputContext& ctx,
                           std::vector<Diagnostic>& out) {
  const std::string suffix = ":policyName/" + policy_name;
  std::vector<std::string> names, matching;
  const AlarmSpec* found = nullptr;
  for (const auto& [name, spec] : ctx.alarms) {
    names.push_back(name);
    const auto& actions = spec ? spec->alarm_actions : std::vector<std::string>{};
    for (const auto& a : actions) {
      if (a.size() < suffix.size() || a.compare(a.size() - suffix.size(), suffix.size(), suffix) != 0) continue;
      matching.push_back(name);
      found = &*spec;
    }
  }
  if (matching.size() > 1) {
    out.push_back({pointer, fmt::format("alarms {} all trigger policy \"{}\": the simulator runs a step policy on one alarm",
                                        fmt::join(matching, ", "), policy_name)});
    return nullptr;
  }
  const bool invalid_alarm = std::any_of(ctx.alarms.begin(), ctx.alarms.end(), [](const auto& a) { return !a.second; });
  if (!found && !invalid_alarm) {  // an invalid alarm may be this policy's: its own problems say why
    out.push_back({pointer, fmt::format("no alarm triggers step policy \"{}\": give an alarm (put-metric-alarm) whose AlarmActions "
                                        "has an ARN ending in \"{}\" (alarms: {})",
                                        policy_name, suffix, names.empty() ? std::string("none") : fmt::format("{}", fmt::join(names, ", ")))});
    return nullptr;
  }
  return found;
}

// StepScalingPolicyConfiguration.
std::optional<ScalingPolicySpec> step_from_aws(const nlohmann::json& doc, const std::string& pointer, const std::string& item_pointer,
                                               const std::string& policy_name, const PolicyInputContext& ctx,
                                               std::vector<Diagnostic>& out) {
  const std::size_t before = out.size();
  JsonFields f(doc, pointer, "StepScalingPolicyConfiguration", out);
  StepScalingConfig c;
  c.policy_name = policy_name;
  // "AdjustmentType is required if you are adding a new step scaling policy configuration" (AAS API).
  const auto type = f.one_of("AdjustmentType", {"ChangeInCapacity", "ExactCapacity", "PercentChangeInCapacity"}, true);
  if (type) c.adjustment_type = *parse_adjustment_type(*type);
  if (const auto v = f.integer("MinAdjustmentMagnitude", false, 1)) {
    c.min_adjustment_magnitude = static_cast<int>(*v);
    if (type && c.adjustment_type != AdjustmentType::percent_change_in_capacity)
      f.error("MinAdjustmentMagnitude", "MinAdjustmentMagnitude applies only to AdjustmentType PercentChangeInCapacity");
  }
  if (const auto v = f.integer("Cooldown", false, 0, kMaxCooldown)) c.cooldown = seconds(*v);
  if (const auto a = f.one_of("MetricAggregationType", {"Average", "Minimum", "Maximum"})) c.aggregation = *parse_metric_aggregation_type(*a);
  if (const nlohmann::json* steps = f.array("StepAdjustments", true)) {
    for (std::size_t i = 0; i < steps->size(); ++i) {
      JsonFields s((*steps)[i], fmt::format("{}/{}", f.at("StepAdjustments"), i), "a StepAdjustment", out);
      StepAdjustment step;
      step.lower = s.number("MetricIntervalLowerBound");
      step.upper = s.number("MetricIntervalUpperBound");
      step.scaling_adjustment = static_cast<int>(s.integer("ScalingAdjustment", true).value_or(0));
      s.finish();
      c.steps.push_back(step);
    }
    if (out.size() == before)
      for (const auto& p : check_step_adjustments(c.steps, c.adjustment_type))
        out.push_back({p.step ? fmt::format("{}/{}", f.at("StepAdjustments"), *p.step) : f.at("StepAdjustments"), p.message});
  }
  f.finish();
  const AlarmSpec* alarm = alarm_for(policy_name, item_pointer, ctx, out);
  if (out.size() != before || !alarm) return std::nullopt;
  return step_scaling_spec(std::move(c), [a = *alarm](const PolicyContext&) { return a; });
}

std::optional<ScalingPolicySpec> policy_from_aws(const nlohmann::json& doc, const std::string& pointer, const PolicyInputContext& ctx,
                                                 std::vector<Diagnostic>& out) {
  const std::size_t before = out.size();
  JsonFields f(doc, pointer, "a put-scaling-policy document", out);
  const auto name = f.string("PolicyName", true);
  if (name && (name->empty() || name->size() > 256)) f.error("PolicyName", "PolicyName must have 1 to 256 characters");
  read_target_identity(f, ctx, true);
  const auto type = f.one_of("PolicyType", {"TargetTrackingScaling", "StepScaling", "PredictiveScaling"}, true);
  const nlohmann::json* tt = f.get("TargetTrackingScalingPolicyConfiguration");
  const nlohmann::json* step = f.get("StepScalingPolicyConfiguration");
  f.get("PredictiveScalingPolicyConfiguration");
  const auto config_for = [](const std::string& t) {
    return t == "TargetTrackingScaling" ? "TargetTrackingScalingPolicyConfiguration"
           : t == "StepScaling"         ? "StepScalingPolicyConfiguration"
                                        : "PredictiveScalingPolicyConfiguration";
  };
  std::optional<ScalingPolicySpec> spec;
  if (type) {
    for (const char* k : {"TargetTrackingScalingPolicyConfiguration", "StepScalingPolicyConfiguration", "PredictiveScalingPolicyConfiguration"})
      if (f.has(k) && std::string(k) != config_for(*type)) f.error(k, fmt::format("{} does not go with PolicyType {}", k, *type));
    if (!f.has(config_for(*type))) f.error(fmt::format("PolicyType {} needs {}", *type, config_for(*type)));
    if (*type == "StepScaling" && ctx.service_namespace == "lambda")
      f.error("PolicyType", "step scaling policies are not supported for Lambda (AAS user guide): use TargetTrackingScaling");
    f.finish();
    // The configuration is read whatever else is wrong, so that every problem is reported at once.
    const std::string policy = name.value_or("");
    if (tt && *type == "TargetTrackingScaling")
      spec = target_tracking_from_aws(*tt, f.at("TargetTrackingScalingPolicyConfiguration"), policy, ctx, out);
    if (step && *type == "StepScaling") spec = step_from_aws(*step, f.at("StepScalingPolicyConfiguration"), pointer, policy, ctx, out);
    if (out.size() != before) return std::nullopt;
    return spec;
  }
  f.finish();
  return std::nullopt;
}

}  // namespace

void read_target_identity(JsonFields& f, const PolicyInputContext& ctx, bool required) {
  const auto ns = f.one_of("ServiceNamespace", {"ecs", "lambda"}, required);
  if (ns && *ns != ctx.service_namespace)
    f.error("ServiceNamespace", fmt::format("service \"{}\" is scaled in namespace \"{}\", not \"{}\"", ctx.service, ctx.service_namespace, *ns));
  const std::string ecs_id = "service/default/" + ctx.service, lambda_prefix = "function:" + ctx.service + ":";
  if (const auto id = f.string("ResourceId", required)) {
    if (ctx.service_namespace == "ecs" && *id != ecs_id)
      f.error("ResourceId", fmt::format("\"{}\" is not this service: use \"{}\" (the simulator's cluster is \"default\")", *id, ecs_id));
    // The simulator's alias is "live" (metric_keys::kLambdaAlias): a function's only qualifier.
    const std::string lambda_id = lambda_prefix + std::string(metric_keys::kLambdaAlias);
    if (ctx.service_namespace == "lambda" && *id != lambda_id)
      f.error("ResourceId", fmt::format("\"{}\" is not this function's alias: use \"{}\"", *id, lambda_id));
  }
  const std::string dimension = ctx.service_namespace == "ecs" ? "ecs:service:DesiredCount" : "lambda:function:ProvisionedConcurrency";
  f.one_of("ScalableDimension", {dimension}, required);
}

std::optional<AlarmSpec> build_alarm(const nlohmann::json& doc, const std::string& pointer, std::vector<Diagnostic>& out) {
  const std::size_t before = out.size();
  JsonFields f(doc, pointer, "a put-metric-alarm document", out);
  const auto name = f.string("AlarmName", true);
  f.accept({"AlarmDescription", "ActionsEnabled", "OKActions", "InsufficientDataActions", "Unit", "Tags",
            "EvaluateLowSampleCountPercentile"});
  f.unsupported("ExtendedStatistic", "percentile statistics are not published; use Statistic");
  f.unsupported("ThresholdMetricId", "anomaly detection bands are not modelled; give Threshold");
  std::vector<std::string> actions = f.strings("AlarmActions");
  const auto n = f.integer("EvaluationPeriods", true, 1);
  const auto m = f.integer("DatapointsToAlarm", false, 1);
  if (n && m && *m > *n) f.error("DatapointsToAlarm", fmt::format("DatapointsToAlarm ({}) must be <= EvaluationPeriods ({})", *m, *n));
  const auto threshold = f.number("Threshold", true);
  const auto comparison = f.one_of("ComparisonOperator", comparison_names(), true);
  const auto missing = f.one_of("TreatMissingData", {"missing", "notBreaching", "breaching", "ignore"});
  std::optional<MetricSource> metric;
  if (const nlohmann::json* metrics = f.array("Metrics")) {
    for (const char* k : {"MetricName", "Namespace", "Dimensions", "Statistic", "Period"})
      if (f.has(k)) f.error(k, fmt::format("give Metrics or {}, not both", k));
    f.accept({"MetricName", "Namespace", "Dimensions", "Statistic", "Period"});
    metric = read_metric_queries(*metrics, f.at("Metrics"), std::nullopt, out);
  } else if (f.is_object()) {
    const auto ident = read_metric_identity(f);
    const auto stat = f.one_of("Statistic", statistic_names(), true);
    const auto period = f.integer("Period", true, 1);
    if (period && !valid_alarm_period(seconds(*period)))
      f.error("Period", fmt::format("{} s must be 10, 20, 30 or a multiple of 60", *period));
    if (ident && stat && period)
      metric = MetricSource(MetricKey{ident->ns, ident->name, ident->dimensions, *parse_statistic(*stat), seconds(*period)});
  }
  // "The number of evaluation periods for an alarm multiplied by the length of each evaluation
  // period cannot exceed one day" (CloudWatch user guide, common features of alarms).
  if (metric && n && metric->period().to_seconds() * static_cast<double>(*n) > 86400)
    f.error("EvaluationPeriods", fmt::format("EvaluationPeriods x Period = {:g} s exceeds one day (86400 s)",
                                             metric->period().to_seconds() * static_cast<double>(*n)));
  f.finish();
  if (out.size() != before || !metric || !name) return std::nullopt;
  AlarmSpec a{*name, *metric};
  a.evaluation_periods = static_cast<int>(*n);
  if (m) a.datapoints_to_alarm = static_cast<int>(*m);
  a.threshold = *threshold;
  a.comparison = *parse_comparison_operator(*comparison);
  if (missing) a.treat_missing_data = *parse_treat_missing_data(*missing);
  a.alarm_actions = std::move(actions);
  return a;
}

std::optional<ScalingPolicySpec> build_scaling_policy(const nlohmann::json& item, const std::string& pointer,
                                                      const PolicyInputContext& ctx, std::vector<Diagnostic>& out) {
  if (item.is_object() && !item.contains("model")) {
    // Predictive documents have a checker of their own (predictive_input.hpp).
    if (item.contains("PolicyType") && item.at("PolicyType") == "PredictiveScaling") return build_predictive_policy(item, pointer, out);
    return policy_from_aws(item, pointer, ctx, out);
  }
  try {
    return scaling_registry().build(model_call_from_json(item), pointer, out);
  } catch (const std::invalid_argument& e) {
    out.push_back({pointer, e.what()});
    return std::nullopt;
  }
}

}  // namespace fargatelab::detail
