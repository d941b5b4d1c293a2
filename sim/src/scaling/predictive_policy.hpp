// Predictive scaling (AAS PutScalingPolicy, PolicyType PredictiveScaling) for an ECS service.
//
// AWS's rules (AAS user guide "How predictive scaling works"; API
// PredictiveScalingPolicyConfiguration; aws-facts-2 1.5, aws-facts D.1):
//  * a forecast needs at least 24 h of metric history and looks at up to the last 14 days;
//  * it is an hourly forecast of the load for the next 48 h, made again every 6 h;
//  * capacity forecast = load forecast / TargetValue (the scaling metric's target per task):
//      ECSServiceCPUUtilization    load = ECSServiceTotalCPUUtilization (the tasks' CPU % summed
//                                  = service Average CPUUtilization x RunningTaskCount),
//                                  target = average CPU % per task;
//      ECSServiceMemoryUtilization the same with MemoryUtilization;
//      ALBRequestCount             load = the target group's RequestCount per minute, target =
//                                  ALBRequestCountPerTarget (requests per task per minute);
//  * Mode ForecastOnly (the default) only forecasts; ForecastAndScale also scales, out only ("If
//    the forecast expects a decrease in load, predictive scaling will not scale in"): the
//    capacity of an hour applies from SchedulingBufferTime (default 300 s, < 3600) before the
//    hour starts, and is a floor under the other policies' scale-in (AWS takes the larger of the
//    predictive and the dynamic capacity);
//  * MaxCapacityBreachBehavior HonorMaxCapacity (default) caps the capacity at MaxCapacity;
//    IncreaseMaxCapacity lets it exceed MaxCapacity up to forecast x (1 + MaxCapacityBuffer/100)
//    (the API's example: buffer 10, forecast 50, max 40 -> effective max 55), and raises the
//    target's maximum when it does.
// The forecaster is seasonal_forecaster.hpp (AWS's own is not public). Hourly buckets are hours
// of the simulation clock (clock hours when the scenario starts on the hour); an hour's load is
// the mean of its datapoints; only complete hours are history; "24 h of history" is 24 hours
// with data. Until the first forecast exists the policy tries again at every evaluation.
//
// The forecasts are an output: forecasts() holds every hourly point of every forecast made
// (GetPredictiveScalingForecast's LoadForecast and CapacityForecast), for plotting.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "scaling/scaling_registry.hpp"
#include "scaling/seasonal_forecaster.hpp"

namespace fargatelab::detail {

enum class PredictiveMetric { cpu, memory, alb_request_count };
enum class PredictiveMode { forecast_only, forecast_and_scale };
enum class MaxCapacityBreach { honor, increase };

struct PredictiveSettings {
  // AWS's fixed rules (not settable on AWS either).
  static constexpr Duration kMinHistory = hours(24);
  static constexpr Duration kLookBack = days(14);
  static constexpr Duration kHorizon = hours(48);
  static constexpr Duration kRefresh = hours(6);

  std::string policy_name = "predictive";
  PredictiveMetric metric = PredictiveMetric::cpu;
  double target = 0;  // TargetValue > 0: % per task (cpu, memory) or requests per task per minute
  PredictiveMode mode = PredictiveMode::forecast_only;
  Duration scheduling_buffer = seconds(300);  // SchedulingBufferTime, [0, 3600)
  MaxCapacityBreach breach = MaxCapacityBreach::honor;
  double max_capacity_buffer = 0;  // MaxCapacityBuffer, percent of the forecast, [0, 100]
  SeasonalForecasterSettings forecaster;
};

// One hour of one forecast.
struct ForecastPoint {
  SimTime made_at;    // when the forecast was made
  SimTime hour;       // the hour's start
  double load = 0;    // mean load forecast for the hour (the load metric's unit)
  double capacity = 0;  // load / target, tasks (not rounded; the policy applies its ceiling)
};

class PredictivePolicy final : public ScalingPolicy {
 public:
  // settings.target > 0; `service`: the ECS service whose metrics are read (metric_keys).
  PredictivePolicy(PredictiveSettings settings, std::string service);

  Recommendation evaluate(const MetricView& metrics, const TargetState& target) override;

  const PredictiveSettings& settings() const noexcept { return settings_; }
  // Every forecast point made so far, forecast by forecast, hours in order (48 per forecast).
  const std::vector<ForecastPoint>& forecasts() const noexcept { return forecasts_; }
  // The hourly load history a forecast made at `now` would use (complete hours with data).
  std::vector<HourlyLoad> history(const MetricView& metrics, SimTime now) const;

 private:
  bool refresh(const MetricView& metrics, SimTime now);
  // The latest forecast's point for the hour containing `t`, if it covers it.
  const ForecastPoint* point_at(SimTime t) const;

  PredictiveSettings settings_;
  std::string service_;
  std::optional<SimTime> next_refresh_;
  std::vector<ForecastPoint> forecasts_;
  std::size_t latest_ = 0;  // index in forecasts_ of the latest forecast's first point
};

// The registry's product for checked settings: a fresh PredictivePolicy per target, on the
// target's evaluation period (predictive capacity changes hourly; 60 s is ample).
ScalingPolicySpec predictive_policy_spec(PredictiveSettings settings);

// Registers "predictive(metric=cpu, target=50, mode=forecast_and_scale, ...)".
void add_predictive_policy(Registry<ScalingPolicySpec>& r);

}  // namespace fargatelab::detail
