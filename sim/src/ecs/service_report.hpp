// The summary fields every ECS service has, whatever its launch type: tasks the load balancer
// found unhealthy and replaced, and the health checks' counts.
#pragma once

#include "fargatelab/results.hpp"
#include "ecs/service_scheduler.hpp"
#include "serving/service.hpp"

namespace fargatelab::detail {

inline void report_ecs_service(const ServiceScheduler& scheduler, const Service& service, ServiceResults& out) {
  out.tasks_replaced_unhealthy = scheduler.unhealthy_replaced();
  if (const TargetHealth* h = service.health()) out.health_checks = HealthChecks{h->probes(), h->failed_probes()};
}

}  // namespace fargatelab::detail
