#include "fargatelab/compare.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string_view>

#include <fmt/format.h>

#include "report/text_table.hpp"

namespace fargatelab {
namespace {

using nlohmann::json;

// A JSON number or NaN.
double number(const json& j) { return j.is_number() ? j.get<double>() : NAN; }
json num(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

const json* path(const json& j, std::initializer_list<const char*> keys) {
  const json* cur = &j;
  for (const char* k : keys) {
    if (!cur->is_object() || !cur->contains(k)) return nullptr;
    cur = &cur->at(k);
  }
  return cur;
}

double at_path(const json& j, std::initializer_list<const char*> keys) {
  const json* p = path(j, keys);
  return p ? number(*p) : NAN;
}

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

Scenario scenario_for_option(const Scenario& scenario, const std::string& option) {
  namespace o = compare_option;
  const auto& known = compare_options();
  if (std::none_of(known.begin(), known.end(), [&](const CompareOption& c) { return c.name == option; })) {
    std::string names;
    for (const auto& c : known) names += (names.empty() ? "" : ", ") + c.name;
    throw ScenarioError({{"/options", fmt::format("unknown option \"{}\" (options: {})", option, names)}});
  }
  const std::size_t services = scenario.spec().services.size();
  // The platform of the option: a Spot option is its On-Demand platform with Spot capacity.
  const std::string_view platform = option == o::fargate_spot ? o::fargate : option == o::ecs_ec2_spot ? o::ecs_ec2 : option;
  std::vector<std::string> sets;
  for (std::size_t i = 0; i < services; ++i) {
    sets.push_back(fmt::format("services.{}.platform={}", i, platform));
    // The strategy names the option's capacity providers (the default one maps an ecs_ec2
    // service to the cluster's first EC2 provider).
    sets.push_back(fmt::format(
        "services.{}.capacity_provider_strategy={}", i,
        option == o::fargate_spot
            ? R"([{"capacity_provider":"FARGATE","base":1,"weight":1},{"capacity_provider":"FARGATE_SPOT","weight":3}])"
            : R"([{"capacity_provider":"FARGATE","base":0,"weight":1}])"));
  }
  if (option == o::ecs_ec2_spot) {
    const nlohmann::json& input = scenario.input();
    const json* providers = path(input, {"ec2", "capacity_providers"});
    if (providers && providers->is_array() && !providers->empty()) {
      for (std::size_t p = 0; p < providers->size(); ++p) sets.push_back(fmt::format("ec2.capacity_providers.{}.spot=true", p));
    } else {
      sets.push_back(R"(ec2.capacity_providers=[{"name":"default","spot":true}])");
    }
  }
  return scenario.with_overrides(sets);
}

json comparison_rows(const std::vector<std::pair<std::string, RunResult>>& runs) {
  json rows = json::array();
  for (const auto& [option, result] : runs) {
    const json& s = result.summary;
    const json& results = s.at("results");
    const json& ci = s.at("ci95");
    json row = {{"option", option}};
    // A figure and its confidence half-width.
    auto both = [&](const char* field, std::initializer_list<const char*> keys) {
      const json* v = path(results, keys);
      const json* c = path(ci, keys);
      row[field] = v ? num(number(*v)) : json(nullptr);
      row[std::string(field) + "_ci"] = c ? num(number(*c)) : json(nullptr);
    };
    both("monthly_cost_usd", {"cost", "monthly_usd"});
    // The clients' view: every request of every workload.
    both("latency_p50_ms", {"clients", "latency_ms", "p50"});
    both("latency_p95_ms", {"clients", "latency_ms", "p95"});
    both("latency_p99_ms", {"clients", "latency_ms", "p99"});
    both("slo_attainment", {"clients", "within_slo"});
    const double arrivals = at_path(results, {"clients", "arrivals"});
    const double errors = at_path(results, {"clients", "errors_total"});
    row["errors"] = num(errors);
    row["error_rate"] = num(arrivals > 0 ? errors / arrivals : NAN);
    row["throttles"] = num(at_path(results, {"clients", "errors", "throttled"}) + at_path(results, {"clients", "errors", "rejected"}));
    row["slo_ms"] = num(at_path(results, {"clients", "slo_ms"}));
    // Cold starts (Lambda), capacity held, and what of it did work.
    double invocations = 0, cold = 0, vcpu = 0, used = 0, capacity = 0;
    bool function = false;
    for (const auto& [name, sv] : results.at("services").items()) {
      if (const json* l = path(sv, {"lambda"})) {
        function = true;
        invocations += number(l->at("invocations"));
        cold += number(l->at("cold_starts"));
      }
      const double v = number(sv.value("vcpu_mean", json()));
      const double u = number(sv.value("cpu_utilization_pct", json()));
      if (std::isfinite(v)) vcpu += v;
      if (std::isfinite(v) && std::isfinite(u)) used += v * u / 100.0;
      const double tasks = number(sv.value("tasks", json()));
      if (std::isfinite(tasks)) capacity += tasks;
    }
    row["cold_start_share"] = function && invocations > 0 ? json(cold / invocations) : json(nullptr);
    double paid = vcpu, instances = NAN;
    const bool on_ec2 = option == compare_option::ecs_ec2 || option == compare_option::ecs_ec2_spot;
    if (const json* ec2 = path(results, {"ec2", "capacity_providers"}); ec2 && on_ec2) {
      paid = 0;
      instances = 0;
      for (const auto& [name, cp] : ec2->items()) {
        paid += number(cp.at("instances_mean")) * number(cp.value("vcpu_per_instance", json(0)));
        instances += number(cp.at("instances_mean"));
      }
    }
    row["utilization_pct"] = num(paid > 0 ? 100.0 * used / paid : NAN);
    row["idle_paid_pct"] = num(paid > 0 ? 100.0 * (1 - used / paid) : NAN);
    row["mean_capacity"] = num(capacity);
    row["instances"] = num(instances);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string comparison_text(const json& rows, const std::vector<std::pair<std::string, RunResult>>& runs, bool itemised) {
  struct Col {
    const char* title;
    const char* field;
    int decimals;
    double scale;
  };
  const std::vector<Col> cols = {
      {"$/month", "monthly_cost_usd", 2, 1},    {"p50 ms", "latency_p50_ms", 1, 1},   {"p95 ms", "latency_p95_ms", 1, 1},
      {"p99 ms", "latency_p99_ms", 1, 1},       {"in SLO %", "slo_attainment", 2, 100}, {"errors", "errors", 0, 1},
      {"throttled", "throttles", 0, 1},         {"cold %", "cold_start_share", 2, 100}, {"CPU used %", "utilization_pct", 1, 1},
      {"paid idle %", "idle_paid_pct", 1, 1},   {"tasks/envs", "mean_capacity", 1, 1},  {"instances", "instances", 1, 1},
  };
  std::vector<std::vector<std::string>> table;
  std::vector<std::string> header{"option"};
  for (const auto& c : cols) header.push_back(c.title);
  table.push_back(header);
  for (const json& r : rows) {
    std::vector<std::string> line{r.at("option").get<std::string>()};
    for (const auto& c : cols) {
      const double v = number(r.value(c.field, json()));
      std::string cell = std::isfinite(v) ? fmt::format("{:.{}f}", v * c.scale, c.decimals) : "-";
      const double h = number(r.value(std::string(c.field) + "_ci", json()));
      if (std::isfinite(v) && std::isfinite(h)) cell += fmt::format(" ±{:.{}f}", h * c.scale, c.decimals);
      line.push_back(cell);
    }
    table.push_back(line);
  }
  std::string out = detail::text_table(table);
  const double slo = rows.empty() ? NAN : number(rows.front().value("slo_ms", json()));
  out += fmt::format(
      "\nSame workload streams and seed for every option (common random numbers). $/month: the simulated bill\n"
      "extrapolated to {:g} h (us-east-1 list prices unless pricing.region says otherwise). Latency, errors and SLO\n"
      "are the clients' (SLO {} ms); CPU used % is of the vCPU paid for (tasks, environments or instances).\n",
      month_hours, std::isfinite(slo) ? fmt::format("{:g}", slo) : "-");
  if (itemised)
    for (const auto& [option, result] : runs) {
      const json& rep = result.summary.at("per_replication").at(0);
      if (!rep.contains("bill")) continue;
      const json& bill = rep.at("bill");
      const double hours = number(bill.value("period_hours", json()));
      const double scale = hours > 0 ? month_hours / hours : NAN;
      out += fmt::format("\n{} — monthly bill (replication 0, {:g} h simulated x {:.4g})\n", option, hours, scale);
      for (const json& it : bill.at("items"))
        out += fmt::format("  {:<24} {:<58} {:>10}\n", it.at("service").get<std::string>(), it.at("item").get<std::string>(),
                           fmt::format("${:.2f}", number(it.at("amount_usd")) * scale));
    }
  return out;
}

}  // namespace fargatelab
