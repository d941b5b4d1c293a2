// Out-of-line parts of fargatelab/random.hpp: bounded integers, named streams, the normal
// quantile, the gamma sampler and the empirical (piecewise-uniform) distribution.
// Only <cmath> and our own code: std::*_distribution differs between standard libraries
// (architecture practice 7).
#include "fargatelab/random.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace fargatelab {

namespace {
__extension__ typedef unsigned __int128 u128;  // GCC/Clang extension; silences -Wpedantic
}  // namespace

// ---------------------------------------------------------------------------------------------
// RandomStream

// Lemire, "Fast random integer generation in an interval" (ACM TOMACS 2019): the high half of
// x * n is uniform on [0, n) once the products whose low half falls below 2^64 mod n are
// rejected. The division (for 2^64 mod n) is only computed when a rejection is possible.
std::uint64_t RandomStream::below(std::uint64_t n) noexcept {
  std::uint64_t x = next_u64();
  u128 m = static_cast<u128>(x) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    while (low < threshold) {
      x = next_u64();
      m = static_cast<u128>(x) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

// ---------------------------------------------------------------------------------------------
// RandomStreams

RandomStream RandomStreams::stream(std::string_view name) {
  const std::uint32_t id = stream_id(name);
  const auto [it, inserted] = names_.try_emplace(id, name);
  if (!inserted && it->second != name) {
    throw std::logic_error(fmt::format(
        "random streams \"{}\" and \"{}\" have the same stream id {:#010x}; rename one of them",
        it->second, name, id));
  }
  return RandomStream(seed_, id, replication_);
}

// ---------------------------------------------------------------------------------------------
// Normal quantile: M. J. Wichura, "Algorithm AS 241: The percentage points of the normal
// distribution", Applied Statistics 37(3), 1988, 477-484 (PPND16, about 1e-16 relative).

double normal_quantile(double p) noexcept {
  if (std::isnan(p)) return p;
  if (p <= 0.0) return -std::numeric_limits<double>::infinity();
  if (p >= 1.0) return std::numeric_limits<double>::infinity();

  const double q = p - 0.5;
  if (std::fabs(q) <= 0.425) {
    const double r = 0.180625 - q * q;
    const double num =
        (((((((2.5090809287301226727e+3 * r + 3.3430575583588128105e+4) * r + 6.7265770927008700853e+4) * r +
             4.5921953931549871457e+4) * r + 1.3731693765509461125e+4) * r + 1.9715909503065514427e+3) * r +
          1.3314166789178437745e+2) * r + 3.3871328727963666080e+0);
    const double den =
        (((((((5.2264952788528545610e+3 * r + 2.8729085735721942674e+4) * r + 3.9307895800092710610e+4) * r +
             2.1213794301586595867e+4) * r + 5.3941960214247511077e+3) * r + 6.8718700749205790830e+2) * r +
          4.2313330701600911252e+1) * r + 1.0);
    return q * num / den;
  }

  double r = q < 0.0 ? p : 1.0 - p;
  r = std::sqrt(-std::log(r));
  double value;
  if (r <= 5.0) {
    r -= 1.6;
    const double num =
        (((((((7.74545014278341407640e-4 * r + 2.27238449892691845833e-2) * r + 2.41780725177450611770e-1) * r +
             1.27045825245236838258e+0) * r + 3.64784832476320460504e+0) * r + 5.76949722146069140550e+0) * r +
          4.63033784615654529590e+0) * r + 1.42343711074968357734e+0);
    const double den =
        (((((((1.05075007164441684324e-9 * r + 5.47593808499534494600e-4) * r + 1.51986665636164571966e-2) * r +
             1.48103976427480074590e-1) * r + 6.89767334985100004550e-1) * r + 1.67638483018380384940e+0) * r +
          2.05319162663775882187e+0) * r + 1.0);
    value = num / den;
  } else {
    r -= 5.0;
    const double num =
        (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 1.24266094738807843860e-3) * r +
             2.65321895265761230930e-2) * r + 2.96560571828504891230e-1) * r + 1.78482653991729133580e+0) * r +
          5.46378491116411436990e+0) * r + 6.65790464350110377720e+0);
    const double den =
        (((((((2.04426310338993978564e-15 * r + 1.42151175831644588870e-7) * r + 1.84631831751005468180e-5) * r +
             7.86869131145613259100e-4) * r + 1.48753612908506148525e-2) * r + 1.36929880922735805310e-1) * r +
          5.99832206555887937690e-1) * r + 1.0);
    value = num / den;
  }
  return q < 0.0 ? -value : value;
}

// ---------------------------------------------------------------------------------------------
// Parametric distributions

LogNormal LogNormal::from_mean_sd(double mean, double sd) noexcept {
  // E[X] = exp(mu + sigma^2/2), Var[X] = (exp(sigma^2) - 1) E[X]^2.
  const double cv = sd / mean;
  const double sigma2 = std::log1p(cv * cv);
  return LogNormal{std::log(mean) - 0.5 * sigma2, std::sqrt(sigma2)};
}

// G. Marsaglia and W. W. Tsang, "A simple method for generating gamma variables",
// ACM TOMS 26(3), 2000. For shape k < 1: Gamma(k) = Gamma(k + 1) * U^(1/k).
double Gamma::sample(RandomStream& s) const noexcept {
  const bool boost = shape < 1.0;
  const double k = boost ? shape + 1.0 : shape;
  const double d = k - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  const Normal standard{0.0, 1.0};
  double x, v;
  for (;;) {
    x = standard.sample(s);
    v = 1.0 + c * x;
    if (v <= 0.0) continue;
    v = v * v * v;
    const double u = s.uniform_pos();
    const double x2 = x * x;
    if (u < 1.0 - 0.0331 * x2 * x2) break;                         // cheap squeeze
    if (std::log(u) < 0.5 * x2 + d * (1.0 - v + std::log(v))) break;  // exact test
  }
  double g = d * v;
  if (boost) g *= std::pow(s.uniform_pos(), 1.0 / shape);
  return g * scale;
}

double Weibull::variance() const noexcept {
  const double g1 = std::tgamma(1.0 + 1.0 / shape);
  const double g2 = std::tgamma(1.0 + 2.0 / shape);
  return scale * scale * (g2 - g1 * g1);
}

double Pareto::mean() const noexcept {
  if (alpha <= 1.0) return std::numeric_limits<double>::infinity();
  return alpha * xm / (alpha - 1.0);
}

double Pareto::variance() const noexcept {
  if (alpha <= 2.0) return std::numeric_limits<double>::infinity();
  const double am1 = alpha - 1.0;
  return xm * xm * alpha / (am1 * am1 * (alpha - 2.0));
}

// ---------------------------------------------------------------------------------------------
// Empirical

Empirical Empirical::from_histogram(std::vector<double> edges, const std::vector<double>& weights) {
  if (edges.size() < 2) {
    throw std::invalid_argument(
        fmt::format("empirical histogram: need at least 2 bin edges, got {}", edges.size()));
  }
  if (weights.size() != edges.size() - 1) {
    throw std::invalid_argument(fmt::format(
        "empirical histogram: {} edges need {} weights (one per bin), got {}", edges.size(),
        edges.size() - 1, weights.size()));
  }
  for (std::size_t i = 0; i < edges.size(); ++i) {
    if (!std::isfinite(edges[i])) {
      throw std::invalid_argument(fmt::format("empirical histogram: edge {} is not finite ({})", i, edges[i]));
    }
    if (i > 0 && !(edges[i] > edges[i - 1])) {
      throw std::invalid_argument(fmt::format(
          "empirical histogram: edges must be strictly increasing, but edge {} ({:g}) <= edge {} ({:g})", i,
          edges[i], i - 1, edges[i - 1]));
    }
  }
  double total = 0.0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (!(weights[i] >= 0.0) || !std::isfinite(weights[i])) {
      throw std::invalid_argument(
          fmt::format("empirical histogram: weight {} must be finite and >= 0, got {:g}", i, weights[i]));
    }
    total += weights[i];
  }
  if (!(total > 0.0)) {
    throw std::invalid_argument("empirical histogram: the weights sum to 0; at least one bin needs weight > 0");
  }
  Empirical e;
  e.edges = std::move(edges);
  e.cum.resize(weights.size());
  double partial = 0.0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    partial += weights[i];
    e.cum[i] = partial / total;  // non-decreasing: partial sums of non-negative terms
  }
  e.cum.back() = 1.0;
  return e;
}

Empirical Empirical::from_sample(std::vector<double> sample) {
  if (sample.size() < 2) {
    throw std::invalid_argument(
        fmt::format("empirical sample: need at least 2 values, got {}", sample.size()));
  }
  for (std::size_t i = 0; i < sample.size(); ++i) {
    if (!std::isfinite(sample[i])) {
      throw std::invalid_argument(fmt::format("empirical sample: value {} is not finite ({})", i, sample[i]));
    }
  }
  std::sort(sample.begin(), sample.end());
  if (!(sample.back() > sample.front())) {
    throw std::invalid_argument(fmt::format(
        "empirical sample: need at least 2 distinct values, all {} values equal {:g}", sample.size(),
        sample.front()));
  }
  // Linearly interpolated ECDF through the order statistics x_(1) <= ... <= x_(n): each of the
  // n - 1 gaps has probability 1/(n-1); a repeated value is a zero-width bin (an atom).
  const std::size_t bins = sample.size() - 1;
  Empirical e;
  e.edges = std::move(sample);
  e.cum.resize(bins);
  for (std::size_t i = 0; i < bins; ++i) e.cum[i] = static_cast<double>(i + 1) / static_cast<double>(bins);
  e.cum.back() = 1.0;
  return e;
}

double Empirical::sample(RandomStream& s) const noexcept {
  const double u = s.uniform01();  // [0, 1) and cum.back() == 1, so a bin is always found
  const auto i = static_cast<std::size_t>(std::upper_bound(cum.begin(), cum.end(), u) - cum.begin());
  const double lo = i == 0 ? 0.0 : cum[i - 1];  // lo <= u < cum[i]: the bin has probability > 0
  const double frac = (u - lo) / (cum[i] - lo);
  return edges[i] + (edges[i + 1] - edges[i]) * frac;
}

double Empirical::mean() const noexcept {
  double m = 0.0, lo = 0.0;
  for (std::size_t i = 0; i < cum.size(); ++i) {
    m += (cum[i] - lo) * 0.5 * (edges[i] + edges[i + 1]);
    lo = cum[i];
  }
  return m;
}

double Empirical::variance() const noexcept {
  // Uniform on [a, b] about m: E[(X - m)^2] = (A^2 + A B + B^2) / 3 with A = a - m, B = b - m.
  const double m = mean();
  double v = 0.0, lo = 0.0;
  for (std::size_t i = 0; i < cum.size(); ++i) {
    const double a = edges[i] - m, b = edges[i + 1] - m;
    v += (cum[i] - lo) * (a * a + a * b + b * b) / 3.0;
    lo = cum[i];
  }
  return v;
}

// ---------------------------------------------------------------------------------------------
// Distribution

// Kind and parameter names are those of the scenario-file registry (random/distribution_registry),
// so the description of a parametric distribution reads back as the same distribution (to the
// 6 significant digits of {:g}). An empirical one only reports its number of bins.
std::string Distribution::describe() const {
  return std::visit(
      [](const auto& d) -> std::string {
        using D = std::decay_t<decltype(d)>;
        if constexpr (std::is_same_v<D, Constant>) {
          return fmt::format("constant(value={:g})", d.value);
        } else if constexpr (std::is_same_v<D, Uniform>) {
          return fmt::format("uniform(low={:g},high={:g})", d.low, d.high);
        } else if constexpr (std::is_same_v<D, Exponential>) {
          return fmt::format("exponential(rate={:g})", d.rate);
        } else if constexpr (std::is_same_v<D, Normal>) {
          return fmt::format("normal(mean={:g},sd={:g})", d.mu, d.sigma);
        } else if constexpr (std::is_same_v<D, LogNormal>) {
          return fmt::format("lognormal(mu={:g},sigma={:g})", d.mu, d.sigma);
        } else if constexpr (std::is_same_v<D, Gamma>) {
          return fmt::format("gamma(shape={:g},scale={:g})", d.shape, d.scale);
        } else if constexpr (std::is_same_v<D, Weibull>) {
          return fmt::format("weibull(shape={:g},scale={:g})", d.shape, d.scale);
        } else if constexpr (std::is_same_v<D, Pareto>) {
          return fmt::format("pareto(scale={:g},alpha={:g})", d.xm, d.alpha);
        } else if constexpr (std::is_same_v<D, Bernoulli>) {
          return fmt::format("bernoulli(p={:g})", d.p);
        } else {
          static_assert(std::is_same_v<D, Empirical>, "Distribution::describe: unhandled alternative");
          return fmt::format("empirical(bins={})", d.cum.size());
        }
      },
      v_);
}

}  // namespace fargatelab
