// Running a scenario: replications, results, and writing them out.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/results.hpp"
#include "fargatelab/custom_policy.hpp"
#include "fargatelab/scenario.hpp"

namespace fargatelab {

struct RunOptions {
  std::optional<std::uint64_t> seed;  // overrides the scenario's seed
  std::optional<int> runs;            // overrides the scenario's replications
  // Called now and then from the simulation thread with the fraction done (0..1). Returning
  // false stops the run: run() then throws RunCancelled.
  std::function<bool(double fraction)> progress;
  // Policies the user brings (custom_policy.hpp), added to their services' scaling; a service
  // without a scaling section gets the default limits (min 1, max 10 x desired count). Unknown or
  // non-ECS services: ScenarioError.
  std::vector<CustomPolicy> policies;
};

struct RunCancelled : std::runtime_error {
  RunCancelled() : std::runtime_error("run cancelled") {}
};

// One row of the time series: one service, one metrics interval, one replication.
struct TimeSeriesRow {
  int replication = 0;
  double time_s = 0;  // end of the interval
  std::string service;
  std::vector<double> values;  // in the order of RunResult::timeseries_columns
};

// One entry of the event log: a model-level event (task state change, run start/end, ...).
struct EventRecord {
  std::uint64_t seq = 0;  // order in the log (shared with TaskTransition)
  int replication = 0;
  double time_s = 0;
  std::string kind;
  std::string entity;
  nlohmann::json fields = nlohmann::json::object();
};

// One row of the capacity time series: a subnet (addresses in use) or a zone (hosts and tasks).
struct CapacityRow {
  int replication = 0;
  double time_s = 0;
  std::string kind;  // "subnet" or "zone"
  std::string name;
  std::vector<double> values;  // in the order of RunResult::capacity_columns
};

// One task's life: where it ran, how long each launch phase took, how it ended.
struct TaskRecord {
  int replication = 0;
  std::string task, group, provider, az, subnet, last_state, stop_code, stopped_reason;
  double created_s = 0, started_s = 0, in_service_s = 0, stopped_s = 0;  // NaN when it did not happen
  std::vector<double> phase_seconds;  // in the order of RunResult::task_phase_columns; NaN if not reached
};

// A task that stopped, or had not started by the end, with the facts of why: what the model knew
// (which subnets were full, which fault refused it, how the scheduler backed off), never parsed
// from the stopped reason. stopped_tasks_table() groups these rows and `fargatelab explain`
// prints each group's chain of causes.
struct StoppedTaskRow {
  int replication = 0;
  std::string task, group, revision;  // group: the service (or standalone task); revision: "initial" or the revision's name
  bool service = false;               // a service's task (else a standalone RunTask task)
  std::string last_state, stop_code, stopped_reason;
  double created_s = 0, stopped_s = 0;  // stopped_s NaN while it had not stopped
  // Why it failed to start (StartFailure kind: "no_free_address", "no_pull_path", "no_capacity",
  // "registry", "secrets", "container"), "az_outage" (lost with its zone), "out_of_memory" (killed
  // at its memory by a leak), "" otherwise.
  std::string cause;
  // no_free_address: the subnets it could use, each (name, usable addresses), all with 0 free;
  // no_pull_path: its subnet.
  std::vector<std::pair<std::string, int>> subnets;
  bool public_subnet = false;
  // registry / secrets / az_outage: the fault (its index in the scenario's "faults"), its window
  // and mode; az_outage: the zone lost ("us-east-1b").
  int fault = -1;
  std::string zone;
  std::string fault_mode;  // registry: "fail" or "throttle"
  double fault_start_s = 0, fault_end_s = 0, throttle_rate = 0;
  int pull_attempts = 0;   // registry: attempts refused
  // out_of_memory (a revision's memory leak): its rate (MiB/h), the task's memory and the
  // serving baseline the leak starts from (MiB).
  double memory_leak_mib_per_hour = 0, memory_mib = 0, memory_baseline_mib = 0;
  // The service's throttle logic after this failure: consecutive failures and the delay before
  // its next launch attempt (0 and 0: none, e.g. a RunTask task, which is not retried).
  int consecutive_failures = 0;
  double restart_delay_s = 0;
  bool counted_by_circuit_breaker = false;
  std::string waiting_for;  // not started by the end: what it was waiting for
};

// A deployment the circuit breaker failed: when, with how many failed tasks of which threshold,
// and the revision it rolled back to ("" when it stalled).
struct CircuitBreakerTrip {
  int replication = 0;
  std::string service, deployment, revision;
  double at_s = 0;
  int failed_tasks = 0, threshold = 0;
  std::string rolled_back_to;
};

// A task state change: the bulk of the event log, kept compact (about 40 bytes instead of a
// JSON object per record) and rendered as an EventRecord of kind "task_state".
struct TaskTransition {
  std::uint64_t seq = 0;
  double time_s = 0;
  std::int32_t replication = 0;
  std::uint32_t task = 0;    // index into RunResult::names
  std::uint32_t reason = 0;  // index into RunResult::names of the stopped reason (0: none)
  std::uint16_t az = 0;      // index into RunResult::names (0: none)
  std::uint8_t state = 0, from = 0, stop_code = 0, provider = 0;  // enums, see to_json(TaskTransition)
  bool created = false;      // the task's first record ("from" is empty)
};

// One span of a sampled request trace: the visit of a request (or one of the calls it caused)
// to one service. Spans of a trace share trace_id; parent_span_id is the calling span (0 for
// the client's request).
struct TraceSpan {
  int replication = 0;
  std::uint64_t trace_id = 0, span_id = 0, parent_span_id = 0;
  std::string workload, request_class, service, kind, outcome;
  std::int32_t task = -1;  // the service's task index that served it; -1 if none did
  double start_s = 0;      // sent by its caller
  double end_s = 0;        // answered (or failed) at the service
};

// One CloudWatch datapoint as it was published (output.cloudwatch_metrics): the statistic over
// [time_s, time_s + period_s), readable from published_s.
struct MetricDatapointRow {
  int replication = 0;
  double time_s = 0, published_s = 0;
  std::string ns, metric, dimensions, statistic;
  double period_s = 0, value = 0;
};

// How a run was made: the head of summary.json.
struct RunInfo {
  std::string scenario, description;  // the scenario's name and description
  std::uint64_t seed = 0;
  int replications = 0;
  double duration_s = 0, warmup_s = 0, metrics_interval_s = 0;
  std::string fingerprint;  // 16 hex digits, over every replication's fingerprint
  std::vector<std::string> warnings;  // "replication r: ..."
  std::vector<std::string> notes;     // the scenario's (what its defaults and builders implied)
};

// One hour of a predictive scaling forecast (GetPredictiveScalingForecast): made at made_at_s
// for the hour starting at hour_s, the load forecast and the capacity it implies (load / target,
// tasks, before the policy's rounding up).
struct ForecastRow {
  int replication = 0;
  std::string service, policy;
  double made_at_s = 0, hour_s = 0, load = 0, capacity = 0;
};

struct RunResult {
  // Deterministic: the same scenario and seed give the same results, and the same summary.json
  // byte for byte (summary_json).
  RunInfo info;
  std::vector<ReplicationResults> per_replication;
  Results results;  // means across replications (with one, each replication's values as they are)
  Results ci95;     // 95 % confidence half-widths of those means (none with one replication)
  std::vector<std::string> timeseries_columns;
  std::vector<TimeSeriesRow> timeseries;
  std::vector<EventRecord> events;
  std::vector<TaskTransition> task_transitions;
  std::vector<std::string> names = {""};  // interned task names, zones and reasons
  std::uint64_t next_seq = 0;
  std::vector<std::string> capacity_columns;
  std::vector<CapacityRow> capacity;
  std::vector<std::string> task_phase_columns;
  std::vector<TaskRecord> tasks;
  std::vector<StoppedTaskRow> stopped_tasks;         // every replication's (stopped_task_log.hpp)
  std::vector<CircuitBreakerTrip> breaker_trips;
  std::vector<TraceSpan> traces;       // sampled (output.trace_sample_rate), bounded per replication
  std::vector<MetricDatapointRow> cloudwatch;  // output.cloudwatch_metrics
  std::vector<ForecastRow> forecasts;          // every predictive policy's forecasts
  std::uint64_t events_processed = 0;  // kernel events, all replications
  double wall_seconds = 0;             // not part of the summary (it would break determinism)
};

RunResult run(const Scenario& scenario, const RunOptions& options = {});

// Writes summary.json, timeseries.csv, capacity.csv, tasks.csv, traces.csv, events.jsonl and
// scenario.json (the resolved input)
// into `dir` (created if missing). Each file is written under a temporary name and renamed
// into place only when all were written, so a failure leaves no partial file. Throws
// std::runtime_error naming the file on failure.
void write_outputs(const RunResult& result, const Scenario& scenario, const std::string& dir);

// summary.json: {"fargatelab_version", "scenario": {"name", "description"}, "seed",
// "replications", "duration_s", "warmup_s", "metrics_interval_s", "results", "ci95",
// "per_replication", "kernel_events", "fingerprint", "warnings", "notes"}. The only place the
// results become JSON (with to_json in results.hpp).
nlohmann::json summary_json(const RunResult& result);

// Text renderings for people and tools (the tables as columns: fargatelab/table.hpp).
std::string summary_table(const RunResult& result);
std::string summary_json_text(const RunResult& result);  // pretty JSON, trailing newline
std::string timeseries_csv_text(const RunResult& result);
std::string events_jsonl_text(const RunResult& result);  // events and task transitions, in order
std::string capacity_csv_text(const RunResult& result);
std::string tasks_csv_text(const RunResult& result);
std::string traces_csv_text(const RunResult& result);

// `fargatelab explain`: the run's stopped tasks grouped by stop code and stopped reason (count,
// first and last time, services, revisions), and tasks that never left PROVISIONING or PENDING,
// each group with its chain of causes in ECS's words. Deterministic.
std::string explain_text(const RunResult& result);
nlohmann::ordered_json explain_json(const RunResult& result);

std::string version();

}  // namespace fargatelab
