// The pure pricing functions: each takes the catalog and already-metered quantities, applies
// AWS's rounding, minimum, tier and free-tier rules, and appends LineItems (with their
// arithmetic) to a Bill. The calculator (calculator.hpp) and the simulation's billing observers
// call the same functions, so a quick estimate and a simulated bill agree by construction.
//
// Conventions: times in seconds, memory and storage in GB (1024^3 bytes; Lambda memory in MB =
// MiB), data in GB. Monthly allowances (free tiers, tier bounds, per-month fees) are scaled by
// `month_fraction` = period hours / 730 when a bill covers less (or more) than one month.
// Throws RateUnavailable when the region's catalog lacks a needed rate, std::invalid_argument on
// impossible usage (negative quantities, Spot on Windows).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bill.hpp"
#include "price_catalog.hpp"

namespace fargatelab::detail {

enum class Arch { x86_64, arm64 };
enum class Os { Linux, Windows };

// `count` runs (tasks, instances, activations) of `seconds` each, each billed separately.
struct RunGroup {
  double count = 1;
  double seconds = 0;
};

// Billed seconds of one run: rounded up to the rounding step, then at least the minimum.
// billed_seconds(30, 1, 60) = 60; billed_seconds(61.4, 1, 60) = 62.
double billed_seconds(double seconds, double rounding_s, double minimum_s);

// --- AWS Fargate ---------------------------------------------------------------------------
struct FargateUsage {
  std::string name;
  double vcpu = 0.25;
  double memory_gb = 0.5;
  double ephemeral_gb = 20;  // configured ephemeral storage; above the free 20 GB is charged
  Arch arch = Arch::x86_64;
  Os os = Os::Linux;
  bool spot = false;
  std::optional<double> spot_discount;  // fraction off On-Demand; default: the catalog's
  std::vector<RunGroup> runs;           // task runs: from image pull start to task stop
};
// Per task run: seconds rounded up to the second, then the per-task minimum (Linux 60 s,
// Windows per the catalog); charges vCPU, memory, the Windows OS licence per vCPU, and ephemeral
// storage above the free amount. Spot: Linux only, rates x (1 - spot_discount).
void fargate_tasks(const PriceCatalog& catalog, const FargateUsage& usage, Bill& bill);

// --- AWS Lambda ----------------------------------------------------------------------------
enum class LambdaPackage { zip, image };

struct LambdaUsage {
  std::string name;
  Arch arch = Arch::x86_64;
  double memory_mb = 128;
  double ephemeral_mb = 512;  // /tmp configured; above the free 512 MB is charged
  double invocations = 0;     // requests (on-demand and provisioned)
  // Sum over on-demand invocations of each duration rounded up to 1 ms (lambda_billed_ms).
  double billed_duration_ms = 0;
  // Sum over cold starts of the INIT duration rounded up to 1 ms; billed as duration when
  // lambda_init_billed() says so.
  double init_duration_ms = 0;
  LambdaPackage package = LambdaPackage::zip;
  bool custom_runtime = false;
  // Provisioned concurrency: environments configured, and for how long (before rounding up to
  // five minutes); the duration of invocations served by them is charged at the PC duration rate.
  double provisioned_concurrency = 0;
  double provisioned_seconds = 0;
  double provisioned_billed_duration_ms = 0;
  // Set when the level changed in the period (Application Auto Scaling, scheduled actions): the
  // configured level integrated over the period, in environment-seconds; it is billed instead
  // of provisioned_concurrency x provisioned_seconds (provisioned_concurrency then holds the
  // highest level, for the notes). Not rounded: the catalog's rounding is of one configuration's
  // enabled time, and a changing level has several.
  std::optional<double> provisioned_environment_seconds;
};

struct LambdaBillingOptions {
  bool free_tier = false;    // the perpetual free tier (1 M requests, 400,000 GB-s per month)
  std::string billing_date;  // YYYY-MM-DD of the billed month; "" = the catalog's effective date
  double month_fraction = 1;
};

// One invocation's billed duration: rounded up to 1 ms (the catalog's granularity).
double lambda_billed_ms(const PriceCatalog& catalog, double duration_ms);
// Whether INIT is billed for this function in the month of `billing_date` (YYYY-MM-DD): always
// for container images and custom runtimes; for ZIP on managed runtimes from the catalog date.
bool lambda_init_billed(const PriceCatalog& catalog, const LambdaUsage& usage, const std::string& billing_date);
// All functions of an account in one region for one period, together: requests and duration
// tiers aggregate per architecture, and the free tier is shared by every function without
// provisioned concurrency (x86_64 functions first, then arm64; the free GB-seconds are the first
// GB-seconds of the month, so tier bounds count them). One set of line items per architecture
// (requests, duration per tier, ephemeral storage) and per function with provisioned
// concurrency (concurrency, provisioned duration); the per-function GB-s go to bill.notes.
void lambda_functions(const PriceCatalog& catalog, const std::vector<LambdaUsage>& functions,
                      const LambdaBillingOptions& options, Bill& bill);

// SnapStart of one Python or .NET function (Java SnapStart is not charged): the snapshot cached
// for the period (memory GB x seconds the published version is active) and each restore
// (memory GB per new execution environment). Lambda pricing page, SnapStart section.
void lambda_snapstart(const PriceCatalog& catalog, const std::string& name, double memory_gb, double cached_seconds,
                      double restores, Bill& bill);

// --- Amazon EC2 ----------------------------------------------------------------------------
struct Ec2Usage {
  std::string name;
  std::string instance_type;
  bool spot = false;
  std::optional<double> spot_savings_percent;  // default: the catalog's (Spot Instance Advisor)
  std::vector<RunGroup> runs;                  // instance runs: launch to termination
};
// Linux, per second with a 60-second minimum per instance run. Spot: On-Demand x (1 - s/100).
void ec2_instances(const PriceCatalog& catalog, const Ec2Usage& usage, Bill& bill);

// --- AWS App Runner ------------------------------------------------------------------------
struct AppRunnerUsage {
  std::string name;
  double vcpu = 1;
  double memory_gb = 2;
  double provisioned_instance_seconds = 0;  // every provisioned instance's time, active or idle
  std::vector<RunGroup> activations;        // each time an instance starts processing requests
  bool automatic_deployments = false;       // $ per application per month
  double build_minutes = 0;
  double month_fraction = 1;
};
// Memory for all provisioned time; vCPU for active time, each activation billed at least the
// one-minute minimum; automatic deployments x month_fraction; build minutes as given.
void app_runner_service(const PriceCatalog& catalog, const AppRunnerUsage& usage, Bill& bill);

// --- Networking ----------------------------------------------------------------------------
struct NatUsage {
  std::string name;
  double gateways = 1;
  double hours_each = 0;  // partial hours are billed as full hours (per gateway)
  double gb_processed = 0;
};
void nat_gateways(const PriceCatalog& catalog, const NatUsage& usage, Bill& bill);

enum class EndpointType { interface, gateway };
struct EndpointUsage {
  std::string name;
  EndpointType type = EndpointType::interface;
  double endpoints = 1;
  double azs = 1;  // interface endpoints are charged per AZ they are in
  double hours = 0;
  double gb_processed = 0;  // interface endpoint data tiers (per month) apply to this total
  double month_fraction = 1;
};
void vpc_endpoints(const PriceCatalog& catalog, const EndpointUsage& usage, Bill& bill);

// `gb` moved between AZs in one direction: charged out of one AZ and into the other.
void inter_az_transfer(const PriceCatalog& catalog, const std::string& name, double gb, Bill& bill);
void public_ipv4(const PriceCatalog& catalog, const std::string& name, double addresses, double hours, Bill& bill);

// --- Elastic Load Balancing ----------------------------------------------------------------
// Traffic of one load balancer during `hours` hours, as hourly averages of the four
// dimensions. ALB rule evaluations per second are after the 10 free rules per request
// (alb_rule_evaluations_per_s).
struct LbTraffic {
  double hours = 0;
  double new_connections_per_s = 0;       // NLB: new flows per second
  double active_connections_per_min = 0;  // NLB: active flows (per-minute sample)
  double processed_gb_per_h = 0;
  double rule_evaluations_per_s = 0;      // ALB only
};
enum class NlbProtocol { tcp, udp };
struct LoadBalancerUsage {
  std::string name;
  double load_balancers = 1;
  double hours_each = 0;  // partial hours are billed as full hours
  bool mutual_tls = false;      // ALB: 1,500 instead of 3,000 active connections per LCU
  bool lambda_targets = false;  // ALB: 0.4 instead of 1 GB/h per LCU
  NlbProtocol protocol = NlbProtocol::tcp;
  std::vector<LbTraffic> traffic;  // per load balancer
};
// Rule evaluations per second for the LCU: requests/s x (rules processed per request - 10 free).
double alb_rule_evaluations_per_s(const PriceCatalog& catalog, double requests_per_s, double rules_per_request);
// LCUs of one hour: the largest of the four dimensions, each divided by its per-LCU amount.
double alb_lcus(const PriceCatalog& catalog, const LbTraffic& hour, bool mutual_tls, bool lambda_targets);
double nlb_nlcus(const PriceCatalog& catalog, const LbTraffic& hour, NlbProtocol protocol);
void application_load_balancers(const PriceCatalog& catalog, const LoadBalancerUsage& usage, Bill& bill);
void network_load_balancers(const PriceCatalog& catalog, const LoadBalancerUsage& usage, Bill& bill);

// --- Amazon CloudWatch ---------------------------------------------------------------------
// All log groups together (the free tier is per account): GB ingested in the period.
void cloudwatch_logs(const PriceCatalog& catalog, double gb_ingested, bool free_tier, double month_fraction,
                     Bill& bill);
// Custom metrics present during the period: metric-months = metrics x month_fraction. `item`
// names the line ("Custom metrics"; ECS's 20 s service metrics are billed like them).
void cloudwatch_custom_metrics(const PriceCatalog& catalog, double metrics, bool free_tier, double month_fraction,
                               Bill& bill, const std::string& item = "Custom metrics");
// What a service's auto scaling keeps in CloudWatch during the period: its alarms, counted in
// alarm metrics (an alarm on metric math pays for each metric it reads), standard (period of
// 60 s or more) or high resolution (10, 20 or 30 s: "a higher charge", PutMetricAlarm API), and
// the ECS service metrics it publishes at 20 s instead of 60 s ("equivalent to Detailed
// Monitoring", ECS developer guide, target-tracking-faster-auto-scaling: billed here as custom
// metrics, as CloudWatch bills detailed monitoring).
struct CloudWatchUsage {
  std::string name;  // the service
  double alarm_metrics = 0;
  double high_resolution_alarm_metrics = 0;
  double high_resolution_metrics = 0;
};
// Alarm-metric-months = count x month_fraction at each kind's rate; the 20 s metrics through
// cloudwatch_custom_metrics. No free tier (the simulated bills apply none).
void cloudwatch_scaling(const PriceCatalog& catalog, const CloudWatchUsage& usage, double month_fraction, Bill& bill);

// --- Compute Savings Plans -----------------------------------------------------------------
struct SavingsPlanTerms {
  double commitment_usd_per_hour = 0;
  double hours = 0;  // hours of the period the bill covers
  // Override of the discount per service name ("AWS Fargate", "AWS Lambda", "Amazon EC2");
  // otherwise each item's savings_plan_discount (the catalog's maximum) is used.
  std::map<std::string, double> discount_by_service;
};
// Applies a Compute Savings Plan to the eligible items already in `bill` (savings_plan_discount
// > 0), assuming their spend is spread evenly over terms.hours. Each hour the commitment pays for
// eligible usage at its Savings Plan rate (On-Demand x (1 - discount)), highest discount first;
// usage beyond it stays On-Demand and unused commitment is still paid. Appends the commitment fee
// and a negative "covered usage" line per service. Observers with uneven usage call it once per
// hour (hours = 1) with that hour's items.
void apply_compute_savings_plan(const SavingsPlanTerms& terms, Bill& bill);

// Amount of `quantity` (cumulative within the month from `already`) under a tiered rate; appends
// one line item per tier touched. Returns the total amount. Exposed for tests.
double tiered_amount(const TieredRate& rate, double already, double quantity, double bound_scale,
                     const LineItem& prototype, const std::string& quantity_text, Bill& bill);

std::string to_string(Arch a);

}  // namespace fargatelab::detail
