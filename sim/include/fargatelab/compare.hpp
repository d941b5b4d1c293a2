// Comparisons of AWS options for one workload (issue 6): the same scenario with every service
// moved onto each option, run with the same seed and workload streams (common random numbers),
// summarised in one row per option: monthly cost, latency, cold starts, errors and throttles,
// SLO attainment, utilisation and paid-but-idle capacity, with 95 % confidence intervals when
// there are replications.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/constants.hpp"
#include "fargatelab/run.hpp"
#include "fargatelab/scenario.hpp"

namespace fargatelab {

struct CompareOption {
  std::string name;         // one of compare_option_names (constants.hpp)
  std::string description;  // what the option sets
};

// Every option, in the order of compare_option_names.
const std::vector<CompareOption>& compare_options();

// The scenario with every service on `option`. Throws ScenarioError (pointer "/options") for an
// unknown option, naming the known ones, and ScenarioError for an option the scenario cannot
// take (e.g. an App Runner size the task does not have).
Scenario scenario_for_option(const Scenario& scenario, const std::string& option);

// One row per run, in order: {"option", "monthly_cost_usd", "latency_p50_ms", "latency_p95_ms",
// "latency_p99_ms", "cold_start_share", "errors", "error_rate", "throttles", "slo_attainment",
// "utilization_pct", "idle_paid_pct", "mean_capacity", "instances", and "<field>_ci" for each
// figure with a confidence interval (null with one replication)}. Latency, errors and SLO are
// the clients' (every request of every workload together); cost is the whole bill.
nlohmann::json comparison_rows(const std::vector<std::pair<std::string, RunResult>>& runs);

// The rows as a text table (what `fargatelab compare` prints); with `itemised`, every option's
// monthly bill follows, line by line.
std::string comparison_text(const nlohmann::json& rows, const std::vector<std::pair<std::string, RunResult>>& runs,
                            bool itemised);

}  // namespace fargatelab
