// Parsing "name(p=v, ...)" model calls, durations, and checking parameters against a spec.
#include <cctype>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "fargatelab/registry.hpp"
#include "scenario/json_schema.hpp"

namespace fargatelab {

ScenarioError::ScenarioError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error([&] {
        std::string msg = fmt::format("invalid scenario ({} problem{})", diagnostics.size(),
                                      diagnostics.size() == 1 ? "" : "s");
        for (const auto& d : diagnostics) msg += "\n  " + d.to_string();
        return msg;
      }()),
      diagnostics_(std::move(diagnostics)) {}

namespace {

class CallParser {
 public:
  explicit CallParser(std::string_view text) : s_(text) {}

  ModelCall parse() {
    ModelCall call;
    skip_ws();
    call.name = identifier("a model name");
    skip_ws();
    if (at_end()) return call;
    expect('(');
    skip_ws();
    if (peek() != ')') {
      for (;;) {
        skip_ws();
        std::string key = identifier("a parameter name");
        skip_ws();
        expect('=');
        if (call.params.contains(key)) fail(fmt::format("parameter '{}' given twice", key));
        call.params[key] = value();
        skip_ws();
        if (peek() == ',') {
          ++pos_;
          continue;
        }
        break;
      }
    }
    expect(')');
    skip_ws();
    if (!at_end()) fail("unexpected text after ')'");
    return call;
  }

 private:
  bool at_end() const { return pos_ >= s_.size(); }
  char peek() const { return at_end() ? '\0' : s_[pos_]; }
  void skip_ws() {
    while (!at_end() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw std::invalid_argument(fmt::format("in \"{}\" at position {}: {}", s_, pos_ + 1, what));
  }
  void expect(char c) {
    if (peek() != c) fail(at_end() ? fmt::format("expected '{}' before the end", c) : fmt::format("expected '{}'", c));
    ++pos_;
  }
  std::string identifier(const char* what) {
    const std::size_t start = pos_;
    while (!at_end() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) ++pos_;
    if (start == pos_) fail(fmt::format("expected {}", what));
    return std::string(s_.substr(start, pos_ - start));
  }
  nlohmann::json value() {
    skip_ws();
    const char c = peek();
    if (c == '[') {
      ++pos_;
      nlohmann::json list = nlohmann::json::array();
      skip_ws();
      if (peek() == ']') {
        ++pos_;
        return list;
      }
      for (;;) {
        list.push_back(value());
        skip_ws();
        if (peek() == ',') {
          ++pos_;
          continue;
        }
        expect(']');
        return list;
      }
    }
    if (c == '"' || c == '\'') {
      ++pos_;
      const std::size_t start = pos_;
      while (!at_end() && s_[pos_] != c) ++pos_;
      if (at_end()) fail("unterminated string");
      std::string out(s_.substr(start, pos_ - start));
      ++pos_;
      return out;
    }
    const std::size_t start = pos_;
    while (!at_end() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || std::string_view("._-+").find(s_[pos_]) != std::string_view::npos))
      ++pos_;
    if (start == pos_) fail("expected a value");
    const std::string word(s_.substr(start, pos_ - start));
    if (word == "true") return true;
    if (word == "false") return false;
    const auto num = nlohmann::json::parse(word, nullptr, false);
    if (!num.is_discarded() && num.is_number()) return num;
    return word;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

std::string type_name(ParamType t) {
  switch (t) {
    case ParamType::number: return "a number";
    case ParamType::integer: return "an integer";
    case ParamType::boolean: return "true or false";
    case ParamType::string: return "a string";
    case ParamType::duration: return "a duration (seconds, or a string such as \"90s\", \"5m\")";
    case ParamType::number_list: return "a list of numbers";
  }
  return "?";
}

void check_bounds(const ParamSpec& spec, double v, const std::string& label, Problems& problems) {
  if (spec.min && (v < *spec.min || (spec.min_exclusive && v == *spec.min)))
    problems.push_back(fmt::format("{}: {:g} must be {} {:g}", label, v, spec.min_exclusive ? ">" : ">=", *spec.min));
  if (spec.max && v > *spec.max) problems.push_back(fmt::format("{}: {:g} must be <= {:g}", label, v, *spec.max));
}

}  // namespace

std::string ModelCall::to_string() const {
  if (params.empty()) return name;
  std::string out = name + "(";
  bool first = true;
  for (const auto& [k, v] : params.items()) {
    if (!first) out += ", ";
    first = false;
    out += k + "=" + (v.is_string() ? v.get<std::string>() : v.dump());
  }
  return out + ")";
}

ModelCall parse_model_call(std::string_view text) { return CallParser(text).parse(); }

ModelCall model_call_from_json(const nlohmann::json& j) {
  if (j.is_string()) return parse_model_call(j.get<std::string>());
  if (j.is_object() && j.contains("model") && j.at("model").is_string()) {
    ModelCall call;
    call.name = j.at("model").get<std::string>();
    for (const auto& [k, v] : j.items())
      if (k != "model") call.params[k] = v;
    return call;
  }
  throw std::invalid_argument("expected \"name(p=v, ...)\" or an object with a \"model\" member");
}

Duration parse_duration(const nlohmann::json& j) {
  double seconds_value = 0;
  if (j.is_number()) {
    seconds_value = j.get<double>();
  } else if (j.is_string()) {
    const std::string s = j.get<std::string>();
    std::size_t used = 0;
    double v = 0;
    try {
      v = std::stod(s, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    const std::string unit = s.substr(used);
    double scale = 0;
    if (unit == "ms") scale = 1e-3;
    else if (unit == "s") scale = 1;
    else if (unit == "m") scale = 60;
    else if (unit == "h") scale = 3600;
    else if (unit == "d") scale = 86400;
    if (used == 0 || scale == 0)
      throw std::invalid_argument(fmt::format("\"{}\" is not a duration (a number of seconds, or e.g. \"250ms\", \"90s\", \"5m\", \"2h\", \"1d\")", s));
    seconds_value = v * scale;
  } else {
    throw std::invalid_argument("expected a duration: a number of seconds or a string such as \"90s\"");
  }
  if (!(seconds_value >= 0) || !std::isfinite(seconds_value))
    throw std::invalid_argument(fmt::format("duration must be finite and >= 0, got {:g} s", seconds_value));
  return seconds(seconds_value);
}

namespace detail {

std::string unknown_model_message(const std::string& kind, const std::string& name, const std::vector<std::string>& known) {
  std::string msg = fmt::format("unknown {} \"{}\"", kind, name);
  const std::string guess = did_you_mean(name, known);
  if (!guess.empty()) return msg + fmt::format(" (did you mean \"{}\"?)", guess);
  if (known.empty()) return msg + fmt::format(" (no {} is available yet)", kind);
  return msg + fmt::format(" (known: {})", fmt::join(known, ", "));
}

Params check_model_params(const ModelInfo& info, const ModelCall& call, Problems& problems) {
  nlohmann::json values = nlohmann::json::object();
  std::vector<std::string> names;
  for (const auto& p : info.params) names.push_back(p.name);
  for (const auto& [key, _] : call.params.items()) {
    bool known = false;
    for (const auto& p : info.params) known |= p.name == key;
    if (known) continue;
    const std::string guess = did_you_mean(key, names);
    problems.push_back(guess.empty() ? fmt::format("unknown parameter \"{}\" (parameters: {})", key,
                                                   names.empty() ? std::string("none") : fmt::format("{}", fmt::join(names, ", ")))
                                     : fmt::format("unknown parameter \"{}\" (did you mean \"{}\"?)", key, guess));
  }
  for (const auto& spec : info.params) {
    if (!call.params.contains(spec.name)) {
      if (spec.required)
        problems.push_back(fmt::format("missing parameter \"{}\" ({})", spec.name, spec.doc));
      else
        values[spec.name] = spec.default_value;
      continue;
    }
    const nlohmann::json& v = call.params.at(spec.name);
    const std::string label = spec.name;
    bool ok = true;
    switch (spec.type) {
      case ParamType::number:
        ok = v.is_number();
        if (ok) check_bounds(spec, v.get<double>(), label, problems);
        break;
      case ParamType::integer:
        ok = v.is_number_integer() || (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>());
        if (ok) check_bounds(spec, v.get<double>(), label, problems);
        break;
      case ParamType::boolean: ok = v.is_boolean(); break;
      case ParamType::string: ok = v.is_string(); break;
      case ParamType::duration:
        try {
          check_bounds(spec, parse_duration(v).to_seconds(), label, problems);
        } catch (const std::invalid_argument&) {
          ok = false;
        }
        break;
      case ParamType::number_list:
        ok = v.is_array();
        if (ok)
          for (const auto& x : v) {
            if (!x.is_number()) {
              ok = false;
              break;
            }
            check_bounds(spec, x.get<double>(), label, problems);
          }
        break;
    }
    if (!ok) {
      problems.push_back(fmt::format("{}: expected {}, got {}", label, type_name(spec.type), v.dump()));
      continue;
    }
    values[spec.name] = spec.type == ParamType::integer ? nlohmann::json(static_cast<std::int64_t>(v.get<double>())) : v;
  }
  return Params(std::move(values));
}

}  // namespace detail
}  // namespace fargatelab
