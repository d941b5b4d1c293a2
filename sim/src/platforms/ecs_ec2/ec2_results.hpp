// ECS on EC2's block of a replication's results: per capacity provider (Auto Scaling group), its
// container instances over the run and their time inside the measured period
// (summary.json: ec2.capacity_providers.<name>).
#pragma once

#include <map>
#include <string>

#include "results/platform_block.hpp"

namespace fargatelab::detail {

struct CapacityProviderResults {
  Text instance_type;
  Number vcpu_per_instance;
  Flag spot;
  Number instances_at_start, instances_at_end, instances_launched, instances_terminated, spot_interruptions;
  Number instance_hours;          // launch to termination, inside the measured period
  Number instances_mean;          // instance_hours over the measured period's hours
  Number instances_peak_sampled;  // the most ACTIVE instances at a metrics sample
  Number scale_outs, scale_ins, instance_launch_failures, tasks_waiting_at_end;
  Number capacity_provider_reservation_last;  // percent

  static constexpr auto fields() {
    using S = CapacityProviderResults;
    return std::tuple{field("instance_type", &S::instance_type),
                      field("vcpu_per_instance", &S::vcpu_per_instance),
                      field("spot", &S::spot),
                      field("instances_at_start", &S::instances_at_start),
                      field("instances_at_end", &S::instances_at_end),
                      field("instances_launched", &S::instances_launched),
                      field("instances_terminated", &S::instances_terminated),
                      field("spot_interruptions", &S::spot_interruptions),
                      field("instance_hours", &S::instance_hours),
                      field("instances_mean", &S::instances_mean),
                      field("instances_peak_sampled", &S::instances_peak_sampled),
                      field("scale_outs", &S::scale_outs),
                      field("scale_ins", &S::scale_ins),
                      field("instance_launch_failures", &S::instance_launch_failures),
                      field("tasks_waiting_at_end", &S::tasks_waiting_at_end),
                      field("capacity_provider_reservation_last", &S::capacity_provider_reservation_last)};
  }
};

struct Ec2Results final : DescribedBlock<Ec2Results> {
  std::map<std::string, CapacityProviderResults> capacity_providers;

  static constexpr auto fields() { return std::tuple{field("capacity_providers", &Ec2Results::capacity_providers)}; }
  std::string_view key() const noexcept override { return "ec2"; }
  // Summed over the providers in name order: instances, and instances x vCPU each.
  std::optional<InstanceFigures> instance_figures() const override {
    InstanceFigures f;
    for (const auto& [_, p] : capacity_providers) {
      f.vcpu_mean += p.instances_mean.value() * p.vcpu_per_instance.value();
      f.instances_mean += p.instances_mean.value();
    }
    return f;
  }
  // The "EC2 capacity" table of `fargatelab run`: one row per capacity provider.
  BlockTable summary_table(const std::string&) const override {
    BlockTable t{"EC2 capacity",
                 {{"instances mean", 1}, {"peak", 0}, {"launched", 0}, {"terminated", 0}, {"spot int.", 0}, {"instance-hours", 2}},
                 {}};
    for (const auto& [name, p] : capacity_providers)
      t.rows.push_back({name,
                        {p.instances_mean, p.instances_peak_sampled, p.instances_launched, p.instances_terminated,
                         p.spot_interruptions, p.instance_hours}});
    return t;
  }
};

}  // namespace fargatelab::detail
