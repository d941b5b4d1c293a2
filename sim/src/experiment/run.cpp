// run(): replications in sequence, then their results aggregated (means and 95% confidence
// half-widths of every figure: results/result_fields.hpp); summary_json(), the summary document.
#include <algorithm>
#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include "experiment/replication.hpp"
#include "fargatelab/metrics.hpp"
#include "fargatelab/run.hpp"
#include "metrics/service_metrics.hpp"
#include "metrics/task_metrics.hpp"

namespace fargatelab {
namespace {

std::string hex64(std::uint64_t v) { return fmt::format("{:016x}", v); }

}  // namespace

std::string version() { return FARGATELAB_VERSION; }

nlohmann::json summary_json(const RunResult& r) {
  nlohmann::json per_rep = nlohmann::json::array();
  for (const auto& rep : r.per_replication) per_rep.push_back(to_json(rep));
  return {
      {"fargatelab_version", version()},
      {"scenario", {{"name", r.info.scenario}, {"description", r.info.description}}},
      {"seed", r.info.seed},
      {"replications", r.info.replications},
      {"duration_s", r.info.duration_s},
      {"warmup_s", r.info.warmup_s},
      {"metrics_interval_s", r.info.metrics_interval_s},
      {"results", to_json(r.results)},
      {"ci95", to_json(r.ci95)},
      {"per_replication", std::move(per_rep)},
      {"kernel_events", r.events_processed},
      {"fingerprint", r.info.fingerprint},
      {"warnings", r.info.warnings},
      {"notes", r.info.notes},
  };
}

RunResult run(const Scenario& scenario, const RunOptions& options) {
  const ScenarioSpec& spec = scenario.spec();
  const std::uint64_t seed = options.seed.value_or(spec.seed);
  const int runs = options.runs.value_or(spec.replications);
  if (runs < 1) throw ScenarioError({{"/replications", fmt::format("runs must be at least 1, got {}", runs)}});
  std::vector<Diagnostic> bad;
  for (const CustomPolicy& p : options.policies) {
    const auto it = std::find_if(spec.services.begin(), spec.services.end(), [&](const ServiceSpec& s) { return s.name == p.service; });
    if (it == spec.services.end())
      bad.push_back({"/services", fmt::format("policy \"{}\": no service \"{}\"", p.name, p.service)});
    else if (!p.decide)
      bad.push_back({"/services", fmt::format("policy \"{}\" for \"{}\" has no function", p.name, p.service)});
    else if (!(p.period > Duration::zero()))
      bad.push_back({"/services", fmt::format("policy \"{}\": the period must be > 0", p.name)});
  }
  if (!bad.empty()) throw ScenarioError(std::move(bad));
  const auto t0 = std::chrono::steady_clock::now();

  RunResult result;
  result.timeseries_columns = detail::timeseries_columns();
  result.capacity_columns = detail::capacity_columns();
  result.task_phase_columns = detail::task_phase_columns();
  std::uint64_t fingerprint = 14695981039346656037ull;
  for (int r = 0; r < runs; ++r) {
    std::function<bool(double)> progress;
    if (options.progress) progress = [&, r](double f) { return options.progress((r + f) / runs); };
    auto out = detail::run_replication(spec, seed, r, progress, result, options.policies);
    result.events_processed += out.kernel_events;
    fingerprint = (fingerprint ^ out.fingerprint) * 1099511628211ull;
    for (auto& w : out.warnings) result.info.warnings.push_back(fmt::format("replication {}: {}", r, w));
    result.per_replication.push_back({std::move(out.results), r, out.kernel_events, hex64(out.fingerprint), std::move(out.bill)});
  }
  if (options.progress) options.progress(1.0);

  std::vector<const Results*> reps;
  for (const auto& rep : result.per_replication) reps.push_back(&rep.results);
  AggregatedResults across = aggregate(reps);
  result.results = std::move(across.mean);
  result.ci95 = std::move(across.ci95);
  result.info = {spec.name,
                 spec.description,
                 seed,
                 runs,
                 spec.duration.to_seconds(),
                 spec.warmup.to_seconds(),
                 spec.output.metrics_interval.to_seconds(),
                 hex64(fingerprint),
                 std::move(result.info.warnings),
                 spec.notes};
  result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return result;
}

}  // namespace fargatelab
