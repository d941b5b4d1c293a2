// AWS Lambda: one function's execution environments, each serving one request at a time.
//
// An invocation goes to an idle environment if there is one: provisioned ones first, then the
// most recently used on-demand one (a stack, so rarely used environments age out). Otherwise a
// new environment starts (a cold start: placement, then Init: the runtime's calibrated Init
// Duration plus the function's own initialisation at its CPU share; with SnapStart, a restore of
// the snapshot taken when the version was published instead), and the invocation waits for it. A new environment needs (1) concurrency: requests in flight below the reserved
// concurrency or else the account's, and (2) a scaling token: 1,000 new environments per 10 s
// per function, refilled continuously (Lambda developer guide, "Lambda scaling behavior").
// Without either the invocation is throttled (HTTP 429). An on-demand environment idle for
// its idle expiry (a distribution; AWS publishes none) is removed. A request running past the
// function timeout ends as function_timeout at the timeout.
//
// CPU: 1,769 MB of memory = 1 vCPU, proportional, at most 6 vCPU; one request is one thread.
//
// Asynchronous invocations (events) are queued by Lambda and retried ("How Lambda handles errors
// and retries with asynchronous invocation"): after a function error (here: the timeout) up to
// async_max_retries more times, 1 min then 2 min later; after throttling with exponential
// backoff from 1 s to at most 5 min, until the event is older than async_max_event_age, when
// it is dropped.
#pragma once

#include <cstdint>
#include <vector>

#include "ecs/token_bucket.hpp"
#include "fargatelab/engine.hpp"
#include "fargatelab/random.hpp"
#include "fargatelab/scenario.hpp"
#include "platforms/lambda/lambda_spec.hpp"
#include "serving/dispatcher.hpp"
#include "serving/request.hpp"

namespace fargatelab::detail {

class Service;

class LambdaFunction final : public RequestDispatcher {
 public:
  LambdaFunction(Simulation& sim, RequestPool& pool, Service& service, const ServiceSpec& spec, RandomStreams& streams);
  // Provisioned concurrency: environments initialised before t = 0 (ready at once).
  void start();
  // RequestDispatcher: an invocation arrives (Service::submit hands it over); its environment
  // finished it (an event whose attempt hit the timeout may be retried: then true).
  void dispatch(RequestId id) override { invoke(id); }
  bool on_complete(RequestId id, std::uint32_t server) override;
  bool takes_events() const noexcept override { return true; }
  void invoke(RequestId id);

  std::uint64_t async_retries() const noexcept { return async_retries_; }
  std::size_t environments() const noexcept { return live_; }
  std::size_t environments_max() const noexcept { return live_max_; }
  // Integral of live environments over time (environment-seconds) up to now.
  double environment_seconds() const noexcept;
  // Counters from `since` on (the measured period): call at the start of measurement.
  void begin_measurement();
  std::uint64_t measured_cold_starts() const noexcept { return cold_starts_ - cold_at_measure_; }
  std::uint64_t measured_invocations() const noexcept { return invocations_ - invocations_at_measure_; }
  std::uint64_t measured_throttles() const noexcept { return throttles_ - throttles_at_measure_; }
  double measured_environment_seconds() const noexcept { return environment_seconds() - env_seconds_at_measure_; }
  // Billing meters of the measured period (Lambda pricing: each duration rounded up to 1 ms).
  // Invocations served by on-demand and by provisioned environments, and the INIT phases of
  // cold starts (the Init Duration: runtime and function initialisation, not placement).
  double measured_billed_ms() const noexcept { return billed_ms_[0] - billed_ms_at_measure_[0]; }
  double measured_provisioned_billed_ms() const noexcept { return billed_ms_[1] - billed_ms_at_measure_[1]; }
  double measured_init_ms() const noexcept { return init_ms_ - init_ms_at_measure_; }
  std::uint64_t measured_restores() const noexcept { return restores_ - restores_at_measure_; }  // SnapStart

 private:
  struct Env {
    bool provisioned = false;
    bool alive = false;
    bool busy = false;
    SimTime expires_at = SimTime::infinity();  // end of its current idle period's keep-alive
    SimTime timer_at = SimTime::infinity();    // its one pending expiry check (infinity: none)
    SimTime busy_since;                        // its current invocation started
  };
  std::uint32_t new_environment(bool provisioned);
  void deliver(std::uint32_t server, RequestId id);
  void on_ready(std::uint64_t packed);  // (server, request handle generation) packed
  void on_expire(std::uint64_t server);
  void on_retry(std::uint64_t handle);
  bool pop_idle(std::vector<std::uint32_t>& stack, std::uint32_t& server);
  // The environment `server` finished its request.
  void on_request_done(std::uint32_t server);
  // An event's attempt failed with a function error: true if Lambda will try again (it is
  // then re-invoked later and must not be finished now).
  bool retry_after_error(RequestId id);
  void account() noexcept;

  Simulation& sim_;
  RequestPool& pool_;
  Service& service_;
  const ServiceSpec& spec_;
  const LambdaSpec& fn_;
  RandomStream stream_;  // "lambda/<name>": init durations and idle expiries
  Distribution init_;
  TokenBucket scaling_;
  std::vector<Env> envs_;
  std::vector<std::uint32_t> idle_;              // on-demand, most recently used at the back
  std::vector<std::uint32_t> idle_provisioned_;
  std::vector<RequestId> waiting_;               // by server: the request its cold start is for
  std::int64_t in_flight_ = 0;                   // requests in environments or waiting for one
  std::int64_t limit_;
  std::uint64_t invocations_ = 0, cold_starts_ = 0, throttles_ = 0, async_retries_ = 0;
  std::uint64_t invocations_at_measure_ = 0, cold_at_measure_ = 0, throttles_at_measure_ = 0;
  std::size_t live_ = 0, live_max_ = 0;
  double env_seconds_ = 0, env_seconds_at_measure_ = 0;
  double billed_ms_[2] = {0, 0}, billed_ms_at_measure_[2] = {0, 0};  // [on-demand, provisioned]
  double init_ms_ = 0, init_ms_at_measure_ = 0;
  std::uint64_t restores_ = 0, restores_at_measure_ = 0;
  SimTime since_;
};

}  // namespace fargatelab::detail
