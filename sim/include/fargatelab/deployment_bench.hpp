// The deployment scorecard (issue 13): what a release does, per deployment of a service, and
// the same scenario, seed and workload streams (common random numbers) under each deployment
// strategy side by side: `fargatelab deployments SCENARIO --strategy rolling --strategy
// "canary(percent=10, bake=5m)"`. The release's cost is measured against a baseline run of the
// same scenario without the service's deployments, so it includes everything the release
// changed (extra tasks, the bake's second fleet, replacements), not an estimate of it.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/run.hpp"
#include "fargatelab/scenario.hpp"

namespace fargatelab {

// The scenario with every deployment (action "deploy") of the services named in `services` (all
// services with deployments when empty) rolled out with `strategy` (a short form or a
// deploymentConfiguration JSON document), the event log on. Throws ScenarioError for a bad
// strategy (at the deployment's pointer), an unknown service or one without deployments.
Scenario scenario_for_strategy(const Scenario& scenario, const std::string& strategy, const std::vector<std::string>& services = {});
// The baseline: the same scenario without those services' deployments.
Scenario scenario_without_deployments(const Scenario& scenario, const std::vector<std::string>& services = {});

// One release: deployment `index` (in the service's time order) of `service` under `strategy`.
// Means across replications; NaN where no replication has the figure.
struct DeploymentScore {
  std::string strategy, service, revision;
  double at_s = NAN;
  int replications = 0;
  // Per replication how it ended: COMPLETED (the revision serves), ROLLED_BACK (the previous one
  // serves again), FAILED (stopped without rollback), IN_PROGRESS (still running at the end).
  int completed = 0, rolled_back = 0, failed = 0, in_progress = 0;
  double duration_s = NAN;       // start to COMPLETED, or to the end of the rollback
  double detect_s = NAN;         // start to the failure (circuit breaker, alarm, hook, 1-click)
  double rollback_s = NAN;       // the failure to the end of the rollback
  double peak_tasks = NAN;       // most of the service's tasks alive at once during it
  double peak_extra_tasks = NAN; // peak_tasks - the desired count at its start
  double extra_task_hours = NAN; // the integral of tasks above that desired count
  double release_cost_usd = NAN; // the run's bill minus the baseline's (same streams): every release
                                 // of the run together, the same on each of its rows
  double requests = NAN, errors = NAN;  // the service's, in the metrics intervals it overlapped
  double breach_minutes = NAN;   // those intervals with p99 above the SLO or a failed request
  double p99_max_ms = NAN;       // the worst interval's p99
  double served_by_revision = NAN;  // requests the new revision's tasks answered (until the failure, if any)
};

// The scores of every release in `result` (a run of scenario_for_strategy's scenario), given the
// baseline run's result (for the cost; null: release_cost_usd stays NaN).
std::vector<DeploymentScore> deployment_scores(const RunResult& result, const Scenario& scenario, const std::string& strategy,
                                               const RunResult* baseline, const std::vector<std::string>& services = {});

// deployments.json (and `--format json`): {"scenario", "fargatelab_version", "rows": [...]}.
nlohmann::ordered_json deployment_scores_json(const std::string& scenario, const std::vector<DeploymentScore>& rows);
// What `fargatelab deployments` prints: a heading, one line per release, a note.
std::string deployment_scores_text(const std::string& scenario, const std::vector<DeploymentScore>& rows);

}  // namespace fargatelab
