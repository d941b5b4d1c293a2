// Predictive scaling: history, forecasts and the capacity applied (rules in predictive_policy.hpp).
#include "scaling/predictive_policy.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "scaling/metric_keys.hpp"

namespace fargatelab::detail {

namespace {

constexpr Duration kHour = hours(1);
// Capacities are compared after removing floating-point noise: 4.0000000001 tasks is 4.
constexpr double kCapacityEpsilon = 1e-9;

int capacity_ceil(double tasks) { return static_cast<int>(std::ceil(tasks - kCapacityEpsilon)); }

// The load metric's datapoints at or after `from`: (timestamp, load) through `fn`.
template <class Fn>
void for_each_load(const MetricView& metrics, PredictiveMetric metric, const std::string& service, SimTime from, Fn fn) {
  auto from_it = [from](const MetricSeries& s) {
    return std::lower_bound(s.datapoints().begin(), s.datapoints().end(), from,
                            [](const Datapoint& d, SimTime t) { return d.timestamp < t; });
  };
  if (metric == PredictiveMetric::alb_request_count) {
    const MetricSeries* requests = metrics.find(metric_keys::alb_request_count(service));
    if (!requests) return;
    for (auto it = from_it(*requests); it != requests->datapoints().end(); ++it) fn(it->timestamp, it->value);
    return;
  }
  // Total utilization = the service's average utilization x its running task count, period by period.
  const MetricSeries* average =
      metrics.find(metric_keys::ecs_service(metric == PredictiveMetric::cpu ? "CPUUtilization" : "MemoryUtilization", service));
  const MetricSeries* tasks = metrics.find(metric_keys::running_task_count(service));
  if (!average || !tasks) return;
  auto t = from_it(*tasks);
  for (auto a = from_it(*average); a != average->datapoints().end(); ++a) {
    while (t != tasks->datapoints().end() && t->timestamp < a->timestamp) ++t;
    if (t != tasks->datapoints().end() && t->timestamp == a->timestamp) fn(a->timestamp, a->value * t->value);
  }
}

const char* to_string(PredictiveMetric m) {
  switch (m) {
    case PredictiveMetric::cpu: return "ECSServiceCPUUtilization";
    case PredictiveMetric::memory: return "ECSServiceMemoryUtilization";
    case PredictiveMetric::alb_request_count: return "ALBRequestCount";
  }
  return "?";
}

}  // namespace

PredictivePolicy::PredictivePolicy(PredictiveSettings settings, std::string service)
    : settings_(std::move(settings)), service_(std::move(service)) {
  if (!(settings_.target > 0)) throw std::invalid_argument("predictive scaling needs a TargetValue > 0");
}

std::vector<HourlyLoad> PredictivePolicy::history(const MetricView& metrics, SimTime now) const {
  const SimTime current_hour = now - now % kHour;  // the hour in progress is not history yet
  const SimTime from = std::max(SimTime::zero(), current_hour - PredictiveSettings::kLookBack);
  std::map<SimTime::rep, std::pair<double, int>> sums;  // hour index -> (sum, count)
  for_each_load(metrics, settings_.metric, service_, from, [&](SimTime t, double load) {
    if (t >= current_hour) return;
    auto& [sum, n] = sums[t / kHour];
    sum += load;
    ++n;
  });
  std::vector<HourlyLoad> out;
  out.reserve(sums.size());
  for (const auto& [hour, sn] : sums) out.push_back({static_cast<double>(hour), sn.first / sn.second});
  return out;
}

bool PredictivePolicy::refresh(const MetricView& metrics, SimTime now) {
  const std::vector<HourlyLoad> h = history(metrics, now);
  if (static_cast<SimTime::rep>(h.size()) < PredictiveSettings::kMinHistory / kHour) return false;
  const auto model = SeasonalForecaster::fit(h, settings_.forecaster);
  if (!model) return false;
  latest_ = forecasts_.size();
  const SimTime first = now - now % kHour;
  for (SimTime hour = first; hour < first + PredictiveSettings::kHorizon; hour += kHour) {
    const double load = model->forecast(static_cast<double>(hour / kHour));
    forecasts_.push_back({now, hour, load, load / settings_.target});
  }
  return true;
}

const ForecastPoint* PredictivePolicy::point_at(SimTime t) const {
  if (latest_ >= forecasts_.size()) return nullptr;
  const SimTime hour = t - t % kHour;
  const SimTime first = forecasts_[latest_].hour;
  if (hour < first) return nullptr;
  const auto i = latest_ + static_cast<std::size_t>((hour - first) / kHour);
  return i < forecasts_.size() ? &forecasts_[i] : nullptr;
}

Recommendation PredictivePolicy::evaluate(const MetricView& metrics, const TargetState& target) {
  if (!next_refresh_ || target.now >= *next_refresh_) {
    if (refresh(metrics, target.now)) next_refresh_ = target.now + PredictiveSettings::kRefresh;
  }
  if (settings_.mode == PredictiveMode::forecast_only) return Recommendation::abstain();
  // The capacity of an hour applies from SchedulingBufferTime before it starts.
  const ForecastPoint* p = point_at(target.now + settings_.scheduling_buffer);
  if (!p) return Recommendation::abstain();
  int capacity = capacity_ceil(p->capacity);
  std::optional<int> raised_max;
  if (settings_.breach == MaxCapacityBreach::increase && capacity > target.limits.max)
    raised_max = capacity_ceil(p->capacity * (1 + settings_.max_capacity_buffer / 100));
  else
    capacity = std::min(capacity, target.limits.max);
  Recommendation r = Recommendation::at_least(
      capacity, fmt::format("predictive scaling policy {} ({}): forecast load {:.6g} / target {:.6g} = {:.6g} tasks for the "
                            "hour starting at {} s, applied {} s ahead",
                            settings_.policy_name, to_string(settings_.metric), p->load, settings_.target, p->capacity,
                            p->hour.to_seconds(), settings_.scheduling_buffer.to_seconds()));
  r.max_capacity = raised_max;
  return r;
}

ScalingPolicySpec predictive_policy_spec(PredictiveSettings settings) {
  return ScalingPolicySpec{[settings](const PolicyContext& ctx) { return std::make_unique<PredictivePolicy>(settings, ctx.service); },
                           std::nullopt};
}

void add_predictive_policy(Registry<ScalingPolicySpec>& r) {
  r.add({"predictive",
         "AAS predictive scaling: an hourly 48 h load forecast (seasonal regression on daily and weekly cycles) made every "
         "6 h from up to 14 days of history (at least 24 h); capacity = load / target",
         {{"metric", ParamType::string, true, nullptr, {}, {}, false,
           "metric pair: cpu (ECSServiceCPUUtilization), memory (ECSServiceMemoryUtilization) or alb_request_count (ALBRequestCount)"},
          {"target", ParamType::number, true, nullptr, 0.0, {}, true,
           "TargetValue: % per task (cpu, memory) or requests per task per minute (alb_request_count)"},
          {"mode", ParamType::string, false, "forecast_only", {}, {}, false, "forecast_only (AWS default) or forecast_and_scale"},
          {"scheduling_buffer", ParamType::duration, false, 300, 0.0, 3600.0, false,
           "SchedulingBufferTime: how long before each hour its capacity applies (AWS default 300 s, < 3600 s)"},
          {"max_capacity_breach", ParamType::string, false, "honor", {}, {}, false,
           "honor (HonorMaxCapacity, AWS default) or increase (IncreaseMaxCapacity)"},
          {"max_capacity_buffer", ParamType::number, false, 0, 0.0, 100.0, false,
           "MaxCapacityBuffer: % of the forecast the maximum may be raised above it (increase only)"},
          {"daily_harmonics", ParamType::integer, false, 4, 0.0, 11.0, false, "Fourier pairs of the 24 h cycle (ours)"},
          {"weekly_harmonics", ParamType::integer, false, 2, 0.0, 3.0, false,
           "Fourier pairs of the 7-day cycle, used once the history spans a week (ours)"}}},
        [](const Params& p, Problems& problems) -> std::optional<ScalingPolicySpec> {
          PredictiveSettings s;
          const std::string metric = p.string("metric"), mode = p.string("mode"), breach = p.string("max_capacity_breach");
          if (metric == "cpu") s.metric = PredictiveMetric::cpu;
          else if (metric == "memory") s.metric = PredictiveMetric::memory;
          else if (metric == "alb_request_count") s.metric = PredictiveMetric::alb_request_count;
          else problems.push_back(fmt::format("metric: expected cpu, memory or alb_request_count, got \"{}\"", metric));
          if (mode == "forecast_and_scale") s.mode = PredictiveMode::forecast_and_scale;
          else if (mode != "forecast_only")
            problems.push_back(fmt::format("mode: expected forecast_only or forecast_and_scale, got \"{}\"", mode));
          if (breach == "increase") s.breach = MaxCapacityBreach::increase;
          else if (breach != "honor")
            problems.push_back(fmt::format("max_capacity_breach: expected honor or increase, got \"{}\"", breach));
          s.target = p.number("target");
          s.scheduling_buffer = p.duration("scheduling_buffer");
          if (s.scheduling_buffer >= hours(1)) problems.push_back("scheduling_buffer: must be less than 3600 s, as on AWS");
          s.max_capacity_buffer = p.number("max_capacity_buffer");
          if (s.max_capacity_buffer > 0 && s.breach != MaxCapacityBreach::increase)
            problems.push_back("max_capacity_buffer: only applies with max_capacity_breach=increase");
          s.forecaster.daily_harmonics = static_cast<int>(p.integer("daily_harmonics"));
          s.forecaster.weekly_harmonics = static_cast<int>(p.integer("weekly_harmonics"));
          if (!problems.empty()) return std::nullopt;
          return predictive_policy_spec(std::move(s));
        });
}

}  // namespace fargatelab::detail
