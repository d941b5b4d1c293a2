// A workload's clients retrying with the AWS SDKs' standard retry mode (serving/retry.hpp): the
// SDK client of a workload, with one retry quota for all of its traffic. A closed-loop user
// (WorkloadGenerator) waits through its request's retries: it thinks again only after the last
// attempt's answer, or when it gives up (the last allowed attempt's timeout).
//
// An attempt that fails with a retryable outcome, or whose timeout (the request class's)
// passes first, is sent again after the backoff while attempts remain and the quota has the
// retry's cost; the attempt given up on is marked `retried` (the service still counts it,
// the workload does not). The last attempt's outcome is what the client sees, and its latency
// counts from the first attempt (and from before a wait for the adaptive mode's token). A retry's work is drawn afresh from "workload/<name>/retries",
// which also gives the backoffs' jitter, so the workload's other draws are unchanged.
#pragma once

#include "fargatelab/engine.hpp"
#include "fargatelab/random.hpp"
#include "fargatelab/scenario.hpp"
#include <deque>
#include <optional>

#include "serving/adaptive_rate_limiter.hpp"
#include "serving/request.hpp"
#include "serving/retry.hpp"
#include "serving/service.hpp"

namespace fargatelab::detail {

class WorkloadGenerator;

class ClientRetry {
 public:
  // `users`: the closed-loop generator whose users wait for the answers (null: open loop).
  ClientRetry(Simulation& sim, RequestPool& pool, const WorkloadSpec& spec, Service& target, RandomStream stream,
              WorkloadGenerator* users = nullptr);
  // Sends a first attempt the generator made: at once, or (adaptive mode, once throttled) when
  // the client-side rate limiter's token is there.
  void send(RequestId id);
  // Service::finish, before observers: an attempt of this workload ended with `outcome`.
  void on_done(RequestId id, Outcome outcome);
  const RetryCounts& counts() const noexcept { return counts_; }

 private:
  void dispatch(RequestId id);  // through the limiter, if any, then sent() and submitted
  void sent(RequestId id);
  void arm(RequestId id);
  void on_timeout(std::uint64_t handle);
  void on_due(std::uint64_t handle);
  void on_token();           // the limiter's next token: the first waiting attempt leaves
  void schedule_token();     // (re)schedules on_token for the current limit
  bool retry(RequestId id, bool timed_out);

  Simulation& sim_;
  RequestPool& pool_;
  const WorkloadSpec& spec_;
  const RetrySpec& retry_;
  Service& target_;
  RandomStream stream_;
  RetryQuota quota_;
  std::optional<AdaptiveRateLimiter> limiter_;  // adaptive mode only
  std::deque<std::uint64_t> waiting_;           // attempts waiting for a token, oldest first (pool handles)
  EventId token_event_;                         // the pending on_token, while any waits
  RetryCounts counts_;
  WorkloadGenerator* users_;
};

}  // namespace fargatelab::detail
