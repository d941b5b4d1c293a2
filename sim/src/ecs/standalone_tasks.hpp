// Standalone tasks (RunTask): launched at a time, optionally again every period (an
// EventBridge rate() schedule), never replaced when they stop. Batch tasks stop on their own
// when their essential container exits.
#pragma once

#include <vector>

#include "fargatelab/engine.hpp"
#include "fargatelab/scenario.hpp"
#include "platforms/fargate/fargate_platform.hpp"

namespace fargatelab::detail {

class StandaloneTasks {
 public:
  StandaloneTasks(Simulation& sim, FargatePlatform& platform, const std::vector<StandaloneTaskSpec>& specs);
  void start();

 private:
  void run(std::uint64_t index);
  Simulation& sim_;
  FargatePlatform& platform_;
  const std::vector<StandaloneTaskSpec>& specs_;
  std::vector<std::uint32_t> launched_;
};

}  // namespace fargatelab::detail
