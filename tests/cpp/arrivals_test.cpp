// Tests for the arrival processes (sim/src/workload/arrivals.*): every expected count is the
// integral of the rate, computed here by hand (architecture practice 13).
//
// Statistical checks use fixed seeds, so they are deterministic. A count N of a Poisson
// process (or a Cox process, for the noisy and Markov-modulated models) is accepted when
// |N - E[N]| <= 4.5 sd(N): P(|Z| > 4.5) = 6.8e-6 two-sided per check (normal approximation;
// every expected count here is >= 1,000).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "scenario/schedule_expression.hpp"
#include "fargatelab/random.hpp"
#include "fargatelab/registry.hpp"
#include "fargatelab/run.hpp"
#include "fargatelab/scenario.hpp"
#include "workload/arrivals.hpp"

using namespace fargatelab;
using namespace fargatelab::detail;
namespace fs = std::filesystem;

namespace {

constexpr double kZ = 4.5;  // standard deviations allowed; confidence 1 - 6.8e-6 per check
const double kPi = std::numbers::pi;

ArrivalModel build(const std::string& text) { return arrival_registry().build(parse_model_call(text)); }

std::vector<Diagnostic> build_problems(const std::string& text) {
  std::vector<Diagnostic> out;
  arrival_registry().build(parse_model_call(text), "/workloads/0/arrival", out);
  return out;
}

bool has(const std::vector<Diagnostic>& ds, const std::string& fragment) {
  return std::any_of(ds.begin(), ds.end(), [&](const Diagnostic& d) {
    return d.pointer == "/workloads/0/arrival" && d.message.find(fragment) != std::string::npos;
  });
}

std::string dump(const std::vector<Diagnostic>& ds) {
  std::string s;
  for (const auto& d : ds) s += d.to_string() + "\n";
  return s;
}

// Runs the model from time 0 like the generator does (each call from the previous arrival) and
// counts arrivals in the windows [edges[i], edges[i+1]); stops at the last edge or when the
// process ends. Also counts out-of-order times (there must be none).
struct Counted {
  std::vector<std::uint64_t> counts;
  std::uint64_t calls = 0;
  std::uint64_t out_of_order = 0;
  bool ended = false;       // next_arrival returned infinity
  double offset_sum = 0;    // seconds from each counted arrival's window start
  double offset_sum2 = 0;   // their squares
};
Counted count_windows(ArrivalModel& m, RandomStream& s, const std::vector<SimTime>& edges) {
  Counted c;
  c.counts.assign(edges.size() - 1, 0);
  SimTime t = SimTime::zero();
  std::size_t w = 0;
  for (;;) {
    const SimTime next = next_arrival(m, t, s);
    ++c.calls;
    if (next < t) ++c.out_of_order;
    if (next.is_infinite()) {
      c.ended = true;
      break;
    }
    if (next >= edges.back()) break;
    t = next;
    while (t >= edges[w + 1]) ++w;
    if (t >= edges[w]) {
      ++c.counts[w];
      const double x = (t - edges[w]).to_seconds();
      c.offset_sum += x;
      c.offset_sum2 += x * x;
    }
  }
  return c;
}

std::vector<SimTime> edges_s(std::initializer_list<double> secs) {
  std::vector<SimTime> out;
  for (double x : secs) out.push_back(seconds(x));
  return out;
}
std::vector<SimTime> regular_edges(SimTime step, std::size_t n) {
  std::vector<SimTime> out;
  for (std::size_t i = 0; i <= n; ++i) out.push_back(step * static_cast<SimTime::rep>(i));
  return out;
}

void check_count(std::uint64_t n, double mean, double variance, const std::string& what) {
  INFO(what << ": counted " << n << ", expected " << mean << " +- " << kZ << " x " << std::sqrt(variance));
  CHECK(std::abs(static_cast<double>(n) - mean) <= kZ * std::sqrt(variance));
}
void check_near(double x, double mean, double variance, const std::string& what) {
  INFO(what << ": " << x << ", expected " << mean << " +- " << kZ << " x " << std::sqrt(variance));
  CHECK(std::abs(x - mean) <= kZ * std::sqrt(variance));
}
void check_poisson(std::uint64_t n, double mean, const std::string& what) { check_count(n, mean, mean, what); }

// A scratch directory for the CSV files the tests write, removed at the end.
struct TempDir {
  fs::path path = fs::temp_directory_path() / ("fargatelab_arrivals_test_" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return (path / name).string();
  }
};

std::string count_csv(const std::vector<std::uint32_t>& counts) {
  std::string s = "period,count\n";
  for (std::size_t i = 0; i < counts.size(); ++i)
    s += "2024-01-01 00:" + std::to_string(i) + ":00," + std::to_string(counts[i]) + "\n";
  return s;
}

}  // namespace

// ---- constant rates -----------------------------------------------------------------------------

TEST_CASE("arrivals: poisson draws one exponential gap per arrival, as before", "[workload]") {
  ArrivalModel m = build("poisson(rate=20)");
  RandomStream s = RandomStreams(7).stream("workload/users/arrivals");
  RandomStream reference = s;
  SimTime t = SimTime::zero();
  for (int i = 0; i < 1000; ++i) {
    const SimTime expected = t + SimTime::from_seconds(Exponential{20}.sample(reference));
    t = next_arrival(m, t, s);
    REQUIRE(t == expected);
  }
}

TEST_CASE("arrivals: deterministic arrivals are 1 / rate apart and draw nothing", "[workload]") {
  ArrivalModel m = build("deterministic(rate=4)");
  RandomStream s = RandomStreams(7).stream("a");
  SimTime t = SimTime::zero();
  for (int i = 1; i <= 100; ++i) {
    t = next_arrival(m, t, s);
    REQUIRE(t == milliseconds(250 * i));
  }
  REQUIRE(s.blocks_used() == 0);
}

// ---- piecewise and step ---------------------------------------------------------------------------

TEST_CASE("arrivals: piecewise rates give Poisson counts per segment and then stop", "[workload]") {
  // 10/s for 100 s then 50/s for 100 s: 1,000 and 5,000 expected (sd sqrt), none after 200 s.
  ArrivalModel m = build("piecewise(rates=[10, 50], durations=[100, 100])");
  RandomStream s = RandomStreams(11).stream("a");
  const Counted c = count_windows(m, s, edges_s({0, 100, 200, 1e6}));
  check_poisson(c.counts[0], 10.0 * 100, "0-100 s at 10/s");
  check_poisson(c.counts[1], 50.0 * 100, "100-200 s at 50/s");
  CHECK(c.counts[2] == 0);
  CHECK(c.ended);
  CHECK(c.out_of_order == 0);
  // Inversion, not thinning: exactly one Exp(1) draw (one uniform_pos, 2 of the 4 words of a
  // Philox block) per call.
  CHECK(s.blocks_used() == (2 * c.calls + 3) / 4);
}

TEST_CASE("arrivals: piecewise with repeat cycles and with one duration fewer holds the last rate", "[workload]") {
  SECTION("repeat") {
    // 10 cycles of (2/s for 30 s, 0/s for 60 s, 40/s for 10 s): per cycle 60, 0, 400.
    ArrivalModel m = build("piecewise(rates=[2, 0, 40], durations=[30, 60, 10], repeat=true)");
    RandomStream s = RandomStreams(12).stream("a");
    std::vector<SimTime> edges;
    for (int k = 0; k < 10; ++k)
      for (int off : {0, 30, 90}) edges.push_back(seconds(100 * k + off));
    edges.push_back(seconds(1000));
    const Counted c = count_windows(m, s, edges);
    std::uint64_t low = 0, none = 0, high = 0;
    for (std::size_t i = 0; i < c.counts.size(); ++i) (i % 3 == 0 ? low : i % 3 == 1 ? none : high) += c.counts[i];
    check_poisson(low, 10 * 2.0 * 30, "10 x 30 s at 2/s");
    CHECK(none == 0);
    check_poisson(high, 10 * 40.0 * 10, "10 x 10 s at 40/s");
  }
  SECTION("hold") {
    ArrivalModel m = build("piecewise(rates=[10, 50], durations=[100])");
    RandomStream s = RandomStreams(13).stream("a");
    const Counted c = count_windows(m, s, edges_s({0, 100, 1100}));
    check_poisson(c.counts[0], 1000, "0-100 s at 10/s");
    check_poisson(c.counts[1], 50.0 * 1000, "100-1100 s at 50/s (held)");
  }
}

TEST_CASE("arrivals: step changes the rate at the given time", "[workload]") {
  ArrivalModel m = build("step(base=5, to=20, at=100s)");
  RandomStream s = RandomStreams(14).stream("a");
  const Counted c = count_windows(m, s, edges_s({0, 100, 300}));
  check_poisson(c.counts[0], 5.0 * 100, "before the step");
  check_poisson(c.counts[1], 20.0 * 200, "after the step");
}

// ---- diurnal ------------------------------------------------------------------------------------

namespace {
// Integral of mean * (1 + a cos(2 pi (t - p) / P)) over [t0, t1], in arrivals (t in seconds).
double diurnal_mass(double mean, double a, double period, double peak, double t0, double t1) {
  const double w = 2 * kPi / period;
  return mean * ((t1 - t0) + a / w * (std::sin(w * (t1 - peak)) - std::sin(w * (t0 - peak))));
}
}  // namespace

TEST_CASE("arrivals: diurnal totals mean * period and puts more around the peak than the trough", "[workload]") {
  // mean 10/s over a day: 864,000; the two hours around the peak (14 h) expect
  // 10 (7200 + 0.8 * 86400/pi * sin(pi/12)) = 128,944, around the trough (2 h) 15,056.
  ArrivalModel m = build("diurnal(mean=10, amplitude=0.8)");
  RandomStream s = RandomStreams(21).stream("a");
  const Counted c = count_windows(m, s, edges_s({0, 3600, 3 * 3600, 13 * 3600, 15 * 3600, 86400}));
  std::uint64_t total = 0;
  for (auto n : c.counts) total += n;
  check_poisson(total, 10.0 * 86400, "one day");
  const double trough = diurnal_mass(10, 0.8, 86400, 14 * 3600, 3600, 3 * 3600);
  const double peak = diurnal_mass(10, 0.8, 86400, 14 * 3600, 13 * 3600, 15 * 3600);
  CHECK(peak == Approx(10 * (7200 + 0.8 * 86400 / kPi * std::sin(kPi / 12))));
  check_poisson(c.counts[1], trough, "1-3 h (trough)");
  check_poisson(c.counts[3], peak, "13-15 h (peak)");
  CHECK(c.counts[3] > 5 * c.counts[1]);
  CHECK(std::get<DiurnalArrivals>(m).rate_at(hours(14)) == Approx(18.0));
  CHECK(std::get<DiurnalArrivals>(m).rate_at(hours(26)) == Approx(2.0));  // period 24 h: 2 h next day
}

TEST_CASE("arrivals: diurnal noise scales each hour by a lognormal factor of mean 1", "[workload]") {
  // Per hour j, Lambda_j = the integral of the rate. Without noise, sum (N_j - L_j)^2 / L_j is
  // about chi-square with 24 degrees of freedom (0.999 quantile 51.18). With noise sd 0.5 the
  // counts are a Cox process: Var N_j = L_j + 0.25 L_j^2, so the statistic is about
  // 0.25 sum L_j = 216,000; and the day's total has variance sum L_j + 0.25 sum L_j^2.
  const auto hours_edges = regular_edges(hours(1), 24);
  double sum_l = 0, sum_l2 = 0;
  std::vector<double> l;
  for (int j = 0; j < 24; ++j) {
    l.push_back(diurnal_mass(10, 0.5, 86400, 14 * 3600, 3600.0 * j, 3600.0 * (j + 1)));
    sum_l += l.back();
    sum_l2 += l.back() * l.back();
  }
  REQUIRE(sum_l == Approx(864000));
  auto statistic = [&](const Counted& c) {
    double x = 0;
    for (int j = 0; j < 24; ++j) x += (c.counts[j] - l[j]) * (c.counts[j] - l[j]) / l[j];
    return x;
  };
  auto total = [](const Counted& c) {
    std::uint64_t n = 0;
    for (auto x : c.counts) n += x;
    return n;
  };
  ArrivalModel quiet = build("diurnal(mean=10, amplitude=0.5)");
  RandomStream s1 = RandomStreams(22).stream("a");
  const Counted c1 = count_windows(quiet, s1, hours_edges);
  CHECK(statistic(c1) < 51.18);

  ArrivalModel noisy = build("diurnal(mean=10, amplitude=0.5, noise=0.5, noise_interval=1h)");
  RandomStream s2 = RandomStreams(22).stream("a");
  const Counted c2 = count_windows(noisy, s2, hours_edges);
  CHECK(statistic(c2) > 1000);
  check_count(total(c2), sum_l, sum_l + 0.25 * sum_l2, "noisy day");
  // Same seed, same noise: the factors come from the arrival stream.
  ArrivalModel again = build("diurnal(mean=10, amplitude=0.5, noise=0.5, noise_interval=1h)");
  RandomStream s3 = RandomStreams(22).stream("a");
  CHECK(count_windows(again, s3, hours_edges).counts == c2.counts);
}

// ---- flash crowd ----------------------------------------------------------------------------------

TEST_CASE("arrivals: flash crowd ramps, holds and decays around the base rate", "[workload]") {
  // base 10/s, peak 100/s from 600 s: ramp 60 s, hold 600 s, decay 600 s. Expected per phase:
  // before 10 * 600 = 6,000; ramp (10 + 100)/2 * 60 = 3,300; hold 100 * 600 = 60,000;
  // decay (100 + 10)/2 * 600 = 33,000; after (600 s) 6,000.
  ArrivalModel m = build("flash_crowd(base=10, peak=100, at=10m, ramp=1m, hold=10m, decay=10m)");
  RandomStream s = RandomStreams(31).stream("a");
  const Counted c = count_windows(m, s, edges_s({0, 600, 660, 1260, 1860, 2460}));
  check_poisson(c.counts[0], 6000, "before");
  check_poisson(c.counts[1], 3300, "ramp");
  check_poisson(c.counts[2], 60000, "hold");
  check_poisson(c.counts[3], 33000, "decay");
  check_poisson(c.counts[4], 6000, "after");
  CHECK(c.out_of_order == 0);
  const auto& f = std::get<PiecewiseLinearArrivals>(m);
  CHECK(f.rate_at(seconds(630)) == Approx(55.0));
  CHECK(f.rate_at(seconds(1560)) == Approx(55.0));
  CHECK(f.rate_at(seconds(5000)) == Approx(10.0));
}

// ---- MMPP ---------------------------------------------------------------------------------------

TEST_CASE("arrivals: mmpp runs at the long-run rate sum(r_i/s_i) / sum(1/s_i) with extra variance", "[workload]") {
  // Two states: r = (5, 50)/s, leaving rates s = (0.1, 0.5)/s. Long-run rate
  // (5/0.1 + 50/0.5) / (1/0.1 + 1/0.5) = 150 / 12 = 12.5/s. Count variance per second, for a
  // two-state MMPP: 12.5 + 2 (r0 - r1)^2 s0 s1 / (s0 + s1)^3 = 12.5 + 937.5 = 950 (the
  // modulating chain's covariance decays at rate s0 + s1; Heffes & Lucantoni, IEEE JSAC 4(6),
  // 1986). Starting in state 0 rather than stationary shifts the mean by
  // (r0 - r1) (1 - pi0) / (s0 + s1) = -45 * (1/6) / 0.6 = -12.5 arrivals.
  const double T = 100000;
  ArrivalModel m = build("mmpp(rates=[5, 50], switch=[0.1, 0.5])");
  RandomStream s = RandomStreams(41).stream("a");
  const Counted c = count_windows(m, s, edges_s({0, T}));
  const double mean_rate = (5 / 0.1 + 50 / 0.5) / (1 / 0.1 + 1 / 0.5);
  REQUIRE(mean_rate == Approx(12.5));
  const double var_rate = mean_rate + 2 * 45.0 * 45.0 * 0.1 * 0.5 / std::pow(0.6, 3);
  REQUIRE(var_rate == Approx(950));
  check_count(c.counts[0], mean_rate * T - 12.5, var_rate * T, "100,000 s of MMPP");
  // Far from a Poisson process of the same mean: the count's variance is 76 times larger, and
  // per-1000-s counts show it.
  ArrivalModel again = build("mmpp(rates=[5, 50], switch=[0.1, 0.5])");
  RandomStream s2 = RandomStreams(41).stream("a");
  const Counted per_ks = count_windows(again, s2, regular_edges(seconds(1000), 100));
  double ss = 0;
  for (auto n : per_ks.counts) ss += (n - 12500.0) * (n - 12500.0);
  CHECK(ss / 100 > 10 * 12500);  // Poisson would give about 12,500
}

// ---- trace replay ---------------------------------------------------------------------------------

TEST_CASE("arrivals: trace with spread=uniform reproduces every interval's count exactly", "[workload]") {
  TempDir dir;
  const std::vector<std::uint32_t> counts = {120, 0, 30, 600, 7};
  const std::string file = dir.write("t.csv", count_csv(counts));
  SECTION("as recorded") {
    ArrivalModel m = build("trace(file=\"" + file + "\", spread=uniform)");
    RandomStream s = RandomStreams(51).stream("a");
    const Counted c = count_windows(m, s, regular_edges(seconds(60), 6));
    CHECK(c.counts == std::vector<std::uint64_t>{120, 0, 30, 600, 7, 0});
    CHECK(c.ended);
    CHECK(c.out_of_order == 0);
    CHECK(std::get<TraceArrivals>(m).counts() == counts);
  }
  SECTION("time_scale 0.5 halves the rows, rate_scale 0.5 halves the counts without drift") {
    // Running scaled sums 60, 60, 75, 375, 378.5 -> floors 60, 60, 75, 375, 378 -> per row
    // 60, 0, 15, 300, 3: the total is floor(757 * 0.5) = 378.
    ArrivalModel m = build("trace(file=\"" + file + "\", spread=uniform, time_scale=0.5, rate_scale=0.5)");
    RandomStream s = RandomStreams(52).stream("a");
    const Counted c = count_windows(m, s, regular_edges(seconds(30), 6));
    CHECK(c.counts == std::vector<std::uint64_t>{60, 0, 15, 300, 3, 0});
    CHECK(std::get<TraceArrivals>(m).interval() == seconds(30));
  }
  SECTION("start_row and rows select a window") {
    ArrivalModel m = build("trace(file=\"" + file + "\", spread=uniform, start_row=2, rows=2)");
    RandomStream s = RandomStreams(53).stream("a");
    const Counted c = count_windows(m, s, regular_edges(seconds(60), 3));
    CHECK(c.counts == std::vector<std::uint64_t>{30, 600, 0});
  }
}

TEST_CASE("arrivals: trace with spread=poisson matches scaled counts in expectation", "[workload]") {
  TempDir dir;
  // Columns by name, in any order: the counts are in "hits".
  const std::string file = dir.write("hits.csv", "minute,hits,note\n0,6000,a\n1,0,b\n2,3000,c\n3,1000,d\n");
  SECTION("as recorded: rows of 60 s at count / 60 s") {
    ArrivalModel m = build("trace(file=\"" + file + "\", column=hits)");
    RandomStream s = RandomStreams(54).stream("a");
    const Counted c = count_windows(m, s, regular_edges(seconds(60), 5));
    check_poisson(c.counts[0], 6000, "row 0");
    CHECK(c.counts[1] == 0);
    check_poisson(c.counts[2], 3000, "row 2");
    check_poisson(c.counts[3], 1000, "row 3");
    CHECK(c.counts[4] == 0);
    CHECK(c.ended);
  }
  SECTION("time_scale 0.1, rate_scale 2: rows of 6 s with twice the count (rates x 20)") {
    ArrivalModel m = build("trace(file=\"" + file + "\", column=hits, time_scale=0.1, rate_scale=2)");
    RandomStream s = RandomStreams(55).stream("a");
    const Counted c = count_windows(m, s, regular_edges(seconds(6), 5));
    check_poisson(c.counts[0], 12000, "row 0 (6 s)");
    CHECK(c.counts[1] == 0);
    check_poisson(c.counts[2], 6000, "row 2 (6 s)");
    check_poisson(c.counts[3], 2000, "row 3 (6 s)");
    CHECK(c.counts[4] == 0);
    CHECK(c.ended);
  }
}

TEST_CASE("arrivals: the WorldCup98 day window replays its 76308943 requests exactly", "[workload]") {
  // The day of scenarios/data/worldcup98-per-minute/SOURCE.md: 1998-06-30 08:01 to 1998-07-01
  // 08:00 (data rows 87021 .. 88460 of the whole trace, the only rows the repository keeps),
  // 1,440 minutes, 13,002 to 215,241 requests/min, mean 52,992.
  const std::string file = FARGATELAB_SOURCE_DIR "/scenarios/data/worldcup98-per-minute/1998-06-30.csv";
  REQUIRE(fs::exists(file));
  // The expected counts, read independently of the model.
  std::vector<std::uint64_t> expected;
  {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) expected.push_back(std::stoull(line.substr(line.find(',') + 1)));
  }
  REQUIRE(expected.size() == 1440);
  std::uint64_t sum = 0;
  for (auto n : expected) sum += n;
  REQUIRE(sum == 76'308'943);
  REQUIRE(std::llround(double(sum) / 1440) == 52'992);
  REQUIRE(*std::min_element(expected.begin(), expected.end()) == 13'002);
  REQUIRE(*std::max_element(expected.begin(), expected.end()) == 215'241);

  ArrivalModel m = build("trace(file=\"" + file + "\", start_row=0, rows=1440, spread=uniform)");
  RandomStream s = RandomStreams(61).stream("workload/users/arrivals");
  const Counted c = count_windows(m, s, regular_edges(minutes(1), 1441));
  std::uint64_t total = 0;
  for (auto n : c.counts) total += n;
  CHECK(total == sum);
  CHECK(std::vector<std::uint64_t>(c.counts.begin(), c.counts.end() - 1) == expected);
  CHECK(c.ended);
  CHECK(c.out_of_order == 0);
  // Positions within each minute are uniform on [0, 60 s): mean 30 s and variance 300 s^2
  // (60^2 / 12), so the sample mean has sd sqrt(300 / N), 0.002 s here.
  const double n = static_cast<double>(total);
  check_near(c.offset_sum / n, 30.0, 300.0 / n, "mean position in the minute (s)");
  // Their variance: Var((U - 30)^2) = E(U - 30)^4 - 300^2 = 60^4 / 80 - 90,000 = 72,000.
  check_near(c.offset_sum2 / n - std::pow(c.offset_sum / n, 2), 300.0, 72000.0 / n, "variance of the position (s^2)");
}

TEST_CASE("arrivals: azure_functions replays one function's per-minute counts", "[workload]") {
  // The Azure Functions 2019 layout: HashOwner, HashApp, HashFunction, Trigger, 1 .. 1440.
  TempDir dir;
  std::ostringstream csv;
  csv << "HashOwner,HashApp,HashFunction,Trigger";
  for (int m = 1; m <= 1440; ++m) csv << ',' << m;
  csv << '\n';
  auto count0 = [](int m) { return m % 7; };
  auto count1 = [](int m) { return (m * 13) % 50; };
  for (int f = 0; f < 2; ++f) {
    csv << "owner" << f << ",app" << f << ",fn" << f << "hash,http";
    for (int m = 0; m < 1440; ++m) csv << ',' << (f == 0 ? count0(m) : count1(m));
    csv << '\n';
  }
  const std::string file = dir.write("invocations_per_function_md.anon.d01.csv", csv.str());
  SECTION("by HashFunction, the whole day") {
    ArrivalModel m = build("azure_functions(file=\"" + file + "\", function=fn1hash, spread=uniform)");
    RandomStream s = RandomStreams(71).stream("a");
    const Counted c = count_windows(m, s, regular_edges(minutes(1), 1441));
    bool all = true;
    for (int k = 0; k < 1440; ++k) all &= c.counts[k] == static_cast<std::uint64_t>(count1(k));
    CHECK(all);
    CHECK(c.counts[1440] == 0);
    CHECK(c.ended);
  }
  SECTION("by row, a window, compressed") {
    // Minutes 100 .. 109 of function 0, each lasting 30 s.
    ArrivalModel m = build("azure_functions(file=\"" + file +
                           "\", function_row=0, start_minute=100, minutes=10, time_scale=0.5, spread=uniform)");
    RandomStream s = RandomStreams(72).stream("a");
    const Counted c = count_windows(m, s, regular_edges(seconds(30), 11));
    std::vector<std::uint64_t> want;
    for (int k = 100; k < 110; ++k) want.push_back(count0(k));
    want.push_back(0);
    CHECK(c.counts == want);
  }
  SECTION("errors") {
    auto ds = build_problems("azure_functions(file=\"" + file + "\", function=nosuch)");
    INFO(dump(ds));
    CHECK(has(ds, "azure_functions: no row of"));
    CHECK(has(ds, "has HashFunction \"nosuch\" (2 data rows)"));
    ds = build_problems("azure_functions(file=\"" + file + "\")");
    CHECK(has(ds, "give either function (a HashFunction) or function_row"));
    ds = build_problems("azure_functions(file=\"" + file + "\", function_row=5)");
    CHECK(has(ds, "function_row=5 is past the end"));
    ds = build_problems("azure_functions(file=\"" + file + "\", function_row=0, start_minute=1400, minutes=100)");
    CHECK(has(ds, "start_minute + minutes = 1500 is past the day's 1440 minutes"));
  }
}

// ---- registry errors ------------------------------------------------------------------------------

TEST_CASE("arrivals: registry errors name the file and column and row and parameter", "[workload]") {
  TempDir dir;
  const std::string good = dir.write("good.csv", count_csv({5, 6, 7}));
  const std::string bad = dir.write("bad.csv", "period,count\na,5\nb,six\nc,7\n");
  std::vector<Diagnostic> ds;

  ds = build_problems("trace(file=\"" + (dir.path / "missing.csv").string() + "\")");
  INFO(dump(ds));
  CHECK(has(ds, "trace: file \"" + (dir.path / "missing.csv").string() + "\" not found"));
  CHECK(has(ds, "a relative path is taken from the working directory"));

  ds = build_problems("trace(file=\"" + good + "\", column=cont)");
  CHECK(has(ds, "has no column \"cont\" (did you mean \"count\"?)"));
  ds = build_problems("trace(file=\"" + good + "\", column=requests)");
  CHECK(has(ds, "has no column \"requests\" (columns: period, count)"));

  ds = build_problems("trace(file=\"" + bad + "\")");
  CHECK(has(ds, "line 3, column \"count\": \"six\" is not a count"));

  ds = build_problems("trace(file=\"" + good + "\", start_row=3)");
  CHECK(has(ds, "start_row=3 is past the end"));
  ds = build_problems("trace(file=\"" + good + "\", start_row=1, rows=5)");
  CHECK(has(ds, "rows=5 from start_row=1 but"));
  CHECK(has(ds, "has only 2 rows from there"));

  ds = build_problems("trace(file=\"" + good + "\", spread=even, time_scale=0)");
  CHECK(has(ds, "time_scale: 0 must be > 0"));
  ds = build_problems("trace(file=\"" + good + "\", spread=even)");
  CHECK(has(ds, "spread: expected \"poisson\" or \"uniform\", got \"even\""));

  ds = build_problems("diurnal(mean=10, amplitude=1.5)");
  CHECK(ds.size() == 1);
  CHECK(has(ds, "diurnal: amplitude: 1.5 must be <= 1"));

  ds = build_problems("piecewise(rates=[1, 2, 3], durations=[10])");
  CHECK(has(ds, "durations: 1 given for 3 rates; give 3 (or 2: the last rate then holds)"));
  ds = build_problems("piecewise(rates=[0, 0], durations=[10, 10], repeat=true)");
  CHECK(has(ds, "repeat=true needs some rate > 0"));
  ds = build_problems("mmpp(rates=[1, 2], switch=[0.5])");
  CHECK(has(ds, "switch: 1 given for 2 states"));
  ds = build_problems("mmpp(rates=[1, 2], switch=[0.5, 0])");
  CHECK(has(ds, "switch: 0 must be > 0"));
}

TEST_CASE("arrivals: a trace problem is a scenario validation error at the arrival's pointer", "[workload]") {
  nlohmann::json doc = nlohmann::json::parse(R"JSON({
    "schema_version": 1,
    "services": [{"name": "api"}],
    "workloads": [{"name": "users", "target": "api",
                   "arrival": {"model": "trace", "file": "no/such/trace.csv", "spread": "uniform"}}]
  })JSON");
  std::vector<Diagnostic> ds;
  try {
    Scenario::from_json(doc);
  } catch (const ScenarioError& e) {
    ds = e.diagnostics();
  }
  INFO(dump(ds));
  REQUIRE(ds.size() == 1);
  CHECK(has(ds, "trace: file \"no/such/trace.csv\" not found"));
}

TEST_CASE("arrivals: a run replaying a trace gets exactly its requests and then no more", "[workload]") {
  // 30 + 0 + 45 requests in the first three minutes of a 10-minute run.
  TempDir dir;
  const std::string file = dir.write("run.csv", count_csv({30, 0, 45}));
  nlohmann::json doc = nlohmann::json::parse(R"JSON({
    "schema_version": 1,
    "duration": "10m",
    "services": [{"name": "api"}],
    "workloads": [{"name": "users", "target": "api", "arrival": {"model": "trace", "spread": "uniform"}}]
  })JSON");
  doc["workloads"][0]["arrival"]["file"] = file;
  const RunResult r = run(Scenario::from_json(doc));
  CHECK(summary_json(r).at("results").at("workloads").at("users").at("arrivals").get<std::uint64_t>() == 75);
}

// ---- schedule (EventBridge expressions) -----------------------------------------------------------

namespace {
ScheduleArrivals& schedule_of(ArrivalModel& m) { return std::get<ScheduleArrivals>(m); }
}  // namespace

TEST_CASE("arrivals: schedule rate gives count arrivals at each fire time, one period after the start",
          "[workload][arrivals]") {
  // rate(5 minutes) created at t = 0 (start_unix 0): fires at 0 + k * 300 s, k >= 1, so
  // 300 s, 600 s, ...; count=2: two arrivals at each, 300, 300, 600, 600.
  ArrivalModel m = build("schedule(expression=\"rate(5 minutes)\", count=2)");
  schedule_of(m).set_start_unix(0);
  RandomStream s = RandomStreams(81).stream("a");
  SimTime t = SimTime::zero();
  std::vector<SimTime> got;
  for (int i = 0; i < 4; ++i) {
    t = next_arrival(m, t, s);  // from the previous arrival, like the generator
    got.push_back(t);
  }
  CHECK(got == std::vector<SimTime>{seconds(300), seconds(300), seconds(600), seconds(600)});
  // k = 3 and 4 next: 900 s twice, 1200 s twice.
  CHECK(next_arrival(m, t, s) == seconds(900));
  CHECK(next_arrival(m, seconds(900), s) == seconds(900));
  CHECK(next_arrival(m, seconds(900), s) == seconds(1200));
  CHECK(s.blocks_used() == 0);  // no draws

  SECTION("the default count is 1") {
    ArrivalModel one = build("schedule(expression=\"rate(1 hour)\")");
    schedule_of(one).set_start_unix(0);
    CHECK(schedule_of(one).count() == 1);
    CHECK(next_arrival(one, SimTime::zero(), s) == hours(1));
    CHECK(next_arrival(one, hours(1), s) == hours(2));
  }
  SECTION("the anchor is start_unix, whatever its value") {
    // Created at Unix 1,000,000,007: still 300 s, 600 s after the run start.
    ArrivalModel other = build("schedule(expression=\"rate(5 minutes)\")");
    schedule_of(other).set_start_unix(1'000'000'007);
    CHECK(next_arrival(other, SimTime::zero(), s) == seconds(300));
    CHECK(next_arrival(other, seconds(300), s) == seconds(600));
  }
  SECTION("a fire time already passed is skipped with its remaining arrivals") {
    // count=3 at 300 s; one used, then now = 450 s: the next fire >= 450 s is 600 s (3 arrivals).
    ArrivalModel skip = build("schedule(expression=\"rate(5 minutes)\", count=3)");
    schedule_of(skip).set_start_unix(0);
    CHECK(next_arrival(skip, SimTime::zero(), s) == seconds(300));
    CHECK(next_arrival(skip, seconds(450), s) == seconds(600));
    CHECK(next_arrival(skip, seconds(600), s) == seconds(600));
    CHECK(next_arrival(skip, seconds(600), s) == seconds(600));
    CHECK(next_arrival(skip, seconds(600), s) == seconds(900));
    // now = 1200.5 s is past the 1200 s fire: the next is 1500 s.
    CHECK(next_arrival(skip, milliseconds(1'200'500), s) == seconds(1500));
  }
}

TEST_CASE("arrivals: schedule cron fires on matching UTC minutes after start_unix", "[workload][arrivals]") {
  // Start 2026-01-05T08:30:00Z. Days from 1970-01-01 to 2025-01-01: 55 years * 365 + 14 leap days
  // (1972 .. 2024) = 20,089; + 365 (2025) + 4 = 20,458 to 2026-01-05, so the start is
  // 20,458 * 86,400 + 8.5 * 3,600 = 1,767,601,800. cron(0 9 * * ? *) fires daily at 09:00 UTC:
  // 30 min after the start, 1,800 s, then one day later, 1,800 + 86,400 = 88,200 s.
  const std::int64_t start = parse_utc_timestamp("2026-01-05T08:30:00Z");
  REQUIRE(start == 1'767'601'800);
  ArrivalModel m = build("schedule(expression=\"cron(0 9 * * ? *)\")");
  schedule_of(m).set_start_unix(start);
  RandomStream s = RandomStreams(82).stream("a");
  const SimTime first = next_arrival(m, SimTime::zero(), s);
  CHECK(first == seconds(1800));
  const SimTime second = next_arrival(m, first, s);
  CHECK(second == seconds(1800 + 86400));
  CHECK(s.blocks_used() == 0);

  SECTION("count arrivals at each fire") {
    ArrivalModel three = build("schedule(expression=\"cron(0 9 * * ? *)\", count=3)");
    schedule_of(three).set_start_unix(start);
    std::vector<SimTime> got;
    SimTime t = SimTime::zero();
    for (int i = 0; i < 4; ++i) got.push_back(t = next_arrival(three, t, s));
    CHECK(got == std::vector<SimTime>{seconds(1800), seconds(1800), seconds(1800), seconds(1800 + 86400)});
  }
  SECTION("a start exactly on a matching minute does not fire at time 0") {
    // Created at 09:00:00 on the dot: the first fire is strictly after, the next day's 09:00.
    ArrivalModel on_time = build("schedule(expression=\"cron(0 9 * * ? *)\")");
    schedule_of(on_time).set_start_unix(parse_utc_timestamp("2026-01-05T09:00:00Z"));
    CHECK(next_arrival(on_time, SimTime::zero(), s) == seconds(86400));
  }
}

TEST_CASE("arrivals: schedule ends when the cron has no more fires", "[workload][arrivals]") {
  // Years 2020-2024 only, created 2026-01-05: no fire after the start, ever.
  ArrivalModel m = build("schedule(expression=\"cron(0 9 * * ? 2020-2024)\", count=5)");
  schedule_of(m).set_start_unix(parse_utc_timestamp("2026-01-05T08:30:00Z"));
  RandomStream s = RandomStreams(83).stream("a");
  CHECK(next_arrival(m, SimTime::zero(), s).is_infinite());
  CHECK(next_arrival(m, SimTime::zero(), s).is_infinite());  // and stays ended

  // The last fire of a cron limited to 2026: 2026-12-31T09:00:00Z, 360 days + 30 min after the
  // start (2026-01-05 is day 4 of 365), count=2 there, then the end.
  ArrivalModel last = build("schedule(expression=\"cron(0 9 31 12 ? 2026)\", count=2)");
  schedule_of(last).set_start_unix(parse_utc_timestamp("2026-01-05T08:30:00Z"));
  const SimTime at = seconds(360 * 86400 + 1800);
  CHECK(next_arrival(last, SimTime::zero(), s) == at);
  CHECK(next_arrival(last, at, s) == at);
  CHECK(next_arrival(last, at, s).is_infinite());
}

TEST_CASE("arrivals: schedule parameter errors include the schedule expression's message", "[workload][arrivals]") {
  // AWS: a value other than 1 takes the plural unit, "rate(5 minutes)".
  auto ds = build_problems("schedule(expression=\"rate(5 minute)\")");
  INFO(dump(ds));
  REQUIRE(ds.size() == 1);
  CHECK(has(ds, "schedule: expression: invalid schedule expression \"rate(5 minute)\""));
  CHECK(has(ds, "rate unit must be plural for value 5: \"minutes\", not \"minute\""));
  CHECK_THROWS_AS(build("schedule(expression=\"rate(5 minute)\")"), ScenarioError);

  ds = build_problems("schedule(expression=\"cron(0 9 * * * *)\")");
  REQUIRE(ds.size() == 1);
  CHECK(has(ds, "schedule: expression: invalid schedule expression \"cron(0 9 * * * *)\""));

  ds = build_problems("schedule(count=2)");
  CHECK(has(ds, "expression"));
  ds = build_problems("schedule(expression=\"rate(1 day)\", count=0)");
  CHECK(has(ds, "schedule: count: 0 must be >= 1"));
  ds = build_problems("schedule(expression=\"rate(1 day)\", count=100001)");
  CHECK(has(ds, "schedule: count: 100001 must be <= 100000"));
  ds = build_problems("schedule(expression=\"rate(1 day)\", count=1.5)");
  CHECK(has(ds, "count"));
  CHECK_THROWS_AS(ScheduleArrivals(ScheduleExpression::parse("rate(1 day)"), 0), std::invalid_argument);
}

TEST_CASE("arrivals: a bad schedule expression is a scenario validation error at the arrival's pointer",
          "[workload][arrivals]") {
  nlohmann::json doc = nlohmann::json::parse(R"JSON({
    "schema_version": 1,
    "services": [{"name": "api"}],
    "workloads": [{"name": "cron", "target": "api",
                   "arrival": {"model": "schedule", "expression": "rate(5 minute)", "count": 10}}]
  })JSON");
  std::vector<Diagnostic> ds;
  try {
    Scenario::from_json(doc);
  } catch (const ScenarioError& e) {
    ds = e.diagnostics();
  }
  INFO(dump(ds));
  REQUIRE(ds.size() == 1);
  CHECK(has(ds, "schedule: expression: invalid schedule expression \"rate(5 minute)\""));
}
