// Harmonic regression on the daily and weekly cycles (model in seasonal_forecaster.hpp).
#include "scaling/seasonal_forecaster.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace fargatelab::detail {

namespace {
constexpr double kDayHours = 24;
constexpr double kWeekHours = 168;
}  // namespace

std::optional<SeasonalForecaster> SeasonalForecaster::fit(std::span<const HourlyLoad> history,
                                                          SeasonalForecasterSettings settings) {
  if (history.empty()) return std::nullopt;
  const auto [lo, hi] = std::minmax_element(history.begin(), history.end(),
                                            [](const HourlyLoad& a, const HourlyLoad& b) { return a.hour < b.hour; });
  const bool whole_week = hi->hour + 1 - lo->hour >= kWeekHours;
  SeasonalForecaster f(std::max(0, settings.daily_harmonics), whole_week ? std::max(0, settings.weekly_harmonics) : 0);
  const int k = 1 + 2 * f.daily_ + 2 * f.weekly_;
  const auto n = static_cast<Eigen::Index>(history.size());
  if (n <= k) return std::nullopt;
  Eigen::MatrixXd x(n, k);
  Eigen::VectorXd y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    x.row(i) = f.row(history[static_cast<std::size_t>(i)].hour);
    y(i) = history[static_cast<std::size_t>(i)].load;
  }
  f.beta_ = x.colPivHouseholderQr().solve(y);
  return f;
}

Eigen::RowVectorXd SeasonalForecaster::row(double hour) const {
  Eigen::RowVectorXd r(1 + 2 * daily_ + 2 * weekly_);
  const double mid = hour + 0.5;  // reduced modulo each period below, for accuracy far from 0
  Eigen::Index c = 0;
  r(c++) = 1;
  for (int k = 1; k <= daily_; ++k) {
    const double w = 2 * std::numbers::pi * k * std::fmod(mid, kDayHours) / kDayHours;
    r(c++) = std::sin(w);
    r(c++) = std::cos(w);
  }
  for (int k = 1; k <= weekly_; ++k) {
    const double w = 2 * std::numbers::pi * k * std::fmod(mid, kWeekHours) / kWeekHours;
    r(c++) = std::sin(w);
    r(c++) = std::cos(w);
  }
  return r;
}

double SeasonalForecaster::forecast(double hour) const { return std::max(0.0, row(hour).dot(beta_)); }

}  // namespace fargatelab::detail
