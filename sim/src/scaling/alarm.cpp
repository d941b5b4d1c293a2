#include "scaling/alarm.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace fargatelab::detail {
namespace {

const char* relation(ComparisonOperator c) noexcept {
  switch (c) {
    case ComparisonOperator::greater: return "greater than";
    case ComparisonOperator::greater_or_equal: return "greater than or equal to";
    case ComparisonOperator::less: return "less than";
    case ComparisonOperator::less_or_equal: return "less than or equal to";
  }
  return "?";
}

const char* plural(int n) noexcept { return n == 1 ? "" : "s"; }
const char* was_were(int n) noexcept { return n == 1 ? "was" : "were"; }

}  // namespace

const char* to_string(ComparisonOperator c) noexcept {
  switch (c) {
    case ComparisonOperator::greater: return "GreaterThanThreshold";
    case ComparisonOperator::greater_or_equal: return "GreaterThanOrEqualToThreshold";
    case ComparisonOperator::less: return "LessThanThreshold";
    case ComparisonOperator::less_or_equal: return "LessThanOrEqualToThreshold";
  }
  return "?";
}

const char* to_string(TreatMissingData t) noexcept {
  switch (t) {
    case TreatMissingData::missing: return "missing";
    case TreatMissingData::not_breaching: return "notBreaching";
    case TreatMissingData::breaching: return "breaching";
    case TreatMissingData::ignore: return "ignore";
  }
  return "?";
}

const char* to_string(AlarmState s) noexcept {
  switch (s) {
    case AlarmState::ok: return "OK";
    case AlarmState::alarm: return "ALARM";
    case AlarmState::insufficient_data: return "INSUFFICIENT_DATA";
  }
  return "?";
}

std::optional<ComparisonOperator> parse_comparison_operator(std::string_view s) noexcept {
  for (auto c : {ComparisonOperator::greater, ComparisonOperator::greater_or_equal, ComparisonOperator::less,
                 ComparisonOperator::less_or_equal})
    if (s == to_string(c)) return c;
  return std::nullopt;
}

std::optional<TreatMissingData> parse_treat_missing_data(std::string_view s) noexcept {
  for (auto t : {TreatMissingData::missing, TreatMissingData::not_breaching, TreatMissingData::breaching,
                 TreatMissingData::ignore})
    if (s == to_string(t)) return t;
  return std::nullopt;
}

bool breaches(ComparisonOperator c, double value, double threshold) noexcept {
  switch (c) {
    case ComparisonOperator::greater: return value > threshold;
    case ComparisonOperator::greater_or_equal: return value >= threshold;
    case ComparisonOperator::less: return value < threshold;
    case ComparisonOperator::less_or_equal: return value <= threshold;
  }
  return false;
}

bool valid_alarm_period(Duration p) noexcept {
  const double s = p.to_seconds();
  return s == 10 || s == 20 || s == 30 || (s >= 60 && std::fmod(s, 60) == 0);
}

std::string cloudwatch_number(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{:.1f}", v);
  return fmt::format("{}", v);
}

std::string cloudwatch_timestamp(SimTime t) {
  const auto s = static_cast<long long>(std::floor(t.to_seconds()));
  const long long d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60, sec = s % 60;
  if (d > 0) return fmt::format("({}d {:02}:{:02}:{:02})", d, h, m, sec);
  return fmt::format("({:02}:{:02}:{:02})", h, m, sec);
}

Alarm::Alarm(AlarmSpec spec) : spec_(std::move(spec)) {
  if (spec_.evaluation_periods < 1) throw std::invalid_argument(spec_.name + ": EvaluationPeriods must be >= 1");
  if (spec_.m() < 1 || spec_.m() > spec_.evaluation_periods)
    throw std::invalid_argument(spec_.name + ": DatapointsToAlarm must be within 1..EvaluationPeriods");
  if (spec_.range() < spec_.evaluation_periods)
    throw std::invalid_argument(spec_.name + ": the evaluation range must be >= EvaluationPeriods");
}

AlarmState Alarm::evaluate(const MetricView& metrics, SimTime now) {
  const int n = spec_.evaluation_periods, m = spec_.m();
  const Duration p = spec_.period();
  const auto values = spec_.metric.last(metrics, static_cast<std::size_t>(spec_.range()), now);
  const SimTime first = (now - now % p) - p * static_cast<SimTime::rep>(values.size());
  std::vector<Datapoint> real;
  for (std::size_t i = 0; i < values.size(); ++i)
    if (values[i]) real.push_back({first + p * static_cast<SimTime::rep>(i), *values[i]});
  // Step 2: enough real datapoints -> the N most recent.
  if (static_cast<int>(real.size()) > n) real.erase(real.begin(), real.end() - n);
  const int have = static_cast<int>(real.size());
  int breaching = 0;
  for (const auto& d : real) breaching += breaches(spec_.comparison, d.value, spec_.threshold);
  const int not_breaching = have - breaching;
  missing_ = n - have;
  evaluated_ = real;

  AlarmState next = state_;
  int filled = 0;  // missing datapoints counted as breaching (breaching) or not (notBreaching)
  if (missing_ == 0 || spec_.treat_missing_data == TreatMissingData::not_breaching) {
    filled = missing_;
    next = breaching >= m ? AlarmState::alarm : AlarmState::ok;
  } else if (spec_.treat_missing_data == TreatMissingData::breaching) {
    filled = missing_;
    next = breaching + filled >= m ? AlarmState::alarm : AlarmState::ok;
  } else if (breaching >= m) {
    next = AlarmState::alarm;
  } else if (not_breaching > 0) {
    next = AlarmState::ok;
  } else if (spec_.treat_missing_data == TreatMissingData::missing) {
    const bool oldest_breaching = !values.empty() && values.front() && breaching > 0;
    next = oldest_breaching ? AlarmState::alarm : AlarmState::insufficient_data;
  }  // ignore: the current state is kept

  if (next != state_) {
    AlarmStateChange change{now, state_, next, reason(next, breaching, filled)};
    state_ = next;
    history_.push_back(change);
    state_changed.emit(*this, history_.back());
  }
  return state_;
}

std::string Alarm::reason(AlarmState to, int breaching, int filled) const {
  const int n = spec_.evaluation_periods, m = spec_.m();
  if (to == AlarmState::insufficient_data) return fmt::format("Insufficient Data: {} datapoint{} {} unknown.", missing_, plural(missing_), was_were(missing_));
  const bool alarm = to == AlarmState::alarm;
  const char* fill_name = spec_.treat_missing_data == TreatMissingData::breaching ? "Breaching" : "NonBreaching";
  const std::string transition =
      fmt::format("(minimum {} datapoint{} for {} -> {} transition)", alarm ? m : n - m + 1, plural(alarm ? m : n - m + 1),
                  to_string(state_), to_string(to));
  if (evaluated_.empty())
    return fmt::format("Threshold Crossed: no datapoints were received for {} period{} and {} missing datapoint{} {} treated as [{}].",
                       n, plural(n), filled, plural(filled), was_were(filled), fill_name);
  // The datapoints on the side of the new state, newest first, as CloudWatch lists them.
  std::vector<std::string> listed;
  for (auto it = evaluated_.rbegin(); it != evaluated_.rend(); ++it)
    if (breaches(spec_.comparison, it->value, spec_.threshold) == alarm)
      listed.push_back(cloudwatch_number(it->value) + " " + cloudwatch_timestamp(it->timestamp));
  const int k = alarm ? breaching : static_cast<int>(evaluated_.size()) - breaching;
  std::string out = fmt::format("Threshold Crossed: {} out of the last {} datapoints [{}] {} {}{} the threshold ({})", k,
                                n, fmt::join(listed, ", "), was_were(k), alarm ? "" : "not ", relation(spec_.comparison),
                                cloudwatch_number(spec_.threshold));
  if (filled > 0) out += fmt::format(" and {} missing datapoint{} {} treated as [{}]", filled, plural(filled), was_were(filled), fill_name);
  return out + " " + transition + ".";
}

}  // namespace fargatelab::detail
