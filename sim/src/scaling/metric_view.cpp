#include "scaling/metric_view.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace fargatelab::detail {

MetricSeries& MetricStore::series(const MetricKey& key, MetricUnit unit, Duration retention) {
  auto it = series_.find(key);
  if (it == series_.end()) return series_.emplace(key, MetricSeries(key, unit, retention)).first->second;
  if (it->second.unit() != unit)
    throw std::logic_error(fmt::format("{} is published in {}, not {}", to_string(key), to_string(it->second.unit()),
                                       to_string(unit)));
  return it->second;
}

const MetricSeries* MetricStore::find(const MetricKey& key) const {
  const auto it = series_.find(key);
  return it == series_.end() ? nullptr : &it->second;
}

}  // namespace fargatelab::detail
