// Amazon ECS on EC2 as a platform: services whose tasks are placed on the container instances
// of the cluster's Auto Scaling group capacity providers (ec2_platform.hpp). Deployed when the
// scenario has EC2 capacity (the section builder adds a "default" provider for an ecs_ec2
// service when none is listed).
#include "platforms/ecs_ec2/ecs_ec2_model.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include "ecs/service_report.hpp"
#include "ecs/service_scheduler.hpp"
#include "platforms/ecs_ec2/ec2_platform.hpp"
#include "platforms/ecs_ec2/ec2_results.hpp"
#include "platforms/ecs_ec2/ec2_section.hpp"
#include "platforms/ecs_ec2/ec2_service_spec.hpp"
#include "platforms/ecs_ec2/ec2_spec.hpp"
#include "pricing/bill.hpp"
#include "pricing/pricing_rules.hpp"

namespace fargatelab::detail {
namespace {

using nlohmann::json;

class Ec2Runtime final : public PlatformRuntime {
 public:
  explicit Ec2Runtime(Deployment& d)
      : d_(d), platform_(d.sim, d.spec, d.streams, d.subnets, d.registry), peak_instances_(platform_.groups(), 0.0) {}

  LaunchType* launch_type() noexcept override { return &platform_; }

  // DAEMON services follow the number of ACTIVE container instances.
  void attach(Deployment& d) override {
    for (std::size_t i : d.services_on(kEcsEc2)) {
      if (!ec2_settings(d.spec.services[i]).daemon) continue;
      ServiceScheduler* s = d.schedulers[i];
      Ec2Platform* e = &platform_;
      s->set_daemon_count([e] { return e->active_instances(); });
      platform_.instances_changed.connect([s] { s->follow_instances(); });
    }
  }
  // The instances first: warm-started tasks are placed on them.
  void start() override { platform_.start(); }
  void start_service(std::size_t service) override { d_.schedulers[service]->start(); }
  void begin_measurement() override { pulled_at_start_ = platform_.pulled(); }

  // Per capacity provider: ACTIVE instances, tasks placed, reserved vCPU and memory, instances
  // launching, the last CapacityProviderReservation.
  void sample_capacity(double now_s, int replication, std::vector<CapacityRow>& rows) override {
    for (std::size_t p = 0; p < platform_.groups(); ++p) {
      const AutoScalingGroup& g = platform_.group(p);
      double tasks = 0, cpu_units = 0, memory_mib = 0;
      for (const ContainerInstance& c : g.cluster().instances()) {
        tasks += c.tasks;
        cpu_units += c.registered_cpu_units - c.remaining_cpu_units;
        memory_mib += c.registered_memory_mib - c.remaining_memory_mib;
      }
      peak_instances_[p] = std::max(peak_instances_[p], double(g.active()));
      rows.push_back({replication, now_s, "capacity_provider", g.spec().name,
                      {NAN, NAN, double(g.active()), tasks, g.spec().spot ? tasks : 0.0, cpu_units / kCpuUnitsPerVcpu,
                       memory_mib / 1024.0, double(g.launching()), platform_.reservation(p)}});
    }
  }

  void report_service(std::size_t service, double, ServiceResults& out) const override {
    report_ecs_service(*d_.schedulers[service], *d_.services[service], out);
  }

  // Per capacity provider: the instances over the run, and their time inside the measured
  // period [warmup, end] (launch to termination: what EC2 bills, before its per-instance minimum).
  void report(Results& results) const override {
    auto out = std::make_shared<Ec2Results>();
    const SimTime from = d_.spec.warmup, to = d_.sim.now();
    const double measured = (to - from).to_seconds();
    for (std::size_t p = 0; p < platform_.groups(); ++p) {
      const AutoScalingGroup& g = platform_.group(p);
      double seconds = 0;
      std::uint64_t launched = 0, terminated = 0, interrupted = 0;
      for (const InstanceRecord& r : g.records()) {
        launched += !r.at_start;
        terminated += r.terminated_at.has_value();
        interrupted += r.interrupted;
        const SimTime a = std::max(r.launched_at, from), b = std::min(r.terminated_at.value_or(to), to);
        if (b > a) seconds += (b - a).to_seconds();
      }
      CapacityProviderResults& c = out->capacity_providers[g.spec().name];
      c.instance_type = {g.spec().instance_type};
      c.vcpu_per_instance = g.type().vcpu;
      c.spot = {g.spec().spot};
      c.instances_at_start = g.spec().desired_capacity;
      c.instances_at_end = g.active();
      c.instances_launched = launched;
      c.instances_terminated = terminated;
      c.spot_interruptions = interrupted;
      c.instance_hours = seconds / 3600.0;
      c.instances_mean = measured > 0 ? seconds / measured : NAN;
      c.instances_peak_sampled = peak_instances_[p];
      c.scale_outs = g.scale_outs();
      c.scale_ins = g.scale_ins();
      c.instance_launch_failures = g.launch_failures();
      c.tasks_waiting_at_end = platform_.waiting(p);
      c.capacity_provider_reservation_last = platform_.reservation(p);
    }
    if (!out->capacity_providers.empty()) results.platforms.push_back(std::move(out));
  }

  // Container instances per capacity provider, launch to termination; image bytes to the VPC's meters.
  void bill(BillingPeriod& period, Bill& bill) override {
    for (std::size_t p = 0; p < platform_.groups(); ++p) {
      const AutoScalingGroup& g = platform_.group(p);
      Ec2Usage u;
      u.name = g.spec().name;
      u.instance_type = g.spec().instance_type;
      u.spot = g.spec().spot;
      for (const InstanceRecord& r : g.records())
        if (const double s = period.clipped(r.launched_at, r.terminated_at.value_or(SimTime::infinity())); s > 0)
          u.runs.push_back({1, s});
      if (!u.runs.empty()) ec2_instances(period.catalog, u, bill);
    }
    period.nat_gateway_mb += platform_.pulled().nat_gateway_mb - pulled_at_start_.nat_gateway_mb;
    period.vpc_endpoint_mb += platform_.pulled().vpc_endpoint_mb - pulled_at_start_.vpc_endpoint_mb;
  }

 private:
  Deployment& d_;
  Ec2Platform platform_;
  PullMeter pulled_at_start_;
  std::vector<double> peak_instances_;  // per capacity provider, sampled
};

class Ec2Model final : public PlatformModel {
 public:
  std::string_view name() const noexcept override { return kEcsEc2; }
  std::string_view description() const noexcept override {
    return "Amazon ECS on EC2: tasks placed on the container instances of Auto Scaling group capacity providers";
  }
  // The ec2 section and every ecs_ec2 service's EC2 settings, checked together (ec2_section.hpp).
  void check(const json& doc, std::size_t index, std::vector<Diagnostic>& out) const override {
    if (index == kWholeScenario) check_ec2(doc, out);
  }
  void build_scenario(const json& doc, ScenarioSpec& s) const override { build_ec2(doc, s); }
  bool needed(const ScenarioSpec& spec) const override { return !platform_settings<Ec2Spec>(spec).capacity_providers.empty(); }
  std::unique_ptr<PlatformRuntime> deploy(Deployment& d) const override { return std::make_unique<Ec2Runtime>(d); }
};

}  // namespace

const PlatformModel& ecs_ec2_model() {
  static const Ec2Model model;
  return model;
}

}  // namespace fargatelab::detail
