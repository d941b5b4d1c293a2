// The "lambda" section of a service: checks of meaning and the typed LambdaSpec, and what a
// function implies for the service's shared fields.
#include "platforms/lambda/lambda_section.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "random/distribution_registry.hpp"
#include "scenario/checks.hpp"

namespace fargatelab::detail {
namespace {

Distribution dist(const json& j) { return distribution_registry().build(model_call_from_json(j)); }

}  // namespace

// Lambda limits (Lambda developer guide, quotas): timeout <= 900 s; provisioned concurrency
// within the reserved concurrency, reserved within the account's.
void check_lambda_section(const json& s, const std::string& base, std::vector<Diagnostic>& out) {
  const json* fn = member(s, "lambda");
  if (!fn || !fn->is_object()) return;
  const std::string lb = base + "/lambda";
  if (const json* age = member(*fn, "async_max_event_age")) {
    try {
      const double a = parse_duration(*age).to_seconds();
      if (a < 60 || a > 21600)
        out.push_back({lb + "/async_max_event_age", fmt::format("the maximum event age is 60 s to 6 h, not {} s", a)});
    } catch (const std::exception&) {
    }
  }
  if (const json* t = member(*fn, "timeout")) {
    try {
      if (parse_duration(*t).to_seconds() > 900)
        out.push_back({lb + "/timeout", fmt::format("a Lambda function times out after at most 900 s, not {} s",
                                                    parse_duration(*t).to_seconds())});
    } catch (const std::exception&) {
    }
  }
  const json* reserved = member(*fn, "reserved_concurrency");
  const json* account = member(*fn, "account_concurrency");
  const json* provisioned = member(*fn, "provisioned_concurrency");
  const long long acc = account && account->is_number_integer() ? account->get<long long>() : 1000;
  long long cap = acc;
  if (reserved && reserved->is_number_integer()) {
    if (reserved->get<long long>() > acc)
      out.push_back({lb + "/reserved_concurrency",
                     fmt::format("reserved concurrency {} exceeds the account concurrency {}", reserved->get<long long>(), acc)});
    cap = std::min(cap, reserved->get<long long>());
  }
  if (provisioned && provisioned->is_number_integer() && provisioned->get<long long>() > cap)
    out.push_back({lb + "/provisioned_concurrency",
                   fmt::format("provisioned concurrency {} exceeds the concurrency available to the function ({})",
                               provisioned->get<long long>(), cap)});
  for (const char* key : {"idle_expiry", "placement", "init"})
    if (const json* m = member(*fn, key); m && !m->is_null()) check_model(distribution_registry(), *m, lb + "/" + key, out);
  // SnapStart (Lambda developer guide, "SnapStart"): supported runtimes, ZIP only, and not with
  // provisioned concurrency on the same version.
  if (const json* ss = member(*fn, "snapstart"); ss && ss->is_object()) {
    if (const json* r = member(*ss, "restore")) check_model(distribution_registry(), *r, lb + "/snapstart/restore", out);
    if (const json* on = member(*ss, "enabled"); on && on->is_boolean() && on->get<bool>()) {
      const std::string runtime = str_or(*fn, "runtime", "python3.12");
      if (runtime.rfind("java", 0) != 0 && runtime.rfind("python", 0) != 0 && runtime.rfind("dotnet", 0) != 0)
        out.push_back({lb + "/snapstart/enabled",
                       fmt::format("SnapStart supports Java 11+, Python 3.12+ and .NET 8+ runtimes, not {}", runtime)});
      if (str_or(*fn, "package", "zip") != "zip")
        out.push_back({lb + "/snapstart/enabled", "SnapStart does not support container images"});
      if (provisioned && provisioned->is_number_integer() && provisioned->get<long long>() > 0)
        out.push_back({lb + "/snapstart/enabled", "SnapStart and provisioned concurrency cannot be used on the same function version"});
    }
  }
  // Event source mapping: a batching window of 0-300 s; batches above 10 need one of >= 1 s.
  if (const json* esm = member(*fn, "event_source"); esm && esm->is_object()) {
    double window = 0;
    if (const json* w = member(*esm, "batching_window")) try {
        window = parse_duration(*w).to_seconds();
        if (window > 300)
          out.push_back({lb + "/event_source/batching_window", fmt::format("the batching window is 0 to 300 s, not {} s", window)});
      } catch (const std::exception&) {
      }
    if (const auto size = int_of(*esm, "batch_size"); size && *size > 10 && window < 1)
      out.push_back({lb + "/event_source/batch_size",
                     fmt::format("a batch of {} messages needs a batching window of at least 1 s (SQS allows 10 without)", *size)});
  }
}

void build_lambda_service(const json& sj, ServiceSpec& sv) {
  const json& fn = sj.at("lambda");
  auto spec = std::make_shared<LambdaSpec>();
  LambdaSpec& l = *spec;
  l.memory_mb = fn.at("memory").get<int>();
  l.runtime = fn.at("runtime").get<std::string>();
  l.package = fn.at("package").get<std::string>();
  l.architecture = fn.at("architecture").get<std::string>();
  l.timeout = parse_duration(fn.at("timeout"));
  l.reserved_concurrency = fn.at("reserved_concurrency").is_null() ? -1 : fn.at("reserved_concurrency").get<int>();
  l.account_concurrency = fn.at("account_concurrency").get<int>();
  l.provisioned_concurrency = fn.at("provisioned_concurrency").get<int>();
  const json& allocation = fn.at("provisioned_allocation");
  l.provisioned_allocation_delay = parse_duration(allocation.at("delay"));
  l.provisioned_allocation_burst = allocation.at("burst").get<double>();
  l.provisioned_allocation_per_minute = allocation.at("per_minute").get<double>();
  l.idle_expiry = dist(fn.at("idle_expiry"));
  if (!fn.at("init").is_null()) l.init = dist(fn.at("init"));
  l.init_cpu_seconds = fn.at("init_cpu_time").get<double>();
  l.placement = dist(fn.at("placement"));
  l.snapstart = fn.at("snapstart").at("enabled").get<bool>();
  l.snapstart_restore = dist(fn.at("snapstart").at("restore"));
  l.async_max_retries = fn.at("async_max_retries").get<int>();
  const json& esm = fn.at("event_source");
  l.sqs_batch_size = esm.at("batch_size").get<int>();
  l.sqs_batching_window = parse_duration(esm.at("batching_window"));
  l.sqs_maximum_concurrency = esm.at("maximum_concurrency").is_null() ? 0 : esm.at("maximum_concurrency").get<int>();
  l.async_max_event_age = parse_duration(fn.at("async_max_event_age"));
  // An execution environment serves one request at a time with the function's CPU share; the
  // ECS side (tasks, load balancer) does not apply.
  sv.serving.concurrency = 1;
  sv.serving.queue_limit = 0;
  sv.serving.vcpu = l.vcpu();
  sv.task.cpu_units = std::max(1, static_cast<int>(std::lround(l.vcpu() * 1024)));
  sv.task.memory_mib = l.memory_mb;
  sv.desired_count = 0;
  sv.load_balancer = LoadBalancerKind::none;
  sv.platform_spec = std::move(spec);
}

}  // namespace fargatelab::detail
