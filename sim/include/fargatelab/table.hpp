// Results as typed columns: what Python turns into DataFrames without parsing text (one numpy
// array per column), and what tests compare with the CSV files. The CSV writers stay the format
// on disk; these are the in-memory form of the same tables, with the same column names in the
// same order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/run.hpp"

namespace fargatelab {

// One column: whole numbers (counts, ids), real numbers (NaN where undefined), text (each
// distinct value stored once, rows hold its index; kMissing where a row has none), or JSON
// values (event fields that are neither; discarded values where a row has none).
struct TableColumn {
  enum class Type { integer, real, text, json };
  static constexpr std::uint32_t kMissing = 0xffffffffu;

  std::string name;
  Type type = Type::real;
  std::vector<std::int64_t> integers;
  std::vector<double> reals;
  std::vector<std::uint32_t> codes;     // text: index into `dictionary`, or kMissing
  std::vector<std::string> dictionary;  // text: the distinct values
  std::vector<nlohmann::json> json;     // json: one value per row (discarded: none)

  std::size_t size() const;
};

// Columns of equal length, in order.
struct Table {
  std::vector<TableColumn> columns;
  std::size_t rows() const { return columns.empty() ? 0 : columns.front().size(); }
  const TableColumn& at(std::string_view name) const;  // throws std::out_of_range
};

// Builds a text column, storing each distinct value once.
class TextColumnBuilder {
 public:
  explicit TextColumnBuilder(std::string name);
  void add(std::string_view value);
  void add_missing();
  TableColumn take();

 private:
  TableColumn column_;
  std::unordered_map<std::string, std::uint32_t> index_;
};

// The tables of a run, column for column as in timeseries.csv, capacity.csv, tasks.csv and
// traces.csv. Counts and ids are integers (replication, trace and span ids, task indexes, the
// time-series counts); times, latencies, percentages and every capacity value are real (NaN where
// the CSV has an empty field: a capacity row fills only its kind's columns).
Table timeseries_table(const RunResult& result);
Table capacity_table(const RunResult& result);
Table tasks_table(const RunResult& result);
Table traces_table(const RunResult& result);
// Every CloudWatch datapoint published (output.cloudwatch_metrics), as in cloudwatch.csv:
// replication, time_s (the period's start), published_s (when alarms and policies could read
// it), namespace, metric, dimensions, statistic, period_s, value.
Table cloudwatch_table(const RunResult& result);
// Every predictive scaling forecast (forecasts.csv when there is one): replication, service,
// policy, made_at_s, hour_s, load, capacity.
Table forecasts_table(const RunResult& result);
// The run's stopped tasks grouped by stop code and stopped reason, then the tasks not started by
// the end grouped by what they waited for (`fargatelab explain`, Python's Result.stopped_tasks()):
// stop_code ("" when not started), stopped_reason (or what it waited for), last_state, tasks (a
// count over every replication), first_s and last_s (when they stopped; not started: created),
// services and revisions (", "-separated, in order of first appearance), cause (the chain of
// causes, steps separated by " → ").
Table stopped_tasks_table(const RunResult& result);
// The event log as in events.jsonl, one row per line in log order: replication, t, kind, entity,
// then every field in the order it first appears. A field is integer if every row has a whole
// number, real if every row that has it has a number (NaN elsewhere), text if every row that has
// it has text (missing elsewhere), else JSON.
Table events_table(const RunResult& result);
// The results across replications (RunResult::results, typed): one row per service ("service",
// requests, ok, each error cause, throughput, CPU, tasks, task load, latency_<stat>_ms), and one
// per workload and request class ("workload", "request_class", requests, ok, errors_<cause>,
// latency_<stat>_ms): Python's Result.services() and Result.workloads(). A column is integer
// while every row holds a count (one replication), else real with NaN where a figure is none.
Table service_results_table(const RunResult& result);
Table workload_results_table(const RunResult& result);

}  // namespace fargatelab
