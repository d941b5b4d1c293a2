#include "ecs/token_bucket.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

namespace fargatelab::detail {
namespace {

constexpr double kMinRate = 1e-6;  // tokens per second: one per 11.6 days
constexpr double kMaxRate = 1e9;   // one per nanosecond
constexpr double kMaxBurst = 1e12;

struct Fraction {
  std::int64_t num, den;
};

// The last continued-fraction convergent num/den of r with den <= 1e9 that is within 1e-13 of
// r relative (or the closest with den <= 1e9). Exact for rates such as 20, 150, 0.5 and 500/60.
Fraction rate_fraction(double r) {
  constexpr std::int64_t kMaxDen = 1'000'000'000;
  constexpr std::int64_t kMaxNum = 4'000'000'000'000'000'000;
  std::int64_t h1 = 1, h2 = 0, k1 = 0, k2 = 1;  // convergents i-1 and i-2
  Fraction best{0, 1};
  double x = r;
  for (int i = 0; i < 64; ++i) {
    const double af = std::floor(x);
    if (af > 4e18) break;
    const auto a = static_cast<std::int64_t>(af);
    const WideInt h = WideInt{a} * h1 + h2, k = WideInt{a} * k1 + k2;
    if (k > kMaxDen || h > kMaxNum) break;
    h2 = h1;
    h1 = static_cast<std::int64_t>(h);
    k2 = k1;
    k1 = static_cast<std::int64_t>(k);
    best = {h1, k1};
    if (std::fabs(static_cast<double>(h1) / static_cast<double>(k1) - r) <= 1e-13 * r) break;
    const double frac = x - af;
    if (!(frac > 0)) break;
    x = 1.0 / frac;
  }
  return best;
}

}  // namespace

TokenBucket::TokenBucket(double burst, double refill_per_second) : burst_(burst), rate_(refill_per_second) {
  if (!(burst >= 1.0 && burst <= kMaxBurst))
    throw std::invalid_argument(fmt::format("token bucket: burst must be in [1, {:g}] tokens, got {:g}", kMaxBurst, burst));
  if (!(refill_per_second >= kMinRate && refill_per_second <= kMaxRate))
    throw std::invalid_argument(fmt::format("token bucket: refill rate must be in [{:g}, {:g}] tokens per second, got {:g}",
                                            kMinRate, kMaxRate, refill_per_second));
  const Fraction f = rate_fraction(refill_per_second);
  if (f.num <= 0) throw std::invalid_argument(fmt::format("token bucket: cannot represent the rate {:g}", refill_per_second));
  per_ns_ = f.num;
  unit_ = WideInt{f.den} * 1'000'000'000;
  const double whole = std::floor(burst);
  capacity_ = static_cast<WideInt>(static_cast<std::int64_t>(whole)) * unit_ +
              static_cast<WideInt>(std::llround((burst - whole) * static_cast<double>(unit_)));
  level_ = capacity_;
}

WideInt TokenBucket::level_at(SimTime now) const {
  if (!started_) return capacity_;
  if (now < last_)
    throw std::invalid_argument(fmt::format("token bucket: time went backwards ({} ns after {} ns)", now.ns(), last_.ns()));
  const WideInt refilled = level_ + WideInt{per_ns_} * (now - last_).ns();
  return refilled < capacity_ ? refilled : capacity_;
}

SimTime TokenBucket::wait_until(SimTime now, WideInt level_after) const {
  if (level_after >= 0) return now;
  const WideInt wait = (-level_after + per_ns_ - 1) / per_ns_;  // ceil(deficit / n) ns
  if (wait > WideInt{std::numeric_limits<SimTime::rep>::max()} - now.ns())
    throw std::overflow_error("token bucket: reservation beyond the representable time");
  return now + SimTime::from_ns(static_cast<SimTime::rep>(wait));
}

SimTime TokenBucket::reserve(SimTime now) {
  const WideInt after = level_at(now) - unit_;
  level_ = after;
  last_ = now;
  started_ = true;
  return wait_until(now, after);
}

SimTime TokenBucket::available_at(SimTime now) const { return wait_until(now, level_at(now) - unit_); }

double TokenBucket::tokens(SimTime now) const {
  return static_cast<double>(level_at(now)) / static_cast<double>(unit_);
}

}  // namespace fargatelab::detail
