// The classic hold model, the standard benchmark of a future-event list (Vaucher & Duval 1975;
// Jones 1986): N events are pending; each step pops the earliest and pushes one new event at
// now + Exp(1) (unit: one simulated second), so the list stays at N entries.
//
//   hold_bench [--events K] [--sizes 1000,10000,100000,1000000] [--repeats R] [--json]
//
// For each N, R times (default 3): a fresh Simulation, N seeded events, a warm-up of N events
// (so the heap has the shape of steady state and every array has grown), then K timed events
// (default 20 million, raised to at least 10 N) measured with std::chrono::steady_clock.
// Reported: events/s and ns/event (best and median of the R runs), the bytes the event list
// holds per pending event (EventQueue::memory_bytes() / N) and the process's peak RSS
// (VmHWM, process-wide and monotone, so it is the high-water mark of every N up to this one).
//
// A benchmark, never a timed unit test: tests/perf/run_benchmarks.py runs it beside SimPy.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "fargatelab/engine.hpp"
#include "fargatelab/random.hpp"
#include "fargatelab/time.hpp"
#include "kernel/kernel.hpp"

namespace {

using namespace fargatelab;

// One object serves every pending event: each firing schedules its successor.
struct Hold {
  Simulation* sim;
  RandomStream rs;
  Exponential exp{1.0};
  Duration delay() noexcept { return SimTime::from_ns(static_cast<std::int64_t>(exp.sample(rs) * 1e9)); }
  void fire() { sim->schedule_in(delay(), bind<&Hold::fire>(this)); }
};

struct Run {
  double seconds = 0;
  std::uint64_t events = 0;
  std::size_t queue_bytes = 0;
  std::size_t pending = 0;
};

Run run_once(std::size_t n, std::uint64_t k, std::uint32_t rep) {
  Simulation sim;
  Hold hold{&sim, RandomStream(kDefaultSeed, stream_id("hold"), rep)};
  for (std::size_t i = 0; i < n; ++i) sim.schedule_in(hold.delay(), bind<&Hold::fire>(&hold));

  // The poll hook is checked once every `every` events of a run() call; returning false ends the
  // run right there, so run() executes exactly `every` events with no per-event cost of ours.
  const auto stop = [] { return false; };
  sim.set_poll_hook(stop, n);
  const RunStats warm = sim.run();
  if (warm.events != n) throw std::runtime_error("warm-up ran " + std::to_string(warm.events) + " events");

  sim.set_poll_hook(stop, k);
  const auto t0 = std::chrono::steady_clock::now();
  const RunStats st = sim.run();
  const auto t1 = std::chrono::steady_clock::now();
  if (st.events != k) throw std::runtime_error("timed run ran " + std::to_string(st.events) + " events");

  Run r;
  r.seconds = std::chrono::duration<double>(t1 - t0).count();
  r.events = st.events;
  r.queue_bytes = sim.kernel().queue.memory_bytes();
  r.pending = sim.pending_events();
  if (r.pending != n) throw std::runtime_error("pending events drifted from N");
  return r;
}

// A field of /proc/self/status in bytes (the kernel reports kB); 0 if unavailable.
std::size_t proc_status_bytes(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::size_t len = std::strlen(field);
  while (std::getline(in, line))
    if (line.compare(0, len, field) == 0 && line.size() > len && line[len] == ':')
      return static_cast<std::size_t>(std::strtoull(line.c_str() + len + 1, nullptr, 10)) * 1024;
  return 0;
}

struct Result {
  std::size_t n = 0;
  std::uint64_t events = 0;
  std::vector<double> rates;  // events/s, one per repeat
  double best = 0, median = 0;
  std::size_t queue_bytes = 0;
  std::size_t peak_rss = 0;
};

std::vector<std::size_t> parse_sizes(const std::string& s) {
  std::vector<std::size_t> out;
  std::size_t pos = 0;
  while (pos <= s.size()) {
    const std::size_t comma = std::min(s.find(',', pos), s.size());
    const std::string item = s.substr(pos, comma - pos);
    if (!item.empty()) {
      char* end = nullptr;
      const double v = std::strtod(item.c_str(), &end);  // accepts 1e4 as well as 10000
      if (end == item.c_str() || *end != '\0' || !(v >= 1) || v > 1e9)
        throw std::invalid_argument("bad size '" + item + "'");
      out.push_back(static_cast<std::size_t>(v));
    }
    pos = comma + 1;
  }
  if (out.empty()) throw std::invalid_argument("--sizes is empty");
  return out;
}

std::uint64_t parse_count(const std::string& s, const char* what) {
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || *end != '\0' || !(v >= 1) || v > 1e12)
    throw std::invalid_argument(std::string("bad ") + what + " '" + s + "'");
  return static_cast<std::uint64_t>(v);
}

std::string compiler() {
#if defined(__clang__)
  return std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
  return std::string("g++ ") + __VERSION__;
#else
  return "unknown";
#endif
}

void usage(std::FILE* f) {
  std::fprintf(f,
               "usage: hold_bench [--events K] [--sizes 1000,10000,100000,1000000] [--repeats R] [--json]\n"
               "  --events K   timed events per run (default 20000000; raised to at least 10 N)\n"
               "  --sizes L    comma-separated numbers of pending events N\n"
               "  --repeats R  runs per N, each on a fresh Simulation (default 3)\n"
               "  --json       print JSON instead of a table\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t events = 20'000'000;
  std::vector<std::size_t> sizes{1'000, 10'000, 100'000, 1'000'000};
  int repeats = 3;
  bool json = false;
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      auto value = [&]() -> std::string {
        if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
        return argv[++i];
      };
      if (a == "--events") events = parse_count(value(), "--events");
      else if (a == "--sizes") sizes = parse_sizes(value());
      else if (a == "--repeats") repeats = static_cast<int>(std::min<std::uint64_t>(parse_count(value(), "--repeats"), 100));
      else if (a == "--json") json = true;
      else if (a == "-h" || a == "--help") { usage(stdout); return 0; }
      else throw std::invalid_argument("unknown argument '" + a + "'");
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hold_bench: %s\n", e.what());
    usage(stderr);
    return 2;
  }

  std::vector<Result> results;
  try {
    for (const std::size_t n : sizes) {
      Result res;
      res.n = n;
      res.events = std::max<std::uint64_t>(events, 10 * static_cast<std::uint64_t>(n));
      for (int r = 0; r < repeats; ++r) {
        const Run run = run_once(n, res.events, static_cast<std::uint32_t>(r));
        res.rates.push_back(static_cast<double>(run.events) / run.seconds);
        res.queue_bytes = std::max(res.queue_bytes, run.queue_bytes);
      }
      std::vector<double> sorted = res.rates;
      std::sort(sorted.begin(), sorted.end());
      res.best = sorted.back();
      const std::size_t m = sorted.size();
      res.median = m % 2 ? sorted[m / 2] : 0.5 * (sorted[m / 2 - 1] + sorted[m / 2]);
      res.peak_rss = proc_status_bytes("VmHWM");
      results.push_back(res);
      if (!json) std::fprintf(stderr, "N=%zu done\n", n);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hold_bench: %s\n", e.what());
    return 1;
  }

  if (json) {
    std::printf("{\n  \"benchmark\": \"hold\",\n  \"engine\": \"fargatelab\",\n  \"compiler\": \"%s\",\n"
                "  \"optimized\": %s,\n  \"repeats\": %d,\n  \"peak_rss_note\": \"VmHWM of the whole process, "
                "monotone across N\",\n  \"results\": [\n",
                compiler().c_str(),
#ifdef __OPTIMIZE__
                "true",
#else
                "false",
#endif
                repeats);
    for (std::size_t i = 0; i < results.size(); ++i) {
      const Result& r = results[i];
      std::printf("    {\"n\": %zu, \"events\": %llu, \"events_per_s\": [", r.n,
                  static_cast<unsigned long long>(r.events));
      for (std::size_t j = 0; j < r.rates.size(); ++j) std::printf("%s%.0f", j ? ", " : "", r.rates[j]);
      std::printf("], \"best_events_per_s\": %.0f, \"median_events_per_s\": %.0f, \"best_ns_per_event\": %.3f, "
                  "\"median_ns_per_event\": %.3f, \"queue_bytes\": %zu, \"bytes_per_pending_event\": %.1f, "
                  "\"peak_rss_bytes\": %zu}%s\n",
                  r.best, r.median, 1e9 / r.best, 1e9 / r.median, r.queue_bytes,
                  static_cast<double>(r.queue_bytes) / static_cast<double>(r.n), r.peak_rss,
                  i + 1 < results.size() ? "," : "");
    }
    std::printf("  ]\n}\n");
  } else {
    std::printf("hold model, fargatelab (%s), %d runs per N, best / median\n", compiler().c_str(), repeats);
    std::printf("%10s %12s %14s %14s %10s %10s %12s %14s\n", "N", "events", "best ev/s", "median ev/s", "best ns",
                "median ns", "bytes/event", "peak RSS MiB*");
    for (const Result& r : results)
      std::printf("%10zu %12llu %14.0f %14.0f %10.2f %10.2f %12.1f %14.1f\n", r.n,
                  static_cast<unsigned long long>(r.events), r.best, r.median, 1e9 / r.best, 1e9 / r.median,
                  static_cast<double>(r.queue_bytes) / static_cast<double>(r.n),
                  static_cast<double>(r.peak_rss) / (1024.0 * 1024.0));
    std::printf("* peak RSS is VmHWM of the whole process: monotone, so it includes every earlier N.\n");
  }
  return 0;
}
