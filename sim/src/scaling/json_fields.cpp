#include "scaling/json_fields.hpp"

#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "scenario/json_schema.hpp"

namespace fargatelab::detail {
namespace {

const char* type_of(const nlohmann::json& j) {
  if (j.is_null()) return "null";
  if (j.is_boolean()) return "a boolean";
  if (j.is_number()) return "a number";
  if (j.is_string()) return "a string";
  if (j.is_array()) return "an array";
  return "an object";
}

}  // namespace

JsonFields::JsonFields(const nlohmann::json& value, std::string pointer, std::string what, std::vector<Diagnostic>& out)
    : pointer_(std::move(pointer)), what_(std::move(what)), out_(out) {
  if (value.is_object()) obj_ = &value;
  else error(fmt::format("{} must be an object, got {}", what_, type_of(value)));
}

std::string JsonFields::at(const std::string& key) const { return pointer_ + "/" + pointer_escape(key); }

void JsonFields::error(const std::string& key, std::string message) {
  out_.push_back({at(key), std::move(message)});
  ++problems_;
}

void JsonFields::error(std::string message) {
  out_.push_back({pointer_, std::move(message)});
  ++problems_;
}

bool JsonFields::has(const std::string& key) const { return obj_ && obj_->contains(key); }

const nlohmann::json* JsonFields::get(const std::string& key, bool required) {
  known_.insert(key);
  if (!obj_) return nullptr;
  const auto it = obj_->find(key);
  if (it == obj_->end()) {
    if (required) error(fmt::format("{} needs the field \"{}\"", what_, key));
    return nullptr;
  }
  return &*it;
}

std::optional<std::string> JsonFields::string(const std::string& key, bool required) {
  const nlohmann::json* v = get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    error(key, fmt::format("expected a string, got {}", type_of(*v)));
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<double> JsonFields::number(const std::string& key, bool required) {
  const nlohmann::json* v = get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_number()) {
    error(key, fmt::format("expected a number, got {}", type_of(*v)));
    return std::nullopt;
  }
  return v->get<double>();
}

std::optional<std::int64_t> JsonFields::integer(const std::string& key, bool required, std::optional<std::int64_t> min,
                                                std::optional<std::int64_t> max) {
  const nlohmann::json* v = get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_number() || std::floor(v->get<double>()) != v->get<double>()) {
    error(key, fmt::format("expected an integer, got {}", v->is_number() ? v->dump() : type_of(*v)));
    return std::nullopt;
  }
  const auto n = static_cast<std::int64_t>(v->get<double>());
  if ((min && n < *min) || (max && n > *max)) {
    error(key, max ? fmt::format("{} must be within {}..{}", n, min.value_or(0), *max) : fmt::format("{} must be >= {}", n, *min));
    return std::nullopt;
  }
  return n;
}

std::optional<bool> JsonFields::boolean(const std::string& key) {
  const nlohmann::json* v = get(key);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) {
    error(key, fmt::format("expected true or false, got {}", type_of(*v)));
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<std::string> JsonFields::one_of(const std::string& key, const std::vector<std::string>& allowed, bool required) {
  const auto s = string(key, required);
  if (!s) return std::nullopt;
  for (const auto& a : allowed)
    if (*s == a) return s;
  const std::string guess = did_you_mean(*s, allowed);
  error(key, guess.empty() ? fmt::format("\"{}\" is not one of {}", *s, fmt::join(allowed, ", "))
                           : fmt::format("\"{}\" is not one of {} (did you mean \"{}\"?)", *s, fmt::join(allowed, ", "), guess));
  return std::nullopt;
}

const nlohmann::json* JsonFields::array(const std::string& key, bool required) {
  const nlohmann::json* v = get(key, required);
  if (v && !v->is_array()) {
    error(key, fmt::format("expected an array, got {}", type_of(*v)));
    return nullptr;
  }
  return v;
}

const nlohmann::json* JsonFields::object(const std::string& key, bool required) {
  const nlohmann::json* v = get(key, required);
  if (v && !v->is_object()) {
    error(key, fmt::format("expected an object, got {}", type_of(*v)));
    return nullptr;
  }
  return v;
}

std::vector<std::string> JsonFields::strings(const std::string& key) {
  std::vector<std::string> out;
  const nlohmann::json* a = array(key);
  if (!a) return out;
  for (std::size_t i = 0; i < a->size(); ++i) {
    if ((*a)[i].is_string()) out.push_back((*a)[i].get<std::string>());
    else error(fmt::format("{}/{}", key, i), fmt::format("expected a string, got {}", type_of((*a)[i])));
  }
  return out;
}

void JsonFields::accept(std::initializer_list<const char*> keys) {
  for (const char* k : keys) known_.insert(k);
}

void JsonFields::unsupported(const std::string& key, const std::string& why) {
  if (get(key)) error(key, fmt::format("{} is not supported by the simulator: {}", key, why));
}

void JsonFields::finish() {
  if (!obj_) return;
  const std::vector<std::string> known(known_.begin(), known_.end());
  for (const auto& [key, _] : obj_->items()) {
    if (known_.count(key)) continue;
    const std::string guess = did_you_mean(key, known);
    error(key, guess.empty() ? fmt::format("{} has no field \"{}\" (fields: {})", what_, key, fmt::join(known, ", "))
                             : fmt::format("{} has no field \"{}\" (did you mean \"{}\"?)", what_, key, guess));
  }
}

}  // namespace fargatelab::detail
