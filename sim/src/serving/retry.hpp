// Client retries with the AWS SDKs' "standard" retry mode, for a workload's clients
// (workload/client_retry.*) and for a service's calls to another (service_calls.cpp).
//
// Sources (the SDK behaviour before the opt-in AWS_NEW_RETRIES_2026 change):
//   - AWS SDKs and Tools Reference Guide, "Retry behavior" (feature-retry-behavior): standard
//     mode makes 3 attempts unless max_attempts is set, retries a standard set of transient
//     errors with exponential backoff and jitter, never delays the first attempt, and has a
//     retry quota; its pseudocode: not Retryable(response) -> return; attempts >= MAX_ATTEMPTS
//     -> return; not HasRetryQuota(response) -> return; sleep(ExponentialBackoff(attempts)).
//   - Retryable errors (AWS SDK for Python developer guide, "Retries"): connection errors and
//     connect/read timeouts (no HTTP response), HTTP 500, 502, 503, 504, and throttling
//     errors (429 and the throttling error codes). Other 4xx are not retried.
//   - The quota's numbers (aws-sdk-js-v3 middleware-retry constants.ts, PR #1258; the Rust
//     SDK's aws-smithy-runtime token_bucket.rs, its "Retry 2.0" costs): INITIAL_RETRY_TOKENS
//     500, RETRY_COST 5, TIMEOUT_RETRY_COST 10, NO_RETRY_INCREMENT 1; a success returns the
//     cost of the retry that succeeded, or 1 if it took no retry; the bucket never exceeds its
//     initial size. Backoff: MAXIMUM_RETRY_DELAY 20 s; the Rust SDK's initial_backoff of 1 s
//     ("the first retry will occur after 0 to 1 seconds, the second after 0 to 2 ...": full
//     jitter, U(0,1) x 1 s x 2^(i-1), capped at 20 s).
// "adaptive" (retry_registry()) is standard plus the client-side rate limiter of
// serving/adaptive_rate_limiter.hpp, for a workload's clients (workload/client_retry.cpp).
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>

#include "fargatelab/random.hpp"
#include "fargatelab/registry.hpp"
#include "fargatelab/scenario.hpp"
#include "serving/service.hpp"

namespace fargatelab::detail {

// "standard(max_attempts=3, ...)" -> a RetrySpec; "none" -> nullopt (no retries).
const Registry<std::optional<RetrySpec>>& retry_registry();
// From a scenario value (null, a short form or {"model": ...}), already checked.
std::optional<RetrySpec> build_retry(const nlohmann::json& value);

// Whether the SDK retries an attempt that ended with `o` (a timeout is retryable too: the
// caller handles it apart). Throttling (429), the 5xx a service or its load balancer answers
// (503 rejected / no capacity, 502 reset, 502/504 dependency, 500 app_error) and a refused
// connection are transient; a message's expiry or dead-lettering is not an answer to a client,
// and a Lambda function error (function_timeout: HTTP 200 with X-Amz-Function-Error) is not an
// SDK error.
constexpr bool retryable(Outcome o) noexcept {
  switch (o) {
    case Outcome::rejected:
    case Outcome::no_capacity:
    case Outcome::reset:
    case Outcome::dependency:
    case Outcome::unreachable:
    case Outcome::throttled:
    case Outcome::app_error: return true;
    default: return false;
  }
}

// The retry quota: a token bucket of quota_tokens that retries draw from and successes refill.
class RetryQuota {
 public:
  explicit RetryQuota(const RetrySpec& s) noexcept : tokens_(s.quota_tokens) {}
  // Takes `cost` tokens if the bucket has them (HasRetryQuota), else refuses.
  bool acquire(int cost) noexcept {
    if (tokens_ < cost) return false;
    tokens_ -= cost;
    return true;
  }
  void release(int amount, const RetrySpec& s) noexcept { tokens_ = std::min(s.quota_tokens, tokens_ + amount); }
  int tokens() const noexcept { return tokens_; }

 private:
  int tokens_;
};

// The wait before retry `retry` (1 for the first retry): U(0,1) x base x 2^(retry-1), at most max.
inline Duration retry_backoff(const RetrySpec& s, int retry, RandomStream& stream) {
  const double ceiling = std::min(s.max_backoff.to_seconds(), s.base_backoff.to_seconds() * double(1u << std::min(retry - 1, 30)));
  return Duration::from_seconds(stream.uniform01() * ceiling);
}

// What a client's retries did in the measured period.
struct RetryCounts {
  std::uint64_t first_attempts = 0;  // requests (calls) sent
  std::uint64_t attempts = 0;        // first attempts and retries sent
  std::uint64_t retries = 0;         // retries scheduled
  std::uint64_t quota_refusals = 0;  // retryable failures the quota did not let retry
  std::uint64_t exhausted = 0;       // retryable failures on the last allowed attempt
  std::uint64_t rate_limited = 0;    // adaptive mode: attempts that waited for the limiter's token
  double rate_limit_wait_s = 0;      // adaptive mode: their waits together (s)
  void add(const RetryCounts& o) noexcept {
    rate_limited += o.rate_limited;
    rate_limit_wait_s += o.rate_limit_wait_s;
    first_attempts += o.first_attempts;
    attempts += o.attempts;
    retries += o.retries;
    quota_refusals += o.quota_refusals;
    exhausted += o.exhausted;
  }
};

}  // namespace fargatelab::detail
