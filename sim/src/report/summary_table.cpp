// The summary as a table for a terminal: one row per service, then one per workload.
#include <cmath>

#include <fmt/format.h>

#include "report/text_table.hpp"

#include "fargatelab/run.hpp"

namespace fargatelab {
namespace {

using nlohmann::json;

double value(const json& j) { return j.is_number() ? j.get<double>() : NAN; }

// "12.3" or "12.3 ±0.4" when a confidence half-width exists.
std::string cell(const json& mean, const json& ci, int decimals) {
  const double m = value(mean);
  if (!std::isfinite(m)) return "-";
  std::string s = fmt::format("{:.{}f}", m, decimals);
  const double h = value(ci);
  if (std::isfinite(h) && h > 0) s += fmt::format(" ±{:.{}f}", h, decimals);
  return s;
}

struct Column {
  std::string title;
  std::vector<std::string> path;
  int decimals;
};

const json& at_path(const json& j, const std::vector<std::string>& path) {
  static const json null;
  const json* cur = &j;
  for (const auto& p : path) {
    if (!cur->is_object() || !cur->contains(p)) return null;
    cur = &cur->at(p);
  }
  return *cur;
}

// Rows in the order of `rows` (an ordered_json keeps insertion order, a json sorts by name).
template <class Rows>
std::string render(const std::string& first_title, const Rows& rows, const Rows& cis, const std::vector<Column>& cols) {
  std::vector<std::vector<std::string>> table;
  std::vector<std::string> header{first_title};
  for (const auto& c : cols) header.push_back(c.title);
  table.push_back(header);
  for (const auto& [name, row] : rows.items()) {
    std::vector<std::string> line{name};
    const json r = row, ci = cis.contains(name) ? json(cis.at(name)) : json();  // once per row
    for (const auto& c : cols) line.push_back(cell(at_path(r, c.path), at_path(ci, c.path), c.decimals));
    table.push_back(line);
  }
  return detail::text_table(table);
}

}  // namespace

std::string summary_table(const RunResult& r) {
  const json& s = r.summary;
  std::string out = fmt::format("{} — {} replication{}, {:g} s simulated after {:g} s warm-up, seed {}\n\n",
                                s.at("scenario").at("name").get<std::string>(), s.at("replications").get<int>(),
                                s.at("replications").get<int>() == 1 ? "" : "s", s.at("duration_s").get<double>(),
                                s.at("warmup_s").get<double>(), s.at("seed").get<std::uint64_t>());
  const std::vector<Column> service_cols = {
      {"requests", {"requests"}, 0},         {"ok", {"ok"}, 0},
      {"errors", {"errors_total"}, 0},        {"timeouts", {"errors", "timeout"}, 0},
      {"req/s", {"throughput_rps"}, 2},      {"p50 ms", {"latency_ms", "p50"}, 1},
      {"p95 ms", {"latency_ms", "p95"}, 1},  {"p99 ms", {"latency_ms", "p99"}, 1},
      {"max ms", {"latency_ms", "max"}, 1},  {"tasks", {"tasks"}, 1},
      {"CPU %", {"cpu_utilization_pct"}, 1},
  };
  out += render("service", s.at("results").at("services"), s.at("ci95").at("services"), service_cols);
  const std::vector<Column> workload_cols = {
      {"arrivals", {"arrivals"}, 0},         {"ok", {"ok"}, 0},
      {"errors", {"errors_total"}, 0},        {"timeouts", {"errors", "timeout"}, 0},
      {"p50 ms", {"latency_ms", "p50"}, 1},  {"p99 ms", {"latency_ms", "p99"}, 1},
  };
  out += "\n" + render("workload", s.at("results").at("workloads"), s.at("ci95").at("workloads"), workload_cols);
  const std::vector<Column> task_cols = {
      {"launched", {"tasks_launch", "launched"}, 0},
      {"failed", {"tasks_launch", "failed_to_start"}, 0},
      {"spot int.", {"tasks_launch", "spot_interruptions"}, 0},
      {"to RUNNING p50 s", {"tasks_launch", "time_to_running_s", "p50"}, 1},
      {"p90 s", {"tasks_launch", "time_to_running_s", "p90"}, 1},
      {"to in service p50 s", {"tasks_launch", "time_to_in_service_s", "p50"}, 1},
      {"p90 s", {"tasks_launch", "time_to_in_service_s", "p90"}, 1},
  };
  // ECS services get the task launch table, Lambda functions their own.
  json ecs = json::object(), functions = json::object();
  for (const auto& [name, row] : s.at("results").at("services").items()) (row.contains("lambda") ? functions : ecs)[name] = row;
  if (!ecs.empty()) out += "\n" + render("tasks of", ecs, s.at("ci95").at("services"), task_cols);
  if (!functions.empty()) {
    const std::vector<Column> lambda_cols = {
        {"invocations", {"lambda", "invocations"}, 0},
        {"cold starts", {"lambda", "cold_starts"}, 0},
        {"cold %", {"lambda", "cold_start_pct"}, 2},
        {"throttled", {"lambda", "throttles"}, 0},
        {"environments mean", {"lambda", "environments_mean"}, 1},
        {"max", {"lambda", "environments_max"}, 0},
    };
    out += "\n" + render("function", functions, s.at("ci95").at("services"), lambda_cols);
  }
  if (!s.at("results").at("standalone_tasks").empty()) {
    const std::vector<Column> standalone_cols = {
        {"launched", {"launched"}, 0},
        {"failed", {"failed_to_start"}, 0},
        {"spot int.", {"spot_interruptions"}, 0},
        {"to RUNNING p50 s", {"time_to_running_s", "p50"}, 1},
        {"p90 s", {"time_to_running_s", "p90"}, 1},
    };
    out += "\n" + render("standalone", s.at("results").at("standalone_tasks"), s.at("ci95").at("standalone_tasks"), standalone_cols);
  }
  if (s.at("results").contains("ec2")) {
    const std::vector<Column> ec2_cols = {
        {"instances mean", {"instances_mean"}, 1},
        {"peak", {"instances_peak_sampled"}, 0},
        {"launched", {"instances_launched"}, 0},
        {"terminated", {"instances_terminated"}, 0},
        {"spot int.", {"spot_interruptions"}, 0},
        {"instance-hours", {"instance_hours"}, 2},
    };
    out += "\n" + render("EC2 capacity", s.at("results").at("ec2").at("capacity_providers"),
                         s.at("ci95").at("ec2").at("capacity_providers"), ec2_cols);
  }
  if (s.at("replications").get<int>() > 1) out += "\n± is the half-width of the 95% confidence interval across replications.\n";
  for (const auto& w : s.at("warnings")) out += "warning: " + w.get<std::string>() + "\n";
  return out;
}

}  // namespace fargatelab
