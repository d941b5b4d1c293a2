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
// Provisioned concurrency (PC) is a level that can change during the run (set_provisioned(),
// the Application Auto Scaling target of provisioned_concurrency_target.hpp). The level set
// before t = 0 is ready at once. A raised level allocates the extra environments: each starts
// LambdaSpec::provisioned_allocation_delay later (and no faster than the allocation rate), then
// runs placement and Init (billed as INIT duration) and is READY. A lowered level cancels
// allocations not started, removes idle PC environments at once, then initialising ones, and
// busy ones when their request ends. PC is billed for the configured level from the moment it
// is set ("from the time you enable it", Lambda pricing), whatever is READY.
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
  // Provisioned concurrency: the configured level's environments, initialised before t = 0
  // (ready at once).
  void start();
  // RequestDispatcher: an invocation arrives (Service::submit hands it over); its environment
  // finished it (an event whose attempt hit the timeout may be retried: then true).
  void dispatch(RequestId id) override { invoke(id); }
  bool on_complete(RequestId id, std::uint32_t server) override;
  bool takes_events() const noexcept override { return true; }
  void invoke(RequestId id);

  // --- Provisioned concurrency (environments) ---
  // Sets the configured level (>= 0) now and works towards it as the header describes.
  void set_provisioned(int level);
  int provisioned_configured() const noexcept { return configured_; }
  int provisioned_ready() const noexcept { return pc_ready_; }  // READY, not being removed
  // Invocations in flight (in environments or waiting for one's Init): ConcurrentExecutions.
  std::int64_t concurrent_executions() const noexcept { return in_flight_; }
  // PC environments serving an invocation: ProvisionedConcurrentExecutions.
  int provisioned_busy() const noexcept { return pc_busy_; }
  std::uint64_t invocations() const noexcept { return invocations_; }  // since t = 0
  // Since the previous call (the first: since construction), the maximum of each figure; each
  // restarts from the current value. The CloudWatch
  // sources (lambda_metrics.hpp) call these once per period: one consumer each.
  std::int64_t take_max_concurrent() noexcept;
  int take_max_provisioned_busy() noexcept;
  double take_max_provisioned_utilization() noexcept;  // NaN while no PC was configured
  // Since the previous call, the time average of ProvisionedConcurrentExecutions / configured
  // level (the Average statistic of ProvisionedConcurrencyUtilization); NaN if no PC was
  // configured at any time in it.
  double take_mean_provisioned_utilization() noexcept;
  // Integral of the configured level over the measured period (environment-seconds), the
  // highest level configured in it, and whether the level changed in it.
  double measured_provisioned_level_seconds() const noexcept;
  int measured_provisioned_max() const noexcept { return level_max_; }
  bool provisioned_changed_in_measure() const noexcept { return level_changes_ > 0; }

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
    bool initialising = false;                 // a PC environment allocated, Init not done yet
    bool retiring = false;                     // a PC environment removed when its work ends
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
  void account_level() noexcept;
  // Samples an Init Duration (runtime plus the function's own init at its CPU share), adds it
  // to the billed INIT milliseconds and returns it in seconds.
  double run_init();
  void note_concurrency() noexcept;  // after in_flight_, pc_busy_ or configured_ changed
  void on_pc_allocate(std::uint64_t unused);
  void on_pc_ready(std::uint64_t server);
  void remove_environment(std::uint32_t server);
  void lower_provisioned(int remove);

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
  // Provisioned concurrency: configured_ == pc_envs_ + pending_ (allocations scheduled, not
  // started) after every change; cancelled_ of the scheduled allocations are void.
  TokenBucket pc_allocation_;
  int configured_;  // the level set (LambdaSpec::provisioned_concurrency until scaling changes it)
  int pc_envs_ = 0, pending_ = 0, cancelled_ = 0, pc_ready_ = 0, pc_busy_ = 0;
  double level_seconds_ = 0, level_seconds_at_measure_ = 0;
  SimTime level_since_;
  int level_max_, level_changes_ = 0;
  std::int64_t max_in_flight_ = 0;
  int max_pc_busy_ = 0;
  double max_pc_utilization_ = 0;
  // Time integral of the utilisation (and of the time with PC configured) since the last take.
  double utilization_integral_ = 0, utilization_time_ = 0;
  SimTime utilization_since_;
  void account_utilization() noexcept;
};

}  // namespace fargatelab::detail
