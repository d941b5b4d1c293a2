// Scenario files: the experiment specification (practice 9).
//
// Loading runs: parse JSON -> apply --set overrides -> fill defaults from the JSON Schema ->
// validate (structure by the schema, then meaning: references, task sizes, cycles, model
// parameters), reporting every problem at once with its JSON pointer -> build the typed spec.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/diagnostics.hpp"
#include "fargatelab/random.hpp"
#include "fargatelab/registry.hpp"
#include "fargatelab/time.hpp"

namespace fargatelab {

namespace detail {
struct TaskDefinition;
struct ServiceScalingSpec;  // scaling/service_scaling_spec.hpp
struct ServiceDeployments;  // ecs/deployment/deployment_spec.hpp
struct EcsSpec;
struct FaultsSpec;      // faults/faults_spec.hpp
struct ScenarioAccess;  // scenario/scenario_access.hpp: builds a Scenario derived from another
}

// A platform's own settings of one service (its section of the scenario: "lambda",
// "app_runner", "ec2"), built by the platform's model; each platform derives its type from this
// and only its own folder reads it (sim/src/platforms/<name>/).
struct PlatformServiceSpec {
  virtual ~PlatformServiceSpec() = default;
};

// A platform's scenario-wide settings (its own top-level sections: "fargate", "ec2"), built by
// the platform's model; each platform derives its type from this and only its own folder reads
// it (sim/src/platforms/<name>/), through platform_settings<T>(scenario).
struct PlatformScenarioSpec {
  virtual ~PlatformScenarioSpec() = default;
};

// alb: per-request routing; nlb: per-connection flow hashing; none: a uniformly random task per
// request (client-side balancing over a fresh target list); cloud_map: DNS discovery, clients
// cache the answer (up to 8 records) for the TTL.
enum class LoadBalancerKind { alb, nlb, none, cloud_map };

struct ImageSpecInput {
  double size_mb = 250;  // compressed
  int layers = 8;
  bool zstd = false;
  bool soci = false;
  bool public_registry = false;
};

struct TaskSpec {
  int cpu_units = 256;  // 1024 units = 1 vCPU
  int memory_mib = 512;
  std::string architecture = "x86_64";
  std::string os = "linux";
  int ephemeral_storage_gib = 20;
  Duration stop_timeout;          // SIGTERM -> SIGKILL
  Distribution shutdown_time;     // s, application exit after SIGTERM
  Distribution init_cpu_seconds;  // CPU s at 1 vCPU, single-threaded start-up
  ImageSpecInput image;
  std::optional<Distribution> run_time;  // batch work after start-up; nullopt = long-running
  // A multi-container task from an ECS task definition; null for the single-container task
  // the fields above describe.
  std::shared_ptr<const detail::TaskDefinition> definition;
  bool eks_pod = false;  // an EKS pod on Fargate (sized and started as one)
  // Secrets its containers reference (ECS containerDefinitions[].secrets), retrieved from Secrets
  // Manager at task start; with a task definition, the definition's count.
  int secrets = 0;
  double vcpu() const noexcept { return cpu_units / 1024.0; }
};

// FARGATE, FARGATE_SPOT, or one of the scenario's EC2 Auto Scaling group capacity providers.
enum class CapacityProvider { fargate, fargate_spot, ec2 };

struct CapacityProviderItem {
  CapacityProvider provider = CapacityProvider::fargate;
  int base = 0;
  int weight = 1;
  std::int32_t ec2 = -1;  // provider == ec2: index into the ecs_ec2 platform's capacity providers
};

struct ScheduledCount {
  Duration at;
  int desired_count = 0;
};

struct ServingSpec {
  int concurrency = 64;   // requests in service at once per task
  int queue_limit = 1000; // requests waiting per task before rejection
  std::string container;  // the serving container of a multi-container task
  double vcpu = 0;        // vCPUs the serving container gets (its share); 0 = the whole task
  // Requests wait in one line in front of the servers when every worker is busy, at most this
  // many (beyond: rejected); -1: no such line, each server queues its own (queue_limit).
  int front_queue_limit = -1;
  Duration min_active;    // a server that starts processing stays "active" at least this long (billing)
  // Memory a task uses (MiB), for MemoryUtilization: a baseline plus this much per request in
  // the task (in service or queued).
  double memory_baseline_mib = 0;
  double memory_per_request_mib = 0;
};

// One edge of the call graph: while serving a request, the caller calls `service`.
// A client's retries in the AWS SDKs' "standard" retry mode (serving/retry.hpp: the rules and
// their sources). A failed attempt that is retryable (throttling, a 5xx, a timeout, a refused
// connection) is sent again after a backoff with full jitter while attempts remain and the
// client's retry quota (a token bucket) has the retry's cost.
struct RetrySpec {
  int max_attempts = 3;                                 // first attempt included (SDK default 3)
  Duration base_backoff = SimTime::from_ns(1'000'000'000);   // retry i waits U(0,1) x base x 2^(i-1) ...
  Duration max_backoff = SimTime::from_ns(20'000'000'000);   // ... at most this (20 s)
  bool quota = true;              // the retry quota; false: retries are never refused
  int quota_tokens = 500;         // the bucket's initial and maximum tokens
  int retry_cost = 5;             // tokens a retry after an error takes
  int timeout_cost = 10;          // tokens a retry after a timeout takes
  int success_increment = 1;      // tokens a success on the first attempt returns
  bool adaptive = false;          // the adaptive mode: standard plus the client-side rate limiter
};

struct CallSpec {
  std::string service;
  std::size_t service_index = 0;  // into ScenarioSpec::services
  bool async = false;             // through a queue / fire and forget: the caller does not wait
  Duration latency;               // one way; a synchronous call pays it twice
  double probability = 1.0;       // share of the caller's requests that make this call
  Distribution cpu_time;          // CPU seconds (one full vCPU) the callee spends on the call
  std::optional<Distribution> off_cpu_time;  // seconds the callee then waits off-CPU, holding its worker
  Duration timeout;               // the caller gives up after this; SimTime::infinity() = the caller's own deadline
  std::optional<RetrySpec> retry; // the caller's SDK retries a failed call; none: no retries
};

// The load balancer's target health check (ELB target group settings).
struct HealthCheckSpec {
  Duration interval = SimTime::from_ns(30'000'000'000);  // ELB defaults
  Duration timeout = SimTime::from_ns(5'000'000'000);
  int healthy_threshold = 5;    // consecutive passes that make an unhealthy target healthy again
  int unhealthy_threshold = 2;  // consecutive failures that make a target unhealthy
  double cpu_seconds = 0.001;   // CPU the health endpoint costs; the probe queues like any request
};

// A queue in front of the service (SQS standard queue): producers send messages, every task
// polls with `serving.concurrency` pollers.
struct QueueSpec {
  bool enabled = false;
  Duration visibility_timeout = SimTime::from_ns(30'000'000'000);  // a received message reappears after this unless deleted
  int max_receive_count = 0;  // redrive to a dead-letter queue after this many receives; 0 = none
  Duration retention = SimTime::from_ns(345'600'000'000'000);      // older messages are deleted unprocessed (4 days)
};

struct ServiceSpec {
  std::string name;
  std::string platform = "fargate";  // a registered platform's short name
  std::shared_ptr<const PlatformServiceSpec> platform_spec;  // null: the platform has no settings of its own
  int desired_count = 2;
  TaskSpec task;
  ServingSpec serving;
  LoadBalancerKind load_balancer = LoadBalancerKind::alb;
  bool least_outstanding_requests = false;  // ALB routing; false = round robin
  Duration slow_start;                      // ALB slow start (zero: off)
  Duration dns_ttl = SimTime::from_ns(60'000'000'000);  // cloud_map: how long clients cache an answer
  std::vector<CallSpec> calls;
  bool parallel_calls = false;              // fan out to every call at once; false = one after another
  QueueSpec queue;
  std::shared_ptr<const detail::ServiceScalingSpec> scaling;  // Application Auto Scaling; null: a fixed desired count
  std::shared_ptr<const detail::ServiceDeployments> deployments;  // revisions and ECS deployments; null: none
  bool warm_start = true;  // initial tasks already running and in service at t=0
  std::vector<ScheduledCount> schedule;
  std::vector<CapacityProviderItem> capacity_provider_strategy;
  std::vector<std::size_t> subnets;  // indices into NetworkSpec::subnets
  HealthCheckSpec health_check;
  // The platform runs the tasks in a VPC of its own (App Runner's service VPC): their image
  // pulls do not cross the scenario's NAT gateways or endpoints.
  bool own_network = false;
  // Some request or call reaching this service waits off-CPU: its workers are held through it.
  bool off_cpu_waits = false;
  Duration health_check_grace_period;
  Duration deregistration_delay;
  // ECS availabilityZoneRebalancing (service_scheduler.hpp): off for DAEMON and binpack services.
  bool availability_zone_rebalancing = true;
};

// A standalone task (RunTask), once or on an EventBridge schedule.
struct StandaloneTaskSpec {
  std::string name;
  Duration at;
  int count = 1;
  std::string schedule;  // "rate(...)" or "cron(...)"; "" = once
  CapacityProvider provider = CapacityProvider::fargate;
  std::vector<std::size_t> subnets;
  TaskSpec task;
};

// One request class of a workload.
struct RequestSpec {
  std::string name = "default";
  double weight = 1;      // share of the workload's requests, relative to the other classes
  Distribution cpu_time;  // CPU seconds on one full vCPU
  // Seconds off-CPU after the CPU work (I/O: a database, S3, an external API), holding the
  // request's worker but no vCPU; none: the request is CPU only.
  std::optional<Distribution> off_cpu_time;
  std::int64_t payload_bytes = 1024;
  std::int64_t response_bytes = 4096;
  Duration timeout;
};

struct WorkloadSpec {
  std::string name;
  std::string target;
  std::size_t target_index = 0;  // index into ScenarioSpec::services
  ModelCall arrival;        // open loop (when users == 0)
  int users = 0;            // closed loop: this many clients, each with one request at a time
  Distribution think_time;  // closed loop: seconds between a response and the next request
  std::vector<RequestSpec> classes;  // at least one
  // Long-lived connections (gRPC / HTTP/2 channels) the requests are spread over, round robin;
  // an NLB pins each to a target. 0: a new connection per request.
  int connections = 0;
  Duration connection_max_age;
  bool async_invocation = false;  // to a Lambda function: events (Lambda queues and retries them)  // a connection older than this reconnects (zero: never)
  std::optional<RetrySpec> retry; // the clients' SDK retries a failed synchronous request; none: no retries
};

// A fault injected into the run at a time window (sim/src/faults/: one file per type). Each
// type derives its settings from this; only sim/src/faults/ reads them.
struct FaultSpec {
  virtual ~FaultSpec() = default;
  std::string type;  // "dependency", ...
  Duration start, end;
};

struct SubnetSpec {
  std::string name;
  std::string az;  // zone letter, "a".."f"
  std::string cidr;
  int prefix_length = 24;
  bool is_public = false;
  // Addresses tasks can use: the block size less the 5 AWS reserves in every subnet.
  std::int64_t usable_addresses() const noexcept { return (std::int64_t{1} << (32 - prefix_length)) - 5; }
};

struct NetworkSpec {
  std::vector<SubnetSpec> subnets;
  int nat_gateways = 1;
  std::vector<std::string> vpc_endpoints;
};

struct OutputSpec {
  Duration metrics_interval;
  bool event_log = true;
  double trace_sample_rate = 0;          // fraction of client requests traced end to end
  std::int64_t trace_max_spans = 100000;  // per replication; memory stays bounded
  Duration slo = SimTime::from_ns(500'000'000);  // latency objective for "within_slo"
  bool cloudwatch_metrics = false;  // keep every published CloudWatch datapoint (RunResult::cloudwatch)
};

// The CloudWatch metric pipeline (scaling/cloudwatch.hpp).
struct CloudWatchSpec {
  // From the end of a datapoint's period until alarms and auto scaling can read it (not
  // published by AWS; the default's basis is in scaling/cloudwatch.hpp).
  Duration publication_delay = SimTime::from_ns(60'000'000'000);
};

struct ScenarioSpec {
  std::string name;
  std::string description;
  std::uint64_t seed = kDefaultSeed;
  int replications = 1;
  Duration duration;
  Duration warmup;
  std::int64_t start_unix_seconds = 0;  // calendar time of t = 0 (UTC)
  std::string region;
  std::string pricing_region;
  std::string pricing_catalog;
  NetworkSpec network;
  std::vector<ServiceSpec> services;
  std::vector<WorkloadSpec> workloads;
  std::vector<StandaloneTaskSpec> tasks;
  // ECS's own settings (service launch rate, restart backoff, ENI attach and detach, image pull):
  // what the scheduler and every launch type share (sim/src/ecs/ecs_spec.hpp).
  std::shared_ptr<const detail::EcsSpec> ecs;
  // The "faults" section's faults at task start (registry, secrets; faults/faults_spec.hpp), always
  // set by the scenario builder (empty without faults).
  std::shared_ptr<const detail::FaultsSpec> start_faults;
  // Each platform's scenario-wide settings by platform name ("fargate", "ecs_ec2"); absent for a
  // platform without any.
  std::map<std::string, std::shared_ptr<const PlatformScenarioSpec>, std::less<>> platform_specs;
  OutputSpec output;
  CloudWatchSpec cloudwatch;
  std::vector<std::shared_ptr<const FaultSpec>> faults;  // its serving-side faults (dependency), in its order
  // Some revision or fault can answer requests with an application error: the results then
  // carry errors.app_error (absent otherwise, so other scenarios' summaries are unchanged).
  bool app_errors = false;
  // Things the user should know that are not errors, e.g. task definition fields the model ignores.
  std::vector<std::string> notes;
};

class Scenario {
 public:
  // Each throws ScenarioError listing every problem (syntax errors included).
  static Scenario from_file(const std::string& path, const std::vector<std::string>& overrides = {});
  static Scenario from_text(std::string_view json_text, const std::vector<std::string>& overrides = {},
                            const std::string& source = "<string>");
  static Scenario from_json(nlohmann::json doc, const std::vector<std::string>& overrides = {});
  // The embedded default scenario (scenarios/default.json).
  static Scenario builtin_default(const std::vector<std::string>& overrides = {});
  // The embedded default of `fargatelab compare` (scenarios/comparison_default.json): an HTTP API
  // over one day with a diurnal load and a flash crowd.
  static Scenario builtin_comparison(const std::vector<std::string>& overrides = {});

  // The same scenario with further "path=value" overrides applied to its input.
  Scenario with_overrides(const std::vector<std::string>& overrides) const;

  // The input as given (after overrides, before defaults).
  const nlohmann::json& input() const noexcept { return *input_; }
  // The full document after defaults: what was simulated.
  const nlohmann::json& document() const noexcept { return *document_; }
  const ScenarioSpec& spec() const noexcept { return *spec_; }

 private:
  friend struct detail::ScenarioAccess;
  Scenario() = default;
  std::shared_ptr<const nlohmann::json> input_;
  std::shared_ptr<const nlohmann::json> document_;
  std::shared_ptr<const ScenarioSpec> spec_;
};

// The JSON Schema (draft 2020-12) of scenario files, as text.
std::string_view scenario_schema();
// The embedded default scenario, as text.
std::string_view default_scenario_text();
// The embedded default comparison scenario, as text.
std::string_view comparison_scenario_text();

}  // namespace fargatelab
