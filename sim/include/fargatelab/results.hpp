// Typed results (issue 11): what one replication measured, per service, workload, request class,
// standalone task spec, subnet and platform, its cost and its bill; and the same structures for
// the means and 95 % confidence half-widths across replications. The observers fill them
// (ServiceMetrics, TaskMetrics, the platform runtimes, the billing observer); run() aggregates
// them; the summary table, comparisons and Python read their fields. JSON is made from them only
// at the edge (summary.json, summary_json_text, Python's Result.summary), by the field lists below.
//
// Every structure lists its fields once, in `fields()`: the JSON key and the member. That one
// list drives the JSON, the aggregation across replications and the tables, so a field is named
// once. Adding a field: sim/README.md, "Adding a metric".
#pragma once

#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/bill.hpp"

namespace fargatelab {

// A figure: a count (a whole number the model counted), a measure (a real number), or none
// (undefined: a latency without an answered request, a half-width from one replication). In JSON
// a count is an integer, a measure a real number and none is null; a measure that is not finite
// is none. A mean across replications is a measure, except that with one replication the value
// is kept as it is (a count stays a count).
class Number {
 public:
  constexpr Number() noexcept = default;
  template <class I>
    requires std::integral<I> && (!std::same_as<I, bool>)
  constexpr Number(I count) noexcept : kind_(Kind::count), count_(static_cast<std::int64_t>(count)) {}
  Number(double measure) noexcept
      : kind_(std::isfinite(measure) ? Kind::measure : Kind::none), measure_(std::isfinite(measure) ? measure : 0.0) {}

  constexpr bool has_value() const noexcept { return kind_ != Kind::none; }
  constexpr bool is_count() const noexcept { return kind_ == Kind::count; }
  // The value as a real number; NaN for none.
  constexpr double value() const noexcept {
    return kind_ == Kind::count     ? static_cast<double>(count_)
           : kind_ == Kind::measure ? measure_
                                    : std::numeric_limits<double>::quiet_NaN();
  }
  // The count (0 unless is_count()).
  constexpr std::int64_t count() const noexcept { return kind_ == Kind::count ? count_ : 0; }
  constexpr bool operator==(const Number&) const noexcept = default;

 private:
  enum class Kind : std::uint8_t { none, count, measure };
  Kind kind_ = Kind::none;
  std::int64_t count_ = 0;
  double measure_ = 0;
};

// A text figure (an instance type, an error message): the first replication's in a mean, none
// in a half-width (null in JSON).
struct Text {
  std::optional<std::string> value;
  bool operator==(const Text&) const = default;
};
// A yes/no figure (a Spot capacity provider), aggregated as Text.
struct Flag {
  std::optional<bool> value;
  bool operator==(const Flag&) const = default;
};

// One entry of a structure's field list: its JSON key and the member.
template <class S, class M>
struct Field {
  std::string_view name;
  M S::*member;
};
template <class S, class M>
constexpr Field<S, M> field(std::string_view name, M S::*member) noexcept {
  return {name, member};
}

// The field kinds a structure may hold, and what each means in JSON and across replications:
//   Number, Text, Flag         leaves (above)
//   a structure with fields()  an object
//   std::optional<X>           a field that some results do not have (ECS services' health
//                              checks, a queue's counts): its key is absent when empty; in a
//                              map, an empty entry is null
//   std::map<std::string, X>   an object keyed by name (services, reasons, phases)
//   PlatformBlocks             the platforms' own blocks, each at its own key (below)
// Across replications, a Number is the mean of the replications that have one (its half-width
// with two or more of them), Text and Flag are the first replication's, a map has the union of
// the replications' keys, and an entry or optional structure the first replication lacks is
// null (an empty std::optional): the rules of the JSON aggregation this structure replaced.

// The latency of answered requests (within the caller's deadline), in milliseconds.
struct LatencySummary {
  Number mean, p50, p90, p95, p99, p99_9, max;
  static constexpr auto fields() {
    using S = LatencySummary;
    return std::tuple{field("mean", &S::mean), field("p50", &S::p50), field("p90", &S::p90), field("p95", &S::p95),
                      field("p99", &S::p99),   field("p99_9", &S::p99_9), field("max", &S::max)};
  }
};

// Requests that did not end "ok", by cause: a timeout (the caller's deadline passed), then one
// field per error outcome of the serving side (serving/request.hpp, outcome_name()).
struct Errors {
  Number timeout, rejected, no_capacity, reset, dependency, unreachable, expired, dead_letter, throttled, function_timeout;
  // Application errors (HTTP 500): only in scenarios where a bad version or a fault can answer one.
  std::optional<Number> app_error;
  static constexpr auto fields() {
    using S = Errors;
    return std::tuple{field("timeout", &S::timeout),         field("rejected", &S::rejected),
                      field("no_capacity", &S::no_capacity), field("reset", &S::reset),
                      field("dependency", &S::dependency),   field("unreachable", &S::unreachable),
                      field("expired", &S::expired),         field("dead_letter", &S::dead_letter),
                      field("throttled", &S::throttled),     field("function_timeout", &S::function_timeout),
                      field("app_error", &S::app_error)};
  }
};

// A client's SDK retries in the measured period (serving/retry.hpp): a workload's clients, or a
// service's calls to one dependency. amplification = attempts / first_attempts, the factor by
// which retries multiply the load the client offers. rate_limited and rate_limit_wait_s: the
// adaptive mode's attempts that waited for a token of the client-side rate limiter, and how long
// in all (s).
struct RetryResults {
  Number first_attempts, attempts, retries, quota_refusals, exhausted, amplification, rate_limited, rate_limit_wait_s;
  static constexpr auto fields() {
    using S = RetryResults;
    return std::tuple{field("first_attempts", &S::first_attempts), field("attempts", &S::attempts),
                      field("retries", &S::retries),               field("quota_refusals", &S::quota_refusals),
                      field("exhausted", &S::exhausted),           field("amplification", &S::amplification),
                      field("rate_limited", &S::rate_limited),     field("rate_limit_wait_s", &S::rate_limit_wait_s)};
  }
};

// Requests each live task (environment) finished in the measured period, and its CPU use (%).
struct TaskLoad {
  Number tasks, requests_min, requests_mean, requests_max, max_over_mean, cv, cpu_pct_min, cpu_pct_mean, cpu_pct_max;
  static constexpr auto fields() {
    using S = TaskLoad;
    return std::tuple{field("tasks", &S::tasks),
                      field("requests_min", &S::requests_min),
                      field("requests_mean", &S::requests_mean),
                      field("requests_max", &S::requests_max),
                      field("max_over_mean", &S::max_over_mean),
                      field("cv", &S::cv),
                      field("cpu_pct_min", &S::cpu_pct_min),
                      field("cpu_pct_mean", &S::cpu_pct_mean),
                      field("cpu_pct_max", &S::cpu_pct_max)};
  }
};

// A service with a queue in front: extra deliveries and what was left.
struct QueueResults {
  Number duplicate_deliveries, dead_lettered_copies, visible_at_end, max_visible;
  static constexpr auto fields() {
    using S = QueueResults;
    return std::tuple{field("duplicate_deliveries", &S::duplicate_deliveries),
                      field("dead_lettered_copies", &S::dead_lettered_copies), field("visible_at_end", &S::visible_at_end),
                      field("max_visible", &S::max_visible)};
  }
};

// A load balancer's health checks of an ECS service's targets.
struct HealthChecks {
  Number probes, failed;
  static constexpr auto fields() { return std::tuple{field("probes", &HealthChecks::probes), field("failed", &HealthChecks::failed)}; }
};

// Durations in seconds: how many, their mean and percentiles.
struct SecondsSummary {
  Number count, mean, p50, p90, p99, max;
  static constexpr auto fields() {
    using S = SecondsSummary;
    return std::tuple{field("count", &S::count), field("mean", &S::mean), field("p50", &S::p50),
                      field("p90", &S::p90),     field("p99", &S::p99),   field("max", &S::max)};
  }
};

// The tasks of a service or of a standalone task spec: launches, failures, launch phases.
struct TaskLaunches {
  Number launched, failed_to_start, spot_interruptions;
  std::map<std::string, Number> failure_reasons, stop_codes;
  // By phase ("provisioning", "image_pull", ...), for the phases some task went through.
  std::map<std::string, std::optional<SecondsSummary>> launch_phases_s;
  SecondsSummary time_to_running_s, time_to_in_service_s;
  static constexpr auto fields() {
    using S = TaskLaunches;
    return std::tuple{field("launched", &S::launched),
                      field("failed_to_start", &S::failed_to_start),
                      field("spot_interruptions", &S::spot_interruptions),
                      field("failure_reasons", &S::failure_reasons),
                      field("stop_codes", &S::stop_codes),
                      field("launch_phases_s", &S::launch_phases_s),
                      field("time_to_running_s", &S::time_to_running_s),
                      field("time_to_in_service_s", &S::time_to_in_service_s)};
  }
};

// --- Platform blocks ----------------------------------------------------------------------

// What a function platform (Lambda) measured of a service: what a comparison reads.
struct FunctionFigures {
  Number invocations, cold_starts, environments_mean;
};
// The container instances a platform pays for (EC2), summed over its capacity providers: their
// number and their vCPU, time-averaged over the measured period.
struct InstanceFigures {
  double instances_mean = 0, vcpu_mean = 0;
};
// A block's own table in the summary table (`fargatelab run`): a heading (the first column's
// title), its columns, and its rows (a name, then a value per column).
struct BlockTable {
  struct Column {
    std::string title;
    int decimals = 0;
  };
  struct Row {
    std::string name;
    std::vector<Number> values;
  };
  std::string heading;
  std::vector<Column> columns;
  std::vector<Row> rows;
};

// A platform's own block of results: of one service (Lambda's "lambda", App Runner's
// "app_runner") or of the replication (Fargate's "capacity", EC2's "ec2"). Its type lives in its
// platform's folder (sim/src/platforms/<name>/); the rest of the simulator holds it through this
// interface. Blocks are immutable once made.
class PlatformBlock {
 public:
  virtual ~PlatformBlock() = default;
  // Its key in the summary object it belongs to.
  virtual std::string_view key() const noexcept = 0;
  virtual nlohmann::json to_json() const = 0;
  // Mean and 95 % half-width across replications: `replications[r]` is replication r's block of
  // the same key (null if it has none); `this` is replications[0].
  struct Aggregate {
    std::shared_ptr<const PlatformBlock> mean, ci95;
  };
  virtual Aggregate aggregate(const std::vector<const PlatformBlock*>& replications) const = 0;

  // Figures shared code needs. A function platform's per-service figures (none otherwise).
  virtual std::optional<FunctionFigures> function_figures() const { return std::nullopt; }
  // The instances paid for (none for a platform that bills tasks or invocations).
  virtual std::optional<InstanceFigures> instance_figures() const { return std::nullopt; }
  // Its table in the summary table; `owner`: the service's name for a service's block. An empty
  // heading: no table of its own (its service is shown with the ECS services' tasks).
  virtual BlockTable summary_table(const std::string& /*owner*/) const { return {}; }
};
using PlatformBlocks = std::vector<std::shared_ptr<const PlatformBlock>>;

// The first block of `blocks` with a function platform's figures, or none.
std::optional<FunctionFigures> function_figures(const PlatformBlocks& blocks);

// --- Services, workloads, the whole replication ---------------------------------------------

// A service's Application Auto Scaling over the run (a service with a scaling section): its
// policies and scheduled actions, what they did, and the desired count's range.
struct ScalingResults {
  Number policies, evaluations, scheduled_actions, scheduled_runs;
  Number scale_outs, scale_ins, alarm_state_changes;
  Number desired_min, desired_max, desired_at_end, min_capacity, max_capacity;
  static constexpr auto fields() {
    using S = ScalingResults;
    return std::tuple{field("policies", &S::policies),
                      field("evaluations", &S::evaluations),
                      field("scheduled_actions", &S::scheduled_actions),
                      field("scheduled_runs", &S::scheduled_runs),
                      field("scale_outs", &S::scale_outs),
                      field("scale_ins", &S::scale_ins),
                      field("alarm_state_changes", &S::alarm_state_changes),
                      field("desired_min", &S::desired_min),
                      field("desired_max", &S::desired_max),
                      field("desired_at_end", &S::desired_at_end),
                      field("min_capacity", &S::min_capacity),
                      field("max_capacity", &S::max_capacity)};
  }
};

// A service's ECS deployments over the run (a service with deployments): how many started,
// completed, failed (circuit breaker) and were rolled back, the failed tasks the circuit
// breaker counted, and when the last one completed and how long it took (none: none completed).
struct DeploymentResults {
  Number started, completed, failed, rollbacks, failed_tasks;
  std::optional<Number> last_completed_s, last_duration_s;
  static constexpr auto fields() {
    using S = DeploymentResults;
    return std::tuple{field("started", &S::started),
                      field("completed", &S::completed),
                      field("failed", &S::failed),
                      field("rollbacks", &S::rollbacks),
                      field("failed_tasks", &S::failed_tasks),
                      field("last_completed_s", &S::last_completed_s),
                      field("last_duration_s", &S::last_duration_s)};
  }
};

// One service over the measured period. Requests are every request it received (client
// requests, calls, messages); latency is of answered requests.
struct ServiceResults {
  Number requests, ok;
  Errors errors;
  Number errors_total, in_flight_at_end, error_rate, throughput_rps;
  LatencySummary latency_ms;
  Number cpu_utilization_pct;  // of the vCPU its tasks (environments) hold
  Number tasks;                // time-averaged tasks (environments): vcpu_mean / task vCPU
  Number vcpu_mean;            // vCPU the tasks (environments) hold, time-averaged
  Number tasks_at_end;
  TaskLoad task_load;
  std::optional<QueueResults> queue;  // a service with a queue in front
  TaskLaunches tasks_launch;
  std::optional<Number> tasks_replaced_unhealthy;  // an ECS service: tasks the load balancer found unhealthy
  std::optional<HealthChecks> health_checks;       // an ECS service behind a load balancer
  PlatformBlocks platform;                         // its platform's block (Lambda, App Runner), if any
  std::optional<ScalingResults> scaling;           // a service with Application Auto Scaling
  std::optional<DeploymentResults> deployments;    // a service with ECS deployments
  // A service whose calls retry: by called service.
  std::optional<std::map<std::string, RetryResults>> call_retries;
  // A service with Application Auto Scaling that received a request while it had no running
  // task (in the measured period): seconds from the first such request's arrival to the first
  // request the service answered ok after it (scale-from-zero latency; absent when it never
  // sat at zero with a request, or no answer came before the end).
  std::optional<Number> first_response_after_zero_s;
  static constexpr auto fields() {
    using S = ServiceResults;
    return std::tuple{field("requests", &S::requests),
                      field("ok", &S::ok),
                      field("errors", &S::errors),
                      field("errors_total", &S::errors_total),
                      field("in_flight_at_end", &S::in_flight_at_end),
                      field("error_rate", &S::error_rate),
                      field("throughput_rps", &S::throughput_rps),
                      field("latency_ms", &S::latency_ms),
                      field("cpu_utilization_pct", &S::cpu_utilization_pct),
                      field("tasks", &S::tasks),
                      field("vcpu_mean", &S::vcpu_mean),
                      field("tasks_at_end", &S::tasks_at_end),
                      field("task_load", &S::task_load),
                      field("queue", &S::queue),
                      field("tasks_launch", &S::tasks_launch),
                      field("tasks_replaced_unhealthy", &S::tasks_replaced_unhealthy),
                      field("health_checks", &S::health_checks),
                      field("platform", &S::platform),
                      field("scaling", &S::scaling),
                      field("deployments", &S::deployments),
                      field("call_retries", &S::call_retries),
                      field("first_response_after_zero_s", &S::first_response_after_zero_s)};
  }
};

// One request class of a workload, end to end.
struct RequestClassResults {
  Number requests, ok;
  Errors errors;
  LatencySummary latency_ms;
  static constexpr auto fields() {
    using S = RequestClassResults;
    return std::tuple{field("requests", &S::requests), field("ok", &S::ok), field("errors", &S::errors),
                      field("latency_ms", &S::latency_ms)};
  }
};

// A workload's client requests end to end (its classes together), or every workload's together
// (ClientResults: what a comparison ranks options by).
struct ClientResults {
  Number arrivals, ok;
  Errors errors;
  Number errors_total;
  LatencySummary latency_ms;
  Number slo_ms;      // the latency objective
  Number within_slo;  // share of requests answered within it
  static constexpr auto fields() {
    using S = ClientResults;
    return std::tuple{field("arrivals", &S::arrivals), field("ok", &S::ok),
                      field("errors", &S::errors),     field("errors_total", &S::errors_total),
                      field("latency_ms", &S::latency_ms), field("slo_ms", &S::slo_ms),
                      field("within_slo", &S::within_slo)};
  }
};
struct WorkloadResults : ClientResults {
  std::map<std::string, RequestClassResults> classes;
  std::optional<RetryResults> retries;  // a workload whose clients retry
  static constexpr auto fields() {
    using S = WorkloadResults;
    return std::tuple_cat(ClientResults::fields(), std::tuple{field("classes", &S::classes), field("retries", &S::retries)});
  }
};

struct SubnetResults {
  Number capacity, peak_in_use;  // addresses
  static constexpr auto fields() {
    return std::tuple{field("capacity", &SubnetResults::capacity), field("peak_in_use", &SubnetResults::peak_in_use)};
  }
};
struct NetworkResults {
  std::map<std::string, SubnetResults> subnets;
  static constexpr auto fields() { return std::tuple{field("subnets", &NetworkResults::subnets)}; }
};

// The bill's totals, or why there is no bill (a rate or a region the price catalogs lack).
struct CostResults {
  std::optional<Text> error;
  std::optional<Number> period_hours, total_usd, monthly_usd;  // the measured period; its bill; scaled to 730 h
  std::optional<std::map<std::string, Number>> by_aws_service_monthly_usd;
  static constexpr auto fields() {
    using S = CostResults;
    return std::tuple{field("error", &S::error), field("period_hours", &S::period_hours),
                      field("total_usd", &S::total_usd), field("monthly_usd", &S::monthly_usd),
                      field("by_aws_service_monthly_usd", &S::by_aws_service_monthly_usd)};
  }
};

// What run() aggregates across replications ("results" and "ci95" of summary.json).
struct Results {
  std::map<std::string, ServiceResults> services;
  std::map<std::string, WorkloadResults> workloads;
  ClientResults clients;
  std::map<std::string, TaskLaunches> standalone_tasks;
  NetworkResults network;
  CostResults cost;
  PlatformBlocks platforms;  // replication-wide blocks, in platform order (Fargate's zones, EC2's providers)
  static constexpr auto fields() {
    using S = Results;
    return std::tuple{field("services", &S::services), field("workloads", &S::workloads),
                      field("clients", &S::clients),   field("standalone_tasks", &S::standalone_tasks),
                      field("network", &S::network),   field("cost", &S::cost),
                      field("platforms", &S::platforms)};
  }
};

// One replication: its results, and how it ran.
struct ReplicationResults {
  Results results;
  int replication = 0;
  std::uint64_t kernel_events = 0;
  std::string fingerprint;  // 16 hex digits (ServiceMetrics::fingerprint)
  std::optional<Bill> bill;  // none when it could not be priced (cost.error)
};

// The mean and 95 % confidence half-width of every figure across `replications` (at least one).
struct AggregatedResults {
  Results mean, ci95;
};
AggregatedResults aggregate(const std::vector<const Results*>& replications);

// The JSON of summary.json's "results" / "ci95" objects and of one "per_replication" entry.
nlohmann::json to_json(const Results& results);
nlohmann::json to_json(const ReplicationResults& replication);

}  // namespace fargatelab
