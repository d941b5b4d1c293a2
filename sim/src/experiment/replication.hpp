// One replication of a scenario: builds the model from the spec, runs it, and returns its
// results. Replication r draws from substream r of the seed.
#pragma once

#include <functional>
#include <optional>

#include "fargatelab/results.hpp"
#include "fargatelab/run.hpp"
#include "fargatelab/scenario.hpp"

namespace fargatelab::detail {

struct ReplicationOutput {
  Results results;
  std::optional<Bill> bill;  // none when it could not be priced (results.cost.error)
  std::uint64_t kernel_events = 0;
  std::uint64_t fingerprint = 0;
  std::vector<std::string> warnings;
};

// progress(fraction of this replication done) returns false to cancel (throws RunCancelled).
// Appends this replication's time series, capacity rows, task records and events to `result`.
ReplicationOutput run_replication(const ScenarioSpec& spec, std::uint64_t seed, int replication,
                                  const std::function<bool(double)>& progress, RunResult& result,
                                  const std::vector<CustomPolicy>& policies = {});

}  // namespace fargatelab::detail
