// put-scaling-policy documents with PolicyType PredictiveScaling (predictive_input.hpp).
#include "scaling/predictive_input.hpp"

#include <fmt/format.h>

#include "scaling/aws_json.hpp"

namespace fargatelab::detail {

namespace {

using nlohmann::json;

// Types, ranges and enums from the AAS API reference (PutScalingPolicy,
// PredictiveScalingPolicyConfiguration, PredictiveScalingMetricSpecification,
// PredictiveScalingPredefined*MetricSpecification).
const JsonSchema& put_predictive_policy_schema() {
  static const JsonSchema schema(json::parse(R"({
    "type": "object",
    "required": ["PolicyName", "PolicyType", "PredictiveScalingPolicyConfiguration"],
    "additionalProperties": false,
    "properties": {
      "PolicyName": {"type": "string", "minLength": 1, "maxLength": 256, "pattern": "^[^:/|]+$",
                     "description": "1 to 256 characters, no ':', '/' or '|'"},
      "ServiceNamespace": {"const": "ecs"},
      "ResourceId": {"type": "string", "pattern": "^service/[^/]+/[^/]+$", "description": "service/<cluster>/<service>"},
      "ScalableDimension": {"const": "ecs:service:DesiredCount"},
      "PolicyType": {"const": "PredictiveScaling"},
      "PredictiveScalingPolicyConfiguration": {
        "type": "object",
        "required": ["MetricSpecifications"],
        "additionalProperties": false,
        "properties": {
          "MetricSpecifications": {"type": "array", "minItems": 1, "maxItems": 1, "items": {"$ref": "#/$defs/metric"}},
          "Mode": {"enum": ["ForecastOnly", "ForecastAndScale"]},
          "SchedulingBufferTime": {"type": "integer", "minimum": 0, "maximum": 3599, "description": "seconds, < 3600"},
          "MaxCapacityBreachBehavior": {"enum": ["HonorMaxCapacity", "IncreaseMaxCapacity"]},
          "MaxCapacityBuffer": {"type": "integer", "minimum": 0, "maximum": 100, "description": "percent of the forecast"}
        }
      }
    },
    "$defs": {
      "metric": {
        "type": "object",
        "required": ["TargetValue"],
        "additionalProperties": false,
        "properties": {
          "TargetValue": {"type": "number", "exclusiveMinimum": 0},
          "PredefinedMetricPairSpecification": {"$ref": "#/$defs/pair"},
          "PredefinedLoadMetricSpecification": {"$ref": "#/$defs/load"},
          "PredefinedScalingMetricSpecification": {"$ref": "#/$defs/scaling"},
          "CustomizedLoadMetricSpecification": {"type": "object"},
          "CustomizedScalingMetricSpecification": {"type": "object"},
          "CustomizedCapacityMetricSpecification": {"type": "object"}
        }
      },
      "pair": {"type": "object", "required": ["PredefinedMetricType"], "additionalProperties": false, "properties": {
        "PredefinedMetricType": {"enum": ["ECSServiceCPUUtilization", "ECSServiceMemoryUtilization", "ALBRequestCount"]},
        "ResourceLabel": {"type": "string", "minLength": 1, "maxLength": 1023}}},
      "load": {"type": "object", "required": ["PredefinedMetricType"], "additionalProperties": false, "properties": {
        "PredefinedMetricType": {"enum": ["ECSServiceTotalCPUUtilization", "ECSServiceTotalMemoryUtilization", "TotalALBRequestCount"]},
        "ResourceLabel": {"type": "string", "minLength": 1, "maxLength": 1023}}},
      "scaling": {"type": "object", "required": ["PredefinedMetricType"], "additionalProperties": false, "properties": {
        "PredefinedMetricType": {"enum": ["ECSServiceAverageCPUUtilization", "ECSServiceAverageMemoryUtilization", "ALBRequestCountPerTarget"]},
        "ResourceLabel": {"type": "string", "minLength": 1, "maxLength": 1023}}}
    }
  })"));
  return schema;
}

std::optional<PredictiveMetric> metric_of(const std::string& type) {
  if (type == "ECSServiceCPUUtilization" || type == "ECSServiceTotalCPUUtilization" || type == "ECSServiceAverageCPUUtilization")
    return PredictiveMetric::cpu;
  if (type == "ECSServiceMemoryUtilization" || type == "ECSServiceTotalMemoryUtilization" ||
      type == "ECSServiceAverageMemoryUtilization")
    return PredictiveMetric::memory;
  if (type == "ALBRequestCount" || type == "TotalALBRequestCount" || type == "ALBRequestCountPerTarget")
    return PredictiveMetric::alb_request_count;
  return std::nullopt;
}

}  // namespace

std::optional<PredictiveSettings> build_predictive_settings(const json& doc, const std::string& pointer,
                                                            std::vector<Diagnostic>& out) {
  if (!validate_aws_document(put_predictive_policy_schema(), doc, pointer, out)) return std::nullopt;
  const json& config = doc.at("PredictiveScalingPolicyConfiguration");
  const std::string config_at = member_pointer(pointer, "PredictiveScalingPolicyConfiguration");
  const json& spec = config.at("MetricSpecifications").at(0);
  const std::string spec_at = member_pointer(config_at, "MetricSpecifications") + "/0";
  bool ok = true;
  auto fail = [&](std::string at, std::string message) {
    ok = false;
    out.push_back({std::move(at), std::move(message)});
  };

  PredictiveSettings s;
  s.policy_name = doc.at("PolicyName").get<std::string>();
  s.target = spec.at("TargetValue").get<double>();
  for (const char* custom : {"CustomizedLoadMetricSpecification", "CustomizedScalingMetricSpecification",
                             "CustomizedCapacityMetricSpecification"})
    if (spec.contains(custom))
      fail(member_pointer(spec_at, custom),
           "customized metric specifications are not modelled yet; use PredefinedMetricPairSpecification "
           "(ECSServiceCPUUtilization, ECSServiceMemoryUtilization or ALBRequestCount)");
  auto type_of = [&](const char* key) -> std::optional<std::string> {
    if (!spec.contains(key)) return std::nullopt;
    return spec.at(key).at("PredefinedMetricType").get<std::string>();
  };
  const auto pair = type_of("PredefinedMetricPairSpecification");
  const auto load = type_of("PredefinedLoadMetricSpecification");
  const auto scaling = type_of("PredefinedScalingMetricSpecification");
  if (pair && (load || scaling)) {
    fail(spec_at, "give PredefinedMetricPairSpecification, or PredefinedLoadMetricSpecification with "
                  "PredefinedScalingMetricSpecification, not both");
  } else if (pair) {
    s.metric = *metric_of(*pair);
  } else if (load && scaling) {
    if (metric_of(*load) != metric_of(*scaling))
      fail(member_pointer(spec_at, "PredefinedScalingMetricSpecification"),
           fmt::format("the scaling metric {} is not of the load metric {}'s kind; a load and a scaling metric of "
                       "different kinds are not modelled (use the same kind, or a metric pair)",
                       *scaling, *load));
    else
      s.metric = *metric_of(*load);
  } else if (load || scaling) {
    fail(spec_at, fmt::format("{} needs {} as well (or use PredefinedMetricPairSpecification)",
                              load ? "PredefinedLoadMetricSpecification" : "PredefinedScalingMetricSpecification",
                              load ? "PredefinedScalingMetricSpecification" : "PredefinedLoadMetricSpecification"));
  } else if (ok) {
    fail(spec_at, "expected a metric: PredefinedMetricPairSpecification {\"PredefinedMetricType\": "
                  "\"ECSServiceCPUUtilization\"} (or ECSServiceMemoryUtilization, ALBRequestCount)");
  }

  if (config.value("Mode", "ForecastOnly") == "ForecastAndScale") s.mode = PredictiveMode::forecast_and_scale;
  s.scheduling_buffer = seconds(config.value("SchedulingBufferTime", std::int64_t{300}));
  if (config.value("MaxCapacityBreachBehavior", "HonorMaxCapacity") == "IncreaseMaxCapacity")
    s.breach = MaxCapacityBreach::increase;
  if (config.contains("MaxCapacityBuffer")) {
    s.max_capacity_buffer = config.at("MaxCapacityBuffer").get<double>();
    if (s.breach != MaxCapacityBreach::increase)
      fail(member_pointer(config_at, "MaxCapacityBuffer"),
           "MaxCapacityBuffer applies only with \"MaxCapacityBreachBehavior\": \"IncreaseMaxCapacity\"");
  }
  if (!ok) return std::nullopt;
  return s;
}

std::optional<ScalingPolicySpec> build_predictive_policy(const json& doc, const std::string& pointer,
                                                         std::vector<Diagnostic>& out) {
  auto s = build_predictive_settings(doc, pointer, out);
  if (!s) return std::nullopt;
  return predictive_policy_spec(std::move(*s));
}

}  // namespace fargatelab::detail
