// The AWS SDKs' "adaptive" retry mode: standard retries (serving/retry.hpp) plus a client-side
// rate limiter that slows a client down once it is throttled, so it stops adding to the
// overload that throttles it.
//
// The mechanism, as the SDKs and Tools Reference Guide ("Retry behavior": adaptive mode is
// standard mode plus "a client-side rate limiter ... that uses a token bucket", slowing the
// client when it receives throttling errors) and botocore's retries/adaptive.py, bucket.py and
// cubic.py implement it:
//   - Until the first throttling response the limiter is off: requests are sent at once.
//   - Every response (or failed attempt) updates a measured response rate: per 0.5 s bucket,
//     count / bucket length, smoothed as 0.8 x current + 0.2 x previous (RateClocker).
//   - A throttling response (HTTP 429) sets the rate to beta x r, beta = 0.7, where r is the
//     measured rate (the first time) or min(measured, the current limit); r becomes the CUBIC
//     curve's w_max and the curve restarts: K = cbrt(w_max x (1 - beta) / C), C = 0.4.
//   - Any other outcome sets it to C x (t - t_throttle - K)^3 + w_max (CUBIC), which climbs
//     back to w_max K seconds after the throttle and beyond it afterwards.
//   - Either way the limit is at most 2 x the measured rate.
//   - Once on, every attempt (first ones and retries) takes a token from a bucket filled at the
//     limit, at least 0.5 tokens/s, holding at most max(limit, 1) tokens; without a token the
//     attempt waits until one has accumulated (the SDK blocks the calling thread and wakes it
//     when the limit changes). The caller keeps the waiting attempts in order
//     (workload/client_retry.cpp) and asks time_to_token() again whenever the limit moves.
#pragma once

#include "fargatelab/time.hpp"

namespace fargatelab::detail {

class AdaptiveRateLimiter {
 public:
  // botocore's constants (cubic.py, adaptive.py, bucket.py, ratelimiter RateClocker).
  static constexpr double kBeta = 0.7;              // rate kept after a throttle
  static constexpr double kScale = 0.4;             // the CUBIC scale constant C
  static constexpr double kMaxAdjustScale = 2.0;    // the limit is at most this x the measured rate
  static constexpr double kSmoothing = 0.8;         // weight of the newest bucket's rate
  static constexpr double kBucketSeconds = 0.5;     // the measured rate's time bucket
  static constexpr double kMinFillRate = 0.5;       // tokens/s, the bucket's slowest refill
  static constexpr double kInitialRate = 0.5;       // the CUBIC curve's starting w_max

  explicit AdaptiveRateLimiter(SimTime start) noexcept;

  // Before an attempt is sent at `now`: true (and the token is taken) while the limiter is off
  // or the bucket holds a whole token; false: it must wait.
  bool try_acquire(SimTime now) noexcept;
  // How long from `now` until the bucket holds a whole token at the current limit.
  Duration time_to_token(SimTime now) noexcept;
  // An attempt ended at `now` (an answer or a timeout); `throttled`: the answer was a 429.
  void on_response(SimTime now, bool throttled) noexcept;

  bool enabled() const noexcept { return enabled_; }
  double limit() const noexcept { return fill_rate_; }        // tokens (attempts) per second
  double measured_rate() const noexcept { return measured_; }  // responses per second, smoothed
  double cubic_rate(double t) const noexcept;                  // C x (t - t_throttle - K)^3 + w_max

 private:
  void set_limit(double rate, double now) noexcept;
  void refill(double now) noexcept;

  bool enabled_ = false;
  // The measured response rate (RateClocker).
  double measured_ = 0;
  double last_bucket_;
  double count_ = 0;
  // The CUBIC curve (CubicCalculator).
  double w_max_ = kInitialRate;
  double k_;
  double last_throttle_;
  // The token bucket (TokenBucket).
  double fill_rate_ = 1;
  double capacity_ = 1;
  double tokens_ = 0;
  double refilled_at_;
};

}  // namespace fargatelab::detail
