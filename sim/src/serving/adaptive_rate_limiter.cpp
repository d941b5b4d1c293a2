#include "serving/adaptive_rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace fargatelab::detail {
namespace {

double zero_point(double w_max) { return std::cbrt(w_max * (1 - AdaptiveRateLimiter::kBeta) / AdaptiveRateLimiter::kScale); }

}  // namespace

AdaptiveRateLimiter::AdaptiveRateLimiter(SimTime start) noexcept
    : last_bucket_(std::floor(start.to_seconds())),
      k_(zero_point(kInitialRate)),
      last_throttle_(start.to_seconds()),
      refilled_at_(start.to_seconds()) {}

double AdaptiveRateLimiter::cubic_rate(double t) const noexcept {
  const double dt = t - last_throttle_ - k_;
  return kScale * dt * dt * dt + w_max_;
}

void AdaptiveRateLimiter::refill(double now) noexcept {
  if (now > refilled_at_) tokens_ = std::min(capacity_, tokens_ + (now - refilled_at_) * fill_rate_);
  refilled_at_ = std::max(refilled_at_, now);
}

void AdaptiveRateLimiter::set_limit(double rate, double now) noexcept {
  refill(now);
  fill_rate_ = std::max(rate, kMinFillRate);
  capacity_ = std::max(rate, 1.0);
  tokens_ = std::min(tokens_, capacity_);
}

bool AdaptiveRateLimiter::try_acquire(SimTime at) noexcept {
  if (!enabled_) return true;
  refill(at.to_seconds());
  // A token within a nanosecond counts: the wake-up was computed for it (time_to_token).
  if (tokens_ < 1 - 1e-9) return false;
  tokens_ = std::max(0.0, tokens_ - 1);
  return true;
}

Duration AdaptiveRateLimiter::time_to_token(SimTime at) noexcept {
  refill(at.to_seconds());
  if (tokens_ >= 1 - 1e-9) return Duration::zero();
  // Rounded up to the next nanosecond, so the token is there when the wait ends.
  return Duration::from_ns(static_cast<Duration::rep>(std::ceil((1 - tokens_) / fill_rate_ * 1e9)) + 1);
}

void AdaptiveRateLimiter::on_response(SimTime at, bool throttled) noexcept {
  const double now = at.to_seconds();
  // The measured rate: responses per bucket of 0.5 s, smoothed when a bucket closes.
  const double bucket = std::floor(now / kBucketSeconds) * kBucketSeconds;
  count_ += 1;
  if (bucket > last_bucket_) {
    measured_ = kSmoothing * (count_ / (bucket - last_bucket_)) + (1 - kSmoothing) * measured_;
    count_ = 0;
    last_bucket_ = bucket;
  }
  double rate;
  if (throttled) {
    const double r = enabled_ ? std::min(measured_, fill_rate_) : measured_;
    w_max_ = r;
    k_ = zero_point(r);
    last_throttle_ = now;
    rate = r * kBeta;
    enabled_ = true;
  } else {
    rate = cubic_rate(now);
  }
  set_limit(std::min(rate, kMaxAdjustScale * measured_), now);
}

}  // namespace fargatelab::detail
