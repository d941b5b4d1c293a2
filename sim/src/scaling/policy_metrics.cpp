#include "scaling/policy_metrics.hpp"

#include <array>

#include "scaling/metric_keys.hpp"

namespace fargatelab::detail {
namespace {

constexpr std::array<PredefinedMetricType, 6> kAll = {
    PredefinedMetricType::ecs_cpu,
    PredefinedMetricType::ecs_memory,
    PredefinedMetricType::ecs_cpu_high_resolution,
    PredefinedMetricType::ecs_memory_high_resolution,
    PredefinedMetricType::alb_request_count_per_target,
    PredefinedMetricType::lambda_provisioned_concurrency_utilization,
};

// The short names, in the order of kAll.
constexpr std::array<std::string_view, 6> kShort = {"cpu",
                                                    "memory",
                                                    "cpu_high_resolution",
                                                    "memory_high_resolution",
                                                    "alb_request_count_per_target",
                                                    "provisioned_concurrency"};

// ECS high-resolution service metrics: 20 s (ECS dev guide target-tracking-faster-auto-scaling).
constexpr Duration kHighResolutionPeriod = SimTime::from_ns(20'000'000'000);

}  // namespace

const char* to_string(PredefinedMetricType t) noexcept {
  switch (t) {
    case PredefinedMetricType::ecs_cpu: return "ECSServiceAverageCPUUtilization";
    case PredefinedMetricType::ecs_memory: return "ECSServiceAverageMemoryUtilization";
    case PredefinedMetricType::ecs_cpu_high_resolution: return "ECSServiceAverageCPUUtilizationHighResolution";
    case PredefinedMetricType::ecs_memory_high_resolution: return "ECSServiceAverageMemoryUtilizationHighResolution";
    case PredefinedMetricType::alb_request_count_per_target: return "ALBRequestCountPerTarget";
    case PredefinedMetricType::lambda_provisioned_concurrency_utilization: return "LambdaProvisionedConcurrencyUtilization";
  }
  return "?";
}

std::optional<PredefinedMetricType> parse_predefined_metric_type(std::string_view s) noexcept {
  for (auto t : kAll)
    if (s == to_string(t)) return t;
  return std::nullopt;
}

std::vector<std::string> predefined_metric_type_names() {
  std::vector<std::string> out;
  for (auto t : kAll) out.emplace_back(to_string(t));
  return out;
}

std::string_view service_namespace_of(PredefinedMetricType t) noexcept {
  return t == PredefinedMetricType::lambda_provisioned_concurrency_utilization ? "lambda" : "ecs";
}

bool is_high_resolution(PredefinedMetricType t) noexcept {
  return t == PredefinedMetricType::ecs_cpu_high_resolution || t == PredefinedMetricType::ecs_memory_high_resolution;
}

MetricKey predefined_metric_key(PredefinedMetricType t, std::string_view service) {
  switch (t) {
    case PredefinedMetricType::ecs_cpu: return metric_keys::ecs_service("CPUUtilization", service);
    case PredefinedMetricType::ecs_memory: return metric_keys::ecs_service("MemoryUtilization", service);
    case PredefinedMetricType::ecs_cpu_high_resolution:
      return metric_keys::ecs_service("CPUUtilization", service, Statistic::average, kHighResolutionPeriod);
    case PredefinedMetricType::ecs_memory_high_resolution:
      return metric_keys::ecs_service("MemoryUtilization", service, Statistic::average, kHighResolutionPeriod);
    case PredefinedMetricType::alb_request_count_per_target: return metric_keys::alb_request_count_per_target(service);
    case PredefinedMetricType::lambda_provisioned_concurrency_utilization:
      // The Average statistic ("Both of the Application Auto Scaling alarms use the average
      // statistic by default", Lambda developer guide, "Configuring provisioned concurrency").
      return metric_keys::lambda_alias("ProvisionedConcurrencyUtilization", service, metric_keys::kLambdaAlias,
                                       Statistic::average);
  }
  return {};
}

std::optional<NamedMetric> named_metric(std::string_view name, Duration period) {
  for (std::size_t i = 0; i < kAll.size(); ++i) {
    if (name != kShort[i] && name != to_string(kAll[i])) continue;
    const auto t = kAll[i];
    return NamedMetric{[t](const PolicyContext& ctx) { return MetricSource(predefined_metric_key(t, ctx.service)); }, t,
                       std::string(kShort[i])};
  }
  if (name == "queue_depth" || name == "queue_age" || name == "running_tasks") {
    const std::string n(name);
    return NamedMetric{[n, period](const PolicyContext& ctx) {
                         if (n == "running_tasks")
                           return MetricSource(metric_keys::running_task_count(ctx.service, Statistic::average, period));
                         return MetricSource(metric_keys::sqs(n == "queue_depth" ? "ApproximateNumberOfMessagesVisible"
                                                                                 : "ApproximateAgeOfOldestMessage",
                                                              ctx.service, Statistic::average, period));
                       },
                       std::nullopt, n};
  }
  if (name == "backlog_per_task") {
    return NamedMetric{[period](const PolicyContext& ctx) {
                         std::vector<MetricQuery> q = {
                             {"m1", metric_keys::sqs("ApproximateNumberOfMessagesVisible", ctx.service, Statistic::average, period)},
                             {"m2", metric_keys::running_task_count(ctx.service, Statistic::average, period)}};
                         return MetricSource(std::move(q), "e1", MetricExpression::parse("m1 / m2", {"m1", "m2"}));
                       },
                       std::nullopt, "backlog_per_task"};
  }
  return std::nullopt;
}

std::vector<std::string> named_metric_names() {
  std::vector<std::string> out(kShort.begin(), kShort.end());
  for (const char* n : {"queue_depth", "queue_age", "running_tasks", "backlog_per_task"}) out.emplace_back(n);
  return out;
}

}  // namespace fargatelab::detail
