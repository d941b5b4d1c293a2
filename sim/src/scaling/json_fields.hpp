// Reading an AWS API document (put-scaling-policy, put-metric-alarm --cli-input-json) field by
// field, reporting every problem at its JSON pointer: a wrong type, a missing required field, a
// value out of range, and, at finish(), every field the reader did not ask for (with a "did you
// mean" suggestion, as AWS's field names are case-sensitive). A reader never throws.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/diagnostics.hpp"

namespace fargatelab::detail {

class JsonFields {
 public:
  // `what` names the document in messages ("TargetTrackingScalingPolicyConfiguration"). A value
  // that is not an object is reported once; every getter then returns nothing.
  JsonFields(const nlohmann::json& value, std::string pointer, std::string what, std::vector<Diagnostic>& out);

  bool is_object() const noexcept { return obj_ != nullptr; }
  const std::string& pointer() const noexcept { return pointer_; }
  std::string at(const std::string& key) const;
  // Problems reported through this reader (and its field getters) so far.
  std::size_t problems() const noexcept { return problems_; }
  // The list problems go to (for readers of nested objects).
  std::vector<Diagnostic>& out() noexcept { return out_; }

  // The member, marked as known; nullptr if absent (reported if required).
  const nlohmann::json* get(const std::string& key, bool required = false);
  bool has(const std::string& key) const;
  std::optional<std::string> string(const std::string& key, bool required = false);
  std::optional<double> number(const std::string& key, bool required = false);
  // An integer within [min, max] when given.
  std::optional<std::int64_t> integer(const std::string& key, bool required = false, std::optional<std::int64_t> min = {},
                                      std::optional<std::int64_t> max = {});
  std::optional<bool> boolean(const std::string& key);
  // A string among `allowed` (did-you-mean on a near miss).
  std::optional<std::string> one_of(const std::string& key, const std::vector<std::string>& allowed, bool required = false);
  const nlohmann::json* array(const std::string& key, bool required = false);
  const nlohmann::json* object(const std::string& key, bool required = false);
  std::vector<std::string> strings(const std::string& key);  // an array of strings
  // Fields AWS takes that do not change what is simulated (descriptions, tags): accepted, unread.
  void accept(std::initializer_list<const char*> keys);
  // Fields AWS takes that the simulator does not model: reported as such if present.
  void unsupported(const std::string& key, const std::string& why);

  void error(const std::string& key, std::string message);  // at pointer/key
  void error(std::string message);                          // at the pointer
  // Reports every member no getter asked for.
  void finish();

 private:
  const nlohmann::json* obj_ = nullptr;
  std::string pointer_, what_;
  std::vector<Diagnostic>& out_;
  std::set<std::string> known_;
  std::size_t problems_ = 0;
};

}  // namespace fargatelab::detail
