// Models and policies registered by short name with a parameter spec (practice 10).
// The same text works in JSON, Python and on the command line:
//   "poisson(rate=20)"   or   {"model": "poisson", "rate": 20}
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/diagnostics.hpp"
#include "fargatelab/time.hpp"

namespace fargatelab {

// A model named with its parameters, not yet checked against any spec.
struct ModelCall {
  std::string name;
  nlohmann::json params = nlohmann::json::object();  // name -> value
  // Canonical text: name(p1=v1, p2=v2) with parameters in name order.
  std::string to_string() const;
};

// Parses "name" or "name(p=v, ...)". Values: numbers, true/false, "quoted strings", bare
// words (letters, digits, '.', '-', '_', e.g. 5m or us-east-1) and [lists]. Throws
// std::invalid_argument naming the position of the first syntax error.
ModelCall parse_model_call(std::string_view text);
// From a scenario value: a string as above, or an object {"model": name, p: v, ...}.
ModelCall model_call_from_json(const nlohmann::json& j);

// Parses a duration: a number of seconds, or a string with a unit ms, s, m, h or d ("90s").
// Throws std::invalid_argument for anything else or a negative value.
Duration parse_duration(const nlohmann::json& j);

enum class ParamType { number, integer, boolean, string, duration, number_list };

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::number;
  bool required = false;
  nlohmann::json default_value = nullptr;  // used when not required and absent (null: absent)
  std::optional<double> min;               // inclusive bounds for numbers, durations (seconds), list items
  std::optional<double> max;
  bool min_exclusive = false;
  std::string doc;  // meaning and unit, shown in errors and listings
};

struct ModelInfo {
  std::string name;
  std::string doc;
  std::vector<ParamSpec> params;
};

// Parameter values after checking: every declared parameter is present or defaulted.
class Params {
 public:
  Params() = default;
  explicit Params(nlohmann::json values) : values_(std::move(values)) {}
  bool has(const std::string& name) const { return values_.contains(name) && !values_.at(name).is_null(); }
  double number(const std::string& name) const { return values_.at(name).get<double>(); }
  std::int64_t integer(const std::string& name) const { return values_.at(name).get<std::int64_t>(); }
  bool boolean(const std::string& name) const { return values_.at(name).get<bool>(); }
  std::string string(const std::string& name) const { return values_.at(name).get<std::string>(); }
  Duration duration(const std::string& name) const { return parse_duration(values_.at(name)); }
  std::vector<double> numbers(const std::string& name) const { return values_.at(name).get<std::vector<double>>(); }
  const nlohmann::json& json() const noexcept { return values_; }

 private:
  nlohmann::json values_ = nlohmann::json::object();
};

// Problems a factory finds beyond the spec (e.g. "give rate or mean, not both").
using Problems = std::vector<std::string>;

template <class Product>
class Registry {
 public:
  using Factory = std::function<std::optional<Product>(const Params&, Problems&)>;

  explicit Registry(std::string kind) : kind_(std::move(kind)) {}
  void add(ModelInfo info, Factory factory) {
    std::string name = info.name;
    entries_[name] = Entry{std::move(info), std::move(factory)};
  }
  bool contains(const std::string& name) const { return entries_.count(name) != 0; }
  std::vector<ModelInfo> list() const {
    std::vector<ModelInfo> out;
    for (const auto& [_, e] : entries_) out.push_back(e.info);
    return out;
  }
  const std::string& kind() const noexcept { return kind_; }

  // Checks the call against the spec and builds the product. Every problem is appended to
  // `out` at `pointer`; returns nullopt if there was any.
  std::optional<Product> build(const ModelCall& call, const std::string& pointer, std::vector<Diagnostic>& out) const {
    const auto it = entries_.find(call.name);
    if (it == entries_.end()) {
      out.push_back({pointer, unknown_name_message(call.name)});
      return std::nullopt;
    }
    Problems problems;
    Params params = check_params(it->second.info, call, problems);
    std::optional<Product> product;
    if (problems.empty()) product = it->second.factory(params, problems);
    for (auto& p : problems) out.push_back({pointer, call.name + ": " + p});
    if (!problems.empty()) return std::nullopt;
    return product;
  }
  // Same, throwing ScenarioError.
  Product build(const ModelCall& call) const {
    std::vector<Diagnostic> out;
    auto p = build(call, "", out);
    if (!p) throw ScenarioError(std::move(out));
    return std::move(*p);
  }

 private:
  struct Entry {
    ModelInfo info;
    Factory factory;
  };
  std::string unknown_name_message(const std::string& name) const;
  static Params check_params(const ModelInfo& info, const ModelCall& call, Problems& problems);

  std::string kind_;
  std::map<std::string, Entry> entries_;
};

namespace detail {
std::string unknown_model_message(const std::string& kind, const std::string& name,
                                  const std::vector<std::string>& known);
Params check_model_params(const ModelInfo& info, const ModelCall& call, Problems& problems);
}  // namespace detail

template <class Product>
std::string Registry<Product>::unknown_name_message(const std::string& name) const {
  std::vector<std::string> known;
  for (const auto& [n, _] : entries_) known.push_back(n);
  return detail::unknown_model_message(kind_, name, known);
}

template <class Product>
Params Registry<Product>::check_params(const ModelInfo& info, const ModelCall& call, Problems& problems) {
  return detail::check_model_params(info, call, problems);
}

}  // namespace fargatelab
