// The price catalog: every published rate and billing rule for one AWS region, typed, loaded
// from the versioned data files scenarios/data/prices/<region>.json (embedded at build time).
// The catalog is the billing source of truth; each rate keeps its unit, its source and the JSON
// pointer it came from, so a bill and an error message can say where a number comes from.
//
// File format (format_version 1): {"region", "region_name", "effective_date" (YYYY-MM-DD),
// "currency": "USD", "notes": [...], "month_hours": RATE, "fargate": {...}, "lambda": {...},
// "app_runner": {...}, "ec2": {...}, "networking": {...}, "elb": {...}, "cloudwatch": {...}}
// where a RATE is {"value": number >= 0, "unit": text, "source": text, "note"?: text}, or, where
// no citable source exists for the region, {"value": null, "unit": text, "unavailable": reason};
// a TIERED rate is {"tiers": [{"up_to": number|null, "value": number}, ...], "unit", "source"}
// with cumulative, increasing bounds (null = no upper bound), or {"tiers": null, "unit",
// "unavailable": reason}. "note"/"notes" keys are allowed anywhere; other unknown keys are errors.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace fargatelab::detail {

// Thrown when pricing needs a rate the region's catalog does not have (value null), or a
// quantity beyond the last sourced tier. `pointer` is the rate's JSON pointer in the catalog.
class RateUnavailable : public std::runtime_error {
 public:
  RateUnavailable(std::string region, std::string pointer, std::string reason);
  const std::string& region() const noexcept { return region_; }
  const std::string& pointer() const noexcept { return pointer_; }
  const std::string& reason() const noexcept { return reason_; }

 private:
  std::string region_, pointer_, reason_;
};

// One rate or rule value. `usd()`/`get()` throw RateUnavailable when the catalog has no value.
struct Rate {
  double value = 0;
  bool available = true;
  std::string unit;
  std::string source;       // where the number comes from (URL or document, aws-facts.md section)
  std::string note;         // caveats: [conflict], [secondary], what it applies to
  std::string unavailable;  // why there is no value (when !available)
  std::string pointer;      // JSON pointer in the catalog, e.g. "/fargate/linux_x86_64/vcpu_hour"
  std::string region;
  double get() const;
};

// A rate with volume tiers over a month: tier i applies to the cumulative quantity in
// (up_to[i-1], up_to[i]]; up_to = nullopt means no upper bound.
struct TieredRate {
  struct Tier {
    std::optional<double> up_to;
    double value = 0;
  };
  std::vector<Tier> tiers;
  bool available = true;
  std::string unit, source, note, unavailable, pointer, region;
  // Throws RateUnavailable when !available.
  const std::vector<Tier>& get() const;
};

struct DateRule {
  std::string value;  // YYYY-MM-DD
  std::string source, note, pointer;
};

struct FargateArchRates {
  Rate vcpu_hour, gb_hour;  // USD per vCPU-hour, per GB-hour (GB = 1024^3 bytes)
};

struct FargateRates {
  Rate rounding_s;         // billed seconds are rounded up to a multiple of this (1 s)
  Rate linux_minimum_s;    // per task (60 s)
  Rate windows_minimum_s;  // per task (300 s on the current page; see the catalog note)
  FargateArchRates linux_x86_64, linux_arm64;
  Rate windows_vcpu_hour, windows_gb_hour, windows_os_license_vcpu_hour;
  Rate ephemeral_free_gb, ephemeral_gb_hour;
  Rate spot_discount;          // fraction off On-Demand (default for Fargate Spot)
  Rate savings_plan_discount;  // Compute Savings Plans, fraction off On-Demand
};

struct LambdaArchRates {
  Rate requests_per_million;
  TieredRate duration_gb_s;  // USD per GB-second, tiers per month per architecture
  Rate provisioned_concurrency_gb_s, provisioned_duration_gb_s, ephemeral_gb_s;
};

struct LambdaRates {
  Rate duration_rounding_ms;    // each invocation's duration is rounded up to this (1 ms)
  Rate provisioned_rounding_s;  // provisioned-concurrency time is rounded up to this (300 s)
  Rate ephemeral_free_mb;       // ephemeral storage up to this is free (512 MB)
  LambdaArchRates x86_64, arm64;
  Rate free_requests, free_gb_s;  // perpetual free tier per month, both architectures together
  DateRule init_billed_since;     // on-demand ZIP/managed-runtime INIT billed from this date
  Rate savings_plan_discount;
  Rate snapstart_cache_gb_s, snapstart_restore_gb;  // SnapStart, Python and .NET functions
};

struct AppRunnerRates {
  Rate rounding_s, active_vcpu_hour, provisioned_gb_hour, active_vcpu_minimum_s, automatic_deployment_month,
      build_minute;
};

struct Ec2InstanceRates {
  Rate on_demand_hour;        // USD per instance-hour, Linux On-Demand
  Rate spot_savings_percent;  // Spot = On-Demand x (1 - percent / 100)
};

struct Ec2Rates {
  Rate rounding_s, minimum_s, savings_plan_discount;
  std::map<std::string, Ec2InstanceRates, std::less<>> instances;  // by instance type name
};

struct NetworkingRates {
  Rate nat_gateway_hour, nat_gateway_hour_rounding_h, nat_gateway_gb;
  Rate interface_endpoint_az_hour;
  TieredRate interface_endpoint_gb;
  Rate gateway_endpoint_hour, gateway_endpoint_gb;
  Rate inter_az_gb_each_direction, public_ipv4_hour;
};

struct AlbRates {
  Rate hour, lcu_hour, hour_rounding_h;
  Rate lcu_new_connections_per_s, lcu_active_connections_per_min, lcu_active_connections_per_min_mtls;
  Rate lcu_processed_gb_per_h, lcu_processed_gb_per_h_lambda, lcu_rule_evaluations_per_s, free_rules_per_request;
};

struct NlbRates {
  Rate hour, nlcu_hour, hour_rounding_h;
  Rate tcp_new_flows_per_s, udp_new_flows_per_s, tcp_active_flows, udp_active_flows, processed_gb_per_h;
};

struct CloudWatchRates {
  Rate logs_ingestion_gb, logs_free_gb;
  TieredRate custom_metric_month;
  Rate free_metrics;
  // Per metric an alarm reads, per month: standard (period >= 60 s) and high resolution.
  Rate alarm_metric_month, high_resolution_alarm_metric_month;
};

class PriceCatalog {
 public:
  // The embedded catalog of `region`; std::invalid_argument listing the known regions if none.
  static const PriceCatalog& load(std::string_view region);
  // Parses and validates a catalog document; std::invalid_argument listing every problem as
  // "<JSON pointer>: <what is wrong>" if it is invalid.
  static PriceCatalog from_json(const nlohmann::json& doc);
  // Regions with an embedded catalog, sorted.
  static std::vector<std::string> known_regions();

  std::string region, region_name, effective_date, currency;
  Rate month_hours;  // 730: the month convention of AWS's calculator; must equal fargatelab::month_hours
  FargateRates fargate;
  LambdaRates lambda;
  AppRunnerRates app_runner;
  Ec2Rates ec2;
  NetworkingRates networking;
  AlbRates alb;
  NlbRates nlb;
  CloudWatchRates cloudwatch;

  // The EC2 rates of `instance_type`; RateUnavailable (pointer /ec2/instances/<type>) if the
  // catalog has no such type.
  const Ec2InstanceRates& ec2_instance(std::string_view instance_type) const;
};

}  // namespace fargatelab::detail
