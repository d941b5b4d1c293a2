// The event log in log order: the model's events and the task state changes merged by sequence
// number, each as the JSON object a line of events.jsonl holds. The writer prints them; the
// events table (fargatelab/table.hpp) turns them into columns.
#pragma once

#include <functional>

#include <nlohmann/json.hpp>

#include "fargatelab/run.hpp"

namespace fargatelab::detail {

void for_each_event(const RunResult& result, const std::function<void(const nlohmann::ordered_json&)>& visit);

}  // namespace fargatelab::detail
