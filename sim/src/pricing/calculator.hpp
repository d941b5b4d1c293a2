// Calculator mode: price a usage description without simulating, with the same pricing rules
// the billing observers use (pricing_rules.hpp), so an architect can check a quick estimate.
//
// Usage file (JSON object; every key optional; volumes are totals over the period, presence is
// hours per day over the period's days):
//   "name": text, "region": "us-east-1", "free_tier": false, "days": 730/24 (the 730-hour month
//   of AWS's calculator), "billing_date": "YYYY-MM-DD" (Lambda INIT rule; default: the catalog's
//   effective date),
//   "fargate":  [{"name", "tasks": 1, "vcpu", "memory_gb", "ephemeral_gb": 20, "arch": "x86_64"|"arm64",
//                 "os": "linux"|"windows", "spot": false, "spot_discount"?,
//                 "hours_per_day": 24 | "runs_per_day" + "seconds_per_run"}],
//   "lambda":   [{"name", "arch", "memory_mb", "ephemeral_mb": 512, "invocations", "duration_ms" (mean; each
//                 invocation billed rounded up to 1 ms), "package": "zip"|"image", "runtime": "managed"|"custom",
//                 "cold_start_fraction": 0, "init_duration_ms": 0, "provisioned_concurrency": 0,
//                 "provisioned_hours_per_day": 24, "provisioned_share": 1 (share of invocations served by it)}],
//   "ec2":      [{"name", "instance_type", "count": 1, "spot": false, "spot_savings_percent"?,
//                 "hours_per_day": 24 | "runs_per_day" + "seconds_per_run"}],
//   "app_runner": [{"name", "vcpu": 1, "memory_gb": 2, "instances": 1, "hours_per_day": 24,
//                 "activations_per_day": 0, "active_seconds_per_activation": 0,
//                 "automatic_deployments": false, "build_minutes": 0}],
//   "nat_gateways": [{"name", "gateways": 1, "hours_per_day": 24, "gb_processed": 0}],
//   "vpc_endpoints": [{"name", "type": "interface"|"gateway", "endpoints": 1, "azs": 1, "hours_per_day": 24,
//                 "gb_processed": 0}],
//   "inter_az": [{"name", "gb"}], "public_ipv4": [{"name", "addresses": 1, "hours_per_day": 24}],
//   "load_balancers": [{"name", "type": "alb"|"nlb", "count": 1, "hours_per_day": 24,
//                 "new_connections_per_s": 0, "active_connections_per_min": 0, "processed_gb_per_hour": 0,
//                 "requests_per_s": 0, "rules_per_request": 0, "mutual_tls": false, "lambda_targets": false,
//                 "protocol": "tcp"|"udp"}],
//   "cloudwatch": {"logs_gb": 0, "custom_metrics": 0},
//   "savings_plan": {"commitment_usd_per_hour", "discounts": {"fargate", "lambda", "ec2"}}
// Every invalid field is reported at once (PricingInputError) with its JSON pointer and what was
// expected; so is every rate the region's catalog lacks for the usage.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bill.hpp"
#include "fargatelab/diagnostics.hpp"

namespace fargatelab::detail {

// A usage file is invalid: every problem with its JSON pointer. A ScenarioError, so the CLI and
// the Python package report it the same way (exit code 2; fargatelab.ScenarioError).
class PricingInputError : public ScenarioError {
 public:
  explicit PricingInputError(std::vector<Diagnostic> diagnostics);
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string message_;
};

struct CalculatorOptions {
  std::optional<std::string> region;  // overrides the usage's "region" (default us-east-1)
  bool free_tier = false;             // true forces the free tiers on (else the usage's "free_tier")
};

Bill price_usage(const nlohmann::json& usage, const CalculatorOptions& options = {});
Bill price_usage_text(std::string_view text, const CalculatorOptions& options = {}, const std::string& source = "<string>");
Bill price_usage_file(const std::string& path, const CalculatorOptions& options = {});

}  // namespace fargatelab::detail
