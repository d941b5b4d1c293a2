// A validator for the subset of JSON Schema 2020-12 the scenario schema uses (architecture
// practice 9): fill defaults, then report every violation at once, each with its JSON pointer.
#pragma once

#include <nlohmann/json.hpp>

#include <regex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fargatelab/diagnostics.hpp"

namespace fargatelab::detail {

class JsonSchema {
 public:
  // Throws std::invalid_argument if the schema uses a keyword outside the supported subset
  // (so the subset can never silently be ignored), a malformed keyword value, a $ref that is
  // not a resolvable "#/$defs/..." or a cycle of $ref/allOf/anyOf/oneOf that never descends.
  //
  // Supported: $schema $id title description default $defs $ref type properties required
  // additionalProperties items minItems maxItems uniqueItems enum const minimum maximum
  // exclusiveMinimum exclusiveMaximum pattern minLength maxLength anyOf oneOf allOf,
  // plus boolean schemas (true accepts anything, false nothing).
  explicit JsonSchema(nlohmann::json schema);

  // Inserts "default" values for missing properties, recursively: into objects that exist,
  // into objects created from their own default, into every array item, following $ref and
  // allOf (not anyOf/oneOf: which branch applies is unknown before validation). Never
  // overwrites a present value. Does not fail on invalid input (validate reports that).
  void fill_defaults(nlohmann::json& doc) const;

  // Appends one Diagnostic per violation found anywhere in the document, in document order
  // (depth-first, keys in stored order), without duplicates; never stops at the first error.
  void validate(const nlohmann::json& doc, std::vector<Diagnostic>& out) const;

  const nlohmann::json& schema() const { return schema_; }

 private:
  struct Walk;  // one validation pass (json_schema.cpp)

  nlohmann::json schema_;
  std::unordered_map<std::string, std::regex> patterns_;  // every "pattern", compiled once
};

// The scenario format's schema (scenarios/schema/scenario.schema.json, embedded).
const JsonSchema& scenario_json_schema();

// Closest candidate by Damerau-Levenshtein (optimal string alignment) distance, compared
// case-insensitively, if that distance is <= max(1, len(word) / 3); else "". Ties go to the
// earlier candidate.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// RFC 6901 escaping of one reference token (~ -> ~0, / -> ~1).
std::string pointer_escape(std::string_view token);

}  // namespace fargatelab::detail
