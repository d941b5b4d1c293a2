// The generic operations on the typed results (fargatelab/results.hpp), driven by each
// structure's field list: JSON and the aggregation across replications. The rules are those of
// the JSON aggregation they replaced, so summary.json stays byte for byte what it was:
//   - a Number: the mean of the replications that have one; with one replication the value as
//     it is (a count stays an integer); the 95 % half-width (Student t) with two or more values,
//     none otherwise or when it is not finite;
//   - Text, Flag: the first replication's; none in the half-width;
//   - a map: the union of the replications' keys;
//   - a structure (an optional one, a map's entry) the first replication lacks: null, i.e. an
//     empty std::optional (a non-optional structure stays default: all none). Platform blocks
//     are matched by key; a block replication 0 lacks is left out.
#pragma once

#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include "fargatelab/metrics.hpp"
#include "fargatelab/results.hpp"

namespace fargatelab::detail::result_fields {

template <class T>
concept Described = requires { T::fields(); };

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

// --- JSON ------------------------------------------------------------------------------------

inline nlohmann::json to_json(const Number& n) {
  if (!n.has_value()) return nullptr;
  if (n.is_count()) return n.count();
  return n.value();
}
inline nlohmann::json to_json(const Text& t) { return t.value ? nlohmann::json(*t.value) : nlohmann::json(nullptr); }
inline nlohmann::json to_json(const Flag& f) { return f.value ? nlohmann::json(*f.value) : nlohmann::json(nullptr); }
template <class T>
nlohmann::json to_json(const std::optional<T>& o);
template <class V>
nlohmann::json to_json(const std::map<std::string, V>& m);
template <Described S>
nlohmann::json to_json(const S& s);

template <class T>
nlohmann::json to_json(const std::optional<T>& o) {  // an entry of a map: null when empty
  return o ? to_json(*o) : nlohmann::json(nullptr);
}
template <class V>
nlohmann::json to_json(const std::map<std::string, V>& m) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [key, v] : m) j[key] = to_json(v);
  return j;
}
// One field into its structure's object: an empty optional field is absent; platform blocks go
// each at its own key.
template <class M>
void put(nlohmann::json& j, std::string_view name, const M& m) {
  if constexpr (std::is_same_v<M, PlatformBlocks>) {
    for (const auto& b : m) j[std::string(b->key())] = b->to_json();
  } else if constexpr (is_optional<M>::value) {
    if (m) j[std::string(name)] = to_json(*m);
  } else {
    j[std::string(name)] = to_json(m);
  }
}
template <Described S>
nlohmann::json to_json(const S& s) {
  nlohmann::json j = nlohmann::json::object();
  std::apply([&](const auto&... f) { (put(j, f.name, s.*(f.member)), ...); }, S::fields());
  return j;
}

// --- Aggregation -----------------------------------------------------------------------------
// aggregate(reps, mean, ci): reps[r] is replication r's value (null where it has none). Returns
// false when the aggregate is null (a structure replication 0 lacks).

inline bool aggregate(const std::vector<const Number*>& reps, Number& mean, Number& ci) {
  RunningStats s;
  for (const Number* r : reps)
    if (r && r->has_value()) s.add(r->value());
  if (s.count() == 0) {
    mean = ci = Number();
  } else if (reps.size() == 1) {
    mean = *reps.front();
    ci = Number();
  } else {
    mean = Number(s.mean());
    ci = Number(confidence_half_width(s, 0.95));
  }
  return true;
}
template <class T>
  requires std::is_same_v<T, Text> || std::is_same_v<T, Flag>
bool aggregate(const std::vector<const T*>& reps, T& mean, T& ci) {
  mean = reps.front() ? *reps.front() : T{};
  ci = T{};
  return true;
}
template <class T>
bool aggregate(const std::vector<const std::optional<T>*>& reps, std::optional<T>& mean, std::optional<T>& ci);
template <class V>
bool aggregate(const std::vector<const std::map<std::string, V>*>& reps, std::map<std::string, V>& mean,
               std::map<std::string, V>& ci);
bool aggregate(const std::vector<const PlatformBlocks*>& reps, PlatformBlocks& mean, PlatformBlocks& ci);
template <Described S>
bool aggregate(const std::vector<const S*>& reps, S& mean, S& ci);

template <class T>
bool aggregate(const std::vector<const std::optional<T>*>& reps, std::optional<T>& mean, std::optional<T>& ci) {
  std::vector<const T*> inner;
  bool any = false;
  for (const auto* r : reps) {
    inner.push_back(r && *r ? &**r : nullptr);
    any = any || inner.back();
  }
  mean.reset();
  ci.reset();
  if (!any) return true;
  mean.emplace();
  ci.emplace();
  if (!aggregate(inner, *mean, *ci)) {
    mean.reset();
    ci.reset();
  }
  return true;
}

template <class V>
bool aggregate(const std::vector<const std::map<std::string, V>*>& reps, std::map<std::string, V>& mean,
               std::map<std::string, V>& ci) {
  std::set<std::string> keys;
  for (const auto* r : reps)
    if (r)
      for (const auto& [key, _] : *r) keys.insert(key);
  mean.clear();
  ci.clear();
  for (const auto& key : keys) {
    std::vector<const V*> children;
    for (const auto* r : reps) {
      const V* child = nullptr;
      if (r)
        if (const auto it = r->find(key); it != r->end()) child = &it->second;
      children.push_back(child);
    }
    aggregate(children, mean[key], ci[key]);  // false: a structure replication 0 lacks stays default
  }
  return true;
}

template <Described S>
bool aggregate(const std::vector<const S*>& reps, S& mean, S& ci) {
  if (!reps.front()) return false;
  auto one = [&](const auto& f) {
    using M = std::remove_cvref_t<decltype(mean.*(f.member))>;
    std::vector<const M*> children;
    for (const S* r : reps) children.push_back(r ? &(r->*(f.member)) : nullptr);
    aggregate(children, mean.*(f.member), ci.*(f.member));
  };
  std::apply([&](const auto&... f) { (one(f), ...); }, S::fields());
  return true;
}

}  // namespace fargatelab::detail::result_fields
