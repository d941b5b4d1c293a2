// What the deployment tests share: readers of a run's deployment events and task transitions
// (fixed launch phases are deterministic_fargate.hpp's).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "fargatelab/run.hpp"

namespace deployment_fixture {

using nlohmann::json;

// The run's deployment events' fields, each with its time as "t".
inline std::vector<json> deployment_events(const fargatelab::RunResult& r) {
  std::vector<json> out;
  for (const auto& e : r.events)
    if (e.kind == "deployment") {
      json j = e.fields;
      j["t"] = e.time_s;
      out.push_back(j);
    }
  return out;
}

constexpr std::uint8_t kRunning = 3;  // TaskState::running in the compact transitions

// When each task left RUNNING (its stop was asked for), by task name.
inline std::map<std::string, double> left_running(const fargatelab::RunResult& r) {
  std::map<std::string, double> out;
  for (const auto& e : r.task_transitions)
    if (e.from == kRunning && e.state != kRunning) out.emplace(r.names[e.task], e.time_s);
  return out;
}

}  // namespace deployment_fixture
