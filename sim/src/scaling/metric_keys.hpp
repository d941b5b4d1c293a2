// The CloudWatch metrics the simulator publishes, keyed as AWS names them (namespace, metric
// name, dimensions in CloudWatch's order). The metric pipeline publishes under these keys and
// policies and alarms look them up with the same functions, so the two can never disagree on a
// spelling. The simulator has one ECS cluster, "default"; a service's ALB target group, SQS
// queue and Lambda function are named after the service.
#pragma once

#include <string_view>

#include "scaling/metric_series.hpp"

namespace fargatelab::detail::metric_keys {

inline constexpr std::string_view kCluster = "default";
// CloudWatch's standard resolution; 10, 20 and 30 s are high resolution.
inline constexpr Duration kStandardPeriod = SimTime::from_ns(60'000'000'000);

// AWS/ECS {ClusterName, ServiceName}: "CPUUtilization", "MemoryUtilization" (Percent: the
// service's tasks' used over reserved CPU or memory, x 100).
MetricKey ecs_service(std::string_view metric, std::string_view service, Statistic statistic = Statistic::average,
                      Duration period = kStandardPeriod);
// ECS/ContainerInsights {ClusterName, ServiceName} "RunningTaskCount" (Count).
MetricKey running_task_count(std::string_view service, Statistic statistic = Statistic::average,
                             Duration period = kStandardPeriod);
// AWS/ApplicationELB {TargetGroup} "RequestCountPerTarget" (Count, statistic Sum: requests the
// target group received in the period over its healthy targets). TargetGroup "targetgroup/<service>".
MetricKey alb_request_count_per_target(std::string_view service, Duration period = kStandardPeriod);
// AWS/ApplicationELB {TargetGroup} "RequestCount" (Count, Sum) of the service's target group.
MetricKey alb_request_count(std::string_view service, Duration period = kStandardPeriod);
// AWS/ApplicationELB {TargetGroup} response metrics of the service's target group:
// "HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count" (Count, Sum), "TargetResponseTime"
// (Seconds, Average).
MetricKey alb_target_group(std::string_view metric, std::string_view service, Statistic statistic = Statistic::sum,
                           Duration period = kStandardPeriod);
// AWS/SQS {QueueName}: "ApproximateNumberOfMessagesVisible" (Count),
// "ApproximateAgeOfOldestMessage" (Seconds), "NumberOfMessagesSent" (Count).
MetricKey sqs(std::string_view metric, std::string_view queue, Statistic statistic = Statistic::average,
              Duration period = kStandardPeriod);
// The alias a function's provisioned concurrency is configured on (ResourceId
// "function:<name>:live"): the simulator's one qualifier.
inline constexpr std::string_view kLambdaAlias = "live";
// AWS/Lambda {FunctionName}: "ConcurrentExecutions" (Count, Maximum), "Invocations" (Count,
// Sum).
MetricKey lambda(std::string_view metric, std::string_view function, Statistic statistic = Statistic::maximum,
                 Duration period = kStandardPeriod);
// AWS/Lambda {FunctionName, Resource "<function>:<alias>"}, the metrics of a version or alias
// with provisioned concurrency: "ProvisionedConcurrentExecutions" (Count, Maximum),
// "ProvisionedConcurrencyUtilization" (None, 0..1, Maximum; and Average, which target tracking reads).
MetricKey lambda_alias(std::string_view metric, std::string_view function, std::string_view alias = kLambdaAlias,
                       Statistic statistic = Statistic::maximum, Duration period = kStandardPeriod);

}  // namespace fargatelab::detail::metric_keys
