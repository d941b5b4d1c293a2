// Command-line overrides of a scenario ("--set path=value"), applied to the raw document
// before defaults and validation, so an override is checked like any other value.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "fargatelab/diagnostics.hpp"

namespace fargatelab::detail {

struct Override {
  std::string path;      // as written: JSON pointer or dotted
  nlohmann::json value;  // the value to set
  std::string text;      // the whole assignment as written, quoted in messages
};

// Parses "path=value" (split at the first '='). path is either a JSON pointer
// ("/services/0/task/cpu") or dotted ("services.0.task.cpu"); in the dotted form an array
// element may also be chosen by the value of its "name" member ("services.api.task.cpu").
// value is parsed as JSON if it is valid JSON (numbers, true/false/null, quoted strings,
// objects, arrays), otherwise taken as a plain string (so region=eu-west-1 and duration=5m
// work). Throws std::invalid_argument for a missing '=', an empty path, an empty component
// of a dotted path or a bad '~' escape in a pointer; what() says what is wrong, without the
// assignment itself (the caller prefixes "--set <assignment>: ").
Override parse_override(std::string_view assignment);

// Applies one override to the raw document (before defaults and validation). Missing
// intermediate objects are created (a null on the way counts as missing; one followed by "-"
// is created as an array); an array index equal to the size appends; "-" appends. Returns the
// JSON pointer that was set (names resolved to indices). On failure the document is left
// unchanged, one Diagnostic is appended (pointer = the deepest existing prefix, message
// "--set <text>: <what is wrong>") and "" is returned.
std::string apply_override(nlohmann::json& doc, const Override& o, std::vector<Diagnostic>& out);

}  // namespace fargatelab::detail
