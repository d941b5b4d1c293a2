// The scenario pipeline: parse -> overrides -> defaults -> validate (all errors) -> build.
#include "fargatelab/scenario.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "ecs/deployment/deployment_input.hpp"
#include "random/distribution_registry.hpp"
#include "scenario/call_graph.hpp"
#include "scenario/json_schema.hpp"
#include "scenario/overrides.hpp"
#include "scenario/semantics.hpp"

namespace fargatelab {

namespace detail {
const std::string& assembled_scenario_schema();  // scenario_schema.cpp
extern const std::string_view kDefaultScenario;
extern const std::string_view kComparisonScenario;

const JsonSchema& scenario_json_schema() {
  static const JsonSchema schema(nlohmann::json::parse(assembled_scenario_schema()));
  return schema;
}
}  // namespace detail

std::string_view scenario_schema() { return detail::assembled_scenario_schema(); }
std::string_view default_scenario_text() { return detail::kDefaultScenario; }

namespace {

Diagnostic json_syntax_error(const std::string& source, std::string_view text, const nlohmann::json::parse_error& e) {
  // nlohmann reports a byte offset; turn it into line and column for people.
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  std::string what = e.what();
  const auto pos = what.find("syntax error");
  if (pos != std::string::npos) what = what.substr(pos);
  return {"", fmt::format("{}:{}:{}: invalid JSON: {}", source, line, col, what)};
}

}  // namespace

Scenario Scenario::from_file(const std::string& path, const std::vector<std::string>& overrides) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError({{"", fmt::format("cannot read scenario file \"{}\"", path)}});
  std::ostringstream buf;
  buf << in.rdbuf();
  return from_text(buf.str(), overrides, path);
}

Scenario Scenario::from_text(std::string_view text, const std::vector<std::string>& overrides,
                             const std::string& source) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw ScenarioError({json_syntax_error(source, text, e)});
  }
  return from_json(std::move(doc), overrides);
}

Scenario Scenario::builtin_default(const std::vector<std::string>& overrides) {
  return from_text(detail::kDefaultScenario, overrides, "<default scenario>");
}

Scenario Scenario::builtin_comparison(const std::vector<std::string>& overrides) {
  return from_text(detail::kComparisonScenario, overrides, "<default comparison scenario>");
}

std::string_view comparison_scenario_text() { return detail::kComparisonScenario; }

Scenario Scenario::with_overrides(const std::vector<std::string>& overrides) const {
  return from_json(*input_, overrides);
}

Scenario Scenario::from_json(nlohmann::json doc, const std::vector<std::string>& overrides) {
  std::vector<Diagnostic> diags;
  for (const auto& text : overrides) {
    try {
      detail::apply_override(doc, detail::parse_override(text), diags);
    } catch (const std::invalid_argument& e) {
      diags.push_back({"", fmt::format("--set {}: {}", text, e.what())});
    }
  }
  if (!doc.is_object()) {
    diags.push_back({"", fmt::format("a scenario is a JSON object, got {}", doc.type_name())});
    throw ScenarioError(std::move(diags));
  }
  Scenario s;
  s.input_ = std::make_shared<const nlohmann::json>(doc);
  const auto& schema = detail::scenario_json_schema();
  detail::check_input(doc, diags);
  detail::expand_revision_tasks(doc);  // before defaults: a revision's task is the service's, patched
  schema.fill_defaults(doc);
  schema.validate(doc, diags);
  detail::check_semantics(doc, diags);
  detail::throw_problems(std::move(diags));
  s.spec_ = std::make_shared<const ScenarioSpec>(detail::build_spec(doc));
  s.document_ = std::make_shared<const nlohmann::json>(std::move(doc));
  return s;
}

}  // namespace fargatelab
