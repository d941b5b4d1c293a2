#include "scaling/metric_input.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "scaling/alarm.hpp"

namespace fargatelab::detail {

std::optional<Statistic> parse_statistic(std::string_view s) noexcept {
  for (auto st : {Statistic::average, Statistic::sum, Statistic::minimum, Statistic::maximum, Statistic::sample_count})
    if (s == to_string(st)) return st;
  return std::nullopt;
}

std::vector<std::string> statistic_names() { return {"Average", "Sum", "Minimum", "Maximum", "SampleCount"}; }

std::optional<MetricIdentity> read_metric_identity(JsonFields& f) {
  const std::size_t before = f.out().size();
  MetricIdentity id;
  id.ns = f.string("Namespace", true).value_or("");
  id.name = f.string("MetricName", true).value_or("");
  std::map<std::string, std::string> dims;
  if (const nlohmann::json* d = f.array("Dimensions")) {
    for (std::size_t i = 0; i < d->size(); ++i) {
      JsonFields dim((*d)[i], fmt::format("{}/{}", f.at("Dimensions"), i), "a dimension", f.out());
      const auto name = dim.string("Name", true);
      const auto value = dim.string("Value", true);
      dim.finish();
      if (name && value && !dims.emplace(*name, *value).second) dim.error("Name", fmt::format("dimension \"{}\" is given twice", *name));
    }
  }
  std::vector<std::string> parts;
  for (const auto& [n, v] : dims) parts.push_back(n + "=" + v);
  id.dimensions = fmt::format("{}", fmt::join(parts, ","));
  if (f.out().size() != before) return std::nullopt;
  return id;
}

std::optional<MetricSource> read_metric_queries(const nlohmann::json& metrics, const std::string& pointer,
                                                std::optional<Duration> period, std::vector<Diagnostic>& out) {
  const std::size_t before = out.size();
  if (!metrics.is_array() || metrics.empty()) {
    out.push_back({pointer, "Metrics must be a non-empty array of metric data queries"});
    return std::nullopt;
  }
  std::vector<MetricQuery> stats;
  struct Returned {
    std::string id, expression, pointer;
    std::optional<std::size_t> stat;  // index into stats when the returned query is a MetricStat
  };
  std::vector<Returned> returned;
  std::vector<std::pair<std::string, std::string>> expressions;  // id, pointer
  std::optional<Duration> common = period;
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    const std::string at = fmt::format("{}/{}", pointer, i);
    JsonFields q(metrics[i], at, "a metric data query", out);
    const auto id = q.string("Id", true);
    if (id && (id->empty() || !std::islower(static_cast<unsigned char>((*id)[0]))))
      q.error("Id", fmt::format("Id \"{}\" must start with a lowercase letter", *id));
    q.accept({"Label", "AccountId"});
    const bool returns = q.boolean("ReturnData").value_or(true);
    const nlohmann::json* stat = q.object("MetricStat");
    const auto expression = q.string("Expression");
    if (q.is_object() && (stat != nullptr) == expression.has_value())
      q.error("give exactly one of MetricStat and Expression");
    std::optional<std::size_t> stat_index;
    if (stat) {
      JsonFields s(*stat, q.at("MetricStat"), "MetricStat", out);
      std::optional<MetricIdentity> ident;
      if (const nlohmann::json* m = s.object("Metric", true)) {
        JsonFields mf(*m, s.at("Metric"), "Metric", out);
        ident = read_metric_identity(mf);
        mf.finish();
      }
      const auto st = s.one_of("Stat", statistic_names(), true);
      s.accept({"Unit"});
      std::optional<Duration> p = period;
      if (!period) {
        if (const auto secs = s.integer("Period", true, 1)) {
          p = seconds(*secs);
          if (!valid_alarm_period(*p)) s.error("Period", fmt::format("{} s must be 10, 20, 30 or a multiple of 60", *secs));
          else if (!common) common = p;
          else if (*common != *p)
            s.error("Period", fmt::format("every metric must use the same period ({} s), got {} s", common->to_seconds(), *secs));
        }
      }
      s.finish();
      if (id && ident && st && p) {
        stat_index = stats.size();
        stats.push_back({*id, MetricKey{ident->ns, ident->name, ident->dimensions, *parse_statistic(*st), *p}});
      }
    }
    if (expression && id) expressions.emplace_back(*id, at);
    q.finish();
    if (returns && id) returned.push_back({*id, expression.value_or(""), at, stat_index});
  }
  if (returned.size() != 1 && out.size() == before)
    out.push_back({pointer, fmt::format("exactly one query must have ReturnData true (the value to use), got {}", returned.size())});
  if (expressions.size() > 1)
    out.push_back({expressions[1].second, "only one Expression is supported: write it over the MetricStat ids (e1 = m1 / m2)"});
  if (out.size() != before) return std::nullopt;
  const Returned& r = returned.front();
  if (r.stat) return MetricSource(stats[*r.stat].key);
  if (r.expression.empty()) return std::nullopt;
  std::vector<std::string> ids;
  for (const auto& s : stats) ids.push_back(s.id);
  try {
    auto e = MetricExpression::parse(r.expression, ids);
    return MetricSource(std::move(stats), r.id, std::move(e));
  } catch (const std::invalid_argument& e) {
    out.push_back({r.pointer + "/Expression", e.what()});
    return std::nullopt;
  }
}

}  // namespace fargatelab::detail
