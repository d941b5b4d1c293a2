// Random numbers that are identical on every compiler and platform.
//
// Generator: Philox4x32-10 (Salmon et al., SC'11, "Parallel random numbers: as easy as 1, 2, 3"),
// a counter-based generator. A stream is keyed by the scenario seed; its counter carries
// (block index, replication, stream id), so
//   * every named stream is independent of every other (different counters), and adding a
//     stream never shifts another one: changing the platform leaves the arrivals identical
//     (common random numbers);
//   * replication r of seed s is a fixed substream.
// Distributions are the project's own code (std::*_distribution differs between compilers).
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace fargatelab {

// The seed a scenario without one uses.
inline constexpr std::uint64_t kDefaultSeed = 20'201'204;  // arbitrary but fixed: any value works

// Philox4x32 with 10 rounds: maps a 128-bit counter and a 64-bit key to 128 random bits.
using PhiloxBlock = std::array<std::uint32_t, 4>;
using PhiloxKey = std::array<std::uint32_t, 2>;
constexpr PhiloxBlock philox4x32_10(PhiloxBlock ctr, PhiloxKey key) noexcept {
  constexpr std::uint32_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u;
  constexpr std::uint32_t kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;
  for (int round = 0; round < 10; ++round) {
    const std::uint64_t p0 = std::uint64_t{kM0} * ctr[0];
    const std::uint64_t p1 = std::uint64_t{kM1} * ctr[2];
    ctr = {static_cast<std::uint32_t>(p1 >> 32) ^ ctr[1] ^ key[0], static_cast<std::uint32_t>(p1),
           static_cast<std::uint32_t>(p0 >> 32) ^ ctr[3] ^ key[1], static_cast<std::uint32_t>(p0)};
    key[0] += kW0;
    key[1] += kW1;
  }
  return ctr;
}

// 32-bit FNV-1a hash: the stream id of a stream name.
constexpr std::uint32_t stream_id(std::string_view name) noexcept {
  std::uint32_t h = 2166136261u;
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return h;
}

// One independent sequence of random numbers. Cheap to copy; copying forks the sequence.
class RandomStream {
 public:
  RandomStream() = default;
  RandomStream(std::uint64_t seed, std::uint32_t id, std::uint32_t replication) noexcept
      : key_{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)},
        id_(id),
        replication_(replication) {}

  std::uint32_t next_u32() noexcept {
    if (used_ == 4) refill();
    return buf_[used_++];
  }
  std::uint64_t next_u64() noexcept {
    const std::uint64_t hi = next_u32();
    return (hi << 32) | next_u32();
  }
  // Uniform on [0, 1) with 53 random bits.
  double uniform01() noexcept { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  // Uniform on (0, 1]: safe to take the logarithm of.
  double uniform_pos() noexcept { return static_cast<double>((next_u64() >> 11) + 1) * 0x1.0p-53; }
  // Uniform integer in [0, n) without modulo bias (Lemire's method); n > 0.
  std::uint64_t below(std::uint64_t n) noexcept;

  std::uint64_t blocks_used() const noexcept { return block_; }

 private:
  void refill() noexcept {
    buf_ = philox4x32_10({static_cast<std::uint32_t>(block_), static_cast<std::uint32_t>(block_ >> 32),
                          replication_, id_},
                         key_);
    ++block_;
    used_ = 0;
  }
  PhiloxKey key_{};
  std::uint32_t id_ = 0;
  std::uint32_t replication_ = 0;
  std::uint64_t block_ = 0;
  PhiloxBlock buf_{};
  int used_ = 4;
};

// Hands out named streams for one (seed, replication). Two different names that hash to the
// same stream id are an error (std::logic_error), never a silent correlation.
class RandomStreams {
 public:
  explicit RandomStreams(std::uint64_t seed = kDefaultSeed, std::uint32_t replication = 0)
      : seed_(seed), replication_(replication) {}
  RandomStream stream(std::string_view name);
  std::uint64_t seed() const noexcept { return seed_; }
  std::uint32_t replication() const noexcept { return replication_; }

 private:
  std::uint64_t seed_;
  std::uint32_t replication_;
  std::map<std::uint32_t, std::string> names_;
};

// ---------------------------------------------------------------------------------------------
// Distributions. Each is a small value type with sample(stream), mean() and variance()
// (infinite where the moment does not exist). Parameters are validated by make_distribution.

struct Constant {
  double value;
  double sample(RandomStream&) const noexcept { return value; }
  double mean() const noexcept { return value; }
  double variance() const noexcept { return 0.0; }
};

struct Uniform {
  double low, high;
  double sample(RandomStream& s) const noexcept { return low + (high - low) * s.uniform01(); }
  double mean() const noexcept { return 0.5 * (low + high); }
  double variance() const noexcept { return (high - low) * (high - low) / 12.0; }
};

struct Exponential {
  double rate;  // events per unit; mean = 1 / rate
  double sample(RandomStream& s) const noexcept { return -std::log(s.uniform_pos()) / rate; }
  double mean() const noexcept { return 1.0 / rate; }
  double variance() const noexcept { return 1.0 / (rate * rate); }
};

// Standard normal quantile, Wichura's algorithm AS 241 (PPND16), relative accuracy ~1e-16.
double normal_quantile(double p) noexcept;

struct Normal {
  double mu, sigma;
  // The midpoint (k - 1/2) 2^-53 of a uniform_pos() cell; for k = 2^53 it rounds to 1.0 (a tie,
  // rounded to even), whose quantile is +inf, so it is clamped to the largest double below 1.
  double sample(RandomStream& s) const noexcept {
    return mu + sigma * normal_quantile(std::fmin(s.uniform_pos() - 0x1.0p-54, 0x1.fffffffffffffp-1));
  }
  double mean() const noexcept { return mu; }
  double variance() const noexcept { return sigma * sigma; }
};

// exp(N(mu, sigma^2)).
struct LogNormal {
  double mu, sigma;
  double sample(RandomStream& s) const noexcept { return std::exp(Normal{mu, sigma}.sample(s)); }
  double mean() const noexcept { return std::exp(mu + 0.5 * sigma * sigma); }
  double variance() const noexcept { return std::expm1(sigma * sigma) * std::exp(2 * mu + sigma * sigma); }
  // The parameters that give a lognormal of this mean and standard deviation.
  static LogNormal from_mean_sd(double mean, double sd) noexcept;
};

// Gamma(shape k, scale theta); Marsaglia & Tsang (2000), with the k < 1 boost U^(1/k).
struct Gamma {
  double shape, scale;
  double sample(RandomStream& s) const noexcept;
  double mean() const noexcept { return shape * scale; }
  double variance() const noexcept { return shape * scale * scale; }
};

// Weibull(shape k, scale lambda) by inversion.
struct Weibull {
  double shape, scale;
  double sample(RandomStream& s) const noexcept { return scale * std::pow(-std::log(s.uniform_pos()), 1.0 / shape); }
  double mean() const noexcept { return scale * std::tgamma(1.0 + 1.0 / shape); }
  double variance() const noexcept;
};

// Pareto type I (minimum x_m, tail index alpha) by inversion.
struct Pareto {
  double xm, alpha;
  double sample(RandomStream& s) const noexcept { return xm / std::pow(s.uniform_pos(), 1.0 / alpha); }
  double mean() const noexcept;
  double variance() const noexcept;
};

// 1 with probability p, else 0.
struct Bernoulli {
  double p;
  double sample(RandomStream& s) const noexcept { return s.uniform01() < p ? 1.0 : 0.0; }
  double mean() const noexcept { return p; }
  double variance() const noexcept { return p * (1 - p); }
};

// Piecewise-uniform over histogram bins: edges e_0 < ... < e_n, weights w_1..w_n >= 0.
// From a sample (the 'sample' constructor) it is the linearly interpolated empirical CDF
// through the order statistics, so every value between min and max can occur.
struct Empirical {
  std::vector<double> edges;    // n + 1 increasing bin edges
  std::vector<double> cum;      // n cumulative probabilities, cum.back() == 1
  static Empirical from_histogram(std::vector<double> edges, const std::vector<double>& weights);
  static Empirical from_sample(std::vector<double> sample);
  double sample(RandomStream& s) const noexcept;
  double mean() const noexcept;
  double variance() const noexcept;
};

// Any of the above; sampling dispatches on the variant index (no virtual call).
class Distribution {
 public:
  using Variant = std::variant<Constant, Uniform, Exponential, Normal, LogNormal, Gamma, Weibull, Pareto,
                               Bernoulli, Empirical>;
  Distribution() : v_(Constant{0.0}) {}
  template <class D>
    requires std::is_constructible_v<Variant, D>
  Distribution(D d) : v_(std::move(d)) {}  // NOLINT: implicit on purpose
  double sample(RandomStream& s) const {
    return std::visit([&](const auto& d) { return d.sample(s); }, v_);
  }
  double mean() const { return std::visit([](const auto& d) { return d.mean(); }, v_); }
  double variance() const { return std::visit([](const auto& d) { return d.variance(); }, v_); }
  const Variant& variant() const noexcept { return v_; }
  // A short description such as "exponential(rate=20)": the kind and its parameters ({:g}).
  std::string describe() const;

 private:
  Variant v_;
};

}  // namespace fargatelab
