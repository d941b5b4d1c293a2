// AWS Lambda as a platform: each service is a function whose execution environments are its
// servers (lambda_function.hpp); a queue in front is consumed by an SQS event source mapping
// (sqs_event_source.hpp). No ECS tasks: the service's ECS scheduler stays idle.
#include "platforms/lambda/lambda_model.hpp"

#include <cmath>
#include <memory>

#include "platforms/lambda/lambda_function.hpp"
#include "platforms/lambda/lambda_metrics.hpp"
#include "platforms/lambda/lambda_results.hpp"
#include "platforms/lambda/lambda_section.hpp"
#include "platforms/lambda/provisioned_concurrency_target.hpp"
#include "platforms/lambda/sqs_event_source.hpp"
#include "pricing/bill.hpp"
#include "pricing/pricing_rules.hpp"
#include "scaling/metric_keys.hpp"
#include "scenario/checks.hpp"
#include "serving/service.hpp"

namespace fargatelab::detail {
namespace {

constexpr std::string_view kName = "lambda";

class LambdaRuntime final : public PlatformRuntime {
 public:
  explicit LambdaRuntime(Deployment& d)
      : d_(d), functions_(d.spec.services.size()), event_sources_(d.spec.services.size()), targets_(d.spec.services.size()) {}

  // Each function places its service's invocations; a queue's messages go to its event source mapping.
  void attach(Deployment& d) override {
    for (std::size_t i : d.services_on(kName)) {
      functions_[i] = std::make_unique<LambdaFunction>(d.sim, d.pool, *d.services[i], d.spec.services[i], d.streams);
      d.services[i]->set_dispatcher(functions_[i].get());
      if (d.spec.services[i].queue.enabled) {
        event_sources_[i] = std::make_unique<SqsEventSource>(d.sim, d.pool, *d.services[i], *functions_[i],
                                                             platform_settings<LambdaSpec>(d.spec.services[i]));
        d.services[i]->set_queue_consumer(event_sources_[i].get());
      }
    }
  }
  // A function's provisioned concurrency on its alias "live", made when first asked for.
  ScalableTarget* scalable_target(std::size_t service) override {
    if (!functions_[service]) return nullptr;
    if (!targets_[service])
      targets_[service] = std::make_unique<LambdaProvisionedConcurrencyTarget>(*functions_[service], d_.spec.services[service].name,
                                                                               std::string(metric_keys::kLambdaAlias));
    return targets_[service].get();
  }
  void publish_metrics(std::size_t service, CloudWatch& cw) override {
    if (functions_[service]) publish_lambda_metrics(cw, *functions_[service], d_.spec.services[service].name);
  }
  void start_service(std::size_t service) override {
    if (event_sources_[service]) event_sources_[service]->start();
    functions_[service]->start();
  }
  void begin_measurement() override {
    for (auto& f : functions_)
      if (f) f->begin_measurement();
  }

  void report_service(std::size_t service, double measured_s, ServiceResults& out) const override {
    const LambdaFunction& f = *functions_[service];
    const double inv = static_cast<double>(f.measured_invocations());
    auto r = std::make_shared<LambdaResults>();
    r->invocations = f.measured_invocations();
    r->cold_starts = f.measured_cold_starts();
    r->cold_start_rate = inv > 0 ? f.measured_cold_starts() / inv : NAN;
    r->cold_start_pct = inv > 0 ? 100.0 * f.measured_cold_starts() / inv : NAN;
    r->throttles = f.measured_throttles();
    r->async_retries = f.async_retries();
    if (event_sources_[service]) r->sqs_batches = event_sources_[service]->batches();
    r->environments_mean = measured_s > 0 ? f.measured_environment_seconds() / measured_s : NAN;
    r->environments_at_end = f.environments();
    r->environments_max = f.environments_max();
    r->vcpu_per_environment = platform_settings<LambdaSpec>(d_.spec.services[service]).vcpu();
    out.platform.push_back(std::move(r));
  }

  // Requests and duration (each invocation rounded up to 1 ms) of every function, priced
  // together (the tiers count the account's GB-seconds); SnapStart cache and restores.
  void bill(BillingPeriod& period, Bill& bill) override {
    std::vector<LambdaUsage> lambdas;
    for (std::size_t i : d_.services_on(kName)) {
      const ServiceSpec& sv = d_.spec.services[i];
      const LambdaSpec& fn = platform_settings<LambdaSpec>(sv);
      const LambdaFunction& f = *functions_[i];
      LambdaUsage u;
      u.name = sv.name;
      u.arch = fn.architecture == "arm64" ? Arch::arm64 : Arch::x86_64;
      u.memory_mb = fn.memory_mb;
      u.invocations = static_cast<double>(f.measured_invocations());
      u.billed_duration_ms = f.measured_billed_ms();
      u.init_duration_ms = f.measured_init_ms();
      u.package = fn.package == "image" ? LambdaPackage::image : LambdaPackage::zip;
      u.custom_runtime = fn.runtime == "go" || fn.runtime == "rust";  // provided.al2023
      // PC is billed for the configured level, from when it is set ("from the time you enable it",
      // Lambda pricing). A level that held through the period: level x period, as the
      // catalog's rounding applies; one that changed: its time integral (environment-seconds).
      if (f.provisioned_changed_in_measure()) {
        u.provisioned_concurrency = f.measured_provisioned_max();
        u.provisioned_environment_seconds = f.measured_provisioned_level_seconds();
      } else {
        u.provisioned_concurrency = f.provisioned_configured();
        u.provisioned_seconds = f.provisioned_configured() > 0 ? period.hours * 3600.0 : 0.0;
      }
      u.provisioned_billed_duration_ms = f.measured_provisioned_billed_ms();
      lambdas.push_back(std::move(u));
      const bool charged = fn.runtime.rfind("python", 0) == 0 || fn.runtime.rfind("dotnet", 0) == 0;
      if (fn.snapstart && charged)
        lambda_snapstart(period.catalog, sv.name, fn.memory_mb / 1024.0, period.hours * 3600.0,
                         static_cast<double>(f.measured_restores()), bill);
    }
    if (lambdas.empty()) return;
    LambdaBillingOptions o;
    o.month_fraction = period.month_fraction;
    lambda_functions(period.catalog, lambdas, o, bill);
  }

 private:
  Deployment& d_;
  std::vector<std::unique_ptr<LambdaFunction>> functions_;      // by service index (null: another platform)
  std::vector<std::unique_ptr<SqsEventSource>> event_sources_;  // by service index
  std::vector<std::unique_ptr<LambdaProvisionedConcurrencyTarget>> targets_;  // by service index, when scaled
};

class LambdaModel final : public PlatformModel {
 public:
  std::string_view name() const noexcept override { return kName; }
  std::string_view description() const noexcept override {
    return "AWS Lambda: functions whose execution environments serve one request at a time";
  }
  void check(const json& doc, std::size_t index, std::vector<Diagnostic>& out) const override {
    if (index == kWholeScenario) return;
    check_lambda_section(array_or_empty(doc, "services")[index], at("/services", index), out);
    refuse_ecs_deployments(array_or_empty(doc, "services")[index], at("/services", index), name(), out);
  }
  void build_service(const json& sj, ServiceSpec& sv, ScenarioSpec&) const override { build_lambda_service(sj, sv); }
  bool takes_events() const noexcept override { return true; }
  // A scaling section scales the function's provisioned concurrency (AAS namespace "lambda").
  ScalingTargetKind scaling_target(const json& sj) const override {
    const json* fn = member(sj, "lambda");
    return {"lambda", fn ? int_of(*fn, "provisioned_concurrency").value_or(0) : 0};
  }
  std::unique_ptr<PlatformRuntime> deploy(Deployment& d) const override { return std::make_unique<LambdaRuntime>(d); }
};

}  // namespace

const PlatformModel& lambda_model() {
  static const LambdaModel model;
  return model;
}

}  // namespace fargatelab::detail
