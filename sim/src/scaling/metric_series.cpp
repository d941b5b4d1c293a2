#include "scaling/metric_series.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

namespace fargatelab::detail {

const char* to_string(Statistic s) noexcept {
  switch (s) {
    case Statistic::average: return "Average";
    case Statistic::sum: return "Sum";
    case Statistic::minimum: return "Minimum";
    case Statistic::maximum: return "Maximum";
    case Statistic::sample_count: return "SampleCount";
  }
  return "?";
}

const char* to_string(MetricUnit u) noexcept {
  switch (u) {
    case MetricUnit::percent: return "Percent";
    case MetricUnit::count: return "Count";
    case MetricUnit::seconds: return "Seconds";
    case MetricUnit::count_per_second: return "Count/Second";
    case MetricUnit::none: return "None";
  }
  return "?";
}

std::string to_string(const MetricKey& k) {
  return fmt::format("{} {} {{{}}} {} {}s", k.ns, k.name, k.dimensions, to_string(k.statistic), k.period.to_seconds());
}

MetricSeries::MetricSeries(MetricKey key, MetricUnit unit, Duration retention)
    : key_(std::move(key)), unit_(unit), retention_(retention) {
  if (key_.period <= Duration::zero()) throw std::invalid_argument("metric period must be > 0: " + to_string(key_));
  if (retention_ <= Duration::zero()) throw std::invalid_argument("metric retention must be > 0: " + to_string(key_));
}

void MetricSeries::publish(Datapoint d) {
  if (d.timestamp % key_.period != Duration::zero())
    throw std::logic_error(fmt::format("{}: datapoint at {} s is not on a period boundary", to_string(key_),
                                       d.timestamp.to_seconds()));
  if (!points_.empty() && d.timestamp <= points_.back().timestamp)
    throw std::logic_error(fmt::format("{}: datapoint at {} s is not after the newest one ({} s)", to_string(key_),
                                       d.timestamp.to_seconds(), points_.back().timestamp.to_seconds()));
  points_.push_back(d);
  const SimTime oldest_kept = d.timestamp - retention_;
  while (points_.front().timestamp <= oldest_kept) points_.pop_front();
}

std::optional<Datapoint> MetricSeries::latest() const {
  if (points_.empty()) return std::nullopt;
  return points_.back();
}

std::vector<std::optional<double>> MetricSeries::last(std::size_t n, SimTime end) const {
  const Duration p = key_.period;
  const SimTime aligned_end = end - end % p;
  std::vector<std::optional<double>> out(n);
  const SimTime first = aligned_end - p * static_cast<SimTime::rep>(n);
  auto it = std::lower_bound(points_.begin(), points_.end(), first,
                             [](const Datapoint& d, SimTime t) { return d.timestamp < t; });
  for (; it != points_.end() && it->timestamp < aligned_end; ++it)
    out[static_cast<std::size_t>((it->timestamp - first) / p)] = it->value;
  return out;
}

}  // namespace fargatelab::detail
