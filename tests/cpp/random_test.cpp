// Tests for fargatelab/random.hpp: the Philox generator against the published known answers,
// named streams (reproducible, independent, collisions refused), and every distribution against
// moments derived by hand (architecture practice 13).
//
// Statistical checks use a fixed seed, so they are deterministic; the thresholds say how
// surprising a failure would be for a correct implementation:
//   * moments: |sample - theory| <= 4.5 standard errors. P(|Z| > 4.5) = 6.8e-6 two-sided, i.e.
//     each check has confidence 1 - 7e-6 (normal approximation, n = 10^6);
//   * correlation between streams: |r| < 4/sqrt(n) (|Z| > 4: 6.3e-5 two-sided);
//   * chi-square for below(): critical value 27.877 for 9 degrees of freedom at 0.999.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "fargatelab/random.hpp"

using namespace fargatelab;

namespace {

constexpr std::size_t kN = 1'000'000;
constexpr double kZ = 4.5;  // standard errors allowed; confidence 1 - 6.8e-6 per check
const double kPi = std::acos(-1.0);

// Theoretical moments: mean, variance and fourth central moment mu4 = E[(X - mean)^4].
struct Moments {
  double mean, variance, mu4;
};

// Central moments from raw moments E[X], E[X^2], E[X^3], E[X^4].
Moments from_raw(double e1, double e2, double e3, double e4) {
  const double m = e1;
  return {m, e2 - m * m, e4 - 4 * m * e3 + 6 * m * m * e2 - 3 * m * m * m * m};
}

struct SampleStats {
  double mean, variance;  // variance with the n - 1 denominator
};

SampleStats stats_of(const std::vector<double>& x) {
  double sum = 0.0;
  for (double v : x) sum += v;
  const double m = sum / static_cast<double>(x.size());
  double ss = 0.0;
  for (double v : x) ss += (v - m) * (v - m);
  return {m, ss / static_cast<double>(x.size() - 1)};
}

std::vector<double> draw(const Distribution& d, RandomStream s, std::size_t n = kN) {
  std::vector<double> x(n);
  for (auto& v : x) v = d.sample(s);
  return x;
}

// Sample mean within kZ * sqrt(var/n) of the theory; sample variance within
// kZ * sqrt((mu4 - var^2)/n), the standard error of the sample variance.
void check_sample_moments(const std::vector<double>& x, const Moments& theory, const std::string& what) {
  const auto n = static_cast<double>(x.size());
  const SampleStats st = stats_of(x);
  const double se_mean = std::sqrt(theory.variance / n);
  const double se_var = std::sqrt((theory.mu4 - theory.variance * theory.variance) / n);
  const double z_mean = (st.mean - theory.mean) / se_mean;
  const double z_var = (st.variance - theory.variance) / se_var;
  INFO(what << ": mean " << st.mean << " (theory " << theory.mean << ", z " << z_mean << "), variance "
            << st.variance << " (theory " << theory.variance << ", z " << z_var << ")");
  CHECK(std::fabs(st.mean - theory.mean) <= kZ * se_mean);
  CHECK(std::fabs(st.variance - theory.variance) <= kZ * se_var);
}

// The analytic mean()/variance() equal the hand formulas, and a sample of 10^6 agrees with them.
void check_distribution(const Distribution& d, const Moments& theory) {
  INFO(d.describe());
  CHECK(d.mean() == Approx(theory.mean).epsilon(1e-12));
  CHECK(d.variance() == Approx(theory.variance).epsilon(1e-12));
  // Each distribution draws from its own stream, so the checks are independent of each other.
  RandomStreams streams(kDefaultSeed);
  check_sample_moments(draw(d, streams.stream(d.describe())), theory, d.describe());
}

std::vector<std::uint64_t> first_u64(RandomStream s, std::size_t n) {
  std::vector<std::uint64_t> out(n);
  for (auto& v : out) v = s.next_u64();
  return out;
}

double correlation(RandomStream a, RandomStream b, std::size_t n) {
  double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = a.uniform01(), y = b.uniform01();
    sa += x;
    sb += y;
    saa += x * x;
    sbb += y * y;
    sab += x * y;
  }
  const double dn = static_cast<double>(n);
  const double cov = sab / dn - (sa / dn) * (sb / dn);
  const double va = saa / dn - (sa / dn) * (sa / dn);
  const double vb = sbb / dn - (sb / dn) * (sb / dn);
  return cov / std::sqrt(va * vb);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Generator and streams

// Random123 1.14 tests/kat_vectors, the "philox4x32 10" lines: counter[4] key[2] -> output[4].
static_assert(philox4x32_10({0, 0, 0, 0}, {0, 0}) == PhiloxBlock{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8});

TEST_CASE("random: philox4x32-10 reproduces the Random123 known-answer vectors", "[random]") {
  CHECK(philox4x32_10({0, 0, 0, 0}, {0, 0}) == PhiloxBlock{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8});
  CHECK(philox4x32_10({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff}) ==
        PhiloxBlock{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd});
  CHECK(philox4x32_10({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0}) ==
        PhiloxBlock{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1});
}

TEST_CASE("random: a stream is philox over the counter (block, replication, stream id) keyed by the seed",
          "[random]") {
  const std::uint64_t seed = 0x0123456789abcdefULL;
  RandomStream s(seed, 0xdeadbeef, 7);
  const PhiloxKey key{0x89abcdef, 0x01234567};
  const PhiloxBlock b0 = philox4x32_10({0, 0, 7, 0xdeadbeef}, key);
  const PhiloxBlock b1 = philox4x32_10({1, 0, 7, 0xdeadbeef}, key);
  CHECK(s.blocks_used() == 0);
  for (std::uint32_t w : b0) CHECK(s.next_u32() == w);
  CHECK(s.blocks_used() == 1);
  // next_u64 takes the high word first.
  CHECK(s.next_u64() == ((std::uint64_t{b1[0]} << 32) | b1[1]));
  CHECK(s.next_u64() == ((std::uint64_t{b1[2]} << 32) | b1[3]));
  CHECK(s.blocks_used() == 2);
}

TEST_CASE("random: the same seed, name and replication give the same sequence", "[random]") {
  RandomStreams a(42, 3), b(42, 3);
  CHECK(first_u64(a.stream("arrivals"), 1000) == first_u64(b.stream("arrivals"), 1000));
  // Asking for the same name again is fine and restarts the sequence at block 0.
  RandomStream first = a.stream("arrivals");
  first.next_u64();
  first.next_u64();
  first.next_u64();
  RandomStream again = a.stream("arrivals");
  CHECK(again.blocks_used() == 0);
  CHECK(first_u64(again, 1000) == first_u64(b.stream("arrivals"), 1000));
  // Copying a stream forks it: both copies continue identically.
  RandomStream copy = first;
  CHECK(first_u64(copy, 100) == first_u64(first, 100));
}

TEST_CASE("random: a different name, seed or replication gives a different sequence", "[random]") {
  const auto base = first_u64(RandomStreams(42, 3).stream("arrivals"), 64);
  CHECK(first_u64(RandomStreams(42, 3).stream("service"), 64) != base);
  CHECK(first_u64(RandomStreams(43, 3).stream("arrivals"), 64) != base);
  CHECK(first_u64(RandomStreams(42, 4).stream("arrivals"), 64) != base);
  // The seed's high half is part of the key too.
  CHECK(first_u64(RandomStreams(42 + (std::uint64_t{1} << 32), 3).stream("arrivals"), 64) != base);
}

TEST_CASE("random: creating and consuming other streams does not change a stream's sequence", "[random]") {
  RandomStreams alone(kDefaultSeed);
  const auto expected = first_u64(alone.stream("arrivals"), 1000);

  RandomStreams busy(kDefaultSeed);
  RandomStream platform = busy.stream("platform");
  for (int i = 0; i < 10'000; ++i) platform.next_u64();
  RandomStream arrivals = busy.stream("arrivals");
  RandomStream other = busy.stream("cold_start");
  std::vector<std::uint64_t> got;
  for (int i = 0; i < 1000; ++i) {
    got.push_back(arrivals.next_u64());
    other.next_u64();      // interleaved draws from another stream
    platform.below(1000);  // and from one created earlier
  }
  CHECK(got == expected);
}

TEST_CASE("random: two streams are uncorrelated", "[random]") {
  // |r| < 4/sqrt(n): under independence r is approximately N(0, 1/n).
  const double bound = 4.0 / std::sqrt(static_cast<double>(kN));  // 0.004
  RandomStreams streams(kDefaultSeed);
  const double r_names = correlation(streams.stream("arrivals"), streams.stream("service"), kN);
  CAPTURE(r_names, bound);
  CHECK(std::fabs(r_names) < bound);
  const double r_reps = correlation(RandomStreams(kDefaultSeed, 0).stream("arrivals"),
                                    RandomStreams(kDefaultSeed, 1).stream("arrivals"), kN);
  CAPTURE(r_reps);
  CHECK(std::fabs(r_reps) < bound);
}

TEST_CASE("random: two different names with the same stream id are refused", "[random]") {
  // Found by brute force over "stream0", "stream1", ...: the first repeated 32-bit FNV-1a value
  // (0x9ae2d4ef) is shared by "stream82028" and "stream1225486".
  constexpr std::string_view a = "stream82028", b = "stream1225486";
  static_assert(stream_id(a) == stream_id(b));
  static_assert(stream_id(a) == 0x9ae2d4efu);
  RandomStreams streams(kDefaultSeed);
  CHECK_NOTHROW(streams.stream(a));
  CHECK_NOTHROW(streams.stream(a));  // the same name twice is fine
  CHECK_THROWS_AS(streams.stream(b), std::logic_error);
  CHECK_THROWS_WITH(streams.stream(b), Catch::Contains("stream82028") && Catch::Contains("stream1225486"));
  // Another RandomStreams (another scenario) has its own registry.
  RandomStreams fresh(kDefaultSeed);
  CHECK_NOTHROW(fresh.stream(b));
}

TEST_CASE("random: below(n) is uniform on [0, n)", "[random]") {
  RandomStreams streams(kDefaultSeed);
  RandomStream s = streams.stream("below");
  constexpr std::uint64_t kBins = 10;
  std::array<double, kBins> count{};
  for (std::size_t i = 0; i < kN; ++i) {
    const std::uint64_t k = s.below(kBins);
    REQUIRE(k < kBins);
    count[k] += 1;
  }
  const double expected = static_cast<double>(kN) / kBins;  // 10^5 per bin
  double chi2 = 0.0;
  for (double c : count) chi2 += (c - expected) * (c - expected) / expected;
  CAPTURE(chi2);
  CHECK(chi2 < 27.877);  // chi-square, 9 degrees of freedom, 0.999 quantile

  for (int i = 0; i < 1000; ++i) CHECK(s.below(1) == 0);
  // Large bounds, where rejection matters: 2^63 + 1 rejects almost half of the raw values.
  const std::uint64_t big = (std::uint64_t{1} << 63) + 1;
  std::size_t upper = 0;
  for (int i = 0; i < 10'000; ++i) {
    const std::uint64_t k = s.below(big);
    REQUIRE(k < big);
    upper += (k >> 63) != 0 ? 1 : 0;  // k == 2^63
  }
  // P(k >= 2^63) = 1/(2^63 + 1): essentially never.
  CHECK(upper <= 1);
  for (int i = 0; i < 1000; ++i) CHECK(s.below(~std::uint64_t{0}) < ~std::uint64_t{0});
}

// ---------------------------------------------------------------------------------------------
// Normal quantile

TEST_CASE("random: normal_quantile matches reference values to 1e-12", "[random]") {
  // Reference values: the root of log Phi(z) = log p, solved with mpmath at 50 digits.
  CHECK(normal_quantile(0.5) == 0.0);
  CHECK(normal_quantile(0.975) == Approx(1.959963984540054).epsilon(1e-12));
  CHECK(normal_quantile(0.025) == Approx(-1.959963984540054).epsilon(1e-12));
  CHECK(normal_quantile(0.1) == Approx(-1.281551565544600).epsilon(1e-12));
  CHECK(normal_quantile(0.3) == Approx(-0.5244005127080408).epsilon(1e-12));
  CHECK(normal_quantile(0.9999) == Approx(3.719016485455681).epsilon(1e-12));
  CHECK(normal_quantile(1e-10) == Approx(-6.361340902404056).epsilon(1e-12));
  CHECK(normal_quantile(1e-300) == Approx(-37.04709629936120).epsilon(1e-12));
  CHECK(normal_quantile(0.8413447460685429) == Approx(1.0).epsilon(1e-12));  // Phi(1)
}

TEST_CASE("random: normal_quantile is odd, infinite at 0 and 1, and inverts Phi", "[random]") {
  CHECK(normal_quantile(0.0) == -std::numeric_limits<double>::infinity());
  CHECK(normal_quantile(-0.5) == -std::numeric_limits<double>::infinity());
  CHECK(normal_quantile(1.0) == std::numeric_limits<double>::infinity());
  CHECK(normal_quantile(2.0) == std::numeric_limits<double>::infinity());
  CHECK(std::isnan(normal_quantile(std::numeric_limits<double>::quiet_NaN())));
  for (double p : {0.25, 0.125, 0.0625, 0.03125, 0.01, 0.075, 1e-5}) {
    // 1 - p is exact for these p (or off by far less than the tolerance).
    CHECK(normal_quantile(1.0 - p) == Approx(-normal_quantile(p)).epsilon(1e-12));
  }
  // Phi(z) = erfc(-z / sqrt 2) / 2, on a log grid across all three regions of AS 241
  // (|p - 1/2| <= 0.425; sqrt(-log p) <= 5, i.e. p >= e^-25 ~ 1.4e-11; beyond).
  for (double p = 0.5; p > 1e-100; p *= 0.7) {
    const double z = normal_quantile(p);
    CAPTURE(p, z);
    CHECK(0.5 * std::erfc(-z / std::sqrt(2.0)) == Approx(p).epsilon(1e-12));
  }
}

// ---------------------------------------------------------------------------------------------
// Distributions: the moment formulas below are derived by hand, independently of the library.

TEST_CASE("random: constant always returns its value", "[random]") {
  const Distribution d = Constant{4.25};
  CHECK(d.mean() == 4.25);
  CHECK(d.variance() == 0.0);
  RandomStreams streams(kDefaultSeed);
  RandomStream s = streams.stream("constant");
  for (int i = 0; i < 1000; ++i) CHECK(d.sample(s) == 4.25);
  // Standard errors are 0, so "within 4.5 SE" means exact.
  check_sample_moments(draw(d, s), {4.25, 0.0, 0.0}, d.describe());
}

TEST_CASE("random: uniform(2, 5) has the moments of a uniform distribution", "[random]") {
  // U(a, b): mean (a + b)/2, variance (b - a)^2/12, mu4 = (b - a)^4/80.
  check_distribution(Uniform{2, 5}, {(2.0 + 5.0) / 2, 3.0 * 3.0 / 12, 3.0 * 3.0 * 3.0 * 3.0 / 80});
}

TEST_CASE("random: exponential(rate 20) has mean 1/20 and variance 1/400", "[random]") {
  // Exp(l): mean 1/l, variance 1/l^2, mu4 = 9/l^4.
  const double l = 20.0;
  check_distribution(Exponential{l}, {1 / l, 1 / (l * l), 9 / (l * l * l * l)});
}

TEST_CASE("random: normal(10, 3) has mean 10 and variance 9", "[random]") {
  // N(mu, s^2): mu4 = 3 s^4 = 3 * 81.
  check_distribution(Normal{10, 3}, {10.0, 9.0, 3 * 81.0});
  // The samples are symmetric: P(X < mu) = 1/2 within 4.5 SE (SE = sqrt(1/4 / n) = 5e-4).
  RandomStreams streams(kDefaultSeed);
  const auto x = draw(Normal{10, 3}, streams.stream("normal-median"));
  double below = 0;
  for (double v : x) below += v < 10.0 ? 1 : 0;
  CHECK(std::fabs(below / kN - 0.5) <= kZ * std::sqrt(0.25 / kN));
}

TEST_CASE("random: lognormal from mean 2 and sd 1 has mean 2 and variance 1", "[random]") {
  const LogNormal d = LogNormal::from_mean_sd(2.0, 1.0);
  // sigma^2 = log(1 + sd^2/mean^2) = log(1.25); mu = log(mean) - sigma^2/2.
  CHECK(d.sigma == Approx(std::sqrt(std::log(1.25))).epsilon(1e-14));
  CHECK(d.mu == Approx(std::log(2.0) - std::log(1.25) / 2).epsilon(1e-14));
  // With w = exp(sigma^2) = 1.25 the kurtosis is w^4 + 2 w^3 + 3 w^2 - 3
  //   = 2.44140625 + 3.90625 + 4.6875 - 3 = 8.03515625, so mu4 = 8.03515625 * sd^4.
  check_distribution(d, {2.0, 1.0, 2.44140625 + 3.90625 + 4.6875 - 3});
  // mean() = exp(mu + sigma^2/2), variance() = (exp(sigma^2) - 1) exp(2 mu + sigma^2).
  const LogNormal e{1.5, 0.25};
  CHECK(e.mean() == Approx(std::exp(1.5 + 0.25 * 0.25 / 2)).epsilon(1e-14));
  CHECK(e.variance() == Approx((std::exp(0.0625) - 1) * std::exp(3.0 + 0.0625)).epsilon(1e-14));
}

TEST_CASE("random: gamma with shape 0.5 and 3 has mean k theta and variance k theta^2", "[random]") {
  // Gamma(k, theta): mean k theta, variance k theta^2, mu4 = 3 k (k + 2) theta^4
  // (excess kurtosis 6/k).
  SECTION("shape 0.5 (the U^(1/k) boost)") {
    // mean 0.5 * 2 = 1, variance 0.5 * 4 = 2, mu4 = 3 * 0.5 * 2.5 * 16 = 60.
    check_distribution(Gamma{0.5, 2.0}, {1.0, 2.0, 60.0});
  }
  SECTION("shape 3") {
    // mean 3 * 2 = 6, variance 3 * 4 = 12, mu4 = 3 * 3 * 5 * 16 = 720.
    check_distribution(Gamma{3.0, 2.0}, {6.0, 12.0, 720.0});
  }
  SECTION("samples are positive") {
    RandomStreams streams(kDefaultSeed);
    RandomStream s = streams.stream("gamma-positive");
    std::size_t bad = 0;
    for (int i = 0; i < 100'000; ++i) {
      const double g = Gamma{0.05, 1.0}.sample(s);
      bad += (g >= 0.0 && std::isfinite(g)) ? 0 : 1;
    }
    CHECK(bad == 0);
  }
}

TEST_CASE("random: weibull with shape 0.7 and 2 has the gamma-function moments", "[random]") {
  // Weibull(k, l): E[X^n] = l^n Gamma(1 + n/k).
  SECTION("shape 2, scale 1 (Rayleigh)") {
    // mean Gamma(3/2) = sqrt(pi)/2, variance Gamma(2) - pi/4 = 1 - pi/4,
    // E[X^3] = Gamma(5/2) = 3 sqrt(pi)/4, E[X^4] = Gamma(3) = 2, so
    // mu4 = 2 - 4 (sqrt(pi)/2)(3 sqrt(pi)/4) + 6 (pi/4) - 3 (pi/4)^2 = 2 - 3 pi^2/16.
    check_distribution(Weibull{2.0, 1.0}, {std::sqrt(kPi) / 2, 1 - kPi / 4, 2 - 3 * kPi * kPi / 16});
  }
  SECTION("shape 0.7, scale 2") {
    const double k = 0.7, l = 2.0;
    auto raw = [&](int n) { return std::pow(l, n) * std::tgamma(1.0 + n / k); };
    check_distribution(Weibull{k, l}, from_raw(raw(1), raw(2), raw(3), raw(4)));
  }
}

TEST_CASE("random: pareto has mean alpha xm/(alpha - 1) and the right tail index", "[random]") {
  // Pareto(xm, a): E[X^n] = a xm^n / (a - n) for n < a, infinite otherwise.
  SECTION("alpha 3.5") {
    // mean 3.5 * 1/2.5 = 1.4; variance xm^2 a / ((a-1)^2 (a-2)) = 3.5 / (6.25 * 1.5).
    const Pareto d{1.0, 3.5};
    CHECK(d.mean() == Approx(3.5 / 2.5).epsilon(1e-14));
    CHECK(d.variance() == Approx(3.5 / (6.25 * 1.5)).epsilon(1e-14));
    // E[X^4] is infinite (alpha <= 4), so the sample variance has no finite standard error and
    // only the mean is checked by the CLT (its SE sqrt(var/n) exists as alpha > 2). The shape
    // is checked exactly instead: log(X/xm) ~ Exponential(alpha), with
    // mean 1/a, variance 1/a^2, mu4 9/a^4.
    RandomStreams streams(kDefaultSeed);
    const auto x = draw(d, streams.stream("pareto-3.5"));
    const SampleStats st = stats_of(x);
    const double se_mean = std::sqrt(d.variance() / kN);
    CAPTURE(st.mean, (st.mean - 1.4) / se_mean);
    CHECK(std::fabs(st.mean - 1.4) <= kZ * se_mean);
    std::vector<double> logs(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) logs[i] = std::log(x[i] / 1.0);
    const double a = 3.5;
    check_sample_moments(logs, {1 / a, 1 / (a * a), 9 / (a * a * a * a)}, "log(pareto(1, 3.5))");
    std::size_t below_xm = 0;
    for (double v : x) below_xm += v >= 1.0 ? 0 : 1;
    CHECK(below_xm == 0);
  }
  SECTION("alpha 9, xm 2 (finite fourth moment: the variance is checked too)") {
    const double xm = 2.0, a = 9.0;
    auto raw = [&](int n) { return a * std::pow(xm, n) / (a - n); };
    // mean 9 * 2/8 = 2.25; variance 4 * 9 / (64 * 7).
    const Moments m = from_raw(raw(1), raw(2), raw(3), raw(4));
    CHECK(m.mean == Approx(2.25).epsilon(1e-14));
    CHECK(m.variance == Approx(4.0 * 9 / (64 * 7)).epsilon(1e-12));
    check_distribution(Pareto{xm, a}, m);
  }
  SECTION("moments that do not exist are infinite") {
    CHECK(Pareto{1.0, 1.0}.mean() == std::numeric_limits<double>::infinity());
    CHECK(Pareto{1.0, 0.5}.mean() == std::numeric_limits<double>::infinity());
    CHECK(Pareto{1.0, 2.0}.variance() == std::numeric_limits<double>::infinity());
    CHECK(Pareto{1.0, 1.5}.variance() == std::numeric_limits<double>::infinity());
    CHECK(std::isfinite(Pareto{1.0, 1.5}.mean()));
  }
}

TEST_CASE("random: bernoulli(0.3) has mean p and variance p(1 - p)", "[random]") {
  // mean 0.3, variance 0.3 * 0.7 = 0.21, mu4 = p(1-p)(1 - 3p + 3p^2) = 0.21 * 0.37.
  check_distribution(Bernoulli{0.3}, {0.3, 0.3 * 0.7, 0.21 * (1 - 0.9 + 0.27)});
}

TEST_CASE("random: weibull and pareto variances follow the closed forms", "[random]") {
  // Var = l^2 (Gamma(1 + 2/k) - Gamma(1 + 1/k)^2); for k = 1 (exponential, mean l): l^2.
  CHECK(Weibull{1.0, 3.0}.variance() == Approx(9.0).epsilon(1e-14));
  CHECK(Weibull{1.0, 3.0}.mean() == Approx(3.0).epsilon(1e-14));
  // k = 0.5: Gamma(5) - Gamma(3)^2 = 24 - 4 = 20.
  CHECK(Weibull{0.5, 1.0}.variance() == Approx(20.0).epsilon(1e-13));
  // Pareto(2, 3): mean 3 * 2 / 2 = 3, variance 4 * 3 / (4 * 1) = 3.
  CHECK(Pareto{2.0, 3.0}.mean() == Approx(3.0).epsilon(1e-14));
  CHECK(Pareto{2.0, 3.0}.variance() == Approx(3.0).epsilon(1e-14));
}

TEST_CASE("random: an empirical histogram samples uniformly within its bins", "[random]") {
  // Bins [0,1], [1,3], [3,4] with weights 1, 2, 1: probabilities 1/4, 1/2, 1/4.
  const Empirical d = Empirical::from_histogram({0, 1, 3, 4}, {1, 2, 1});
  REQUIRE(d.cum.size() == 3);
  CHECK(d.cum[0] == 0.25);
  CHECK(d.cum[1] == 0.75);
  CHECK(d.cum[2] == 1.0);
  // mean = 1/4 * 0.5 + 1/2 * 2 + 1/4 * 3.5 = 2 (symmetric about 2).
  // About 2, the bins are [-2,-1], [-1,1], [1,2]; for U[A,B]: E[Y^2] = (A^2 + AB + B^2)/3,
  // E[Y^4] = (B^5 - A^5)/(5(B - A)):
  //   variance = 1/4 * 7/3 + 1/2 * 1/3 + 1/4 * 7/3 = 4/3,
  //   mu4      = 1/4 * 31/5 + 1/2 * 1/5 + 1/4 * 31/5 = 3.2.
  check_distribution(d, {0.25 * 0.5 + 0.5 * 2 + 0.25 * 3.5, 4.0 / 3, 3.2});
  RandomStreams streams(kDefaultSeed);
  const auto x = draw(d, streams.stream("empirical-range"), 100'000);
  std::size_t outside = 0;
  for (double v : x) outside += (v >= 0.0 && v < 4.0) ? 0 : 1;
  CHECK(outside == 0);
  // A zero-weight bin is never sampled.
  const Empirical gap = Empirical::from_histogram({0, 1, 2, 3}, {1, 0, 1});
  const auto y = draw(gap, streams.stream("empirical-gap"), 100'000);
  std::size_t in_gap = 0;
  for (double v : y) in_gap += (v >= 1.0 && v < 2.0) ? 1 : 0;
  CHECK(in_gap == 0);
  CHECK(gap.mean() == Approx(1.5).epsilon(1e-14));
}

TEST_CASE("random: an empirical distribution from a sample interpolates the order statistics", "[random]") {
  // Sorted: 1, 2, 2, 4, 7: four gaps of probability 1/4 each, [1,2], {2} (an atom), [2,4], [4,7].
  const Empirical d = Empirical::from_sample({4, 2, 7, 1, 2});
  CHECK(d.edges == std::vector<double>{1, 2, 2, 4, 7});
  // mean = 1/4 (1.5 + 2 + 3 + 5.5) = 3.
  // About 3 the pieces are [-2,-1], {-1}, [-1,1], [1,4]:
  //   variance = 1/4 (7/3 + 1 + 1/3 + 21/3) = 8/3,
  //   mu4      = 1/4 (31/5 + 1 + 1/5 + 1023/15) = 1/4 * 75.6 = 18.9.
  check_distribution(d, {0.25 * (1.5 + 2 + 3 + 5.5), 8.0 / 3, 0.25 * (31.0 / 5 + 1 + 1.0 / 5 + 1023.0 / 15)});
  // The atom at 2 has probability 1/4 (binomial SE sqrt(1/4 * 3/4 / n)).
  RandomStreams streams(kDefaultSeed);
  const auto x = draw(d, streams.stream("empirical-atom"));
  double at2 = 0;
  std::size_t outside = 0;
  for (double v : x) {
    outside += (v >= 1.0 && v <= 7.0) ? 0 : 1;
    at2 += v == 2.0 ? 1 : 0;
  }
  CHECK(outside == 0);
  CHECK(std::fabs(at2 / kN - 0.25) <= kZ * std::sqrt(0.25 * 0.75 / kN));
}

TEST_CASE("random: empirical constructors reject bad input", "[random]") {
  using Catch::Contains;
  using V = std::vector<double>;
  CHECK_THROWS_WITH(Empirical::from_histogram(V{0, 1, 1}, V{1, 1}), Contains("strictly increasing"));
  CHECK_THROWS_WITH(Empirical::from_histogram(V{0, 2, 1}, V{1, 1}), Contains("strictly increasing"));
  CHECK_THROWS_WITH(Empirical::from_histogram(V{0, 1, 2}, V{1}), Contains("weights"));
  CHECK_THROWS_WITH(Empirical::from_histogram(V{0, 1, 2}, V{1, 1, 1}), Contains("weights"));
  CHECK_THROWS_WITH(Empirical::from_histogram(V{0, 1, 2}, V{1, -1}), Contains(">= 0"));
  CHECK_THROWS_WITH(Empirical::from_histogram(V{0, 1, 2}, V{0, 0}), Contains("sum to 0"));
  CHECK_THROWS_AS(Empirical::from_histogram(V{0, 1, 2}, V{1, std::nan("")}), std::invalid_argument);
  CHECK_THROWS_AS(Empirical::from_histogram(V{0, 1, HUGE_VAL}, V{1, 1}), std::invalid_argument);
  CHECK_THROWS_AS(Empirical::from_histogram(V{0}, V{}), std::invalid_argument);
  CHECK_THROWS_AS(Empirical::from_histogram(V{}, V{}), std::invalid_argument);
  CHECK_THROWS_WITH(Empirical::from_sample(V{}), Contains("at least 2"));
  CHECK_THROWS_WITH(Empirical::from_sample(V{1}), Contains("at least 2"));
  CHECK_THROWS_WITH(Empirical::from_sample(V{3, 3, 3}), Contains("distinct"));
  CHECK_THROWS_AS(Empirical::from_sample(V{1, std::nan("")}), std::invalid_argument);
  CHECK_NOTHROW(Empirical::from_sample(V{3, 1}));
  CHECK_NOTHROW(Empirical::from_histogram(V{0, 1}, V{0.5}));
}

TEST_CASE("random: describe names the distribution and its parameters", "[random]") {
  // The names are those a scenario file uses (normal takes mean and sd, pareto scale and alpha).
  CHECK(Distribution{}.describe() == "constant(value=0)");
  CHECK(Distribution{Constant{4.25}}.describe() == "constant(value=4.25)");
  CHECK(Distribution{Uniform{2, 5}}.describe() == "uniform(low=2,high=5)");
  CHECK(Distribution{Exponential{20}}.describe() == "exponential(rate=20)");
  CHECK(Distribution{Normal{10, 3}}.describe() == "normal(mean=10,sd=3)");
  CHECK(Distribution{LogNormal{1.5, 0.25}}.describe() == "lognormal(mu=1.5,sigma=0.25)");
  CHECK(Distribution{Gamma{0.5, 2}}.describe() == "gamma(shape=0.5,scale=2)");
  CHECK(Distribution{Weibull{0.7, 2}}.describe() == "weibull(shape=0.7,scale=2)");
  CHECK(Distribution{Pareto{1, 3.5}}.describe() == "pareto(scale=1,alpha=3.5)");
  CHECK(Distribution{Bernoulli{0.3}}.describe() == "bernoulli(p=0.3)");
  CHECK(Distribution{Empirical::from_histogram({0, 1, 3, 4}, {1, 2, 1})}.describe() == "empirical(bins=3)");
}
