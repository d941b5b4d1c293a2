// Arrival processes: when a workload's next request arrives, drawn from the workload's own
// stream (practice 7). Registered by name (practice 10), e.g. "poisson(rate=20)",
// "diurnal(mean=30, amplitude=0.6)", "trace(file=counts.csv, time_scale=0.01)",
// "schedule(expression=\"cron(0 9 * * ? *)\", count=5)"; see
// arrival_registry() in arrivals.cpp for every model and parameter.
//
// Contract of next_arrival(m, now, s): t >= now is the next arrival time, or
// SimTime::infinity() when the process has ended (a trace past its last row). Time t is
// simulated time since the run start (warm-up included), so a time-varying rate is a function
// of it. Models keep state (a trace cursor, an MMPP phase), so calls must come with
// non-decreasing `now`, normally the previous arrival or the run start. Dispatch is a
// std::visit on the variant (no virtual call) and no call allocates.
#pragma once

#include <cstdint>
#include <variant>
#include <vector>

#include "scenario/schedule_expression.hpp"
#include "fargatelab/random.hpp"
#include "fargatelab/registry.hpp"
#include "fargatelab/time.hpp"

namespace fargatelab::detail {

// t + seconds (>= 0), or SimTime::infinity() past the representable range (~292 years).
SimTime time_after(SimTime t, double seconds);

// Poisson process: exponential gaps with mean 1 / rate (per second); one Exponential draw
// per arrival.
class PoissonArrivals {
 public:
  explicit PoissonArrivals(double rate) : rate_(rate) {}
  SimTime next(SimTime now, RandomStream& s) const { return time_after(now, Exponential{rate_}.sample(s)); }

 private:
  double rate_;
};

// Evenly spaced arrivals 1 / rate apart, the first one gap after the start. No draws.
class DeterministicArrivals {
 public:
  explicit DeterministicArrivals(double rate) : rate_(rate) {}
  SimTime next(SimTime now, RandomStream&) const { return time_after(now, 1.0 / rate_); }

 private:
  double rate_;
};

// Position in a sequence of consecutive segments: segment `index` is [start, start + length).
struct SegmentCursor {
  std::size_t index = 0;
  SimTime start = SimTime::zero();
};

// Non-homogeneous Poisson process with a piecewise-constant rate: rates[k] per second during
// durations[k], from time 0. After the last duration the schedule repeats (repeat) or ends (no
// more arrivals); given one duration fewer than rates, the last rate holds forever instead.
// Exact, by inversion of the integrated rate: one Exp(1) draw per arrival is the area under the
// rate up to the next arrival, a time change of a unit-rate Poisson process (Cinlar 1975,
// "Introduction to Stochastic Processes", ch. 4). Also serves `step`.
class PiecewiseArrivals {
 public:
  // Preconditions (checked by the registry): rates >= 0; durations >= 0 with
  // durations.size() in {rates.size(), rates.size() - 1}; repeat only with equal sizes and
  // some rate > 0 (the cycle then has positive mass).
  PiecewiseArrivals(std::vector<double> rates, std::vector<Duration> durations, bool repeat);
  SimTime next(SimTime now, RandomStream& s);

  // The schedule, as the inversion reads it.
  std::size_t segment_count() const noexcept { return durations_.size(); }
  Duration segment_length(std::size_t k) const noexcept { return durations_[k]; }
  double segment_rate(std::size_t k) const noexcept { return rates_[k]; }
  bool repeats() const noexcept { return repeat_; }
  double tail_rate() const noexcept { return tail_rate_; }      // per second after the schedule
  double cycle_mass() const noexcept { return cycle_mass_; }    // expected arrivals per cycle
  Duration cycle_length() const noexcept { return cycle_length_; }

 private:
  std::vector<double> rates_;
  std::vector<Duration> durations_;
  bool repeat_;
  double tail_rate_ = 0.0;
  double cycle_mass_ = 0.0;
  Duration cycle_length_;
  SegmentCursor cursor_;
};

// Non-homogeneous Poisson process whose rate is linear between knots (times[i], rates[i]),
// rates[0] before the first knot and rates.back() after the last (the flash crowd). Exact, by
// thinning (Lewis & Shedler 1979, "Simulation of nonhomogeneous Poisson processes by
// thinning", Naval Res. Logistics Quart. 26(3)) segment by segment against the larger end
// rate, restarting at each knot; constant segments accept without a draw.
class PiecewiseLinearArrivals {
 public:
  // Preconditions: times non-decreasing, same size as rates (>= 1), rates >= 0.
  PiecewiseLinearArrivals(std::vector<SimTime> times, std::vector<double> rates);
  SimTime next(SimTime now, RandomStream& s);
  double rate_at(SimTime t) const noexcept;  // per second

 private:
  std::vector<SimTime> times_;
  std::vector<double> rates_;
  std::size_t index_ = 0;  // current segment: 0 is before times_[0], i is [times_[i-1], times_[i])
};

// Daily (or any period) cycle: rate(t) = mean * (1 + amplitude * cos(2 pi (t - peak_at) / period))
// per second, amplitude in [0, 1], so the mean over a period is `mean`. With noise > 0 the rate
// in each noise_interval-long slice of time is multiplied by a factor drawn (when the slice is
// first reached) from a lognormal of mean 1 and standard deviation `noise`: a doubly stochastic
// (Cox) process whose expected rate is still rate(t). Exact, by thinning against the slice's
// maximum mean * (1 + amplitude) * factor (Lewis & Shedler 1979).
class DiurnalArrivals {
 public:
  DiurnalArrivals(double mean, double amplitude, Duration period, Duration peak_at, double noise,
                  Duration noise_interval);
  SimTime next(SimTime now, RandomStream& s);
  double rate_at(SimTime t) const noexcept;  // per second, without noise

 private:
  double mean_;
  double amplitude_;
  Duration period_;
  Duration peak_at_;
  double noise_;
  LogNormal noise_factor_;
  Duration noise_interval_;
  std::int64_t slice_ = -1;  // noise slice whose factor_ has been drawn
  double factor_ = 1.0;
};

// Markov-modulated Poisson process: in state i arrivals come at rates[i] per second and the
// state is left at rate leave[i] per second (exponential sojourn, mean 1 / leave[i]) for state
// i + 1, cyclically; state 0 at the first call. Exact: both clocks are memoryless, so an
// arrival candidate past the phase end is dropped and drawn again in the next phase. Long-run
// rate sum(r_i / s_i) / sum(1 / s_i).
class MmppArrivals {
 public:
  // Preconditions: equal sizes >= 1, rates >= 0 with some > 0, leave > 0.
  MmppArrivals(std::vector<double> rates, std::vector<double> leave);
  SimTime next(SimTime now, RandomStream& s);

 private:
  std::vector<double> rates_;
  std::vector<double> leave_;
  std::size_t state_ = 0;
  SimTime phase_end_;
  bool started_ = false;
};

// How a trace row's arrivals are placed inside its interval.
enum class TraceSpread {
  poisson,  // a Poisson process at count / interval: the count is the mean, not exact
  uniform,  // exactly the (scaled) count, at independent uniform positions
};

// Replay of per-interval arrival counts: row k covers [k L, (k + 1) L) of simulated time,
// L = interval * time_scale, and carries counts[k] * rate_scale arrivals (poisson: in
// expectation; uniform: floor(S_k) - floor(S_{k-1}) with S_k the scaled running sum, so the
// total never drifts and rate_scale = 1 reproduces every count exactly). After the last row the
// process ends. Uniform positions are drawn in order as successive minima of the remaining
// uniforms, one draw per arrival and no storage (Devroye 1986, "Non-Uniform Random Variate
// Generation", ch. V). Serves `trace` and `azure_functions`; rows are in trace time order.
class TraceArrivals {
 public:
  // Preconditions: interval > 0, rate_scale > 0.
  TraceArrivals(std::vector<std::uint32_t> counts, Duration interval, double rate_scale, TraceSpread spread);
  SimTime next(SimTime now, RandomStream& s);

  std::size_t segment_count() const noexcept { return counts_.size(); }
  Duration segment_length(std::size_t) const noexcept { return interval_; }
  double segment_rate(std::size_t k) const noexcept { return counts_[k] * per_second_; }
  bool repeats() const noexcept { return false; }
  double tail_rate() const noexcept { return 0.0; }
  double cycle_mass() const noexcept { return 0.0; }
  Duration cycle_length() const noexcept { return Duration::zero(); }

  const std::vector<std::uint32_t>& counts() const noexcept { return counts_; }
  Duration interval() const noexcept { return interval_; }

 private:
  SimTime next_uniform(SimTime now, RandomStream& s);
  void load_row();  // left_ for row cursor_.index (uniform spread)

  std::vector<std::uint32_t> counts_;
  Duration interval_;
  double rate_scale_;
  double per_second_;  // rate_scale / interval in seconds: row rate per count
  TraceSpread spread_;
  SegmentCursor cursor_;
  // uniform spread: arrivals left in the current row, position of the last one (ns from the
  // row start), running scaled sum up to and including the current row
  std::uint64_t left_ = 0;
  double position_ = 0.0;
  double scaled_sum_ = 0.0;
};

// Scheduled events (an EventBridge rule, e.g. a cron job sending work to a service): at every fire
// time of an EventBridge schedule expression, `count` arrivals at exactly that instant, in order.
// The schedule is created at simulated time 0, which is Unix time start_unix (set_start_unix), so
// simulated time t is Unix time start_unix + t: rate(5 minutes) fires at 300 s, 600 s, ...; a cron
// fires on its matching UTC minutes strictly after start_unix (ScheduleExpression::next_after with
// anchor start_unix). A cursor holds the current fire time and how many of its arrivals were
// returned: each call returns the next of them (so calls with now == that fire time return it
// again until `count` are used), then the next fire. A fire time already passed (< now) is
// skipped with its remaining arrivals. The process ends (infinity) when the schedule has no more
// fires (none after 2199, e.g. a cron whose years are past) or the next fire is beyond SimTime's
// range. No draws; no allocation.
class ScheduleArrivals {
 public:
  static constexpr int max_count = 100000;

  // Throws std::invalid_argument unless 1 <= count <= max_count (the registry checks it first).
  ScheduleArrivals(ScheduleExpression expr, int count);
  // Unix seconds (UTC) of simulated time 0, 0 until called. Call it before the first next():
  // it restarts the cursor.
  void set_start_unix(std::int64_t start_unix_seconds) noexcept;
  SimTime next(SimTime now, RandomStream& s);

  const ScheduleExpression& expression() const noexcept { return expr_; }
  int count() const noexcept { return count_; }
  std::int64_t start_unix() const noexcept { return start_unix_; }

 private:
  ScheduleExpression expr_;
  int count_;
  std::int64_t start_unix_ = 0;
  // cursor: the current fire (Unix seconds and simulated time) and arrivals returned at it
  bool loaded_ = false;
  bool ended_ = false;
  std::int64_t fire_unix_ = 0;
  SimTime fire_ = SimTime::zero();
  int used_ = 0;
};

using ArrivalModel = std::variant<PoissonArrivals, DeterministicArrivals, PiecewiseArrivals, PiecewiseLinearArrivals,
                                  DiurnalArrivals, MmppArrivals, TraceArrivals, ScheduleArrivals>;

inline SimTime next_arrival(ArrivalModel& m, SimTime now, RandomStream& s) {
  return std::visit([&](auto& a) { return a.next(now, s); }, m);
}

// poisson, deterministic, piecewise, step, diurnal, flash_crowd, mmpp, trace, azure_functions,
// schedule.
// Trace factories read their file once, here; an unreadable file, a missing column or a bad
// value is a Problem (a validation error at the arrival's JSON pointer).
const Registry<ArrivalModel>& arrival_registry();

}  // namespace fargatelab::detail
