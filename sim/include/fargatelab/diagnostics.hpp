// Validation messages: where (a JSON pointer into the scenario) and what was expected.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace fargatelab {

struct Diagnostic {
  std::string pointer;  // RFC 6901 JSON pointer, "" for the document root
  std::string message;  // what is wrong and what was expected
  // "<pointer>: <message>", with "(root)" for the empty pointer.
  std::string to_string() const { return (pointer.empty() ? std::string("(root)") : pointer) + ": " + message; }
  bool operator==(const Diagnostic&) const = default;
};

// Thrown when a scenario is invalid; carries every problem found, not just the first.
class ScenarioError : public std::runtime_error {
 public:
  explicit ScenarioError(std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const noexcept { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace fargatelab
