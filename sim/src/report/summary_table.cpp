// The summary as a table for a terminal: one row per service, then one per workload, the ECS
// services' task launches, each platform block's own table (Lambda's functions, EC2's capacity
// providers) and the standalone tasks. Cells read the typed results (fargatelab/results.hpp).
#include <cmath>
#include <functional>
#include <map>

#include <fmt/format.h>

#include "report/text_table.hpp"

#include "fargatelab/run.hpp"

namespace fargatelab {
namespace {

// "12.3" or "12.3 ±0.4" when a confidence half-width exists.
std::string cell(const Number& mean, const Number& ci, int decimals) {
  const double m = mean.value();
  if (!std::isfinite(m)) return "-";
  std::string s = fmt::format("{:.{}f}", m, decimals);
  const double h = ci.value();
  if (std::isfinite(h) && h > 0) s += fmt::format(" ±{:.{}f}", h, decimals);
  return s;
}

template <class T>
struct Column {
  std::string title;
  std::function<Number(const T&)> value;
  int decimals;
};

// One row per entry of `rows` (by name), its half-widths from the same entry of `cis`.
template <class T>
void add_rows(std::vector<std::vector<std::string>>& table, const std::string& name, const T& row, const T* ci,
              const std::vector<Column<T>>& cols) {
  std::vector<std::string> line{name};
  for (const auto& c : cols) line.push_back(cell(c.value(row), ci ? c.value(*ci) : Number(), c.decimals));
  table.push_back(std::move(line));
}

template <class T>
std::vector<std::vector<std::string>> header(const std::string& first_title, const std::vector<Column<T>>& cols) {
  std::vector<std::string> h{first_title};
  for (const auto& c : cols) h.push_back(c.title);
  return {h};
}

template <class T>
const T* find(const std::map<std::string, T>& m, const std::string& key) {
  const auto it = m.find(key);
  return it == m.end() ? nullptr : &it->second;
}

template <class T>
std::string render(const std::string& first_title, const std::map<std::string, T>& rows, const std::map<std::string, T>& cis,
                   const std::vector<Column<T>>& cols) {
  auto table = header(first_title, cols);
  for (const auto& [name, row] : rows) add_rows(table, name, row, find(cis, name), cols);
  return detail::text_table(table);
}

// The tables of platform blocks, by heading in order of first appearance: each block's rows
// with the half-widths of the same rows of its ci block.
struct BlockTables {
  std::vector<std::string> order;
  std::map<std::string, std::vector<std::vector<std::string>>> tables;

  void add(const PlatformBlock& mean, const PlatformBlock* ci, const std::string& owner) {
    const BlockTable t = mean.summary_table(owner);
    if (t.heading.empty()) return;
    const BlockTable c = ci ? ci->summary_table(owner) : BlockTable{};
    auto [it, added] = tables.try_emplace(t.heading);
    if (added) {
      order.push_back(t.heading);
      std::vector<std::string> h{t.heading};
      for (const auto& col : t.columns) h.push_back(col.title);
      it->second.push_back(std::move(h));
    }
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      std::vector<std::string> line{t.rows[r].name};
      for (std::size_t k = 0; k < t.columns.size(); ++k) {
        const Number h = r < c.rows.size() && k < c.rows[r].values.size() ? c.rows[r].values[k] : Number();
        line.push_back(cell(t.rows[r].values[k], h, t.columns[k].decimals));
      }
      it->second.push_back(std::move(line));
    }
  }
  std::string text() const {
    std::string out;
    for (const auto& heading : order) out += "\n" + detail::text_table(tables.at(heading));
    return out;
  }
};

// The ci block of the same key as `mean` (the aggregation keeps them in the same order).
const PlatformBlock* matching(const PlatformBlocks& cis, const PlatformBlock& mean) {
  for (const auto& b : cis)
    if (b->key() == mean.key()) return b.get();
  return nullptr;
}

bool has_own_table(const ServiceResults& s) {
  for (const auto& b : s.platform)
    if (!b->summary_table("").heading.empty()) return true;
  return false;
}

}  // namespace

std::string summary_table(const RunResult& r) {
  const RunInfo& info = r.info;
  const Results& mean = r.results;
  const Results& ci = r.ci95;
  std::string out = fmt::format("{} — {} replication{}, {:g} s simulated after {:g} s warm-up, seed {}\n\n", info.scenario,
                                info.replications, info.replications == 1 ? "" : "s", info.duration_s, info.warmup_s, info.seed);
  using S = ServiceResults;
  const std::vector<Column<S>> service_cols = {
      {"requests", [](const S& s) { return s.requests; }, 0},
      {"ok", [](const S& s) { return s.ok; }, 0},
      {"errors", [](const S& s) { return s.errors_total; }, 0},
      {"timeouts", [](const S& s) { return s.errors.timeout; }, 0},
      {"req/s", [](const S& s) { return s.throughput_rps; }, 2},
      {"p50 ms", [](const S& s) { return s.latency_ms.p50; }, 1},
      {"p95 ms", [](const S& s) { return s.latency_ms.p95; }, 1},
      {"p99 ms", [](const S& s) { return s.latency_ms.p99; }, 1},
      {"max ms", [](const S& s) { return s.latency_ms.max; }, 1},
      {"tasks", [](const S& s) { return s.tasks; }, 1},
      {"CPU %", [](const S& s) { return s.cpu_utilization_pct; }, 1},
  };
  out += render("service", mean.services, ci.services, service_cols);
  using W = WorkloadResults;
  const std::vector<Column<W>> workload_cols = {
      {"arrivals", [](const W& w) { return w.arrivals; }, 0},
      {"ok", [](const W& w) { return w.ok; }, 0},
      {"errors", [](const W& w) { return w.errors_total; }, 0},
      {"timeouts", [](const W& w) { return w.errors.timeout; }, 0},
      {"p50 ms", [](const W& w) { return w.latency_ms.p50; }, 1},
      {"p99 ms", [](const W& w) { return w.latency_ms.p99; }, 1},
  };
  out += "\n" + render("workload", mean.workloads, ci.workloads, workload_cols);
  using L = TaskLaunches;
  const std::vector<Column<L>> launch_cols = {
      {"launched", [](const L& l) { return l.launched; }, 0},
      {"failed", [](const L& l) { return l.failed_to_start; }, 0},
      {"spot int.", [](const L& l) { return l.spot_interruptions; }, 0},
      {"to RUNNING p50 s", [](const L& l) { return l.time_to_running_s.p50; }, 1},
      {"p90 s", [](const L& l) { return l.time_to_running_s.p90; }, 1},
  };
  std::vector<Column<L>> task_cols = launch_cols;
  task_cols.push_back({"to in service p50 s", [](const L& l) { return l.time_to_in_service_s.p50; }, 1});
  task_cols.push_back({"p90 s", [](const L& l) { return l.time_to_in_service_s.p90; }, 1});
  // ECS services get the task launch table; a service whose platform block has a table of its
  // own (Lambda's functions) is shown there instead.
  auto tasks = header("tasks of", task_cols);
  BlockTables service_blocks;
  for (const auto& [name, s] : mean.services) {
    const ServiceResults* sci = find(ci.services, name);
    if (!has_own_table(s)) add_rows(tasks, name, s.tasks_launch, sci ? &sci->tasks_launch : nullptr, task_cols);
    for (const auto& b : s.platform) service_blocks.add(*b, sci ? matching(sci->platform, *b) : nullptr, name);
  }
  if (tasks.size() > 1) out += "\n" + detail::text_table(tasks);
  out += service_blocks.text();
  if (!mean.standalone_tasks.empty()) out += "\n" + render("standalone", mean.standalone_tasks, ci.standalone_tasks, launch_cols);
  BlockTables run_blocks;
  for (const auto& b : mean.platforms) run_blocks.add(*b, matching(ci.platforms, *b), "");
  out += run_blocks.text();
  if (info.replications > 1) out += "\n± is the half-width of the 95% confidence interval across replications.\n";
  for (const auto& w : info.warnings) out += "warning: " + w + "\n";
  return out;
}

}  // namespace fargatelab
