// Fargate's block of a replication's results: per availability zone, the most hosts in use at a
// metrics sample (summary.json: capacity.zones.<zone>).
#pragma once

#include <map>
#include <string>

#include "results/platform_block.hpp"

namespace fargatelab::detail {

struct ZoneResults {
  Number peak_hosts_in_use_sampled;
  static constexpr auto fields() { return std::tuple{field("peak_hosts_in_use_sampled", &ZoneResults::peak_hosts_in_use_sampled)}; }
};

struct FargateCapacityResults final : DescribedBlock<FargateCapacityResults> {
  std::map<std::string, ZoneResults> zones;
  static constexpr auto fields() { return std::tuple{field("zones", &FargateCapacityResults::zones)}; }
  std::string_view key() const noexcept override { return "capacity"; }
};

}  // namespace fargatelab::detail
