// run(): replications in sequence, then the summary across them (means and 95% confidence
// half-widths of every numeric result).
#include <chrono>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "experiment/replication.hpp"
#include "fargatelab/metrics.hpp"
#include "fargatelab/run.hpp"
#include "metrics/service_metrics.hpp"
#include "metrics/task_metrics.hpp"

namespace fargatelab {
namespace {

// Walks the shape of `first` and combines the same leaf across all replications.
void aggregate(const std::vector<const nlohmann::json*>& reps, nlohmann::json& mean, nlohmann::json& ci) {
  const nlohmann::json& first = *reps.front();
  if (first.is_object()) {
    // The union of the replications' keys (a failure reason may occur in only some of them).
    static const nlohmann::json missing;
    mean = nlohmann::json::object();
    ci = nlohmann::json::object();
    std::set<std::string> keys;
    for (const auto* r : reps)
      for (const auto& [key, _] : r->items()) keys.insert(key);
    for (const auto& key : keys) {
      std::vector<const nlohmann::json*> children;
      for (const auto* r : reps) children.push_back(r->contains(key) ? &r->at(key) : &missing);
      aggregate(children, mean[key], ci[key]);
    }
    return;
  }
  if (!first.is_number() && !first.is_null()) {
    mean = first;
    ci = nullptr;
    return;
  }
  RunningStats s;
  for (const auto* r : reps)
    if (r->is_number()) s.add(r->get<double>());
  if (s.count() == 0) {
    mean = nullptr;
    ci = nullptr;
    return;
  }
  if (reps.size() == 1) {
    mean = first;
    ci = nullptr;
    return;
  }
  mean = s.mean();
  const double h = confidence_half_width(s, 0.95);
  ci = std::isfinite(h) ? nlohmann::json(h) : nlohmann::json(nullptr);
}

std::string hex64(std::uint64_t v) { return fmt::format("{:016x}", v); }

}  // namespace

std::string version() { return FARGATELAB_VERSION; }

RunResult run(const Scenario& scenario, const RunOptions& options) {
  const ScenarioSpec& spec = scenario.spec();
  const std::uint64_t seed = options.seed.value_or(spec.seed);
  const int runs = options.runs.value_or(spec.replications);
  if (runs < 1) throw ScenarioError({{"/replications", fmt::format("runs must be at least 1, got {}", runs)}});
  const auto t0 = std::chrono::steady_clock::now();

  RunResult result;
  result.timeseries_columns = detail::timeseries_columns();
  result.capacity_columns = detail::capacity_columns();
  result.task_phase_columns = detail::task_phase_columns();
  nlohmann::json per_rep = nlohmann::json::array();
  nlohmann::json warnings = nlohmann::json::array();
  std::uint64_t fingerprint = 14695981039346656037ull;
  for (int r = 0; r < runs; ++r) {
    std::function<bool(double)> progress;
    if (options.progress) progress = [&, r](double f) { return options.progress((r + f) / runs); };
    auto out = detail::run_replication(spec, seed, r, progress, result);
    result.events_processed += out.kernel_events;
    fingerprint = (fingerprint ^ out.fingerprint) * 1099511628211ull;
    out.summary["replication"] = r;
    out.summary["kernel_events"] = out.kernel_events;
    out.summary["fingerprint"] = hex64(out.fingerprint);
    for (auto& w : out.warnings) warnings.push_back(fmt::format("replication {}: {}", r, w));
    per_rep.push_back(std::move(out.summary));
  }
  if (options.progress) options.progress(1.0);

  nlohmann::json results, ci95;
  for (const char* part : {"services", "workloads", "clients", "standalone_tasks", "network", "capacity", "ec2", "cost"}) {
    if (!per_rep.front().contains(part)) continue;  // "ec2": only with EC2 capacity
    std::vector<const nlohmann::json*> reps;
    for (const auto& rep : per_rep) reps.push_back(&rep.at(part));
    aggregate(reps, results[part], ci95[part]);
  }

  result.summary = {
      {"fargatelab_version", version()},
      {"scenario", {{"name", spec.name}, {"description", spec.description}}},
      {"seed", seed},
      {"replications", runs},
      {"duration_s", spec.duration.to_seconds()},
      {"warmup_s", spec.warmup.to_seconds()},
      {"metrics_interval_s", spec.output.metrics_interval.to_seconds()},
      {"results", results},
      {"ci95", ci95},
      {"per_replication", per_rep},
      {"kernel_events", result.events_processed},
      {"fingerprint", hex64(fingerprint)},
      {"warnings", warnings},
      {"notes", spec.notes},
  };
  result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return result;
}

}  // namespace fargatelab
