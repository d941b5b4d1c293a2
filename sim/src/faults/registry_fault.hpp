// A registry fault: from `start` to `end` the image registry refuses pulls, every one (mode
// fail, HTTP 503) or beyond a rate (mode throttle, HTTP 429 TooManyRequests as ECR and Docker
// Hub answer; a token bucket of throttle_rate per second, burst 1). The pulling agent retries
// a refused pull with its own backoff, and the task fails to start only when every attempt was
// refused:
//
//   attempt 1 at the pull's start; attempt k+1 at attempt k + refused_after + delay_k,
//   delay_k = min(retry_delay x retry_factor^(k-1), retry_delay_max), k = 1 .. attempts-1;
//   after the last refused attempt (+ refused_after) the task stops: TaskFailedToStart,
//   CannotPullContainerError.
//
// The ECS agent's numbers (amazon-ecs-agent agent/dockerclient/dockerapi/docker_client.go:
// maximumPullRetries 5, minimumPullRetryDelay 1.1 s, pullRetryDelayMultiplier 2,
// maximumPullRetryDelay 5 s, jitter 0.2, not modelled: it only spreads the retries) are the
// defaults; Fargate's agent reports the same "has been retried 5 time(s)" (AWS re:Post
// knowledge center, ecs-pull-container-error-rate-limit). With them, a pull refused
// throughout fails 5 x 0.5 + 1.1 + 2.2 + 4.4 + 5 = 15.2 s after it started.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ecs/token_bucket.hpp"
#include "fargatelab/diagnostics.hpp"
#include "fargatelab/time.hpp"

namespace fargatelab::detail {

struct RegistryFault {
  enum class Mode { fail, throttle };
  std::size_t item = 0;  // its index in the scenario's "faults"
  Duration start, end;   // [start, end)
  Mode mode = Mode::fail;
  double throttle_rate = 1;  // pulls per second accepted in the window (throttle)
  int attempts = 5;
  Duration retry_delay = SimTime::from_seconds(1.1), retry_delay_max = SimTime::from_seconds(5);
  double retry_factor = 2;
  Duration refused_after = SimTime::from_seconds(0.5);

  bool active_at(SimTime t) const noexcept { return start <= t && t < end; }
  // The delay after refused attempt k (1-based).
  Duration delay_after(int k) const noexcept;
  // The stopped reason of a task whose every attempt was refused, in ECS's words.
  std::string stopped_reason() const;
  const char* mode_name() const noexcept { return mode == Mode::fail ? "fail" : "throttle"; }
};

void check_registry_fault(const nlohmann::json& item, const std::string& pointer, std::vector<Diagnostic>& out);
RegistryFault build_registry_fault(const nlohmann::json& item, std::size_t index);

// The registry as one replication's pulls see it: the scenario's registry faults with their
// throttles' token buckets. Shared by every launch type (one registry for the account).
class ImageRegistry {
 public:
  explicit ImageRegistry(const std::vector<RegistryFault>& faults);
  // One pull attempt at `now`: the index (into the faults) of the fault that refuses it, or
  // nullopt when it is accepted (a throttle's token is then taken). Calls must not go back in time.
  std::optional<std::size_t> refuses(SimTime now);
  const std::vector<RegistryFault>& faults() const noexcept { return faults_; }
  bool any() const noexcept { return !faults_.empty(); }

 private:
  const std::vector<RegistryFault>& faults_;
  std::vector<std::optional<TokenBucket>> throttles_;
};

// One pull's attempts. Use: `while (auto wait = pull.attempt(now)) co_await wait;` then
// `pull.failed()`.
class PullAttempts {
 public:
  explicit PullAttempts(ImageRegistry* registry) : registry_(registry) {}
  // An attempt now: nullopt when the pull may go ahead (accepted) or has failed for good (see
  // failed()); else how long to wait before calling again.
  std::optional<Duration> attempt(SimTime now);
  // The fault that refused every attempt, once the pull has failed.
  const RegistryFault* failed() const noexcept { return failed_; }
  int attempts() const noexcept { return made_; }

 private:
  ImageRegistry* registry_;
  int made_ = 0;
  bool done_ = false;
  const RegistryFault* failed_ = nullptr;
};

}  // namespace fargatelab::detail
