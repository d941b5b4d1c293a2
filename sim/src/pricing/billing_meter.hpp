// The billing observer of a replication: it prices, without changing the model, what AWS bills
// over the measured period [warmup, end], with the same rules as the calculator
// (pricing_rules.hpp). Each platform prices its own compute (PlatformRuntime::bill, in its
// folder); this observer prices what the VPC shares:
//
//   (platforms)      Fargate tasks, EC2 instances, Lambda requests and duration, App Runner
//                    provisioned and active time: see each platform's <name>_model.cpp.
//   Load balancers   per ALB/NLB in front of a service (only ECS services have one): hours, and capacity units
//                    per hour from the simulated requests (each a new connection unless the
//                    workload keeps connections), requests in flight (active connections), and
//                    request + response bytes; rule evaluations within the 10 free rules.
//   Networking       NAT gateway hours and the image bytes the platforms pulled through NAT;
//                    interface VPC endpoint AZ-hours and bytes (gateway endpoints free); public
//                    IPv4 addresses of NAT gateways, internet-facing load balancers (one per
//                    zone) and the tasks the platforms put in public subnets.
//   CloudWatch       the alarms of the scaling policies (per alarm metric, standard or high
//                    resolution) and ECS service metrics published at 20 s.
// Not metered: CloudWatch Logs (no log volume model), EBS volumes of EC2 instances, data transfer
// to the internet, inter-AZ traffic between services (no placement-aware traffic model).
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/engine.hpp"
#include "fargatelab/results.hpp"
#include "fargatelab/run.hpp"
#include "fargatelab/scenario.hpp"
#include "platforms/platform.hpp"
#include "pricing/bill.hpp"
#include "pricing/pricing_rules.hpp"

namespace fargatelab::detail {

class BillingMeter {
 public:
  BillingMeter(Simulation& sim, const ScenarioSpec& spec) : sim_(sim), spec_(spec) {}
  // The measured period starts now (the warm-up's end).
  void begin_measurement() { from_ = sim_.now(); }
  // Prices the measured period: each platform's own items (in registry order), then the load
  // balancers, the VPC's networking and what auto scaling keeps in CloudWatch (`cloudwatch`,
  // one entry per scaled service). `series` are the replication's time-series rows.
  Bill finish(const std::vector<PlatformRuntime*>& platforms, const std::vector<TimeSeriesRow>& series,
              const std::vector<std::string>& series_columns, int replication,
              const std::vector<CloudWatchUsage>& cloudwatch = {});
  // The bill's totals for the results (aggregated across replications): the period, its total,
  // that total scaled to a 730-hour month, and each AWS service's monthly amount.
  static CostResults cost(const Bill& bill);

 private:
  Simulation& sim_;
  const ScenarioSpec& spec_;
  SimTime from_;
};

}  // namespace fargatelab::detail
