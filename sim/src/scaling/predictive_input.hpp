// Predictive scaling from the JSON that `aws application-autoscaling put-scaling-policy
// --cli-input-json` takes with "PolicyType": "PredictiveScaling":
//   {"PolicyName": "daily", "ServiceNamespace": "ecs", "ResourceId": "service/default/api",
//    "ScalableDimension": "ecs:service:DesiredCount", "PolicyType": "PredictiveScaling",
//    "PredictiveScalingPolicyConfiguration": {
//      "MetricSpecifications": [{"TargetValue": 50,
//        "PredefinedMetricPairSpecification": {"PredefinedMetricType": "ECSServiceCPUUtilization"}}],
//      "Mode": "ForecastAndScale", "SchedulingBufferTime": 300,
//      "MaxCapacityBreachBehavior": "IncreaseMaxCapacity", "MaxCapacityBuffer": 10}}
// (AAS API PutScalingPolicy and PredictiveScalingPolicyConfiguration). A metric pair, or a
// predefined load metric with a predefined scaling metric of the same kind (ECSServiceTotal-
// CPUUtilization with ECSServiceAverageCPUUtilization, ...); the Customized*MetricSpecification
// forms are refused (not modelled yet). ServiceNamespace, ResourceId and ScalableDimension may be
// left out (the scenario's service is the target). Every problem is reported at once at its
// JSON pointer. The short form is the registry's "predictive(...)" (predictive_policy.hpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/diagnostics.hpp"
#include "scaling/predictive_policy.hpp"

namespace fargatelab::detail {

// The checked settings of a PredictiveScaling put-scaling-policy document; nullopt if it had
// problems (each in `out` at `pointer` + its pointer inside the document).
std::optional<PredictiveSettings> build_predictive_settings(const nlohmann::json& doc, const std::string& pointer,
                                                            std::vector<Diagnostic>& out);
// The same document as the registry's product (what a scenario's scaling list holds).
std::optional<ScalingPolicySpec> build_predictive_policy(const nlohmann::json& doc, const std::string& pointer,
                                                         std::vector<Diagnostic>& out);

}  // namespace fargatelab::detail
