#include "report/event_log.hpp"

#include "ecs/task.hpp"

namespace fargatelab::detail {
namespace {

nlohmann::ordered_json event_json(const EventRecord& e) {
  nlohmann::ordered_json j;
  j["replication"] = e.replication;
  j["t"] = e.time_s;
  j["kind"] = e.kind;
  j["entity"] = e.entity;
  for (const auto& [k, v] : e.fields.items()) j[k] = v;
  return j;
}

nlohmann::ordered_json event_json(const RunResult& r, const TaskTransition& e) {
  nlohmann::ordered_json j;
  j["replication"] = e.replication;
  j["t"] = e.time_s;
  j["kind"] = "task_state";
  j["entity"] = r.names[e.task];
  j["state"] = to_string(static_cast<TaskState>(e.state));
  j["from"] = e.created ? "" : to_string(static_cast<TaskState>(e.from));
  if (e.az) j["az"] = r.names[e.az];
  if (e.stop_code) {
    j["stop_code"] = to_string(static_cast<StopCode>(e.stop_code));
    j["stopped_reason"] = r.names[e.reason];
  }
  j["capacity_provider"] = to_string(static_cast<CapacityProvider>(e.provider));
  return j;
}

}  // namespace

void for_each_event(const RunResult& r, const std::function<void(const nlohmann::ordered_json&)>& visit) {
  std::size_t a = 0, b = 0;
  while (a < r.events.size() || b < r.task_transitions.size()) {
    const bool take_event =
        b == r.task_transitions.size() || (a < r.events.size() && r.events[a].seq < r.task_transitions[b].seq);
    visit(take_event ? event_json(r.events[a++]) : event_json(r, r.task_transitions[b++]));
  }
}

}  // namespace fargatelab::detail
