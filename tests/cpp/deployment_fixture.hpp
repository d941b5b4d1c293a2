// What the deployment tests share: readers of a run's deployment events and task transitions
// (fixed launch phases are deterministic_fargate.hpp's).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "deterministic_fargate.hpp"
#include "fargatelab/run.hpp"

namespace deployment_fixture {

using nlohmann::json;

// The fields of the run's events of one kind ("deployment", "service", ...), each with its time
// as "t".
inline std::vector<json> events_of(const fargatelab::RunResult& r, const std::string& kind) {
  std::vector<json> out;
  for (const auto& e : r.events)
    if (e.kind == kind) {
      json j = e.fields;
      j["t"] = e.time_s;
      out.push_back(j);
    }
  return out;
}

inline std::vector<json> deployment_events(const fargatelab::RunResult& r) { return events_of(r, "deployment"); }

constexpr std::uint8_t kRunning = 3;  // TaskState::running in the compact transitions

// When each task left RUNNING (its stop was asked for), by task name.
inline std::map<std::string, double> left_running(const fargatelab::RunResult& r) {
  std::map<std::string, double> out;
  for (const auto& e : r.task_transitions)
    if (e.from == kRunning && e.state != kRunning) out.emplace(r.names[e.task], e.time_s);
  return out;
}

// The traffic-shift tests' service (traffic_shift_test.cpp, codedeploy_test.cpp): fixed launch
// phases, no pull noise, an ALB with no deregistration delay (a stopped task leaves at once),
// deterministic_task()s, 10 ms requests; v2 (with `behavior`) deployed at 60 s with `strategy`
// and `hooks`; `alarms` (put-metric-alarm input) in its scaling section.
inline json shift_scenario(int desired, json strategy, double rate = 5, double duration = 1800, json hooks = json::array(),
                           json behavior = json::object(), std::string lb = "alb", json alarms = json::array()) {
  json deployment = {{"at", "60s"}, {"revision", "v2"}, {"strategy", strategy}};
  if (!hooks.empty()) deployment["hooks"] = hooks;
  json service = {{"name", "api"},
                  {"desired_count", desired},
                  {"load_balancer", lb},
                  {"deregistration_delay", "0s"},
                  {"task", deterministic_task()},
                  {"revisions", {{{"name", "v2"}, {"behavior", behavior}}}},
                  {"deployments", {deployment}}};
  if (lb == "none") service.erase("deregistration_delay");
  if (!alarms.empty()) service["scaling"] = {{"alarms", alarms}};
  return {{"schema_version", 1},
          {"duration", duration},
          {"fargate", deterministic_fargate()},
          {"services", {service}},
          {"workloads",
           {{{"name", "w"}, {"target", "api"}, {"arrival", fmt::format("poisson(rate={})", rate)},
             {"request", {{"cpu_time", "constant(value=0.01)"}}}}}},
          {"output", {{"event_log", true}}}};
}

}  // namespace deployment_fixture
