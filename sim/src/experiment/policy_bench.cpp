#include "fargatelab/policy_bench.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report/text_table.hpp"

namespace fargatelab {
namespace {

using nlohmann::json;

// The index of a time-series column (RunResult::timeseries_columns names them once).
std::size_t column(const RunResult& r, const char* name) {
  const auto it = std::find(r.timeseries_columns.begin(), r.timeseries_columns.end(), name);
  if (it == r.timeseries_columns.end()) throw std::logic_error(fmt::format("no time-series column \"{}\"", name));
  return static_cast<std::size_t>(it - r.timeseries_columns.begin());
}

}  // namespace

Scenario scenario_for_policy(const Scenario& scenario, const std::string& policy, const std::vector<std::string>& services) {
  const ScenarioSpec& spec = scenario.spec();
  for (const auto& name : services)
    if (std::none_of(spec.services.begin(), spec.services.end(), [&](const ServiceSpec& s) { return s.name == name; })) {
      std::string known;
      for (const auto& s : spec.services) known += (known.empty() ? "" : ", ") + s.name;
      throw ScenarioError({{"/services", fmt::format("no service \"{}\" to scale (services: {})", name, known)}});
    }
  const bool fixed = policy == kFixedCapacity;
  json item;
  if (!fixed) {
    // A JSON document (an AWS policy, or a model object), else the short form as text.
    item = json::parse(policy, nullptr, false);
    if (item.is_discarded() || !item.is_object()) item = policy;
  }
  const json& input = scenario.input();
  std::vector<std::string> sets;
  for (std::size_t i = 0; i < spec.services.size(); ++i) {
    if (!services.empty() && std::find(services.begin(), services.end(), spec.services[i].name) == services.end()) continue;
    const json::json_pointer at(fmt::format("/services/{}/scaling", i));
    const bool object = input.contains(at) && input.at(at).is_object();
    if (fixed) sets.push_back(fmt::format("services.{}.scaling=[]", i));
    else if (object) sets.push_back(fmt::format("services.{}.scaling.policies={}", i, json::array({item}).dump()));
    else sets.push_back(fmt::format("services.{}.scaling={}", i, json::array({item}).dump()));
  }
  return scenario.with_overrides(sets);
}

PolicyBenchRow policy_bench_row(const RunResult& r, const Scenario& scenario, const std::string& policy) {
  const ScenarioSpec& spec = scenario.spec();
  PolicyBenchRow row;
  row.policy = policy;
  row.figures = comparison_row(r, policy);
  const int reps = std::max(row.figures.replications, 1);
  const double warmup = spec.warmup.to_seconds();
  const double interval_h = spec.output.metrics_interval.to_seconds() / 3600.0;
  const double slo_ms = spec.output.slo.to_seconds() * 1e3;
  // Workload targets: the services clients see.
  std::vector<bool> entry(spec.services.size(), false);
  for (const auto& w : spec.workloads) entry[w.target_index] = true;
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < spec.services.size(); ++i) index[spec.services[i].name] = i;
  const std::size_t running = column(r, "tasks_running"), cpu = column(r, "cpu_utilization_pct"), p99 = column(r, "latency_p99_ms");
  const std::size_t failures[] = {column(r, "timeouts"), column(r, "rejected"), column(r, "no_capacity"), column(r, "resets"),
                                  column(r, "dependency_errors"), column(r, "unreachable")};
  double paid = 0, needed = 0;
  // (replication, interval end) -> breached
  std::map<std::pair<int, double>, bool> breach;
  for (const TimeSeriesRow& ts : r.timeseries) {
    if (ts.time_s <= warmup) continue;  // the interval ends in the warm-up
    const double tasks = ts.values[running];
    if (std::isfinite(tasks)) paid += tasks * interval_h;
    if (std::isfinite(tasks) && std::isfinite(ts.values[cpu])) needed += tasks * ts.values[cpu] / 100.0 * interval_h;
    const auto s = index.find(ts.service);
    if (s == index.end() || !entry[s->second]) continue;
    bool bad = std::isfinite(ts.values[p99]) && ts.values[p99] > slo_ms;
    for (std::size_t f : failures) bad = bad || ts.values[f] > 0;
    bool& b = breach[{ts.replication, ts.time_s}];
    b = b || bad;
  }
  double breached = 0;
  for (const auto& [_, b] : breach) breached += b ? 1 : 0;
  row.minutes_in_breach = breached * spec.output.metrics_interval.to_seconds() / 60.0 / reps;
  row.task_hours_paid = paid / reps;
  row.task_hours_needed = needed / reps;
  double actions = 0;
  for (const EventRecord& e : r.events) {
    if (e.kind != "scaling_activity") continue;
    actions += 1;
    if (e.replication == 0 && e.fields.at("to").get<int>() > e.fields.at("from").get<int>() && !std::isfinite(row.first_scale_out_s))
      row.first_scale_out_s = e.time_s;
  }
  row.scaling_actions = spec.output.event_log ? actions / reps : NAN;
  return row;
}

namespace {

struct Figure {
  const char* name;
  double PolicyBenchRow::*value;
};
const std::vector<Figure>& own_figures() {
  using R = PolicyBenchRow;
  static const std::vector<Figure> f = {{"minutes_in_breach", &R::minutes_in_breach},
                                        {"task_hours_paid", &R::task_hours_paid},
                                        {"task_hours_needed", &R::task_hours_needed},
                                        {"scaling_actions", &R::scaling_actions},
                                        {"first_scale_out_s", &R::first_scale_out_s}};
  return f;
}

}  // namespace

Table policy_bench_table(const std::vector<PolicyBenchRow>& rows) {
  Table t;
  TextColumnBuilder policy("policy");
  for (const auto& r : rows) policy.add(r.policy);
  t.columns.push_back(policy.take());
  auto add = [&](const char* name, auto get) {
    TableColumn c{.name = name, .type = TableColumn::Type::real};
    for (const auto& r : rows) c.reals.push_back(get(r));
    t.columns.push_back(std::move(c));
  };
  for (const auto& f : own_figures()) add(f.name, [&](const PolicyBenchRow& r) { return r.*f.value; });
  for (const auto& f : comparison_fields()) add(f.name, [&](const PolicyBenchRow& r) { return r.figures.*f.value; });
  return t;
}

std::string policy_bench_text(const std::string& scenario, const std::vector<PolicyBenchRow>& rows) {
  std::string out;
  if (!rows.empty()) {
    const ComparisonRow& f = rows.front().figures;
    out = fmt::format("{} — {} polic{}, {} replication(s) of {:g} s after {:g} s warm-up, seed {}\n\n", scenario, rows.size(),
                      rows.size() == 1 ? "y" : "ies", f.replications, f.duration_s, f.warmup_s, f.seed);
  }
  auto cell = [](double v, int decimals, double scale = 1) {
    return std::isfinite(v) ? fmt::format("{:.{}f}", v * scale, decimals) : std::string("-");
  };
  std::vector<std::vector<std::string>> table = {{"policy", "in SLO %", "breach min", "p99 ms", "errors", "$/month",
                                                  "task-h paid", "task-h needed", "actions", "1st scale-out s"}};
  for (const auto& r : rows) {
    const ComparisonRow& f = r.figures;
    std::string slo = cell(f.slo_attainment, 2, 100);
    if (std::isfinite(f.slo_attainment_ci)) slo += " ±" + cell(f.slo_attainment_ci, 2, 100);
    std::string cost = cell(f.monthly_cost_usd, 2);
    if (std::isfinite(f.monthly_cost_usd_ci)) cost += " ±" + cell(f.monthly_cost_usd_ci, 2);
    table.push_back({r.policy, slo, cell(r.minutes_in_breach, 1), cell(f.latency_p99_ms, 1), cell(f.errors, 0), cost,
                     cell(r.task_hours_paid, 2), cell(r.task_hours_needed, 2), cell(r.scaling_actions, 1),
                     cell(r.first_scale_out_s, 0)});
  }
  out += detail::text_table(table);
  const double slo_ms = rows.empty() ? NAN : rows.front().figures.slo_ms;
  out += fmt::format(
      "\nSame workload streams and seed for every policy (common random numbers); \"fixed\" is the scenario's own desired\n"
      "counts. in SLO %: requests answered within {} ms; breach min: minutes in which a client-facing service's p99 was\n"
      "above the SLO or a request failed; task-h needed: held task-hours x CPU utilisation (the work at 100 % CPU).\n",
      std::isfinite(slo_ms) ? fmt::format("{:g}", slo_ms) : "-");
  return out;
}

}  // namespace fargatelab
