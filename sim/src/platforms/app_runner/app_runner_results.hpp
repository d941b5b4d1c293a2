// App Runner's block of a service's results: its instances and the scaler's decisions over the
// measured period (summary.json: services.<name>.app_runner). Its tasks' launches are in the
// service's tasks_launch, as for any ECS service.
#pragma once

#include "results/platform_block.hpp"

namespace fargatelab::detail {

struct AppRunnerResults final : DescribedBlock<AppRunnerResults> {
  Number active_instances_mean;  // instances serving requests, time-averaged; none without a measured period
  Number instances_at_end, scale_outs, scale_ins;

  static constexpr auto fields() {
    using S = AppRunnerResults;
    return std::tuple{field("active_instances_mean", &S::active_instances_mean), field("instances_at_end", &S::instances_at_end),
                      field("scale_outs", &S::scale_outs), field("scale_ins", &S::scale_ins)};
  }
  std::string_view key() const noexcept override { return "app_runner"; }
};

}  // namespace fargatelab::detail
