// Scaling policies and alarms as users write them, in both forms, checked with every problem
// reported at its JSON pointer:
//  * the registry's short form: "target_tracking(metric=cpu, target=60)", "step(...)", or
//    {"model": "target_tracking", ...} (scaling_registry());
//  * AWS's own documents, exactly as the CLI takes them with --cli-input-json:
//    `aws application-autoscaling put-scaling-policy` (PolicyName, ServiceNamespace, ResourceId,
//    ScalableDimension, PolicyType TargetTrackingScaling | StepScaling, and its
//    TargetTrackingScalingPolicyConfiguration | StepScalingPolicyConfiguration), and
//    `aws cloudwatch put-metric-alarm` for the alarms step policies use.
// A step policy's alarm is the one whose AlarmActions name the policy, as in AWS: an ARN ending
// in ":policyName/<PolicyName>" (arn:aws:autoscaling:<region>:<account>:scalingPolicy:<id>:
// resource/ecs/service/default/<service>:policyName/<PolicyName>).
// The simulator has one ECS cluster, "default": an ECS ResourceId is "service/default/<service>";
// a Lambda one "function:<service>:live" (the one alias, metric_keys::kLambdaAlias).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/diagnostics.hpp"
#include "scaling/alarm.hpp"
#include "scaling/json_fields.hpp"
#include "scaling/scaling_registry.hpp"

namespace fargatelab::detail {

struct PolicyInputContext {
  std::string service;                   // the scenario service the policy scales
  std::string service_namespace = "ecs";  // its AAS namespace: "ecs" or "lambda"
  // The scenario's alarms by AlarmName (build_alarm); nullopt for one that failed its checks
  // (already reported where it is defined, so a policy naming it adds nothing).
  std::map<std::string, std::optional<AlarmSpec>> alarms;
};

// A put-metric-alarm document. Supported: AlarmName, the single-metric fields (Namespace,
// MetricName, Dimensions, Statistic, Period) or Metrics (metric math), EvaluationPeriods,
// DatapointsToAlarm, Threshold, ComparisonOperator (the four static ones), TreatMissingData,
// AlarmActions; descriptive fields are accepted (AlarmDescription, ActionsEnabled, OKActions,
// InsufficientDataActions, Unit, Tags, EvaluateLowSampleCountPercentile). Refused with a reason:
// ExtendedStatistic (percentiles), ThresholdMetricId and the anomaly-detection operators.
std::optional<AlarmSpec> build_alarm(const nlohmann::json& doc, const std::string& pointer, std::vector<Diagnostic>& out);

// The target identity fields of an AWS document (ServiceNamespace, ResourceId,
// ScalableDimension: put-scaling-policy, register-scalable-target), checked against the
// service's target; `required`: each must be given.
void read_target_identity(JsonFields& fields, const PolicyInputContext& ctx, bool required);

// One entry of a service's "scaling" list: a short-form string or model object, or a
// put-scaling-policy document (an object with "PolicyType"). nullopt if anything was reported.
std::optional<ScalingPolicySpec> build_scaling_policy(const nlohmann::json& item, const std::string& pointer,
                                                      const PolicyInputContext& ctx, std::vector<Diagnostic>& out);

}  // namespace fargatelab::detail
