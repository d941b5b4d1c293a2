// Standalone tasks (RunTask): launched at a time, optionally again on an EventBridge schedule
// (rate() or cron(), UTC, from the scenario's start_time), never replaced when they stop.
// Batch tasks stop on their own when their essential container exits.
#pragma once

#include <vector>

#include "scenario/schedule_expression.hpp"
#include "fargatelab/engine.hpp"
#include "fargatelab/scenario.hpp"
#include "ecs/launch_type.hpp"

namespace fargatelab::detail {

class StandaloneTasks {
 public:
  StandaloneTasks(Simulation& sim, LaunchType& platform, const std::vector<StandaloneTaskSpec>& specs,
                  std::int64_t start_unix_seconds);
  void start();
  void run(std::uint64_t index);  // one RunTask round of spec `index`, then the next on its schedule

 private:
  void schedule_next(std::uint64_t index);
  Simulation& sim_;
  LaunchType& platform_;
  const std::vector<StandaloneTaskSpec>& specs_;
  std::int64_t start_unix_;
  std::vector<std::optional<ScheduleExpression>> schedules_;
  std::vector<std::uint32_t> launched_;
};

}  // namespace fargatelab::detail
