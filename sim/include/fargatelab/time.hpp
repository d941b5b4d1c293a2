// Simulated time: a signed 64-bit count of nanoseconds (range +-292 years).
// Models never read the wall clock; doubles appear only at the edges (input, output).
#pragma once

#include <cmath>
#include <compare>
#include <concepts>
#include <cstdint>
#include <limits>
#include <stdexcept>

namespace fargatelab {

class SimTime {
 public:
  using rep = std::int64_t;

  constexpr SimTime() = default;
  static constexpr SimTime from_ns(rep ns) noexcept {
    SimTime t;
    t.ns_ = ns;
    return t;
  }
  // Rounds to the nearest nanosecond; throws std::out_of_range outside the representable range.
  static SimTime from_seconds(double s) {
    const double ns = std::nearbyint(s * 1e9);
    if (!(ns > -9.2e18 && ns < 9.2e18)) throw std::out_of_range("time out of range (seconds)");
    return from_ns(static_cast<rep>(ns));
  }
  static constexpr SimTime zero() noexcept { return from_ns(0); }
  static constexpr SimTime infinity() noexcept { return from_ns(std::numeric_limits<rep>::max()); }

  constexpr rep ns() const noexcept { return ns_; }
  // Division, not multiplication by 1e-9, so that whole seconds print exactly (60 s -> 60.0).
  constexpr double to_seconds() const noexcept { return static_cast<double>(ns_) / 1e9; }
  constexpr bool is_infinite() const noexcept { return ns_ == std::numeric_limits<rep>::max(); }

  constexpr auto operator<=>(const SimTime&) const noexcept = default;
  constexpr SimTime operator+(SimTime o) const noexcept { return from_ns(ns_ + o.ns_); }
  constexpr SimTime operator-(SimTime o) const noexcept { return from_ns(ns_ - o.ns_); }
  constexpr SimTime operator-() const noexcept { return from_ns(-ns_); }
  constexpr SimTime& operator+=(SimTime o) noexcept { ns_ += o.ns_; return *this; }
  constexpr SimTime& operator-=(SimTime o) noexcept { ns_ -= o.ns_; return *this; }
  constexpr SimTime operator*(rep k) const noexcept { return from_ns(ns_ * k); }
  constexpr rep operator/(SimTime o) const noexcept { return ns_ / o.ns_; }
  constexpr SimTime operator%(SimTime o) const noexcept { return from_ns(ns_ % o.ns_); }

 private:
  rep ns_ = 0;
};

// A duration has the same representation as a point in time (offset from the run start).
using Duration = SimTime;

template <std::integral I> constexpr Duration nanoseconds(I n) { return SimTime::from_ns(n); }
template <std::integral I> constexpr Duration microseconds(I n) { return SimTime::from_ns(SimTime::rep(n) * 1'000); }
template <std::integral I> constexpr Duration milliseconds(I n) { return SimTime::from_ns(SimTime::rep(n) * 1'000'000); }
template <std::integral I> constexpr Duration seconds(I n) { return SimTime::from_ns(SimTime::rep(n) * 1'000'000'000); }
template <std::integral I> constexpr Duration minutes(I n) { return seconds(SimTime::rep(n) * 60); }
template <std::integral I> constexpr Duration hours(I n) { return seconds(SimTime::rep(n) * 3600); }
template <std::integral I> constexpr Duration days(I n) { return seconds(SimTime::rep(n) * 86400); }
inline Duration seconds(double s) { return SimTime::from_seconds(s); }
inline Duration milliseconds(double ms) { return SimTime::from_seconds(ms * 1e-3); }

}  // namespace fargatelab
