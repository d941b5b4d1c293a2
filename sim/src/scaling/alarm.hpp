// A CloudWatch metric alarm (PutMetricAlarm), evaluated on the simulation clock against the
// metrics published so far. Sources: CloudWatch user guide "Using Amazon CloudWatch alarms"
// (alarm states, "Evaluating an alarm", "How alarm state is evaluated when data is missing" and
// its two example tables), PutMetricAlarm API reference.
//
// Evaluation at time t (evaluate()):
//  1. The alarm retrieves the `evaluation range`: the R most recent periods ending at t
//     (MetricSource::last). CloudWatch retrieves "a higher number of data points than specified
//     by Evaluation Periods", a number that "depends on the length of the alarm period" and is
//     not published; its examples retrieve 5 for Evaluation Periods 3, so R defaults to N + 2
//     (AlarmSpec::evaluation_range overrides it).
//  2. If at least N datapoints exist in the range, the N most recent real ones are evaluated and
//     TreatMissingData is not used.
//  3. Otherwise every real datapoint is evaluated and N - (real) missing ones are filled:
//       breaching     -> filled as breaching;      notBreaching -> filled as not breaching;
//       missing/ignore-> not filled: ALARM if at least M real datapoints breach, OK if any real
//                        datapoint does not breach, else (no real datapoint, or too few, all
//                        breaching) INSUFFICIENT_DATA for `missing` and the current state kept
//                        for `ignore`. One exception the guide's first table shows ("X - - - -"):
//                        with `missing`, a breaching datapoint in the oldest period of the range
//                        and no non-breaching one gives ALARM ("because the oldest evaluated data
//                        point is breaching and there aren't any non-breaching data points").
//  4. ALARM if at least M (DatapointsToAlarm) of the N evaluated datapoints breach, else OK.
// A new alarm is INSUFFICIENT_DATA; a metric with no datapoint at all keeps it there (missing).
// Every state change is recorded with CloudWatch's StateReason text, and emitted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fargatelab/signal.hpp"
#include "scaling/metric_math.hpp"

namespace fargatelab::detail {

enum class ComparisonOperator : std::uint8_t { greater, greater_or_equal, less, less_or_equal };
enum class TreatMissingData : std::uint8_t { missing, not_breaching, breaching, ignore };
enum class AlarmState : std::uint8_t { ok, alarm, insufficient_data };

// AWS spellings: "GreaterThanThreshold", "GreaterThanOrEqualToThreshold", "LessThanThreshold",
// "LessThanOrEqualToThreshold"; "missing", "notBreaching", "breaching", "ignore"; "OK",
// "ALARM", "INSUFFICIENT_DATA". The parsers return nullopt for anything else.
const char* to_string(ComparisonOperator c) noexcept;
const char* to_string(TreatMissingData t) noexcept;
const char* to_string(AlarmState s) noexcept;
std::optional<ComparisonOperator> parse_comparison_operator(std::string_view s) noexcept;
std::optional<TreatMissingData> parse_treat_missing_data(std::string_view s) noexcept;
// Whether `value` breaches `threshold` under `c` (GreaterThanThreshold: value > threshold, strictly).
bool breaches(ComparisonOperator c, double value, double threshold) noexcept;
// PutMetricAlarm Period: 10, 20, 30 (high resolution) or a multiple of 60 seconds.
bool valid_alarm_period(Duration p) noexcept;
// An upward alarm (Greater*) fires on high values; the step bounds rules depend on it.
inline bool is_upward(ComparisonOperator c) noexcept {
  return c == ComparisonOperator::greater || c == ComparisonOperator::greater_or_equal;
}

struct AlarmSpec {
  std::string name;                     // AlarmName
  MetricSource metric;                  // its period is the alarm's Period
  int evaluation_periods = 1;           // N >= 1
  std::optional<int> datapoints_to_alarm;  // M in 1..N; nullopt: N (PutMetricAlarm default)
  double threshold = 0;
  ComparisonOperator comparison = ComparisonOperator::greater;
  TreatMissingData treat_missing_data = TreatMissingData::missing;  // PutMetricAlarm default
  std::optional<int> evaluation_range;  // R >= N periods retrieved; nullopt: N + 2 (see above)
  std::vector<std::string> alarm_actions;  // AlarmActions ARNs (a step policy is found through them)

  int m() const noexcept { return datapoints_to_alarm.value_or(evaluation_periods); }
  int range() const noexcept { return evaluation_range.value_or(evaluation_periods + 2); }
  Duration period() const noexcept { return metric.period(); }
};

// One entry of the alarm history (DescribeAlarmHistory, HistoryItemType StateUpdate).
struct AlarmStateChange {
  SimTime at;
  AlarmState from = AlarmState::insufficient_data;
  AlarmState to = AlarmState::insufficient_data;
  std::string reason;  // StateReason, CloudWatch's text
};

class Alarm {
 public:
  explicit Alarm(AlarmSpec spec);

  // Evaluates at `now` (see the header comment), records and emits a state change if any, and
  // returns the new state.
  AlarmState evaluate(const MetricView& metrics, SimTime now);

  const AlarmSpec& spec() const noexcept { return spec_; }
  const std::string& name() const noexcept { return spec_.name; }
  AlarmState state() const noexcept { return state_; }
  // The real datapoints the latest evaluation used, oldest first (at most N; fewer when
  // missing ones were filled). A step policy aggregates these (MetricAggregationType).
  const std::vector<Datapoint>& evaluated() const noexcept { return evaluated_; }
  // How many missing datapoints the latest evaluation filled or lacked (0 when N were real).
  int missing_in_last_evaluation() const noexcept { return missing_; }
  const std::vector<AlarmStateChange>& history() const noexcept { return history_; }

  // mutable: observers (the event log) connect through the const views policies hand out.
  mutable Signal<const Alarm&, const AlarmStateChange&> state_changed;

 private:
  std::string reason(AlarmState to, int breaching, int filled) const;

  AlarmSpec spec_;
  AlarmState state_ = AlarmState::insufficient_data;
  std::vector<Datapoint> evaluated_;
  int missing_ = 0;
  std::vector<AlarmStateChange> history_;
};

// CloudWatch's rendering of a value in a StateReason: "80.0", "72.5", "0.3333333333333333".
std::string cloudwatch_number(double v);
// A datapoint timestamp in a StateReason, on the simulation clock: "(00:02:00)", "(1d 03:00:00)".
std::string cloudwatch_timestamp(SimTime t);

}  // namespace fargatelab::detail
