// The policy bench (issue 12): the same scenario, seed and workload streams (common random
// numbers) under each scaling policy, one row per policy, so a platform team can replay its
// traffic against target tracking, step, predictive, HPA or its own policy before production.
// `fargatelab policies` and Python's compare_policies read these rows.
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/compare.hpp"
#include "fargatelab/run.hpp"
#include "fargatelab/scenario.hpp"
#include "fargatelab/table.hpp"

namespace fargatelab {

// What a bench row of "fixed" means: the scenario's own desired counts (and schedules), no
// policy: the baseline every policy is compared with.
inline constexpr const char* kFixedCapacity = "fixed";

// The scenario with `policy` as the only scaling policy of each service named in `services`
// (all services when empty), keeping the limits of a scaling section it already has. `policy`
// is a short form ("target_tracking(metric=cpu, target=60)"), a JSON document (an AWS
// put-scaling-policy input), or kFixedCapacity (every scaling section removed). Throws
// ScenarioError for a bad policy (at the service's pointer) or an unknown service name.
Scenario scenario_for_policy(const Scenario& scenario, const std::string& policy, const std::vector<std::string>& services = {});

// One policy's figures. Means across replications; the measured period only. "_ci" is the 95 %
// confidence half-width of the mean across replications (Student t with n - 1 degrees of
// freedom, confidence_half_width in metrics.hpp, as figures' own "_ci" are); NaN with one
// replication.
struct PolicyBenchRow {
  std::string policy;
  ComparisonRow figures;  // cost, latency, SLO attainment, errors, each with its CI (compare.hpp)
  // Metrics intervals in which a workload's target service answered some request later than the
  // SLO at p99, or failed one, in minutes.
  double minutes_in_breach = NAN, minutes_in_breach_ci = NAN;
  // Task-hours held (time-averaged tasks x hours) and the task-hours the CPU work needed at
  // 100 % CPU (held x CPU utilisation): paid - needed is the over-provisioning.
  double task_hours_paid = NAN, task_hours_paid_ci = NAN;
  double task_hours_needed = NAN, task_hours_needed_ci = NAN;
  double scaling_actions = NAN;   // scale-outs and scale-ins (every activity) per replication
  double first_scale_out_s = NAN;  // replication 0: when capacity was first added (NaN: never)
  // Scale from zero: seconds from the first request that found a scaled service with no running
  // task to that service's first ok answer (ServiceResults::first_response_after_zero_s), the
  // longest over services, averaged over the replications that have one; NaN when no service
  // ever sat at zero with a request waiting.
  double first_response_after_zero_s = NAN;
  // How it was measured, beside figures' replications, seed, duration and SLO: the seconds from
  // a CloudWatch datapoint's period end until a policy can read it (cloudwatch.publication_delay).
  double publication_delay_s = NAN;
};

// The row of one run of `scenario` (scenario_for_policy's): reads the typed results and the
// time series (minutes in breach, task-hours per replication) and the event log (scaling actions).
PolicyBenchRow policy_bench_row(const RunResult& result, const Scenario& scenario, const std::string& policy);

// The rows as a table: "policy", then the row's own figures (each "_ci" after its figure), then
// the comparison figures (comparison_fields()).
Table policy_bench_table(const std::vector<PolicyBenchRow>& rows);
// policies.json (also what `fargatelab policies --format json` prints): {"scenario",
// "fargatelab_version", "bench": {"replications", "seed", "duration_s", "warmup_s", "slo_ms",
// "publication_delay_s"} (how it was measured, from the first row), "rows": [the table's columns
// by name, null for NaN]}. Python's load_policy_bench reads it back.
nlohmann::ordered_json policy_bench_json(const std::string& scenario, const std::vector<PolicyBenchRow>& rows);
// What `fargatelab policies` prints: a heading, one line per policy, a note.
std::string policy_bench_text(const std::string& scenario, const std::vector<PolicyBenchRow>& rows);

}  // namespace fargatelab
