// The forecaster behind predictive scaling. AWS does not publish its algorithm ("predictive
// scaling uses machine learning"), so this is a documented stand-in with AWS's inputs and
// outputs: hourly load history in, hourly load forecast out.
//
// Model: ordinary least squares of the hourly load on a constant and Fourier terms of the daily
// and weekly cycles (harmonic regression, e.g. Hyndman & Athanasopoulos, "Forecasting:
// Principles and Practice", 3rd ed., section 7.4 "Fourier series"):
//   load(h) = b0 + sum_{k=1..Kd} [a_k sin(2 pi k h / 24) + c_k cos(2 pi k h / 24)]
//                + sum_{k=1..Kw} [d_k sin(2 pi k h / 168) + e_k cos(2 pi k h / 168)]
// with h the hour's midpoint in hours (any origin: sine and cosine fit any phase; an hour's mean is the cycle's
// value at its midpoint, scaled, so a pure sine is fitted exactly). The weekly terms are used
// only once the history spans a whole week (with less, a weekly cycle cannot be told from a
// trend); no trend term, so a forecast 48 h out never runs away. Forecasts below 0 are 0 (a
// load is never negative). Solved with Eigen's column-pivoting Householder QR, deterministic.
// Defaults Kd = 4 (periods 24, 12, 8 and 6 h: a morning and an evening peak) and Kw = 2;
// neither is an AWS number.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include <Eigen/Dense>

namespace fargatelab::detail {

struct HourlyLoad {
  double hour = 0;  // the hour's start, in whole hours on some clock (the simulation's)
  double load = 0;  // the mean of the load metric's datapoints in that hour
};

struct SeasonalForecasterSettings {
  int daily_harmonics = 4;   // Kd >= 0
  int weekly_harmonics = 2;  // Kw >= 0 (1..3: harmonic 7 of a week is the daily cycle)
};

class SeasonalForecaster {
 public:
  // Fits the model to `history` (any order, one entry per hour with data). nullopt when there
  // are no more observations than coefficients (nothing to fit).
  static std::optional<SeasonalForecaster> fit(std::span<const HourlyLoad> history, SeasonalForecasterSettings settings = {});

  // The mean load forecast for the hour starting at `hour` (same clock as the history), >= 0.
  double forecast(double hour) const;
  // How many coefficients were fitted (1 + 2 Kd, + 2 Kw when the weekly terms are used).
  int coefficients() const noexcept { return static_cast<int>(beta_.size()); }
  bool uses_weekly_terms() const noexcept { return weekly_ > 0; }

 private:
  SeasonalForecaster(int daily, int weekly) : daily_(daily), weekly_(weekly) {}
  // The design row of the hour starting at `hour`.
  Eigen::RowVectorXd row(double hour) const;

  int daily_ = 0, weekly_ = 0;
  Eigen::VectorXd beta_;
};

}  // namespace fargatelab::detail
