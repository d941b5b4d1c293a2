// Comparisons of AWS options for one workload (issue 6): the same scenario with every service
// moved onto each option, run with the same seed and workload streams (common random numbers),
// summarised in one typed row per option: monthly cost, latency, cold starts, errors and
// throttles, SLO attainment, utilisation and paid-but-idle capacity, with 95 % confidence
// intervals when there are replications. `fargatelab compare`, `fargatelab run --platforms`,
// Python's Comparison and the HTML report all read these rows.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/constants.hpp"
#include "fargatelab/run.hpp"
#include "fargatelab/scenario.hpp"
#include "fargatelab/table.hpp"

namespace fargatelab {

struct CompareOption {
  std::string name;         // one of compare_option_names (constants.hpp)
  std::string description;  // what the option sets
};

// Every option, in the order of compare_option_names.
const std::vector<CompareOption>& compare_options();

// The policy an ECS option's services scale with when the scenario gives them none: target
// tracking on CPU at 60 % (a common starting point: AWS's console suggests 70-75 %, its
// workshops 50-60 %; lower leaves headroom for the minutes a scale-out takes), with min capacity
// min(2, desired count) (two tasks in two zones, ECS's availability advice) and the scaling
// section's default max (10 x desired count).
inline constexpr const char* kCompareDefaultScaling = "target_tracking(metric=cpu, target=60)";

// The scenario with every service on `option`. On an ECS option (fargate, fargate_spot,
// ecs_ec2, ecs_ec2_spot) a service without scaling policies gets kCompareDefaultScaling in place
// of its fixed desired count and schedule, unless `fixed_capacity` (compare --fixed-capacity).
// Throws ScenarioError (pointer "/options") for an unknown option, naming the known ones, and
// ScenarioError for an option the scenario cannot take (e.g. an App Runner size the task does
// not have).
Scenario scenario_for_option(const Scenario& scenario, const std::string& option, bool fixed_capacity = false);

// One line of replication 0's bill, scaled from the simulated period to a 730-hour month.
struct BillLine {
  std::string service, item, unit, arithmetic;
  double quantity = NAN, rate_usd = NAN, amount_usd = NAN;
};

struct MonthlyBill {
  double period_hours = NAN;  // simulated (measured) hours of replication 0
  std::vector<BillLine> items;
};

// One service of an option: what the clients of that service saw and the capacity it held.
struct ServiceFigures {
  std::string service;
  double requests = NAN, errors = NAN, error_rate = NAN;
  double latency_p50_ms = NAN, latency_p95_ms = NAN, latency_p99_ms = NAN;
  double cold_starts = NAN;          // a Lambda function: execution environments started; else NaN
  double tasks_launched = NAN;       // ECS tasks (App Runner instances) launched; NaN for a function
  double mean_capacity = NAN;        // time-averaged tasks, or execution environments
  double cpu_utilization_pct = NAN;  // of the vCPU the tasks or environments hold
};

// One option (or platform) of a comparison. Every figure is a mean across replications; "_ci" is
// its 95 % confidence half-width (NaN with one replication). Latency, requests, errors and SLO
// are the clients' (every request of every workload together); cost is the whole bill.
struct ComparisonRow {
  std::string option;
  // How it was measured.
  int replications = 0;
  double duration_s = NAN, warmup_s = NAN;
  std::uint64_t seed = 0;
  // Cost.
  double monthly_cost_usd = NAN, monthly_cost_usd_ci = NAN;
  std::optional<MonthlyBill> monthly_bill;  // none when the run was not billed
  // The clients' view.
  double slo_ms = NAN;
  double latency_p50_ms = NAN, latency_p50_ms_ci = NAN;
  double latency_p95_ms = NAN, latency_p95_ms_ci = NAN;
  double latency_p99_ms = NAN, latency_p99_ms_ci = NAN;
  double slo_attainment = NAN, slo_attainment_ci = NAN;  // share of requests answered within the SLO
  double requests = NAN, errors = NAN, error_rate = NAN;
  double throttles = NAN;  // throttled and rejected requests
  // Capacity: cold starts (Lambda), launches, what was held and what of it did work.
  double cold_starts = NAN, cold_start_share = NAN;  // share of invocations; NaN without a function
  double tasks_launched = NAN;
  double utilization_pct = NAN, idle_paid_pct = NAN;  // of the vCPU paid for (tasks, environments or instances)
  double mean_capacity = NAN;                         // tasks and environments, time-averaged, summed over services
  double instances = NAN;                             // EC2 container instances (ECS on EC2 options only)
  double scaled_services = NAN;  // services whose desired count Application Auto Scaling set
  std::vector<ServiceFigures> services;
};

// The row of one run, the only place that reads the run's summary for a comparison. An option
// whose name starts with "ecs_ec2" pays for EC2 instances: its utilisation is of their vCPU.
ComparisonRow comparison_row(const RunResult& result, const std::string& option);

// The figures of a row by name, in table order (with each "_ci" after its figure): the columns of
// Python's Comparison.table() and the keys of a row in comparison.json.
struct ComparisonField {
  const char* name;
  double ComparisonRow::*value;
};
const std::vector<ComparisonField>& comparison_fields();

// comparison.json (also what `fargatelab compare --format json` prints): {"scenario",
// "fargatelab_version", "options", "rows": [every field of each row, its services and its monthly
// bill]}; read back by
// comparison_rows_from_json (missing figures are NaN).
nlohmann::ordered_json comparison_json(const std::string& scenario, const std::vector<ComparisonRow>& rows);
std::vector<ComparisonRow> comparison_rows_from_json(const nlohmann::json& doc);

// What `fargatelab compare` and `fargatelab run --platforms` print: a heading, one line per row,
// a note; with `itemised`, every option's monthly bill follows, line by line.
// `fixed_capacity`: the ECS options kept the scenario's desired counts (the footnote says which).
std::string comparison_text(const std::string& scenario, const std::vector<ComparisonRow>& rows, bool itemised,
                            bool fixed_capacity = false);

// The rows as tables: "option" then comparison_fields(); per option and service ("option",
// "service", then ServiceFigures' figures); one option's monthly bill ("service", "item",
// "quantity", "unit", "rate_usd", "amount_usd", "arithmetic"; no rows without a bill).
Table comparison_table(const std::vector<ComparisonRow>& rows);
Table service_comparison_table(const std::vector<ComparisonRow>& rows);
Table bill_table(const ComparisonRow& row);

}  // namespace fargatelab
