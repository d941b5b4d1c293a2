// A metric as a scaling policy sees it: one CloudWatch statistic of one metric at one period,
// as a series of datapoints. A period with no datapoint is missing, never zero: a policy (or an
// alarm) that finds too few datapoints has INSUFFICIENT_DATA, as in CloudWatch, and must not
// read it as low load (AAS: "does not interpret insufficient data as low utilization").
#pragma once

#include <compare>
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "fargatelab/time.hpp"

namespace fargatelab::detail {

// CloudWatch statistics (GetMetricData / PutMetricAlarm "Statistic").
enum class Statistic : std::uint8_t { average, sum, minimum, maximum, sample_count };
const char* to_string(Statistic s) noexcept;  // "Average", "Sum", "Minimum", "Maximum", "SampleCount"

// CloudWatch units of the values in a series.
enum class MetricUnit : std::uint8_t {
  percent,           // 0..100 (CPUUtilization: used / reserved vCPU x 100)
  count,             // a number of things (RunningTaskCount, RequestCountPerTarget, messages)
  seconds,           // e.g. ApproximateAgeOfOldestMessage
  count_per_second,  // a rate
  none,              // dimensionless (metric math, e.g. backlog per task)
};
const char* to_string(MetricUnit u) noexcept;  // "Percent", "Count", "Seconds", "Count/Second", "None"

// Which series: namespace, metric name and dimensions identify the metric, as in CloudWatch;
// statistic and period say how its samples are aggregated into datapoints.
struct MetricKey {
  std::string ns;          // "AWS/ECS", "AWS/ApplicationELB", "AWS/SQS", or a custom namespace
  std::string name;        // "CPUUtilization"
  std::string dimensions;  // "ClusterName=default,ServiceName=api" (names in CloudWatch's order)
  Statistic statistic = Statistic::average;
  Duration period = SimTime::from_ns(60'000'000'000);  // > 0: 60 s standard, 10/20/30 s high resolution

  auto operator<=>(const MetricKey&) const = default;
};
// "AWS/ECS CPUUtilization {ClusterName=default,ServiceName=api} Average 60s", for messages.
std::string to_string(const MetricKey& k);

// One datapoint: the statistic over the period [timestamp, timestamp + period). CloudWatch
// stamps a datapoint with the start of its period.
struct Datapoint {
  SimTime timestamp;
  double value = 0;  // in the series' unit
};

// The datapoints of one metric published so far, oldest first, those older than the retention
// dropped (memory stays bounded over long runs).
class MetricSeries {
 public:
  // CloudWatch keeps 60-second datapoints for 15 days (high-resolution ones for 3 hours); 15 days
  // also covers the 14 days predictive scaling looks at (CloudWatch concepts, "Metric retention").
  static constexpr Duration kDefaultRetention = SimTime::from_ns(15LL * 86400 * 1'000'000'000);

  // period: the key's period; retention > 0.
  MetricSeries(MetricKey key, MetricUnit unit, Duration retention = kDefaultRetention);

  const MetricKey& key() const noexcept { return key_; }
  MetricUnit unit() const noexcept { return unit_; }
  Duration period() const noexcept { return key_.period; }
  Duration retention() const noexcept { return retention_; }

  // Adds the datapoint of one period. Contract (std::logic_error otherwise): the timestamp is a
  // multiple of the period counted from t = 0 and later than the newest datapoint's. Publishing
  // is the metric pipeline's job and happens when the datapoint becomes visible (after its
  // period ends plus any publication delay), so the series only ever holds what a policy could
  // have read at the current time. Drops datapoints with timestamp <= newest - retention.
  void publish(Datapoint d);

  const std::deque<Datapoint>& datapoints() const noexcept { return points_; }
  // The newest datapoint, if any.
  std::optional<Datapoint> latest() const;
  // The n periods that end at `end` (rounded down to a period boundary), oldest first:
  // [end - n period, end - (n - 1) period), ..., [end - period, end). Each entry is the
  // datapoint's value, or nullopt where none was published (missing data). n >= 0.
  std::vector<std::optional<double>> last(std::size_t n, SimTime end) const;

 private:
  MetricKey key_;
  MetricUnit unit_;
  Duration retention_;
  std::deque<Datapoint> points_;
};

}  // namespace fargatelab::detail
