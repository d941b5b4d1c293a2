// AWS App Runner's concurrency-based auto scaling. Instances are Fargate tasks launched by the
// ECS service scheduler (App Runner runs on Fargate), each serving up to max_concurrency
// requests at once; requests beyond every instance's slots wait in front of them (bounded).
//
// Every `interval` the scaler sets the desired instance count to
//   clamp(ceil(concurrency / max_concurrency), min_size, max_size),
// concurrency being the requests in the instances plus those waiting. A rise takes effect at
// once (new instances still take their launch time); a fall only after the count has stayed
// below the current one for scale_in_delay, and then to the highest count asked for during that
// window (a stabilisation window, so one quiet second does not drop the service to its minimum). AWS documents the rule (AutoScalingConfiguration: MaxConcurrency, MinSize,
// MaxSize); the evaluation period and the scale-in delay are not published: parameters.
//
// Instances with no request are "provisioned" (CPU throttled, billed for memory); with at least
// one, "active" (billed for vCPU too). The scaler integrates both counts over time for billing.
#pragma once

#include <cstdint>

#include "fargatelab/engine.hpp"
#include "platforms/app_runner/app_runner_spec.hpp"

namespace fargatelab::detail {

class Service;
class ServiceScheduler;

class AppRunnerScaler {
 public:
  AppRunnerScaler(Simulation& sim, Service& service, ServiceScheduler& scheduler, const AppRunnerSpec& spec,
                  Duration interval = SimTime::from_ns(1'000'000'000));
  void start();

  // Instance-seconds with at least one request (active), up to now; provisioned instance-seconds
  // are the service's reserved vCPU-seconds / vCPU per instance.
  double active_instance_seconds() const;
  // Activations so far (an instance starting to process requests after at least a minute's
  // rest) and their active seconds, each at least a minute: what App Runner bills as active vCPU.
  std::uint64_t activations() const;
  double billed_active_seconds() const;
  int desired() const noexcept;
  std::uint64_t scale_outs() const noexcept { return scale_outs_; }
  std::uint64_t scale_ins() const noexcept { return scale_ins_; }

 private:
  void evaluate();

  Simulation& sim_;
  Service& service_;
  ServiceScheduler& scheduler_;
  const AppRunnerSpec& spec_;
  Duration interval_;
  SimTime low_since_ = SimTime::infinity();  // when the wanted count first fell below the desired count
  int window_max_ = 0;                       // the most instances asked for since then
  std::uint64_t scale_outs_ = 0, scale_ins_ = 0;
};

}  // namespace fargatelab::detail
