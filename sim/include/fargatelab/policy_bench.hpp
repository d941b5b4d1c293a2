// The policy bench (issue 12): the same scenario, seed and workload streams (common random
// numbers) under each scaling policy, one row per policy, so a platform team can replay its
// traffic against target tracking, step, predictive, HPA or its own policy before production.
// `fargatelab policies` and Python's compare_policies read these rows.
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <vector>

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

// One policy's figures. Means across replications; the measured period only.
struct PolicyBenchRow {
  std::string policy;
  ComparisonRow figures;  // cost, latency, SLO attainment, errors (compare.hpp)
  // Metrics intervals in which a workload's target service answered some request later than the
  // SLO at p99, or failed one, in minutes.
  double minutes_in_breach = NAN;
  // Task-hours held (time-averaged tasks x hours) and the task-hours the CPU work needed at
  // 100 % CPU (held x CPU utilisation): paid - needed is the over-provisioning.
  double task_hours_paid = NAN, task_hours_needed = NAN;
  double scaling_actions = NAN;   // scale-outs and scale-ins (every activity) per replication
  double first_scale_out_s = NAN;  // replication 0: when capacity was first added (NaN: never)
};

PolicyBenchRow policy_bench_row(const RunResult& result, const Scenario& scenario, const std::string& policy);

// The rows as a table: "policy", then the row's own figures, then the comparison figures
// (comparison_fields()).
Table policy_bench_table(const std::vector<PolicyBenchRow>& rows);
// What `fargatelab policies` prints: a heading, one line per policy, a note.
std::string policy_bench_text(const std::string& scenario, const std::vector<PolicyBenchRow>& rows);

}  // namespace fargatelab
