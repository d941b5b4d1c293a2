// Checks of meaning the JSON Schema cannot express (references between objects, Fargate task
// sizes, model parameters, CIDR blocks), and building the typed ScenarioSpec.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/scenario.hpp"

namespace fargatelab::detail {

// Appends every problem found. Tolerates a document the schema rejected: parts of the wrong
// type are skipped (the schema has reported them).
void check_semantics(const nlohmann::json& doc, std::vector<Diagnostic>& out);
// Checks that need the document as written (before defaults), e.g. "request" and "classes" both given.
void check_input(const nlohmann::json& doc, std::vector<Diagnostic>& out);
// Throws ScenarioError with each problem once (a problem can be seen by the schema and by a
// semantic check); returns when there is none.
void throw_problems(std::vector<Diagnostic> problems);
// Builds the typed spec from a document that passed validation.
ScenarioSpec build_spec(const nlohmann::json& doc);

struct Cidr {
  std::uint32_t base = 0;
  int prefix = 0;
};
// Parses "a.b.c.d/n"; returns an error message, or "" and sets `out`.
std::string parse_cidr(const std::string& text, Cidr& out);

}  // namespace fargatelab::detail
