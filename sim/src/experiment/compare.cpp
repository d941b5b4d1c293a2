#include "fargatelab/compare.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string_view>

#include <fmt/format.h>

#include "report/text_table.hpp"
#include "scenario/platform_move.hpp"

namespace fargatelab {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// A JSON number or NaN.
double number(const json& j) { return j.is_number() ? j.get<double>() : NAN; }
// The number at a JSON pointer of comparison.json, or NaN when it is absent or null.
double number(const json& j, const char* pointer) {
  const json::json_pointer p(pointer);
  return j.contains(p) ? number(j.at(p)) : NAN;
}
// NaN and sums of NaN are null in JSON.
json num(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
// A sum over the values that exist: NaN when none does.
void add(double& sum, double v) {
  if (std::isfinite(v)) sum = std::isfinite(sum) ? sum + v : v;
}

// The members of a row type by name, in column order: what its JSON and its table hold.
template <class T>
struct Member {
  const char* name;
  std::string T::*text = nullptr;
  double T::*number = nullptr;
};

const std::vector<Member<ServiceFigures>>& service_members() {
  using S = ServiceFigures;
  static const std::vector<Member<S>> m = {
      {"service", &S::service},
      {"requests", nullptr, &S::requests},
      {"errors", nullptr, &S::errors},
      {"error_rate", nullptr, &S::error_rate},
      {"latency_p50_ms", nullptr, &S::latency_p50_ms},
      {"latency_p95_ms", nullptr, &S::latency_p95_ms},
      {"latency_p99_ms", nullptr, &S::latency_p99_ms},
      {"cold_starts", nullptr, &S::cold_starts},
      {"tasks_launched", nullptr, &S::tasks_launched},
      {"mean_capacity", nullptr, &S::mean_capacity},
      {"cpu_utilization_pct", nullptr, &S::cpu_utilization_pct},
  };
  return m;
}

const std::vector<Member<BillLine>>& bill_members() {
  using B = BillLine;
  static const std::vector<Member<B>> m = {
      {"service", &B::service},         {"item", &B::item},
      {"quantity", nullptr, &B::quantity}, {"unit", &B::unit},
      {"rate_usd", nullptr, &B::rate_usd}, {"amount_usd", nullptr, &B::amount_usd},
      {"arithmetic", &B::arithmetic},
  };
  return m;
}

template <class T>
ordered_json to_json(const T& x, const std::vector<Member<T>>& members) {
  ordered_json j;
  for (const auto& m : members) j[m.name] = m.text ? ordered_json(x.*m.text) : ordered_json(num(x.*m.number));
  return j;
}

template <class T>
T from_json(const json& j, const std::vector<Member<T>>& members) {
  T x;
  for (const auto& m : members) {
    static const json absent;
    const json& v = j.contains(m.name) ? j.at(m.name) : absent;
    if (m.text) x.*m.text = v.is_string() ? v.get<std::string>() : "";
    else x.*m.number = number(v);
  }
  return x;
}

// Rows of T (each with the text of `keys` before its own members) as a table.
template <class T>
Table to_table(const std::vector<std::pair<std::vector<std::string>, const T*>>& rows, const std::vector<std::string>& key_names,
               const std::vector<Member<T>>& members) {
  Table t;
  for (std::size_t k = 0; k < key_names.size(); ++k) {
    TextColumnBuilder b(key_names[k]);
    for (const auto& [keys, _] : rows) b.add(keys[k]);
    t.columns.push_back(b.take());
  }
  for (const auto& m : members) {
    if (m.text) {
      TextColumnBuilder b(m.name);
      for (const auto& [_, x] : rows) b.add(x->*m.text);
      t.columns.push_back(b.take());
    } else {
      TableColumn c{.name = m.name, .type = TableColumn::Type::real};
      for (const auto& [_, x] : rows) c.reals.push_back(x->*m.number);
      t.columns.push_back(std::move(c));
    }
  }
  return t;
}

std::vector<Member<ComparisonRow>> row_members() {
  std::vector<Member<ComparisonRow>> m;
  for (const auto& f : comparison_fields()) m.push_back({f.name, nullptr, f.value});
  return m;
}

// ecs_ec2 and ecs_ec2_spot, and the caller's own names for them ("ecs_ec2, 10x tasks").
bool pays_for_ec2_instances(const std::string& option) { return option.starts_with(compare_option::ecs_ec2); }

}  // namespace

const std::vector<CompareOption>& compare_options() {
  namespace o = compare_option;
  // What each option sets, keyed by the names of constants.hpp.
  static const std::vector<std::pair<std::string_view, const char*>> descriptions = {
      {o::fargate, "every service on AWS Fargate (capacity provider FARGATE)"},
      {o::fargate_spot,
       "Fargate with Fargate Spot: 1 task On-Demand as the base, then 1 On-Demand for every 3 Spot (the ECS docs' example "
       "weights); Spot interruptions at fargate.spot settings"},
      {o::ecs_ec2, "ECS on EC2 On-Demand instances (the scenario's ec2 capacity providers, or one m6i.large group with managed scaling)"},
      {o::ecs_ec2_spot, "ECS on EC2 Spot instances (the same groups as Spot, interrupted at the Spot Instance Advisor rate of the type)"},
      {o::lambda, "every service as a Lambda function (the services' lambda settings)"},
      {o::app_runner, "every service on App Runner (the services' app_runner settings; the task size must be an App Runner size)"},
  };
  static const std::vector<CompareOption> options = [] {
    std::vector<CompareOption> out;
    for (std::string_view name : compare_option_names) {
      auto d = std::find_if(descriptions.begin(), descriptions.end(), [&](const auto& e) { return e.first == name; });
      if (d == descriptions.end()) throw std::logic_error(fmt::format("compare option \"{}\" has no description", name));
      out.push_back({std::string(name), d->second});
    }
    return out;
  }();
  return options;
}

Scenario scenario_for_option(const Scenario& scenario, const std::string& option, bool fixed_capacity) {
  namespace o = compare_option;
  const auto& known = compare_options();
  if (std::none_of(known.begin(), known.end(), [&](const CompareOption& c) { return c.name == option; })) {
    std::string names;
    for (const auto& c : known) names += (names.empty() ? "" : ", ") + c.name;
    throw ScenarioError({{"/options", fmt::format("unknown option \"{}\" (options: {})", option, names)}});
  }
  // The platform of the option: a Spot option is its On-Demand platform with Spot capacity. The
  // strategy names the option's capacity providers (the default one maps an ecs_ec2 service to
  // the cluster's first EC2 provider).
  detail::PlatformMove move;
  move.platform = option == o::fargate_spot ? o::fargate : option == o::ecs_ec2_spot ? o::ecs_ec2 : option;
  if (option == o::fargate_spot)
    move.strategy = {{"FARGATE", 1, 1}, {"FARGATE_SPOT", 0, 3}};
  else
    move.strategy = {{"FARGATE", 0, 1}};
  move.ec2_spot = option == o::ecs_ec2_spot;
  if (!fixed_capacity && (move.platform == o::fargate || move.platform == o::ecs_ec2))
    move.default_policies = {kCompareDefaultScaling};
  return detail::moved_to_platform(scenario, move);
}

const std::vector<ComparisonField>& comparison_fields() {
  using R = ComparisonRow;
  static const std::vector<ComparisonField> fields = {
      {"monthly_cost_usd", &R::monthly_cost_usd}, {"monthly_cost_usd_ci", &R::monthly_cost_usd_ci},
      {"latency_p50_ms", &R::latency_p50_ms},     {"latency_p50_ms_ci", &R::latency_p50_ms_ci},
      {"latency_p95_ms", &R::latency_p95_ms},     {"latency_p95_ms_ci", &R::latency_p95_ms_ci},
      {"latency_p99_ms", &R::latency_p99_ms},     {"latency_p99_ms_ci", &R::latency_p99_ms_ci},
      {"slo_attainment", &R::slo_attainment},     {"slo_attainment_ci", &R::slo_attainment_ci},
      {"requests", &R::requests},                 {"errors", &R::errors},
      {"error_rate", &R::error_rate},             {"throttles", &R::throttles},
      {"cold_starts", &R::cold_starts},           {"cold_start_share", &R::cold_start_share},
      {"tasks_launched", &R::tasks_launched},     {"utilization_pct", &R::utilization_pct},
      {"idle_paid_pct", &R::idle_paid_pct},       {"mean_capacity", &R::mean_capacity},
      {"instances", &R::instances},               {"scaled_services", &R::scaled_services},
  };
  return fields;
}

ComparisonRow comparison_row(const RunResult& result, const std::string& option) {
  const Results& mean = result.results;
  const Results& ci = result.ci95;
  ComparisonRow row;
  row.option = option;
  row.replications = result.info.replications;
  row.duration_s = result.info.duration_s;
  row.warmup_s = result.info.warmup_s;
  row.seed = result.info.seed;
  // An optional figure: NaN when absent (an unpriced run has no monthly cost).
  auto value = [](const std::optional<Number>& n) { return n ? n->value() : NAN; };
  row.monthly_cost_usd = value(mean.cost.monthly_usd);
  row.monthly_cost_usd_ci = value(ci.cost.monthly_usd);
  const ClientResults& clients = mean.clients;
  row.latency_p50_ms = clients.latency_ms.p50.value();
  row.latency_p50_ms_ci = ci.clients.latency_ms.p50.value();
  row.latency_p95_ms = clients.latency_ms.p95.value();
  row.latency_p95_ms_ci = ci.clients.latency_ms.p95.value();
  row.latency_p99_ms = clients.latency_ms.p99.value();
  row.latency_p99_ms_ci = ci.clients.latency_ms.p99.value();
  row.slo_attainment = clients.within_slo.value();
  row.slo_attainment_ci = ci.clients.within_slo.value();
  row.slo_ms = clients.slo_ms.value();
  row.requests = clients.arrivals.value();
  row.errors = clients.errors_total.value();
  row.error_rate = row.requests > 0 ? row.errors / row.requests : NAN;
  row.throttles = clients.errors.throttled.value() + clients.errors.rejected.value();

  // Per service, and over them: cold starts (Lambda), launches, capacity held and what of it did work.
  double invocations = 0, cold = 0, vcpu = 0, used = 0, capacity = 0;
  bool function = false;
  for (const auto& [name, sv] : mean.services) {
    ServiceFigures f;
    f.service = name;
    f.requests = sv.requests.value();
    f.errors = sv.errors_total.value();
    f.error_rate = sv.error_rate.value();
    f.latency_p50_ms = sv.latency_ms.p50.value();
    f.latency_p95_ms = sv.latency_ms.p95.value();
    f.latency_p99_ms = sv.latency_ms.p99.value();
    f.cpu_utilization_pct = sv.cpu_utilization_pct.value();
    if (const auto fn = function_figures(sv.platform)) {
      function = true;
      invocations += fn->invocations.value();
      cold += fn->cold_starts.value();
      f.cold_starts = fn->cold_starts.value();
      f.mean_capacity = fn->environments_mean.value();
      add(row.cold_starts, f.cold_starts);
    } else {
      f.tasks_launched = sv.tasks_launch.launched.value();
      f.mean_capacity = sv.tasks.value();
      add(row.tasks_launched, f.tasks_launched);
    }
    const double v = sv.vcpu_mean.value();
    if (std::isfinite(v)) vcpu += v;
    if (std::isfinite(v) && std::isfinite(f.cpu_utilization_pct)) used += v * f.cpu_utilization_pct / 100.0;
    const double tasks = sv.tasks.value();
    if (std::isfinite(tasks)) capacity += tasks;
    row.services.push_back(std::move(f));
  }
  row.cold_start_share = function && invocations > 0 ? cold / invocations : NAN;
  double paid = vcpu;
  if (pays_for_ec2_instances(option))
    for (const auto& block : mean.platforms)
      if (const auto ec2 = block->instance_figures()) {
        paid = ec2->vcpu_mean;
        row.instances = ec2->instances_mean;
      }
  row.utilization_pct = paid > 0 ? 100.0 * used / paid : NAN;
  row.idle_paid_pct = paid > 0 ? 100.0 * (1 - used / paid) : NAN;
  row.mean_capacity = capacity;
  row.scaled_services = static_cast<double>(std::count_if(mean.services.begin(), mean.services.end(),
                                                          [](const auto& s) { return s.second.scaling.has_value(); }));

  // Replication 0's bill, scaled to the month.
  if (const auto& bill = result.per_replication.at(0).bill) {
    MonthlyBill monthly{.period_hours = bill->period_hours.value_or(NAN)};
    const double scale = monthly.period_hours > 0 ? month_hours / monthly.period_hours : NAN;
    for (const LineItem& it : bill->items)
      monthly.items.push_back({.service = it.service,
                               .item = it.item,
                               .unit = it.unit,
                               .arithmetic = it.arithmetic,
                               .quantity = it.quantity * scale,
                               .rate_usd = it.rate_usd,
                               .amount_usd = it.amount_usd * scale});
    row.monthly_bill = std::move(monthly);
  }
  return row;
}

ordered_json comparison_json(const std::string& scenario, const std::vector<ComparisonRow>& rows) {
  ordered_json options = ordered_json::array(), out = ordered_json::array();
  for (const auto& r : rows) {
    options.push_back(r.option);
    ordered_json j = {{"option", r.option},     {"replications", r.replications}, {"duration_s", num(r.duration_s)},
                      {"warmup_s", num(r.warmup_s)}, {"seed", r.seed},           {"slo_ms", num(r.slo_ms)}};
    for (const auto& f : comparison_fields()) j[f.name] = num(r.*f.value);
    j["services"] = ordered_json::array();
    for (const auto& sv : r.services) j["services"].push_back(to_json(sv, service_members()));
    j["monthly_bill"] = nullptr;
    if (r.monthly_bill) {
      ordered_json items = ordered_json::array();
      for (const auto& line : r.monthly_bill->items) items.push_back(to_json(line, bill_members()));
      j["monthly_bill"] = {{"period_hours", num(r.monthly_bill->period_hours)}, {"items", std::move(items)}};
    }
    out.push_back(std::move(j));
  }
  return {{"scenario", scenario}, {"fargatelab_version", version()}, {"options", std::move(options)}, {"rows", std::move(out)}};
}

std::vector<ComparisonRow> comparison_rows_from_json(const json& doc) {
  std::vector<ComparisonRow> rows;
  for (const json& j : doc.at("rows")) {
    ComparisonRow r = from_json(j, row_members());
    r.option = j.at("option").get<std::string>();
    r.replications = j.value("replications", 0);
    r.duration_s = number(j, "/duration_s");
    r.warmup_s = number(j, "/warmup_s");
    r.seed = j.value("seed", std::uint64_t{0});
    r.slo_ms = number(j, "/slo_ms");
    if (j.contains("services"))
      for (const json& sv : j.at("services")) r.services.push_back(from_json(sv, service_members()));
    if (j.contains("monthly_bill") && j.at("monthly_bill").is_object()) {
      const json& bill = j.at("monthly_bill");
      MonthlyBill monthly{.period_hours = number(bill, "/period_hours")};
      for (const json& it : bill.at("items")) monthly.items.push_back(from_json(it, bill_members()));
      r.monthly_bill = std::move(monthly);
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

std::string comparison_text(const std::string& scenario, const std::vector<ComparisonRow>& rows, bool itemised,
                            bool fixed_capacity) {
  using R = ComparisonRow;
  struct Col {
    const char* title;
    double R::*value;
    double R::*ci;
    int decimals;
    double scale;
  };
  const std::vector<Col> cols = {
      {"$/month", &R::monthly_cost_usd, &R::monthly_cost_usd_ci, 2, 1},
      {"p50 ms", &R::latency_p50_ms, &R::latency_p50_ms_ci, 1, 1},
      {"p95 ms", &R::latency_p95_ms, &R::latency_p95_ms_ci, 1, 1},
      {"p99 ms", &R::latency_p99_ms, &R::latency_p99_ms_ci, 1, 1},
      {"in SLO %", &R::slo_attainment, &R::slo_attainment_ci, 2, 100},
      {"errors", &R::errors, nullptr, 0, 1},
      {"throttled", &R::throttles, nullptr, 0, 1},
      {"cold %", &R::cold_start_share, nullptr, 2, 100},
      {"CPU used %", &R::utilization_pct, nullptr, 1, 1},
      {"paid idle %", &R::idle_paid_pct, nullptr, 1, 1},
      {"tasks/envs", &R::mean_capacity, nullptr, 1, 1},
      {"instances", &R::instances, nullptr, 1, 1},
  };
  std::string out;
  if (!rows.empty()) {
    const R& first = rows.front();
    out = fmt::format("{} — {} option(s), {} replication(s) of {:g} s after {:g} s warm-up, seed {}\n\n", scenario, rows.size(),
                      first.replications, first.duration_s, first.warmup_s, first.seed);
  }
  std::vector<std::vector<std::string>> table;
  std::vector<std::string> header{"option"};
  for (const auto& c : cols) header.push_back(c.title);
  table.push_back(header);
  for (const R& r : rows) {
    std::vector<std::string> line{r.option};
    for (const auto& c : cols) {
      const double v = r.*c.value;
      std::string cell = std::isfinite(v) ? fmt::format("{:.{}f}", v * c.scale, c.decimals) : "-";
      const double h = c.ci ? r.*c.ci : NAN;
      if (std::isfinite(v) && std::isfinite(h)) cell += fmt::format(" ±{:.{}f}", h * c.scale, c.decimals);
      line.push_back(cell);
    }
    table.push_back(line);
  }
  out += detail::text_table(table);
  const double slo = rows.empty() ? NAN : rows.front().slo_ms;
  out += fmt::format(
      "\nSame workload streams and seed for every option (common random numbers). $/month: the simulated bill\n"
      "extrapolated to {:g} h (us-east-1 list prices unless pricing.region says otherwise). Latency, errors and SLO\n"
      "are the clients' (SLO {} ms); CPU used % is of the vCPU paid for (tasks, environments or instances).\n",
      month_hours, std::isfinite(slo) ? fmt::format("{:g}", slo) : "-");
  out += fixed_capacity ? "ECS options: the scenario's own desired counts and schedules (--fixed-capacity).\n"
                        : fmt::format("ECS options: services without scaling policies scale with {} (min 2, max 10 x\n"
                                      "desired count) instead of their fixed desired count; --fixed-capacity keeps the count.\n",
                                      kCompareDefaultScaling);
  if (itemised)
    for (const R& r : rows) {
      if (!r.monthly_bill) continue;
      const double hours = r.monthly_bill->period_hours;
      out += fmt::format("\n{} — monthly bill (replication 0, {:g} h simulated x {:.4g})\n", r.option, hours,
                         hours > 0 ? month_hours / hours : NAN);
      for (const BillLine& it : r.monthly_bill->items)
        out += fmt::format("  {:<24} {:<58} {:>10}\n", it.service, it.item, fmt::format("${:.2f}", it.amount_usd));
    }
  return out;
}

Table comparison_table(const std::vector<ComparisonRow>& rows) {
  std::vector<std::pair<std::vector<std::string>, const ComparisonRow*>> keyed;
  for (const auto& r : rows) keyed.push_back({{r.option}, &r});
  return to_table(keyed, {"option"}, row_members());
}

Table service_comparison_table(const std::vector<ComparisonRow>& rows) {
  std::vector<std::pair<std::vector<std::string>, const ServiceFigures*>> keyed;
  for (const auto& r : rows)
    for (const auto& sv : r.services) keyed.push_back({{r.option}, &sv});
  return to_table(keyed, {"option"}, service_members());
}

Table bill_table(const ComparisonRow& row) {
  std::vector<std::pair<std::vector<std::string>, const BillLine*>> keyed;
  if (row.monthly_bill)
    for (const auto& line : row.monthly_bill->items) keyed.push_back({{}, &line});
  return to_table(keyed, {}, bill_members());
}

}  // namespace fargatelab
