#include "scaling/metric_keys.hpp"

#include <fmt/format.h>

namespace fargatelab::detail::metric_keys {

MetricKey ecs_service(std::string_view metric, std::string_view service, Statistic statistic, Duration period) {
  return {"AWS/ECS", std::string(metric), fmt::format("ClusterName={},ServiceName={}", kCluster, service), statistic, period};
}

MetricKey running_task_count(std::string_view service, Statistic statistic, Duration period) {
  return {"ECS/ContainerInsights", "RunningTaskCount", fmt::format("ClusterName={},ServiceName={}", kCluster, service),
          statistic, period};
}

MetricKey alb_request_count_per_target(std::string_view service, Duration period) {
  return {"AWS/ApplicationELB", "RequestCountPerTarget", fmt::format("TargetGroup=targetgroup/{}", service), Statistic::sum,
          period};
}

MetricKey alb_request_count(std::string_view service, Duration period) {
  return {"AWS/ApplicationELB", "RequestCount", fmt::format("TargetGroup=targetgroup/{}", service), Statistic::sum, period};
}

MetricKey alb_target_group(std::string_view metric, std::string_view service, Statistic statistic, Duration period) {
  return {"AWS/ApplicationELB", std::string(metric), fmt::format("TargetGroup=targetgroup/{}", service), statistic, period};
}

MetricKey sqs(std::string_view metric, std::string_view queue, Statistic statistic, Duration period) {
  return {"AWS/SQS", std::string(metric), fmt::format("QueueName={}", queue), statistic, period};
}

MetricKey lambda(std::string_view metric, std::string_view function, Statistic statistic, Duration period) {
  return {"AWS/Lambda", std::string(metric), fmt::format("FunctionName={}", function), statistic, period};
}

MetricKey lambda_alias(std::string_view metric, std::string_view function, std::string_view alias, Statistic statistic,
                       Duration period) {
  return {"AWS/Lambda", std::string(metric), fmt::format("FunctionName={},Resource={}:{}", function, function, alias), statistic,
          period};
}

}  // namespace fargatelab::detail::metric_keys
