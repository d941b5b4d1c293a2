// Arrival processes: the gap to the next request, drawn from the workload's own stream.
// Registered by name: "poisson(rate=20)", "deterministic(rate=20)".
#pragma once

#include <variant>

#include "fargatelab/random.hpp"
#include "fargatelab/registry.hpp"
#include "fargatelab/time.hpp"

namespace fargatelab::detail {

// Poisson process: exponential gaps with mean 1 / rate (rate in requests per second).
struct PoissonArrivals {
  double rate;
  Duration next_gap(RandomStream& s) const { return SimTime::from_seconds(Exponential{rate}.sample(s)); }
  double mean_rate() const { return rate; }
};

// Evenly spaced arrivals, 1 / rate apart, the first one after one gap.
struct DeterministicArrivals {
  double rate;
  Duration next_gap(RandomStream&) const { return SimTime::from_seconds(1.0 / rate); }
  double mean_rate() const { return rate; }
};

using ArrivalModel = std::variant<PoissonArrivals, DeterministicArrivals>;

inline Duration next_gap(const ArrivalModel& m, RandomStream& s) {
  return std::visit([&](const auto& a) { return a.next_gap(s); }, m);
}
inline double mean_rate(const ArrivalModel& m) {
  return std::visit([](const auto& a) { return a.mean_rate(); }, m);
}

const Registry<ArrivalModel>& arrival_registry();

}  // namespace fargatelab::detail
