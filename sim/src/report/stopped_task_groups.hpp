// The run's stopped tasks grouped by stop code and stopped reason (and the tasks not started by
// the end, by what they were waiting for), each group with its chain of causes in ECS's words,
// built from the typed facts of StoppedTaskRow (run.hpp). One definition for the stopped_tasks
// table (Python's Result.stopped_tasks()) and `fargatelab explain`.
#pragma once

#include <string>
#include <vector>

#include "fargatelab/run.hpp"

namespace fargatelab::detail {

struct StoppedTaskGroup {
  std::string stop_code, stopped_reason, last_state;  // not started: stop code "", reason = what it waited for
  bool started = true;                               // false: tasks not yet started at the end
  std::size_t tasks = 0;
  double first_s = 0, last_s = 0;  // stopped_s (not started: created_s), over the group
  std::vector<std::string> services, revisions;  // distinct, in order of first appearance
  std::vector<std::string> chain;                // the causes, first to last
};

// Groups in order: stopped ones by first time, then those not started; ties by stop code and reason.
std::vector<StoppedTaskGroup> stopped_task_groups(const RunResult& result);

// "10 s", "2 min 30 s", "15 min", "1 h 5 min".
std::string duration_text(double seconds);

}  // namespace fargatelab::detail
