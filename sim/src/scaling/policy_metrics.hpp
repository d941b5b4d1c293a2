// The metrics a target tracking or step policy can name, and how each becomes the CloudWatch
// series (or metric math) of the target it is instantiated for. The keys come from
// scaling/metric_keys.hpp, which the metric pipeline publishes under.
//
// AAS predefined metric types (API PredefinedMetricSpecification; ECS dev guide
// service-autoscaling-targettracking and target-tracking-faster-auto-scaling):
//   ECSServiceAverageCPUUtilization / ...MemoryUtilization      AWS/ECS, Average, 60 s
//   ECSServiceAverageCPUUtilizationHighResolution / ...Memory...  AWS/ECS, Average, 20 s (opt-in, 2026-06)
//   ALBRequestCountPerTarget                                     AWS/ApplicationELB, Sum, 60 s
//   LambdaProvisionedConcurrencyUtilization                      AWS/Lambda ProvisionedConcurrencyUtilization (0..1)
// Short names of the registry's short form: cpu, memory, cpu_high_resolution,
// memory_high_resolution, alb_request_count_per_target, provisioned_concurrency, and for custom
// metrics: queue_depth (SQS ApproximateNumberOfMessagesVisible), queue_age
// (ApproximateAgeOfOldestMessage), running_tasks (ECS/ContainerInsights RunningTaskCount) and
// backlog_per_task (e1 = m1 / m2: visible messages / RunningTaskCount, AAS user guide
// target-tracking-metric-math.md). The queue is named after the service (metric_keys.hpp).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scaling/metric_math.hpp"
#include "scaling/scaling_policy.hpp"

namespace fargatelab::detail {

enum class PredefinedMetricType : std::uint8_t {
  ecs_cpu,
  ecs_memory,
  ecs_cpu_high_resolution,
  ecs_memory_high_resolution,
  alb_request_count_per_target,
  lambda_provisioned_concurrency_utilization,
};
const char* to_string(PredefinedMetricType t) noexcept;  // AWS's name
std::optional<PredefinedMetricType> parse_predefined_metric_type(std::string_view s) noexcept;
std::vector<std::string> predefined_metric_type_names();
// The AAS service namespace whose targets the metric belongs to: "ecs" or "lambda".
std::string_view service_namespace_of(PredefinedMetricType t) noexcept;
bool is_high_resolution(PredefinedMetricType t) noexcept;
// The series the pipeline publishes for `service` (its ECS service, target group or function).
MetricKey predefined_metric_key(PredefinedMetricType t, std::string_view service);

// A policy's metric, resolved against the target when the policy is instantiated.
using MetricResolver = std::function<MetricSource(const PolicyContext&)>;

struct NamedMetric {
  MetricResolver resolve;
  std::optional<PredefinedMetricType> predefined;  // set for the predefined types
  std::string name;                                // the short name ("cpu")
};
// A short name above, or an AWS predefined metric type; `period` (> 0) applies to the custom
// metrics (the predefined ones have their own). nullopt if unknown.
std::optional<NamedMetric> named_metric(std::string_view name, Duration period = seconds(60));
std::vector<std::string> named_metric_names();

}  // namespace fargatelab::detail
