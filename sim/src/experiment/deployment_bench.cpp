#include "fargatelab/deployment_bench.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "ecs/deployment/deployment_spec.hpp"
#include "fargatelab/metrics.hpp"
#include "report/text_table.hpp"

namespace fargatelab {
namespace {

using nlohmann::json;

// The services the bench changes: those named, or every service with deployments.
std::vector<std::size_t> chosen(const ScenarioSpec& spec, const std::vector<std::string>& services) {
  std::vector<std::size_t> out;
  for (const auto& name : services) {
    const auto it = std::find_if(spec.services.begin(), spec.services.end(), [&](const ServiceSpec& s) { return s.name == name; });
    if (it == spec.services.end()) {
      std::string known;
      for (const auto& s : spec.services) known += (known.empty() ? "" : ", ") + s.name;
      throw ScenarioError({{"/services", fmt::format("no service \"{}\" (services: {})", name, known)}});
    }
    if (!it->deployments)
      throw ScenarioError({{"/services", fmt::format("service \"{}\" has no deployments to score", name)}});
    out.push_back(static_cast<std::size_t>(it - spec.services.begin()));
  }
  if (services.empty())
    for (std::size_t i = 0; i < spec.services.size(); ++i)
      if (spec.services[i].deployments) out.push_back(i);
  if (out.empty()) throw ScenarioError({Diagnostic{"/services", "no service has deployments: give a service \"revisions\" and \"deployments\""}});
  return out;
}

std::size_t column(const RunResult& r, const char* name) {
  const auto it = std::find(r.timeseries_columns.begin(), r.timeseries_columns.end(), name);
  if (it == r.timeseries_columns.end()) throw std::logic_error(fmt::format("no time-series column \"{}\"", name));
  return static_cast<std::size_t>(it - r.timeseries_columns.begin());
}

// One release in one replication, read from the service's deployment events.
struct Release {
  double start = NAN, failure = NAN, end = NAN;
  std::string outcome = "IN_PROGRESS";
  double served = NAN;
};

std::vector<Release> releases_of(const RunResult& r, int replication, const std::string& service) {
  std::vector<Release> out;
  bool rolling_back = false;
  for (const EventRecord& e : r.events) {
    if (e.kind != "deployment" || e.replication != replication || e.entity != service) continue;
    const std::string kind = e.fields.at("event");
    const double served = e.fields.value("served_revision", 0.0);
    if (kind == "deployment_started") {
      out.push_back(Release{e.time_s});
      rolling_back = false;
      continue;
    }
    if (out.empty()) continue;
    Release& rel = out.back();
    if (rel.outcome != "IN_PROGRESS" && rel.outcome != "FAILED") continue;
    if (kind == "deployment_failed" || kind == "deployment_stopped") {
      if (std::isnan(rel.failure)) {
        rel.failure = e.time_s;
        rel.served = served;
        rel.outcome = "FAILED";
      }
    } else if (kind == "rollback_started") {
      rolling_back = true;
    } else if (kind == "rollback_completed" || (kind == "deployment_completed" && rolling_back)) {
      rel.end = e.time_s;
      rel.outcome = "ROLLED_BACK";
    } else if (kind == "deployment_completed") {
      rel.end = e.time_s;
      rel.outcome = "COMPLETED";
      rel.served = served;
    }
  }
  return out;
}

}  // namespace

Scenario scenario_for_strategy(const Scenario& scenario, const std::string& strategy, const std::vector<std::string>& services) {
  const json& input = scenario.input();
  json value = json::parse(strategy, nullptr, false);
  const std::string text = value.is_discarded() || !value.is_object() ? strategy : value.dump();
  std::vector<std::string> sets = {"output.event_log=true"};
  for (std::size_t i : chosen(scenario.spec(), services)) {
    const json& list = input.at("services").at(i).at("deployments");
    for (std::size_t j = 0; j < list.size(); ++j)
      if (list[j].value("action", "deploy") != "rollback") sets.push_back(fmt::format("services.{}.deployments.{}.strategy={}", i, j, text));
  }
  return scenario.with_overrides(sets);
}

Scenario scenario_without_deployments(const Scenario& scenario, const std::vector<std::string>& services) {
  std::vector<std::string> sets;
  for (std::size_t i : chosen(scenario.spec(), services)) sets.push_back(fmt::format("services.{}.deployments=[]", i));
  return scenario.with_overrides(sets);
}

std::vector<DeploymentScore> deployment_scores(const RunResult& r, const Scenario& scenario, const std::string& strategy,
                                               const RunResult* baseline, const std::vector<std::string>& services) {
  const ScenarioSpec& spec = scenario.spec();
  const int reps = static_cast<int>(r.per_replication.size());
  const double interval = spec.output.metrics_interval.to_seconds();
  const double horizon = spec.duration.to_seconds();
  const double slo_ms = spec.output.slo.to_seconds() * 1e3;
  const std::size_t requests_c = column(r, "requests"), ok_c = column(r, "ok"), p99_c = column(r, "latency_p99_ms"),
                    desired_c = column(r, "desired_count");
  std::vector<DeploymentScore> rows;
  for (std::size_t i : chosen(spec, services)) {
    const ServiceSpec& sv = spec.services[i];
    std::vector<const detail::DeploymentSpec*> deploys;
    for (const auto& d : sv.deployments->deployments)
      if (!d.rollback) deploys.push_back(&d);
    for (std::size_t k = 0; k < deploys.size(); ++k) {
      DeploymentScore s;
      s.strategy = strategy;
      s.service = sv.name;
      s.revision = deploys[k]->revision == 0 ? "initial" : sv.deployments->revisions[deploys[k]->revision - 1].name;
      s.at_s = deploys[k]->at.to_seconds();
      s.replications = reps;
      RunningStats duration, detect, rollback, peak, extra, extra_h, cost, requests, errors, breach, p99, served;
      for (int rep = 0; rep < reps; ++rep) {
        const auto rel = releases_of(r, rep, sv.name);
        if (k >= rel.size()) continue;
        const Release& x = rel[k];
        (x.outcome == "COMPLETED" ? s.completed : x.outcome == "ROLLED_BACK" ? s.rolled_back
                                                  : x.outcome == "FAILED"    ? s.failed
                                                                             : s.in_progress) += 1;
        const double end = std::isfinite(x.end) ? x.end : horizon;
        if (std::isfinite(x.end)) duration.add(x.end - x.start);
        if (std::isfinite(x.failure)) detect.add(x.failure - x.start);
        if (x.outcome == "ROLLED_BACK") rollback.add(x.end - x.failure);
        if (std::isfinite(x.served)) served.add(x.served);
        // The service's tasks alive at each instant of [start, end].
        std::vector<std::pair<double, int>> edges;
        int alive = 0;
        for (const TaskRecord& t : r.tasks) {
          if (t.replication != rep || t.group != sv.name) continue;
          const double from = t.created_s, to = std::isfinite(t.stopped_s) ? t.stopped_s : horizon;
          if (to <= x.start || from >= end) {
            continue;
          }
          if (from <= x.start) ++alive;
          else edges.emplace_back(from, +1);
          if (to < end) edges.emplace_back(to, -1);
        }
        std::sort(edges.begin(), edges.end());
        double desired = sv.desired_count;
        double worst_p99 = NAN, n_requests = 0, n_errors = 0, breached = 0;
        for (const TimeSeriesRow& ts : r.timeseries) {
          if (ts.replication != rep || ts.service != sv.name) continue;
          if (ts.time_s <= x.start) {
            desired = ts.values[desired_c];  // the latest sample at or before the start
          }
          if (ts.time_s <= x.start || ts.time_s - interval >= end) continue;
          n_requests += ts.values[requests_c];
          const double failed = ts.values[requests_c] - ts.values[ok_c];
          n_errors += failed;
          const bool slow = std::isfinite(ts.values[p99_c]) && ts.values[p99_c] > slo_ms;
          breached += (slow || failed > 0) ? interval / 60.0 : 0.0;
          if (std::isfinite(ts.values[p99_c])) worst_p99 = std::fmax(worst_p99, ts.values[p99_c]);
        }
        int most = alive;
        double above = 0, t_prev = x.start;
        for (const auto& [t, d] : edges) {
          above += std::max(0.0, alive - desired) * (t - t_prev);
          alive += d;
          t_prev = t;
          most = std::max(most, alive);
        }
        above += std::max(0.0, alive - desired) * (end - t_prev);
        peak.add(most);
        extra.add(most - desired);
        extra_h.add(above / 3600.0);
        requests.add(n_requests);
        errors.add(n_errors);
        breach.add(breached);
        if (std::isfinite(worst_p99)) p99.add(worst_p99);
        if (baseline && static_cast<std::size_t>(rep) < baseline->per_replication.size()) {
          const auto& a = r.per_replication[static_cast<std::size_t>(rep)].results.cost.total_usd;
          const auto& b = baseline->per_replication[static_cast<std::size_t>(rep)].results.cost.total_usd;
          if (a && b) cost.add(a->value() - b->value());
        }
      }
      auto mean = [](const RunningStats& x) { return x.count() > 0 ? x.mean() : NAN; };
      s.duration_s = mean(duration);
      s.detect_s = mean(detect);
      s.rollback_s = mean(rollback);
      s.peak_tasks = mean(peak);
      s.peak_extra_tasks = mean(extra);
      s.extra_task_hours = mean(extra_h);
      s.release_cost_usd = mean(cost);
      s.requests = mean(requests);
      s.errors = mean(errors);
      s.breach_minutes = mean(breach);
      s.p99_max_ms = mean(p99);
      s.served_by_revision = mean(served);
      rows.push_back(std::move(s));
    }
  }
  return rows;
}

nlohmann::ordered_json deployment_scores_json(const std::string& scenario, const std::vector<DeploymentScore>& rows) {
  using ojson = nlohmann::ordered_json;
  auto number = [](double v) { return std::isfinite(v) ? ojson(v) : ojson(nullptr); };
  ojson doc = {{"scenario", scenario}, {"fargatelab_version", version()}, {"rows", ojson::array()}};
  for (const auto& s : rows)
    doc["rows"].push_back({{"strategy", s.strategy},
                           {"service", s.service},
                           {"revision", s.revision},
                           {"at_s", number(s.at_s)},
                           {"replications", s.replications},
                           {"completed", s.completed},
                           {"rolled_back", s.rolled_back},
                           {"failed", s.failed},
                           {"in_progress", s.in_progress},
                           {"duration_s", number(s.duration_s)},
                           {"detect_s", number(s.detect_s)},
                           {"rollback_s", number(s.rollback_s)},
                           {"peak_tasks", number(s.peak_tasks)},
                           {"peak_extra_tasks", number(s.peak_extra_tasks)},
                           {"extra_task_hours", number(s.extra_task_hours)},
                           {"release_cost_usd", number(s.release_cost_usd)},
                           {"requests", number(s.requests)},
                           {"errors", number(s.errors)},
                           {"breach_minutes", number(s.breach_minutes)},
                           {"p99_max_ms", number(s.p99_max_ms)},
                           {"served_by_revision", number(s.served_by_revision)}});
  return doc;
}

std::string deployment_scores_text(const std::string& scenario, const std::vector<DeploymentScore>& rows) {
  auto cell = [](double v, int decimals) { return std::isfinite(v) ? fmt::format("{:.{}f}", v, decimals) : std::string("-"); };
  std::vector<std::vector<std::string>> table = {{"strategy", "release", "outcome", "duration s", "detect s", "rollback s",
                                                  "peak +tasks", "extra task-h", "run cost $", "errors", "breach min", "p99 max ms",
                                                  "served by it"}};
  for (const auto& s : rows) {
    std::string outcome;
    auto part = [&](int n, const char* what) {
      if (n == 0) return;
      if (!outcome.empty()) outcome += ", ";
      outcome += s.replications == 1 ? std::string(what) : fmt::format("{}/{} {}", n, s.replications, what);
    };
    part(s.completed, "COMPLETED");
    part(s.rolled_back, "ROLLED_BACK");
    part(s.failed, "FAILED");
    part(s.in_progress, "IN_PROGRESS");
    table.push_back({s.strategy, fmt::format("{}/{} at {:g} s", s.service, s.revision, s.at_s), outcome, cell(s.duration_s, 0),
                     cell(s.detect_s, 0), cell(s.rollback_s, 0), cell(s.peak_extra_tasks, 0), cell(s.extra_task_hours, 2),
                     cell(s.release_cost_usd, 4), cell(s.errors, 0), cell(s.breach_minutes, 0), cell(s.p99_max_ms, 1),
                     cell(s.served_by_revision, 0)});
  }
  const int reps = rows.empty() ? 0 : rows.front().replications;
  return fmt::format("{} — deployment scorecard, {} replication(s)\n\n", scenario, reps) + detail::text_table(table) +
         "\nSame workload streams and seed for every strategy (common random numbers). duration: start to COMPLETED or to\n"
         "the end of the rollback; detect: start to the failure (circuit breaker, alarm, hook, 1-click); peak +tasks: most\n"
         "tasks alive at once above the desired count; run cost $: this run's bill minus the same run without deployments\n"
         "(all of the run's releases together, so it repeats on each of its rows);\n"
         "errors, breach min (p99 above the SLO or a failed request), p99 max: the metrics intervals the release overlapped;\n"
         "served by it: requests the new revision answered, until the failure if there was one. Means across replications.\n";
}

}  // namespace fargatelab
