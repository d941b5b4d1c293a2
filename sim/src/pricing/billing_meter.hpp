// The billing observer of a replication: it meters, without changing the model, what AWS bills
// over the measured period [warmup, end], and prices it with the same rules as the calculator
// (pricing_rules.hpp).
//
//   AWS Fargate      per task, from the start of its image pull (PENDING; t = 0 for a task
//                    already running then) to STOPPED, per second with the 1-minute minimum
//                    (Fargate pricing page); tasks of App Runner services are billed as App Runner.
//   Amazon EC2       per container instance, from launch to termination, per second with the
//                    60-second minimum; Spot at the Spot Instance Advisor saving of the type.
//   AWS Lambda       requests, on-demand and provisioned duration rounded up to 1 ms per
//                    invocation, INIT phases as billed on the catalog date, provisioned
//                    concurrency for the period; SnapStart cache and restores (Python, .NET).
//   AWS App Runner   provisioned memory for every instance-second; active vCPU from each
//                    activation (an idle instance taking a request) while it processes requests
//                    and at least one minute (requests within that minute extend it).
//   Load balancers   per ALB/NLB in front of a Fargate or EC2 service: hours, and capacity units
//                    per hour from the simulated requests (each a new connection unless the
//                    workload keeps connections), requests in flight (active connections), and
//                    request + response bytes; rule evaluations within the 10 free rules.
//   Networking       NAT gateway hours and the image bytes pulled through NAT; interface VPC
//                    endpoint AZ-hours and bytes (gateway endpoints free); public IPv4 addresses
//                    of NAT gateways, internet-facing load balancers (one per zone) and tasks in
//                    public subnets.
// Not metered: CloudWatch Logs (no log volume model), EBS volumes of EC2 instances, data transfer
// to the internet, inter-AZ traffic between services (no placement-aware traffic model).
#pragma once

#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "ecs/task.hpp"
#include "fargatelab/engine.hpp"
#include "fargatelab/run.hpp"
#include "fargatelab/scenario.hpp"
#include "pricing/bill.hpp"
#include "platforms/fargate/image_pull.hpp"

namespace fargatelab::detail {

class FargatePlatform;
class Ec2Platform;
class LambdaFunction;
class AppRunnerScaler;

class BillingMeter {
 public:
  BillingMeter(Simulation& sim, const ScenarioSpec& spec, FargatePlatform& fargate, const Ec2Platform* ec2);
  // The measured period starts now (the warm-up's end): pull meters are read here.
  void begin_measurement();
  // Prices the measured period. `functions` and `app_runners` are indexed by service (null where
  // the service is on another platform); `series` are the replication's time-series rows.
  Bill finish(const std::vector<std::unique_ptr<LambdaFunction>>& functions,
              const std::vector<std::unique_ptr<AppRunnerScaler>>& app_runners, const std::vector<double>& active_at_measure,  // billed active seconds at the measure start
              const std::vector<std::uint64_t>& activations_at_measure, const std::vector<TimeSeriesRow>& series,
              const std::vector<std::string>& series_columns, int replication);
  // {"period_hours", "total_usd", "monthly_usd", "by_aws_service": {name: monthly USD},
  //  "by_service": {simulated service: monthly USD}} for the summary (aggregated across replications).
  static nlohmann::json cost_json(const Bill& bill, const ScenarioSpec& spec);

 private:
  void on_state(Task& t, TaskState previous);
  double clipped(SimTime from, SimTime to) const;  // seconds of [from, to] inside the measured period

  Simulation& sim_;
  const ScenarioSpec& spec_;
  FargatePlatform& fargate_;
  const Ec2Platform* ec2_;
  SimTime from_;
  std::vector<SimTime> billing_from_;  // by Fargate task id: start of billing (infinity: not yet)
  std::vector<std::vector<double>> task_seconds_;  // by service: each finished task's billed seconds
  std::vector<double> public_ip_seconds_;          // by service: task-seconds in public subnets
  PullMeter pulled_at_start_fargate_, pulled_at_start_ec2_;
};

}  // namespace fargatelab::detail
