// Tolerant accessors for scenario documents during semantic checks: a part of the wrong type
// reads as absent (the JSON Schema has already reported it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace fargatelab::detail {

// The member `key` of an object, or nullptr.
inline const nlohmann::json* member(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  const auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}
// The array `key`, or an empty array.
inline const nlohmann::json& array_or_empty(const nlohmann::json& j, const char* key) {
  static const nlohmann::json empty = nlohmann::json::array();
  const nlohmann::json* m = member(j, key);
  return m && m->is_array() ? *m : empty;
}
inline std::string str_or(const nlohmann::json& j, const char* key, std::string fallback) {
  const nlohmann::json* m = member(j, key);
  return m && m->is_string() ? m->get<std::string>() : fallback;
}
inline std::optional<std::int64_t> int_of(const nlohmann::json& j, const char* key) {
  const nlohmann::json* m = member(j, key);
  if (m && m->is_number_integer()) return m->get<std::int64_t>();
  return std::nullopt;
}
// "base/i": the JSON pointer of a list item.
inline std::string at(const std::string& base, std::size_t i) { return fmt::format("{}/{}", base, i); }

}  // namespace fargatelab::detail
