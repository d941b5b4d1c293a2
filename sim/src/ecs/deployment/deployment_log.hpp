// The deployments of one replication as results: every deployment event in the event log
// (kind "deployment", with ECS's words), the services' other events (kind "service": AZ
// rebalancing), and each service's DeploymentResults.
#pragma once

#include <vector>

#include "ecs/service_scheduler.hpp"
#include "fargatelab/results.hpp"
#include "fargatelab/run.hpp"

namespace fargatelab::detail {

class DeploymentLog {
 public:
  // schedulers: by service index. Services without deployments are not followed.
  DeploymentLog(const ScenarioSpec& spec, const std::vector<ServiceScheduler*>& schedulers, int replication, RunResult& result);
  DeploymentLog(const DeploymentLog&) = delete;
  DeploymentLog& operator=(const DeploymentLog&) = delete;

  // Service i's deployment results (nothing for a service without deployments).
  void report_service(std::size_t i, ServiceResults& service) const;

 private:
  struct Counts {
    bool followed = false;
    std::int64_t started = 0, completed = 0, failed = 0, rollbacks = 0, failed_tasks = 0;
    double started_at = 0, last_completed = -1, last_duration = -1;
  };
  void on_event(std::size_t service, const ServiceScheduler::DeploymentEvent& e);

  const ScenarioSpec& spec_;
  int replication_;
  RunResult& result_;
  std::vector<Counts> counts_;
};

}  // namespace fargatelab::detail
