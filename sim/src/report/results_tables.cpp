// The results across replications as tables (fargatelab/table.hpp): what Python's
// Result.services() and Result.workloads() show, read from the typed results.
#include <algorithm>
#include <type_traits>
#include <functional>
#include <map>
#include <tuple>
#include <utility>

#include "fargatelab/table.hpp"

namespace fargatelab {
namespace {

using Type = TableColumn::Type;

// A column of figures: integer while every row holds a count, else real (NaN for none).
TableColumn figures(std::string name, const std::vector<Number>& values) {
  const bool counts = std::all_of(values.begin(), values.end(), [](const Number& n) { return n.is_count(); });
  TableColumn c{.name = std::move(name), .type = counts ? Type::integer : Type::real};
  for (const Number& n : values) {
    if (counts) c.integers.push_back(n.count());
    else c.reals.push_back(n.value());
  }
  return c;
}

// The Number fields of a structure as (JSON key, member), in the order summary.json has them
// (by key); optional ones (Errors::app_error, present in some scenarios only) are left out.
template <class S>
std::vector<std::pair<std::string_view, Number S::*>> by_key() {
  std::vector<std::pair<std::string_view, Number S::*>> out;
  auto add = [&](const auto& f) {
    if constexpr (std::is_same_v<std::remove_cvref_t<decltype(f.member)>, Number S::*>) out.emplace_back(f.name, f.member);
  };
  std::apply([&](const auto&... f) { (add(f), ...); }, S::fields());
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

// Rows of (keys..., record): a text column per key, then a figure column per `columns` entry.
template <class R>
struct Builder {
  std::vector<const R*> rows;
  Table table;

  void keys(const std::string& name, const std::vector<std::string>& values) {
    TextColumnBuilder b(name);
    for (const auto& v : values) b.add(v);
    table.columns.push_back(b.take());
  }
  void column(std::string name, const std::function<Number(const R&)>& get) {
    std::vector<Number> values;
    for (const R* r : rows) values.push_back(get(*r));
    table.columns.push_back(figures(std::move(name), values));
  }
  // latency_<key>_ms for every field of the latency summary.
  void latency(const std::function<const LatencySummary&(const R&)>& of) {
    for (const auto& [key, member] : by_key<LatencySummary>())
      column("latency_" + std::string(key) + "_ms", [&, member = member](const R& r) { return of(r).*member; });
  }
};

}  // namespace

Table service_results_table(const RunResult& result) {
  using S = ServiceResults;
  Builder<S> b;
  std::vector<std::string> names;
  for (const auto& [name, s] : result.results.services) {
    names.push_back(name);
    b.rows.push_back(&s);
  }
  b.keys("service", names);
  b.column("requests", [](const S& s) { return s.requests; });
  b.column("ok", [](const S& s) { return s.ok; });
  b.column("timeouts", [](const S& s) { return s.errors.timeout; });
  b.column("rejected", [](const S& s) { return s.errors.rejected; });
  b.column("no_capacity", [](const S& s) { return s.errors.no_capacity; });
  b.column("resets", [](const S& s) { return s.errors.reset; });
  b.column("dependency", [](const S& s) { return s.errors.dependency; });
  b.column("unreachable", [](const S& s) { return s.errors.unreachable; });
  b.column("throughput_rps", [](const S& s) { return s.throughput_rps; });
  b.column("cpu_utilization_pct", [](const S& s) { return s.cpu_utilization_pct; });
  b.column("tasks", [](const S& s) { return s.tasks; });
  b.column("task_load_max_over_mean", [](const S& s) { return s.task_load.max_over_mean; });
  b.latency([](const S& s) -> const LatencySummary& { return s.latency_ms; });
  return std::move(b.table);
}

Table workload_results_table(const RunResult& result) {
  using C = RequestClassResults;
  Builder<C> b;
  std::vector<std::string> workloads, classes;
  for (const auto& [name, w] : result.results.workloads)
    for (const auto& [cls, c] : w.classes) {
      workloads.push_back(name);
      classes.push_back(cls);
      b.rows.push_back(&c);
    }
  b.keys("workload", workloads);
  b.keys("request_class", classes);
  b.column("requests", [](const C& c) { return c.requests; });
  b.column("ok", [](const C& c) { return c.ok; });
  for (const auto& [key, member] : by_key<Errors>())
    b.column("errors_" + std::string(key), [member = member](const C& c) { return c.errors.*member; });
  b.latency([](const C& c) -> const LatencySummary& { return c.latency_ms; });
  return std::move(b.table);
}

}  // namespace fargatelab
