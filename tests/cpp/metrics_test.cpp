// Streaming statistics: the sketch's relative-error guarantee, merging, confidence intervals.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "fargatelab/metrics.hpp"
#include "fargatelab/random.hpp"

using namespace fargatelab;

TEST_CASE("metrics: sketch quantiles are within the stated relative error of the exact ones", "[metrics]") {
  // 200,000 lognormal latencies spanning several decades; the exact quantile of rank
  // floor(q (n - 1)) from the sorted sample must be within 0.5 % of the estimate.
  RandomStream rs(7, stream_id("sketch"), 0);
  const LogNormal d{std::log(0.05), 1.5};
  QuantileSketch sk(0.005);
  std::vector<double> xs;
  for (int i = 0; i < 200000; ++i) {
    const double x = d.sample(rs);
    xs.push_back(x);
    sk.add(x);
  }
  std::sort(xs.begin(), xs.end());
  for (double q : {0.01, 0.1, 0.5, 0.9, 0.95, 0.99, 0.999}) {
    const double exact = xs[static_cast<std::size_t>(q * (xs.size() - 1))];
    INFO("q=" << q);
    REQUIRE(std::abs(sk.quantile(q) - exact) <= 0.005 * exact * (1 + 1e-12));
  }
  REQUIRE(sk.quantile(0) == xs.front());
  REQUIRE(sk.quantile(1) == xs.back());
  REQUIRE(sk.count() == 200000);
  // Memory: buckets span log(max/min)/log(gamma), not the sample size.
  const double gamma = 1.005 / 0.995;
  REQUIRE(sk.bucket_count() <= static_cast<std::size_t>(std::log(xs.back() / xs.front()) / std::log(gamma)) + 2);
}

TEST_CASE("metrics: merging two sketches equals sketching the union", "[metrics]") {
  QuantileSketch a, b, all;
  for (int i = 1; i <= 1000; ++i) {
    const double x = i * 0.001;
    (i % 3 ? a : b).add(x);
    all.add(x);
  }
  a.merge(b);
  REQUIRE(a.count() == all.count());
  REQUIRE(a.sum() == Approx(all.sum()));
  for (double q : {0.1, 0.5, 0.99}) REQUIRE(a.quantile(q) == all.quantile(q));
  // Exact values for a known set: the median of 0.001..1.000 is rank 499 -> 0.5 within 0.5 %.
  REQUIRE(all.quantile(0.5) == Approx(0.5).epsilon(0.005));
}

TEST_CASE("metrics: an empty sketch has no quantiles, zero is counted", "[metrics]") {
  QuantileSketch s;
  REQUIRE(std::isnan(s.quantile(0.5)));
  s.add(0.0);
  s.add(0.0);
  s.add(2.0);
  REQUIRE(s.quantile(0.5) == 0.0);
  REQUIRE(s.quantile(1.0) == 2.0);
  REQUIRE(s.mean() == Approx(2.0 / 3.0));
}

TEST_CASE("metrics: running stats and Student t half-widths match hand arithmetic", "[metrics]") {
  RunningStats s;
  for (double x : {2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0}) s.add(x);
  REQUIRE(s.mean() == Approx(5.0));
  REQUIRE(s.variance() == Approx(32.0 / 7.0));  // sum of squared deviations 32, n - 1 = 7
  // t_{0.975, 7} = 2.365: half-width = 2.365 * sqrt(32/7/8)
  REQUIRE(confidence_half_width(s, 0.95) == Approx(2.365 * std::sqrt(32.0 / 7.0 / 8.0)));
  REQUIRE(student_t_critical(0.99, 9) == Approx(3.250));
  REQUIRE(student_t_critical(0.95, 100000) == Approx(1.960));
}
