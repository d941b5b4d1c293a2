// The CloudWatch alarms a service's deployments watch (deploymentConfiguration.alarms): each
// named alarm evaluated on the metric pipeline once a minute (CloudWatch evaluates standard
// alarms every minute; a high-resolution alarm, Period 10 or 30 s, every period), with its
// state changes handed to the service scheduler, which fails (and rolls back) the deployment in
// progress on ALARM. ECS reads them with DescribeAlarms; its polling interval is not published
// and is taken as zero, so a deployment reacts at the evaluation itself.
// The rolling update's bake with alarms is "computed from the alarm configuration" (ECS
// developer guide, deployment-alarm-failure; the formula is not published): here (N + 1) x
// Period + the publication delay of the longest watched alarm, the time it needs to evaluate N
// whole periods of the new revision alone.
#pragma once

#include <memory>
#include <vector>

#include "ecs/service_scheduler.hpp"
#include "fargatelab/engine.hpp"
#include "scaling/alarm.hpp"
#include "scaling/metric_view.hpp"

namespace fargatelab::detail {

class DeploymentAlarms {
 public:
  // `specs`: the service's alarms (scaling.alarms); only those some deployment names are run.
  // `publication_delay`: the pipeline's (CloudWatchSettings), for the rolling update's bake.
  DeploymentAlarms(Simulation& sim, const MetricView& metrics, ServiceScheduler& scheduler, const std::vector<AlarmSpec>& specs,
                   const std::vector<std::string>& names, Duration publication_delay);
  DeploymentAlarms(const DeploymentAlarms&) = delete;
  DeploymentAlarms& operator=(const DeploymentAlarms&) = delete;
  ~DeploymentAlarms();

  void start();
  const std::vector<std::unique_ptr<Alarm>>& alarms() const noexcept { return alarms_; }

 private:
  void evaluate(std::uint64_t index);

  Simulation& sim_;
  const MetricView& metrics_;
  ServiceScheduler& scheduler_;
  std::vector<std::unique_ptr<Alarm>> alarms_;
  std::vector<TimerId> timers_;
};

}  // namespace fargatelab::detail
