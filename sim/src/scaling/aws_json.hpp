// Checking the AWS API documents scaling accepts (put-scheduled-action, put-scaling-policy):
// each has a JSON Schema of its own, compiled once, and its errors are reported under the
// pointer where the document sits in the scenario.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/diagnostics.hpp"
#include "scenario/json_schema.hpp"

namespace fargatelab::detail {

// Validates `doc` against `schema`, appending each violation to `out` with `pointer` prefixed
// to its JSON pointer. Returns true when there was none.
inline bool validate_aws_document(const JsonSchema& schema, const nlohmann::json& doc, const std::string& pointer,
                                  std::vector<Diagnostic>& out) {
  std::vector<Diagnostic> found;
  schema.validate(doc, found);
  for (Diagnostic& d : found) out.push_back({pointer + d.pointer, std::move(d.message)});
  return found.empty();
}

// "<pointer>/<member>", with the member escaped as RFC 6901 requires.
inline std::string member_pointer(const std::string& pointer, std::string_view member) {
  return pointer + "/" + pointer_escape(member);
}

}  // namespace fargatelab::detail
