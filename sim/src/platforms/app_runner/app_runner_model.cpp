// AWS App Runner as a platform: a service's instances are Fargate tasks (App Runner runs on
// Fargate) launched by its ECS scheduler on the Fargate launch type, serving up to
// max_concurrency requests each with a waiting line in front, and scaled by concurrency
// (app_runner_scaler.hpp). Billed as App Runner: provisioned memory, active vCPU.
#include "platforms/app_runner/app_runner_model.hpp"

#include <cmath>
#include <memory>

#include "ecs/launch_type.hpp"
#include "ecs/service_report.hpp"
#include "ecs/service_scheduler.hpp"
#include "ecs/task_billing.hpp"
#include "platforms/app_runner/app_runner_results.hpp"
#include "platforms/app_runner/app_runner_scaler.hpp"
#include "platforms/app_runner/app_runner_section.hpp"
#include "pricing/bill.hpp"
#include "pricing/pricing_rules.hpp"
#include "scenario/checks.hpp"

namespace fargatelab::detail {
namespace {

constexpr std::string_view kName = "app_runner";
constexpr std::string_view kRunsOn = "fargate";  // the platform whose launch type runs the instances

class AppRunnerRuntime final : public PlatformRuntime {
 public:
  explicit AppRunnerRuntime(Deployment& d)
      : d_(d),
        launch_type_(d.runtime(kRunsOn)->launch_type()),
        scalers_(d.spec.services.size()),
        active_at_measure_(d.spec.services.size(), 0.0),
        billed_active_at_measure_(d.spec.services.size(), 0.0),
        activations_at_measure_(d.spec.services.size(), 0) {}

  LaunchType* launch_type() noexcept override { return launch_type_; }
  void attach(Deployment& d) override {
    for (std::size_t i : d.services_on(kName))
      scalers_[i] = std::make_unique<AppRunnerScaler>(d.sim, *d.services[i], *d.schedulers[i],
                                                      platform_settings<AppRunnerSpec>(d.spec.services[i]));
  }
  void observe(Deployment& d) override { meter_ = std::make_unique<TaskBillingMeter>(d.sim, d.spec, *launch_type_); }
  void start_service(std::size_t service) override {
    d_.schedulers[service]->start();
    scalers_[service]->start();
  }
  void begin_measurement() override {
    meter_->begin_measurement();
    for (std::size_t i = 0; i < scalers_.size(); ++i)
      if (scalers_[i]) {
        active_at_measure_[i] = scalers_[i]->active_instance_seconds();
        activations_at_measure_[i] = scalers_[i]->activations();
        billed_active_at_measure_[i] = scalers_[i]->billed_active_seconds();
      }
  }

  void report_service(std::size_t service, double measured_s, ServiceResults& out) const override {
    const AppRunnerScaler& a = *scalers_[service];
    auto r = std::make_shared<AppRunnerResults>();
    r->active_instances_mean = measured_s > 0 ? (a.active_instance_seconds() - active_at_measure_[service]) / measured_s : NAN;
    r->instances_at_end = a.desired();
    r->scale_outs = a.scale_outs();
    r->scale_ins = a.scale_ins();
    out.platform.push_back(std::move(r));
    report_ecs_service(*d_.schedulers[service], *d_.services[service], out);
  }

  // Provisioned memory for every instance-second; active vCPU per activation, each at least a
  // minute (TaskServer::set_min_active), so the mean is at least 60 s but for one cut by the end.
  void bill(BillingPeriod& period, Bill& bill) override {
    meter_->finish();
    for (std::size_t i : d_.services_on(kName)) {
      const ServiceSpec& sv = d_.spec.services[i];
      const AppRunnerScaler& a = *scalers_[i];
      AppRunnerUsage u;
      u.name = sv.name;
      u.vcpu = sv.task.vcpu();
      u.memory_gb = sv.task.memory_mib / 1024.0;
      for (double s : meter_->seconds(i, false)) u.provisioned_instance_seconds += s;
      const double active = a.billed_active_seconds() - billed_active_at_measure_[i];
      const auto activations = static_cast<double>(a.activations() - activations_at_measure_[i]);
      if (activations > 0) u.activations.push_back({activations, active / activations});
      u.month_fraction = period.month_fraction;
      app_runner_service(period.catalog, u, bill);
    }
  }

 private:
  Deployment& d_;
  LaunchType* launch_type_;
  std::unique_ptr<TaskBillingMeter> meter_;
  std::vector<std::unique_ptr<AppRunnerScaler>> scalers_;  // by service index (null: another platform)
  std::vector<double> active_at_measure_, billed_active_at_measure_;
  std::vector<std::uint64_t> activations_at_measure_;
};

class AppRunnerModel final : public PlatformModel {
 public:
  std::string_view name() const noexcept override { return kName; }
  std::string_view description() const noexcept override {
    return "AWS App Runner: instances on Fargate scaled by concurrency, requests waiting in front";
  }
  void check(const json& doc, std::size_t index, std::vector<Diagnostic>& out) const override {
    if (index == kWholeScenario) return;
    check_app_runner_section(array_or_empty(doc, "services")[index], at("/services", index), out);
    refuse_ecs_deployments(array_or_empty(doc, "services")[index], at("/services", index), name(), out);
  }
  void build_service(const json& sj, ServiceSpec& sv, ScenarioSpec&) const override { build_app_runner_service(sj, sv); }
  std::unique_ptr<PlatformRuntime> deploy(Deployment& d) const override { return std::make_unique<AppRunnerRuntime>(d); }
};

}  // namespace

const PlatformModel& app_runner_model() {
  static const AppRunnerModel model;
  return model;
}

}  // namespace fargatelab::detail
