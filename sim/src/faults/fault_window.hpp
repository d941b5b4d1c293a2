// What every fault type shares: its window [start, end) in simulated time from t = 0.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/diagnostics.hpp"
#include "fargatelab/time.hpp"

namespace fargatelab::detail {

// A fault item's window, once its start and end passed the schema: end must come after start
// (the problem at pointer + "/end").
void check_fault_window(const nlohmann::json& item, const std::string& pointer, std::vector<Diagnostic>& out);

// A time from t = 0 as text for explanations: "05:00" (mm:ss below an hour, else h:mm:ss),
// rounded to the second.
std::string clock_text(double seconds);
// A window as text: "05:00–15:00".
std::string window_text(Duration start, Duration end);

}  // namespace fargatelab::detail
