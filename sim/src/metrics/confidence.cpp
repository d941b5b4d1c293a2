#include <cmath>
#include <stdexcept>

#include "fargatelab/metrics.hpp"

namespace fargatelab {

// Two-sided critical values of Student's t distribution, df = 1..30, then 40, 60, 120 and the
// normal limit. Values are the standard table (e.g. NIST/SEMATECH e-Handbook of Statistical
// Methods, table 1.3.6.7.2), to 3 decimals.
double student_t_critical(double level, std::uint64_t df) {
  static const double t95[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                               2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                               2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  static const double t99[] = {63.657, 9.925, 5.841, 4.604, 4.032, 3.707, 3.499, 3.355, 3.250, 3.169,
                               3.106,  3.055, 3.012, 2.977, 2.947, 2.921, 2.898, 2.878, 2.861, 2.845,
                               2.831,  2.819, 2.807, 2.797, 2.787, 2.779, 2.771, 2.763, 2.756, 2.750};
  const bool is95 = std::abs(level - 0.95) < 1e-12;
  if (!is95 && std::abs(level - 0.99) > 1e-12) throw std::invalid_argument("confidence level must be 0.95 or 0.99");
  if (df == 0) return std::numeric_limits<double>::quiet_NaN();
  if (df <= 30) return is95 ? t95[df - 1] : t99[df - 1];
  // Beyond 30: the table's 40, 60, 120 and infinity rows (conservative: use the next lower df).
  if (df < 40) return is95 ? 2.042 : 2.750;
  if (df < 60) return is95 ? 2.021 : 2.704;
  if (df < 120) return is95 ? 2.000 : 2.660;
  if (df < 1000) return is95 ? 1.980 : 2.617;
  return is95 ? 1.960 : 2.576;
}

double confidence_half_width(const RunningStats& s, double level) {
  if (s.count() < 2) return std::numeric_limits<double>::quiet_NaN();
  return student_t_critical(level, s.count() - 1) * std::sqrt(s.variance() / static_cast<double>(s.count()));
}

}  // namespace fargatelab
