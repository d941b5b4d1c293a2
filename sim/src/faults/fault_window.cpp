#include "faults/fault_window.hpp"

#include <cmath>

#include <fmt/format.h>

#include "fargatelab/registry.hpp"

namespace fargatelab::detail {

std::string clock_text(double seconds) {
  const auto s = static_cast<long long>(std::floor(seconds + 0.5));
  return s < 3600 ? fmt::format("{:02}:{:02}", s / 60, s % 60) : fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
}

std::string window_text(Duration start, Duration end) {
  return fmt::format("{}\u2013{}", clock_text(start.to_seconds()), clock_text(end.to_seconds()));
}

// The window of a fault item whose start and end passed the schema: end must come after start.
void check_fault_window(const nlohmann::json& item, const std::string& pointer, std::vector<Diagnostic>& out) {
  try {
    const Duration start = parse_duration(item.at("start")), end = parse_duration(item.at("end"));
    if (end <= start)
      out.push_back({pointer + "/end", fmt::format("the fault must end after it starts ({} s <= start {} s)", end.to_seconds(),
                                                   start.to_seconds())});
  } catch (const std::exception&) {
    // missing or malformed: the schema reports it
  }
}

}  // namespace fargatelab::detail
