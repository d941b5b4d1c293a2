// The CloudWatch metric pipeline of one replication: metric sources turn the model's state into
// one datapoint per period, and each datapoint becomes readable (is published into the
// MetricStore that alarms and policies read) a publication delay after its period ends. It
// observes and never changes the model.
//
// Contract
//  * Periods are aligned on multiples of the key's period from t = 0, as CloudWatch aligns
//    them on the clock; a datapoint is stamped with its period's start (metric_series.hpp).
//  * A period closes at its end, at Priority::late (after the model's events of that instant),
//    and its datapoint is published at end + publication_delay at Priority::urgent (before the
//    alarms and policies that evaluate at that instant, which run at Priority::late). With a
//    zero delay it is published at once, when the period closes; start the pipeline before the
//    evaluators so that, at the same instant, closing comes first.
//  * A source that has no datapoint for a period (no running task, no request through an ALB)
//    returns nullopt: the period is missing in the series, never a zero.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "fargatelab/engine.hpp"
#include "fargatelab/signal.hpp"
#include "scaling/metric_view.hpp"

namespace fargatelab::detail {

struct CloudWatchSettings {
  // From the end of a datapoint's period to when alarms and Application Auto Scaling can read
  // it. AWS does not publish it. Default 60 s: scale-outs are reported to start 3 to 5 minutes
  // after a load step with the 3-of-3 one-minute AlarmHigh of target tracking (openillumi.com,
  // "Instant ECS Scaling", 2025; aws/copilot-cli #3376, comment of 2023-09-20: "3 min up"), i.e.
  // 0 to 2 minutes beyond the three datapoints; 60 s is the middle of that range.
  Duration publication_delay = SimTime::from_ns(60'000'000'000);
};

// One metric's producer. close(start, end) is called once per period [start, end), at `end`,
// and returns the period's value in the series' unit, or nullopt when CloudWatch would have no
// datapoint. Sources keep what they need between calls (counters at the previous close).
class DatapointSource {
 public:
  virtual ~DatapointSource() = default;
  virtual std::optional<double> close(SimTime start, SimTime end) = 0;
};

class CloudWatch {
 public:
  CloudWatch(Simulation& sim, MetricStore& store, CloudWatchSettings settings = {});
  CloudWatch(const CloudWatch&) = delete;
  CloudWatch& operator=(const CloudWatch&) = delete;
  ~CloudWatch();

  // Publishes `key` (its period > 0) from `source`. One source per key: std::logic_error if the
  // key is added twice. Sources of one period close in the order added.
  void add(const MetricKey& key, MetricUnit unit, std::unique_ptr<DatapointSource> source);
  bool publishes(const MetricKey& key) const;
  // Closes the first period of each key at the first multiple of its period after now.
  void start();

  const CloudWatchSettings& settings() const noexcept { return settings_; }
  std::uint64_t datapoints_published() const noexcept { return published_count_; }
  std::size_t metrics() const noexcept { return metrics_.size(); }
  const std::vector<MetricKey>& keys() const noexcept { return metrics_; }  // in the order added

  // Each datapoint as it becomes readable (time series outputs listen).
  Signal<const MetricSeries&, const Datapoint&> published;

 private:
  struct Metric {
    MetricSeries* series;
    std::unique_ptr<DatapointSource> source;
  };
  // The metrics of one period, closed by one timer.
  struct Period {
    CloudWatch* owner;
    Duration period;
    std::vector<Metric> metrics;
    TimerId timer;
    void close();
  };
  struct Pending {
    SimTime due;
    MetricSeries* series;
    Datapoint point;
  };
  void publish(MetricSeries& series, const Datapoint& d);
  void publish_due();

  Simulation& sim_;
  MetricStore& store_;
  CloudWatchSettings settings_;
  std::vector<std::unique_ptr<Period>> periods_;  // by first use; stable addresses for the timers
  std::vector<MetricKey> metrics_;
  std::deque<Pending> pending_;  // in due order: the delay is the same for every datapoint
  std::uint64_t published_count_ = 0;
};

}  // namespace fargatelab::detail
