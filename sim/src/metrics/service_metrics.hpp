// The metrics observer: listens to every service's request_done signal and samples each
// service once per metrics interval (after all other events of that instant). It never
// changes the model (practice 11).
//
// Accounting: every measured request a service receives ends in exactly one outcome (ok,
// timeout, or an error by cause) or is in flight at the end. An answer later than the caller's
// deadline counts as a timeout, not as ok: the caller had given up. Services count every
// request they receive (client requests, calls, messages); workloads and their request
// classes count their own requests end to end. Duplicate message deliveries are counted apart.
// Traced requests (sampled by the workload) leave one span per service visited.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "fargatelab/engine.hpp"
#include "fargatelab/metrics.hpp"
#include "fargatelab/results.hpp"
#include "fargatelab/run.hpp"
#include "metrics/task_metrics.hpp"
#include "serving/service.hpp"
#include "workload/generator.hpp"

namespace fargatelab::detail {

// Column names of the time series, in order.
const std::vector<std::string>& timeseries_columns();

class ServiceMetrics {
 public:
  // The latency objective workloads report "within_slo" against (default 500 ms).
  void set_slo(Duration slo) noexcept { slo_ = slo; }
  // The scenario can answer application errors: the results carry errors.app_error.
  void set_app_errors(bool on) noexcept { app_errors_ = on; }
  ServiceMetrics(Simulation& sim, RequestPool& pool, std::vector<Service*> services,
                 std::vector<WorkloadGenerator*> workloads, const TaskMetrics& tasks, Duration interval,
                 int replication, std::vector<TimeSeriesRow>& rows, std::vector<TraceSpan>* traces = nullptr,
                 std::int64_t max_spans = 0);
  // Starts the measured period (the end of warm-up): CPU use is counted from here.
  void begin_measurement();
  // Ends the measurement at the current time: closes the last partial interval and classifies
  // requests still in flight. Fills `out`'s services (all but tasks_launch and the platforms'
  // parts), workloads and clients.
  void finish(Results& out);
  // FNV-1a over (time, service, outcome) of every finished request, in order.
  std::uint64_t fingerprint() const noexcept { return fingerprint_; }

 private:
  struct Counts {
    std::array<std::uint64_t, kOutcomeCount> by{};  // by[ok] counts answers within the deadline only
    std::uint64_t timeout = 0;
    std::uint64_t total() const noexcept;
    std::uint64_t errors() const noexcept { return total() - by[0]; }
  };
  struct PerService {
    Counts counts;
    QuantileSketch latency;  // seconds, ok responses
    Counts interval_counts;
    QuantileSketch interval_latency;
    std::uint64_t duplicates = 0;           // second and later deliveries of a message, processed
    std::uint64_t dead_lettered_copies = 0; // ... or moved to the dead-letter queue
    double cpu_at_interval_start = 0, reserved_at_interval_start = 0;
    double cpu_at_measure_start = 0, reserved_at_measure_start = 0;
    std::vector<std::uint64_t> served_at_measure_start;  // by server
    std::vector<double> cpu_at_measure_start_by_server;
    std::size_t max_queue_visible = 0;
    // Scale from zero (a scaled service): the first measured arrival with no live server (s),
    // and seconds from it to the next ok answer; NaN until they happen.
    double zero_arrival_s = NAN, first_response_after_zero_s = NAN;
  };
  struct PerClass {
    Counts counts;
    QuantileSketch latency;
  };
  struct PerWorkload {
    Counts counts;
    QuantileSketch latency;
    std::vector<PerClass> classes;
  };
  static void count(Counts& c, Outcome outcome, bool late);
  Errors errors_of(const Counts& c) const;
  ClientResults clients_of(const Counts& c, const QuantileSketch& latency, std::uint64_t arrivals) const;
  void record_span(const Request& r, Outcome outcome);
  void on_done(std::uint32_t service, RequestId id, Outcome outcome);
  void on_arrival(std::uint32_t service);
  void sample();
  double cpu_seconds(std::size_t service) const;

  Simulation& sim_;
  RequestPool& pool_;
  std::vector<Service*> services_;
  std::vector<WorkloadGenerator*> workloads_;
  const TaskMetrics& tasks_;
  Duration interval_;
  int replication_;
  std::vector<TimeSeriesRow>& rows_;
  std::vector<TraceSpan>* traces_;
  std::int64_t max_spans_;
  std::int64_t spans_ = 0;
  std::vector<PerService> per_service_;
  std::vector<PerWorkload> per_workload_;
  SimTime interval_start_;
  SimTime measure_start_;
  std::uint64_t fingerprint_ = 14695981039346656037ull;
  Duration slo_ = SimTime::from_ns(500'000'000);
  bool app_errors_ = false;
};

}  // namespace fargatelab::detail
