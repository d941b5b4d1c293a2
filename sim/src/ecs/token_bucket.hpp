// A token bucket with continuous refill and FIFO reservations that may borrow from the future.
//
// Used for the account's Fargate task-launch rate (burst 100, refill 20/s: ECS "Request
// throttling", aws-facts B.5), a service's launch rate (500 tasks per service per minute,
// aws-facts B.5) and a host's microVM creation rate (burst 1).
//
// Exact arithmetic: the refill rate is held as a fraction n / P (n tokens per P nanoseconds,
// found from the double by continued fractions, e.g. 20/s = 20 per 1e9 ns, 500/60 s = 25 per
// 3e9 ns) and the level in units of 1/P token, so refill is n units per nanosecond and every
// computation is in integers. With burst B and rate r, N reservations at t = 0 get time 0 for
// the first B and ceil-to-ns((k - B) / r) for the k-th, k > B, exactly.
#pragma once

#include <cstdint>

#include "fargatelab/time.hpp"

namespace fargatelab::detail {

__extension__ typedef __int128 WideInt;  // level arithmetic: products of rates and times exceed 64 bits

class TokenBucket {
 public:
  // burst: capacity in tokens, >= 1 (the bucket starts full); refill_per_second: tokens per
  // second, in (0, 1e9]. Throws std::invalid_argument otherwise.
  TokenBucket(double burst, double refill_per_second);

  // Takes one token and returns the earliest time >= now at which it is available. A token not
  // yet refilled is borrowed: the level goes negative and every later reservation queues
  // behind (FIFO). `now` must not go backwards between calls (std::invalid_argument).
  SimTime reserve(SimTime now);
  // The time reserve(now) would return, without reserving.
  SimTime available_at(SimTime now) const;
  // Tokens in the bucket at `now` (negative while reservations are waiting for refills).
  double tokens(SimTime now) const;

  double burst() const noexcept { return burst_; }
  double refill_per_second() const noexcept { return rate_; }

 private:
  WideInt level_at(SimTime now) const;  // in units of 1/P token
  SimTime wait_until(SimTime now, WideInt level_after) const;

  double burst_, rate_;
  std::int64_t per_ns_ = 1;  // n: units refilled per nanosecond
  WideInt unit_ = 1;         // P: units per token (the refill period in ns)
  WideInt capacity_ = 1;     // burst * P
  WideInt level_ = 1;        // level at last_
  SimTime last_;             // time of the last reservation (meaningful once started_)
  bool started_ = false;
};

}  // namespace fargatelab::detail
