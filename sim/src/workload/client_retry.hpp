// A workload's clients retrying with the AWS SDKs' standard retry mode (serving/retry.hpp): the
// SDK client of a workload, with one retry quota for all of its traffic. A closed-loop user
// (WorkloadGenerator) waits through its request's retries: it thinks again only after the last
// attempt's answer, or when it gives up (the last allowed attempt's timeout).
//
// An attempt that fails with a retryable outcome, or whose timeout (the request class's)
// passes first, is sent again after the backoff while attempts remain and the quota has the
// retry's cost; the attempt given up on is marked `retried` (the service still counts it,
// the workload does not). The last attempt's outcome is what the client sees, and its latency
// counts from the first attempt. A retry's work is drawn afresh from "workload/<name>/retries",
// which also gives the backoffs' jitter, so the workload's other draws are unchanged.
#pragma once

#include "fargatelab/engine.hpp"
#include "fargatelab/random.hpp"
#include "fargatelab/scenario.hpp"
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
  // The generator is about to submit a first attempt.
  void sent(RequestId id);
  // Service::finish, before observers: an attempt of this workload ended with `outcome`.
  void on_done(RequestId id, Outcome outcome);
  const RetryCounts& counts() const noexcept { return counts_; }

 private:
  void arm(RequestId id);
  void on_timeout(std::uint64_t handle);
  void on_due(std::uint64_t handle);
  bool retry(RequestId id, bool timed_out);

  Simulation& sim_;
  RequestPool& pool_;
  const WorkloadSpec& spec_;
  const RetrySpec& retry_;
  Service& target_;
  RandomStream stream_;
  RetryQuota quota_;
  RetryCounts counts_;
  WorkloadGenerator* users_;
};

}  // namespace fargatelab::detail
