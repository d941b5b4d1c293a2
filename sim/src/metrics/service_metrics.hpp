// The metrics observer: listens to every service's request_done signal and samples each
// service once per metrics interval (after all other events of that instant). It never
// changes the model (practice 11).
//
// Accounting: every measured request ends in exactly one of ok, timeout, rejected,
// no_capacity, or in flight at the end. A response slower than the client timeout counts as
// a timeout, not as ok: the client had given up.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/engine.hpp"
#include "fargatelab/metrics.hpp"
#include "fargatelab/run.hpp"
#include "metrics/task_metrics.hpp"
#include "serving/service.hpp"
#include "workload/generator.hpp"

namespace fargatelab::detail {

// Column names of the time series, in order.
const std::vector<std::string>& timeseries_columns();

class ServiceMetrics {
 public:
  ServiceMetrics(Simulation& sim, RequestPool& pool, std::vector<Service*> services,
                 std::vector<WorkloadGenerator*> workloads, const TaskMetrics& tasks, Duration interval,
                 int replication, std::vector<TimeSeriesRow>& rows);
  // Starts the measured period (the end of warm-up): CPU use is counted from here.
  void begin_measurement();
  // Ends the measurement at the current time: closes the last partial interval and classifies
  // requests still in flight. Returns this replication's summary.
  nlohmann::json finish();
  // FNV-1a over (time, service, outcome) of every finished request, in order.
  std::uint64_t fingerprint() const noexcept { return fingerprint_; }

 private:
  struct Counts {
    std::uint64_t ok = 0, timeout = 0, rejected = 0, no_capacity = 0, reset = 0;
    std::uint64_t total() const noexcept { return ok + timeout + rejected + no_capacity + reset; }
  };
  struct PerService {
    Counts counts;
    QuantileSketch latency;  // seconds, ok responses
    Counts interval_counts;
    QuantileSketch interval_latency;
    double cpu_at_interval_start = 0, reserved_at_interval_start = 0;
    double cpu_at_measure_start = 0, reserved_at_measure_start = 0;
  };
  struct PerWorkload {
    Counts counts;
    QuantileSketch latency;
  };
  void on_done(std::uint32_t service, RequestId id, Outcome outcome);
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
  std::vector<PerService> per_service_;
  std::vector<PerWorkload> per_workload_;
  SimTime interval_start_;
  SimTime measure_start_;
  std::uint64_t fingerprint_ = 14695981039346656037ull;
};

}  // namespace fargatelab::detail
