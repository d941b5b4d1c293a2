// What a scaling policy may read at an evaluation: the metric series published so far, by key.
// The metric pipeline (CloudWatch's role) writes them into a MetricStore; policies and alarms
// only read, through MetricView, so a policy can never see a datapoint before it would have
// been published, nor change one.
#pragma once

#include <map>

#include "scaling/metric_series.hpp"

namespace fargatelab::detail {

class MetricView {
 public:
  virtual ~MetricView() = default;
  // The series with this key, or nullptr if nothing publishes it (a policy then has
  // INSUFFICIENT_DATA, exactly as for a series with no recent datapoint).
  virtual const MetricSeries* find(const MetricKey& key) const = 0;
};

// The series of one replication. References returned by series() stay valid for its lifetime.
class MetricStore final : public MetricView {
 public:
  // The series with this key, created empty on first use. Throws std::logic_error if it exists
  // with another unit (two publishers disagree about what the values mean).
  MetricSeries& series(const MetricKey& key, MetricUnit unit, Duration retention = MetricSeries::kDefaultRetention);
  const MetricSeries* find(const MetricKey& key) const override;
  std::size_t size() const noexcept { return series_.size(); }

 private:
  std::map<MetricKey, MetricSeries> series_;
};

}  // namespace fargatelab::detail
