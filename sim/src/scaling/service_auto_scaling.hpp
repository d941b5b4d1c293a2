// Application Auto Scaling in one replication: the CloudWatch pipeline for the services' metrics
// and, for each service whose spec has a ServiceScalingSpec, its scalable target with a
// PolicyEvaluator running its policies: the ECS service's desired count (an EcsServiceTarget
// following the platform's launch type), or the target the platform gives
// (PlatformRuntime::scalable_target: a Lambda function's provisioned concurrency), whose
// ScalableDimension's namespace the policies are instantiated for (cooldown defaults). Built by the
// replication after the platforms are deployed; start() before the services start, so that the
// targets count the warm tasks adopted at t = 0.
//
// The pipeline exists only when some service scales or the output asks for CloudWatch metrics
// (OutputSpec::cloudwatch_metrics): a scenario without either runs exactly as before.
#pragma once

#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "ecs/launch_type.hpp"
#include "ecs/service_scheduler.hpp"
#include "pricing/pricing_rules.hpp"
#include "fargatelab/custom_policy.hpp"
#include "fargatelab/results.hpp"
#include "fargatelab/run.hpp"
#include "platforms/platform.hpp"
#include "scaling/alarm.hpp"
#include "scaling/cloudwatch.hpp"
#include "scaling/deployment_alarms.hpp"
#include "scaling/ecs_service_target.hpp"
#include "scaling/policy_evaluator.hpp"
#include "scaling/scheduled_actions.hpp"
#include "serving/service.hpp"

namespace fargatelab::detail {

class AutoScaling {
 public:
  // services, schedulers, platforms: by service index (platforms[i]: service i's platform,
  // after attach()). A platform with a launch_type() has ECS tasks: ECS metrics and, with a
  // scaling section, an ECS target; otherwise the platform's scalable_target(i) is scaled
  // (null: the section is not run). Every platform's publish_metrics(i) joins the pipeline. Rows of published
  // datapoints go to result.cloudwatch and scaling activities to result.events (with the
  // event log on).
  AutoScaling(Simulation& sim, const ScenarioSpec& spec, const std::vector<Service*>& services,
              const std::vector<ServiceScheduler*>& schedulers, const std::vector<PlatformRuntime*>& platforms,
              int replication, RunResult& result, const std::vector<CustomPolicy>& custom_policies = {});
  AutoScaling(const AutoScaling&) = delete;
  AutoScaling& operator=(const AutoScaling&) = delete;
  ~AutoScaling();

  void start();
  bool active() const noexcept { return cloudwatch_ != nullptr; }
  // Appends every predictive policy's forecasts to result.forecasts (at the end of the run).
  void collect_forecasts() const;
  // Service i's scaling results (nothing for a service that does not scale).
  void report_service(std::size_t i, ServiceResults& service) const;
  // What each scaled service keeps in CloudWatch, for the bill: its policies' alarms (each
  // alarm once, by name) and its ECS metrics published at under 60 s. Services that do not
  // scale keep nothing billable (AWS publishes their 60 s ECS metrics at no charge).
  std::vector<CloudWatchUsage> cloudwatch_usage() const;

 private:
  struct Scaled {
    std::size_t service;
    ScalableTarget* target = nullptr;                // ecs_target, or the platform's
    std::unique_ptr<EcsServiceTarget> ecs_target;
    std::unique_ptr<PolicyEvaluator> evaluator;      // null without policies
    std::unique_ptr<ScheduledScaling> scheduled;     // null without scheduled actions
    std::uint64_t scale_outs = 0, scale_ins = 0, alarm_changes = 0;
    int desired_min = 0, desired_max = 0;
    std::unique_ptr<DeploymentAlarms> deployment_alarms;  // null unless a deployment watches alarms
    std::vector<const Alarm*> alarms;      // its policies' and deployments' alarms, each once
    double high_resolution_metrics = 0;    // its ECS metrics published at under 60 s
  };
  void on_activity(Scaled& s, const ScalingActivity& a);
  // The target of service i: an ECS target on `launch_type`, or `platform_target`.
  Scaled& scaled_for(std::size_t i, const ServiceSpec& sv, ServiceScheduler& scheduler, LaunchType* launch_type,
                     ScalableTarget* platform_target, Duration evaluation_period);
  PolicyContext context(const Scaled& s) const;
  void on_alarm(Scaled& s, const Alarm& alarm, const AlarmStateChange& c);

  Simulation& sim_;
  const ScenarioSpec& spec_;
  int replication_;
  RunResult& result_;
  MetricStore store_;
  std::unique_ptr<CloudWatch> cloudwatch_;
  std::vector<std::unique_ptr<Scaled>> scaled_;
};

}  // namespace fargatelab::detail
