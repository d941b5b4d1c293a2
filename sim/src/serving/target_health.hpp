// Load balancer target health checks (ELB target groups). Each registered target is probed
// every `interval`; a probe is a small request (cpu_seconds of CPU) served by the task like any
// other, so a task whose workers and queue are saturated answers late and fails. A probe not
// answered within `timeout` fails.
//
// States, after the Application Load Balancer documentation ("Health checks for Application
// Load Balancer target groups",
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html):
//  * initial: after registration the target "must pass one health check to be considered
//    healthy"; it then enters service. The first probe comes a uniform fraction of an interval
//    after registration (the load balancer nodes check on their own schedule; not published).
//  * healthy: unhealthy_threshold consecutive failures make it unhealthy (out of service).
//  * unhealthy: healthy_threshold consecutive passes make it healthy again.
// A target that turns unhealthy (or fails unhealthy_threshold checks while initial) is reported
// through Service::target_unhealthy; the ECS scheduler decides whether to replace the task.
#pragma once

#include <cstdint>
#include <vector>

#include "fargatelab/engine.hpp"
#include "fargatelab/random.hpp"
#include "fargatelab/scenario.hpp"
#include "serving/request.hpp"

namespace fargatelab::detail {

class Service;

class TargetHealth {
 public:
  TargetHealth(Simulation& sim, RequestPool& pool, Service& service, const HealthCheckSpec& spec, RandomStream stream);
  // Starts probing a registered server; `healthy`: it is in service already (a warm start).
  void start(std::uint32_t server, bool healthy);
  // Stops probing (deregistered or killed).
  void stop(std::uint32_t server);
  // Every check of `server` fails from now on, however fast it answers (a bad version whose
  // health endpoint fails); until its next start().
  void set_failing(std::uint32_t server);
  // A probe left the task: answered (ok) or not (rejected, reset).
  void on_probe_done(RequestId id, bool ok);

  std::uint64_t probes() const noexcept { return probes_; }
  std::uint64_t failed_probes() const noexcept { return failed_; }

 private:
  struct State {
    bool probing = false;
    bool initial = true;
    bool healthy = false;
    int passes = 0;
    int failures = 0;
    TimerId timer;
    std::uint32_t epoch = 0;  // bumped by stop(), so probes of an earlier registration are ignored
    bool failing = false;     // set_failing: every check fails
  };
  void probe(std::uint64_t server);
  void on_deadline(std::uint64_t handle);
  void record(std::uint32_t server, bool ok);

  Simulation& sim_;
  RequestPool& pool_;
  Service& service_;
  const HealthCheckSpec& spec_;
  RandomStream stream_;
  std::vector<State> states_;
  std::uint64_t probes_ = 0, failed_ = 0;
};

}  // namespace fargatelab::detail
