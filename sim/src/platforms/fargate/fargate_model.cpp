// AWS Fargate as a platform: services whose tasks go through the Fargate launch pipeline
// (fargate_platform.hpp), scheduled by the ECS service scheduler. Always deployed: it also runs
// the scenario's standalone tasks (RunTask) and App Runner's instances.
#include "platforms/fargate/fargate_model.hpp"

#include <algorithm>
#include <memory>

#include <fmt/format.h>

#include "ecs/service_report.hpp"
#include "ecs/service_scheduler.hpp"
#include "ecs/task_billing.hpp"
#include "scenario/task_definition.hpp"
#include "platforms/fargate/eks_pod_size.hpp"
#include "platforms/fargate/fargate_platform.hpp"
#include "platforms/fargate/fargate_results.hpp"
#include "platforms/fargate/fargate_spec.hpp"
#include "platforms/fargate/task_size.hpp"
#include "pricing/bill.hpp"
#include "pricing/pricing_rules.hpp"
#include "random/distribution_registry.hpp"
#include "scenario/checks.hpp"

namespace fargatelab::detail {
namespace {

constexpr std::string_view kName = "fargate";
constexpr double kMbPerGb = 1024.0;

// Fargate's task sizes (or, for an EKS pod, the size its requests round up to).
void check_size(const json* task, bool eks_pod, const std::string& base, std::vector<Diagnostic>& out) {
  if (!task || !task->is_object()) return;
  const auto cpu = int_of(*task, "cpu");
  const auto mem = int_of(*task, "memory");
  if (!cpu || !mem) return;
  if (eks_pod) {
    // The task's cpu and memory are the pod's requests; the Fargate size is derived from them.
    try {
      eks_pod_size(static_cast<double>(*cpu) / 1024.0, static_cast<int>(*mem));
    } catch (const std::invalid_argument& e) {
      out.push_back({base, e.what()});
    }
    return;
  }
  for (const auto& p : check_fargate_size(static_cast<int>(*cpu), static_cast<int>(*mem), str_or(*task, "os", "linux"),
                                          str_or(*task, "architecture", "x86_64")))
    out.push_back({base + "/" + p.field, p.message});
}

// The Fargate size of a task given as an ECS task definition, at the definition's own fields
// (cpu, memory, runtimePlatform/...). Not when those fields do not parse: the scenario's task
// check reports that.
void check_definition_size(const json* task, const std::string& base, std::vector<Diagnostic>& out) {
  const json* def = task && task->is_object() ? member(*task, "ecs_task_definition") : nullptr;
  if (!def || !def->is_object()) return;
  std::vector<Diagnostic> problems;
  std::vector<std::string> ignored;
  const TaskDefinition td = from_ecs_json(*def, problems, ignored);
  for (const Diagnostic& d : problems)
    for (const char* field : {"/cpu", "/memory", "/runtimePlatform"})
      if (d.pointer.rfind(field, 0) == 0) return;
  for (const auto& p : check_fargate_size(td.cpu_units, td.memory_mib, td.os, td.architecture)) {
    const std::string field = p.field == "os"             ? "runtimePlatform/operatingSystemFamily"
                              : p.field == "architecture" ? "runtimePlatform/cpuArchitecture"
                                                          : p.field;
    out.push_back({base + "/ecs_task_definition/" + field, p.message});
  }
}

// Fargate Spot runs Linux tasks only (Fargate capacity providers docs).
void check_spot_os(const json& service, const std::string& base, std::vector<Diagnostic>& out) {
  const json& items = array_or_empty(service, "capacity_provider_strategy");
  const bool spot = std::any_of(items.begin(), items.end(), [](const json& i) { return str_or(i, "capacity_provider", "") == "FARGATE_SPOT"; });
  if (const json* task = member(service, "task"); spot && task && str_or(*task, "os", "linux") == "windows")
    out.push_back({base + "/capacity_provider_strategy", "Fargate Spot runs Linux tasks only"});
}

class FargateRuntime final : public PlatformRuntime {
 public:
  explicit FargateRuntime(Deployment& d)
      : d_(d), platform_(d.sim, d.spec, d.streams, d.subnets, d.registry), peak_hosts_(platform_.fleet().az_count(), 0.0) {}

  LaunchType* launch_type() noexcept override { return &platform_; }
  void observe(Deployment& d) override { meter_ = std::make_unique<TaskBillingMeter>(d.sim, d.spec, platform_); }
  void start_service(std::size_t service) override { d_.schedulers[service]->start(); }
  void begin_measurement() override {
    meter_->begin_measurement();
    pulled_at_start_ = platform_.pulled();
  }

  // Per zone: hosts in use, tasks, Fargate Spot tasks running, reserved vCPU.
  void sample_capacity(double now_s, int replication, std::vector<CapacityRow>& rows) override {
    const HostFleet& fleet = platform_.fleet();
    for (std::size_t z = 0; z < fleet.az_count(); ++z) {
      peak_hosts_[z] = std::max(peak_hosts_[z], double(fleet.hosts_in_use(z)));
      rows.push_back({replication, now_s, "zone", fleet.az_name(z),
                      {NAN, NAN, double(fleet.hosts_in_use(z)), double(fleet.tasks(z)),
                       double(platform_.spot_tasks_in(fleet.az_name(z))), fleet.reserved_vcpu(z), NAN, NAN, NAN}});
    }
  }

  void report_service(std::size_t service, double, ServiceResults& out) const override {
    report_ecs_service(*d_.schedulers[service], *d_.services[service], out);
  }

  void report(Results& results) const override {
    auto capacity = std::make_shared<FargateCapacityResults>();
    for (std::size_t z = 0; z < platform_.fleet().az_count(); ++z)
      capacity->zones[platform_.fleet().az_name(z)] = {peak_hosts_[z]};
    results.platforms.push_back(std::move(capacity));
  }

  // Per Fargate service: its tasks On-Demand and Spot, per second with the 1-minute minimum.
  // Every task on the launch type (App Runner's too) in a public subnet holds a public address;
  // image bytes pulled through NAT and the S3 gateway endpoint go to the VPC's meters.
  void bill(BillingPeriod& period, Bill& bill) override {
    meter_->finish();
    for (std::size_t i : d_.services_on(kName)) {
      const ServiceSpec& sv = d_.spec.services[i];
      for (int spot = 0; spot < 2; ++spot) {
        const auto& seconds = meter_->seconds(i, spot == 1);
        if (seconds.empty()) continue;
        FargateUsage u;
        u.name = sv.name;
        u.vcpu = sv.task.vcpu();
        u.memory_gb = sv.task.memory_mib / 1024.0;
        u.ephemeral_gb = sv.task.ephemeral_storage_gib;
        u.arch = sv.task.architecture == "arm64" ? Arch::arm64 : Arch::x86_64;
        u.os = sv.task.os == "windows" ? Os::Windows : Os::Linux;
        u.spot = spot == 1;
        for (double s : seconds) u.runs.push_back({1, s});
        fargate_tasks(period.catalog, u, bill);
      }
    }
    for (std::size_t i = 0; i < d_.spec.services.size(); ++i) period.public_ip_hours += meter_->public_ip_seconds(i) / 3600.0;
    period.nat_gateway_mb += platform_.pulled().nat_gateway_mb - pulled_at_start_.nat_gateway_mb;
    period.vpc_endpoint_mb += platform_.pulled().vpc_endpoint_mb - pulled_at_start_.vpc_endpoint_mb;
  }

 private:
  Deployment& d_;
  FargatePlatform platform_;
  std::unique_ptr<TaskBillingMeter> meter_;
  PullMeter pulled_at_start_;
  std::vector<double> peak_hosts_;  // per zone, sampled
};

class FargateModel final : public PlatformModel {
 public:
  std::string_view name() const noexcept override { return kName; }
  std::string_view description() const noexcept override {
    return "AWS Fargate: ECS tasks in their own microVMs, launched through the Fargate pipeline";
  }

  void check(const json& doc, std::size_t index, std::vector<Diagnostic>& out) const override {
    if (index != kWholeScenario) {
      const json& s = array_or_empty(doc, "services")[index];
      check_size(member(s, "task"), str_or(s, "orchestrator", "ecs") == "eks", at("/services", index) + "/task", out);
      check_definition_size(member(s, "task"), at("/services", index) + "/task", out);
      check_spot_os(s, at("/services", index), out);
      return;
    }
    // Standalone tasks run on Fargate; the fargate section's models.
    const json& tasks = array_or_empty(doc, "tasks");
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      check_size(member(tasks[i], "task"), false, at("/tasks", i) + "/task", out);
      check_definition_size(member(tasks[i], "task"), at("/tasks", i) + "/task", out);
    }
    if (const json* f = member(doc, "fargate"))
      for (const char* key : {"provisioning", "eni_attach", "activating", "eni_detach", "eks_node_registration"})
        if (const json* d = member(*f, key)) check_model(distribution_registry(), *d, std::string("/fargate/") + key, out);
  }

  // An EKS pod runs as the smallest Fargate size that holds its requests.
  void build_service(const json& sj, ServiceSpec& sv, ScenarioSpec& s) const override {
    if (sj.at("orchestrator") != "eks") return;
    const auto [cpu, memory] = eks_pod_size(sv.task.vcpu(), sv.task.memory_mib);
    if (cpu != sv.task.cpu_units || memory != sv.task.memory_mib)
      s.notes.push_back(fmt::format("/services/{}: the EKS pod requesting {} CPU units and {} MiB runs as a Fargate {} / {} MiB pod",
                                    s.services.size(), sv.task.cpu_units, sv.task.memory_mib, cpu, memory));
    sv.task.cpu_units = cpu;
    sv.task.memory_mib = memory;
    sv.task.eks_pod = true;
  }

  void build_scenario(const json& doc, ScenarioSpec& s) const override { s.platform_specs[std::string(kName)] = build_fargate_spec(doc); }

  bool needed(const ScenarioSpec&) const override { return true; }
  std::unique_ptr<PlatformRuntime> deploy(Deployment& d) const override { return std::make_unique<FargateRuntime>(d); }
};

}  // namespace

const PlatformModel& fargate_model() {
  static const FargateModel model;
  return model;
}

}  // namespace fargatelab::detail
