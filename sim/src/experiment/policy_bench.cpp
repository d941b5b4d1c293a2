#include "fargatelab/policy_bench.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "fargatelab/metrics.hpp"
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
  // Per replication: task-hours held and needed, and (interval end -> breached).
  const auto n = static_cast<std::size_t>(reps);
  std::vector<double> paid(n, 0.0), needed(n, 0.0);
  std::vector<std::map<double, bool>> breach(n);
  for (const TimeSeriesRow& ts : r.timeseries) {
    if (ts.time_s <= warmup || ts.replication < 0 || ts.replication >= reps) continue;  // the interval ends in the warm-up
    const auto k = static_cast<std::size_t>(ts.replication);
    const double tasks = ts.values[running];
    if (std::isfinite(tasks)) paid[k] += tasks * interval_h;
    if (std::isfinite(tasks) && std::isfinite(ts.values[cpu])) needed[k] += tasks * ts.values[cpu] / 100.0 * interval_h;
    const auto s = index.find(ts.service);
    if (s == index.end() || !entry[s->second]) continue;
    bool bad = std::isfinite(ts.values[p99]) && ts.values[p99] > slo_ms;
    for (std::size_t f : failures) bad = bad || ts.values[f] > 0;
    bool& b = breach[k][ts.time_s];
    b = b || bad;
  }
  RunningStats paid_s, needed_s, breach_s;
  for (std::size_t k = 0; k < n; ++k) {
    double breached = 0;
    for (const auto& [_, b] : breach[k]) breached += b ? 1 : 0;
    breach_s.add(breached * spec.output.metrics_interval.to_seconds() / 60.0);
    paid_s.add(paid[k]);
    needed_s.add(needed[k]);
  }
  row.minutes_in_breach = breach_s.mean();
  row.minutes_in_breach_ci = confidence_half_width(breach_s);
  row.task_hours_paid = paid_s.mean();
  row.task_hours_paid_ci = confidence_half_width(paid_s);
  row.task_hours_needed = needed_s.mean();
  row.task_hours_needed_ci = confidence_half_width(needed_s);
  // Scale from zero: the longest wait over services in each replication that has one.
  RunningStats zero_s;
  for (const ReplicationResults& rep : r.per_replication) {
    double longest = NAN;
    for (const auto& [_, sv] : rep.results.services)
      if (sv.first_response_after_zero_s) longest = std::fmax(longest, sv.first_response_after_zero_s->value());
    if (std::isfinite(longest)) zero_s.add(longest);
  }
  row.first_response_after_zero_s = zero_s.mean();
  row.publication_delay_s = spec.cloudwatch.publication_delay.to_seconds();
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
                                        {"minutes_in_breach_ci", &R::minutes_in_breach_ci},
                                        {"task_hours_paid", &R::task_hours_paid},
                                        {"task_hours_paid_ci", &R::task_hours_paid_ci},
                                        {"task_hours_needed", &R::task_hours_needed},
                                        {"task_hours_needed_ci", &R::task_hours_needed_ci},
                                        {"scaling_actions", &R::scaling_actions},
                                        {"first_scale_out_s", &R::first_scale_out_s},
                                        {"first_response_after_zero_s", &R::first_response_after_zero_s}};
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

nlohmann::ordered_json policy_bench_json(const std::string& scenario, const std::vector<PolicyBenchRow>& rows) {
  using ojson = nlohmann::ordered_json;
  auto number = [](double v) { return std::isfinite(v) ? ojson(v) : ojson(nullptr); };
  ojson doc = {{"scenario", scenario}, {"fargatelab_version", version()}};
  if (!rows.empty()) {
    const PolicyBenchRow& r = rows.front();
    doc["bench"] = {{"replications", r.figures.replications}, {"seed", r.figures.seed},
                    {"duration_s", number(r.figures.duration_s)}, {"warmup_s", number(r.figures.warmup_s)},
                    {"slo_ms", number(r.figures.slo_ms)}, {"publication_delay_s", number(r.publication_delay_s)}};
  }
  doc["rows"] = ojson::array();
  const Table t = policy_bench_table(rows);
  for (std::size_t k = 0; k < rows.size(); ++k) {
    ojson row;
    for (const auto& c : t.columns) row[c.name] = c.type == TableColumn::Type::text ? ojson(c.dictionary[c.codes[k]]) : number(c.reals[k]);
    doc["rows"].push_back(std::move(row));
  }
  return doc;
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
  // A figure and, with replications, its 95 % half-width.
  auto with_ci = [&](double v, double ci, int decimals, double scale = 1) {
    std::string text = cell(v, decimals, scale);
    if (std::isfinite(v) && std::isfinite(ci)) text += " ±" + cell(ci, decimals, scale);
    return text;
  };
  std::vector<std::vector<std::string>> table = {{"policy", "in SLO %", "breach min", "p99 ms", "errors", "$/month", "task-h paid",
                                                  "task-h needed", "actions", "1st scale-out s", "from zero s"}};
  for (const auto& r : rows) {
    const ComparisonRow& f = r.figures;
    table.push_back({r.policy, with_ci(f.slo_attainment, f.slo_attainment_ci, 2, 100),
                     with_ci(r.minutes_in_breach, r.minutes_in_breach_ci, 1), with_ci(f.latency_p99_ms, f.latency_p99_ms_ci, 1),
                     cell(f.errors, 0), with_ci(f.monthly_cost_usd, f.monthly_cost_usd_ci, 2),
                     with_ci(r.task_hours_paid, r.task_hours_paid_ci, 2), cell(r.task_hours_needed, 2), cell(r.scaling_actions, 1),
                     cell(r.first_scale_out_s, 0), cell(r.first_response_after_zero_s, 1)});
  }
  out += detail::text_table(table);
  const double slo_ms = rows.empty() ? NAN : rows.front().figures.slo_ms;
  out += fmt::format(
      "\nSame workload streams and seed for every policy (common random numbers); \"fixed\" is the scenario's own desired\n"
      "counts. in SLO %: requests answered within {} ms; breach min: minutes in which a client-facing service's p99 was\n"
      "above the SLO or a request failed; task-h needed: held task-hours x CPU utilisation (the work at 100 % CPU);\n"
      "from zero s: first request at zero running tasks to the first answer. ± : 95 % CI half-width across replications.\n",
      std::isfinite(slo_ms) ? fmt::format("{:g}", slo_ms) : "-");
  return out;
}

}  // namespace fargatelab
