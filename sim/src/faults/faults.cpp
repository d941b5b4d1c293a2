#include "faults/faults.hpp"

#include <algorithm>
#include <set>
#include <string>

#include "faults/dependency_fault.hpp"
#include "faults/faults_spec.hpp"
#include "faults/zone_outage.hpp"
#include "scenario/checks.hpp"

namespace fargatelab::detail {
namespace {

struct FaultType {
  const char* name;
  void (*check)(const json& item, const std::string& pointer, const FaultContext& context, std::vector<Diagnostic>& out);
  // Item `index` of the faults list, into s.faults (a type with a start) or `at_start`.
  void (*build)(const json& item, std::size_t index, ScenarioSpec& s, FaultsSpec& at_start);
  // What it does in a replication; null for a type the launch types consult at task start.
  std::unique_ptr<FaultRuntime> (*start)(const FaultSpec& f, const FaultTargets& targets);
};

// One row per fault type (its file in this folder); the schema's $defs/fault lists the same.
constexpr FaultType kTypes[] = {
    {"dependency",
     [](const json& item, const std::string& pointer, const FaultContext& c, std::vector<Diagnostic>& out) {
       check_dependency_fault(item, pointer, c.services, out);
     },
     [](const json& item, std::size_t, ScenarioSpec& s, FaultsSpec&) { s.faults.push_back(build_dependency_fault(item, s)); },
     &start_dependency_fault},
    {"registry",
     [](const json& item, const std::string& pointer, const FaultContext&, std::vector<Diagnostic>& out) {
       check_registry_fault(item, pointer, out);
     },
     [](const json& item, std::size_t i, ScenarioSpec&, FaultsSpec& at_start) { at_start.registry.push_back(build_registry_fault(item, i)); },
     nullptr},
    {"secrets",
     [](const json& item, const std::string& pointer, const FaultContext&, std::vector<Diagnostic>& out) {
       check_secrets_fault(item, pointer, out);
     },
     [](const json& item, std::size_t i, ScenarioSpec&, FaultsSpec& at_start) { at_start.secrets.push_back(build_secrets_fault(item, i)); },
     nullptr},
    {"az_outage", &check_zone_outage,
     [](const json& item, std::size_t i, ScenarioSpec& s, FaultsSpec&) { s.faults.push_back(build_zone_outage(item, i, s)); },
     &start_zone_outage},
};

const FaultType* find_type(const std::string& name) {
  for (const FaultType& f : kTypes)
    if (name == f.name) return &f;
  return nullptr;  // the schema reports it
}

}  // namespace

void check_faults(const nlohmann::json& doc, std::vector<Diagnostic>& out) {
  const json& faults = array_or_empty(doc, "faults");
  if (faults.empty()) return;
  FaultContext context;
  for (std::size_t i = 0; const json& s : array_or_empty(doc, "services")) context.services.emplace(str_or(s, "name", ""), i++);
  std::set<std::string> zones;
  if (const json* network = member(doc, "network"))
    for (const json& sn : array_or_empty(*network, "subnets")) zones.insert(str_or(sn, "az", ""));
  zones.erase("");
  context.zones.assign(zones.begin(), zones.end());
  for (std::size_t i = 0; i < faults.size(); ++i)
    if (faults[i].is_object())
      if (const FaultType* t = find_type(str_or(faults[i], "type", ""))) t->check(faults[i], at("/faults", i), context, out);
}

void build_faults(const nlohmann::json& doc, ScenarioSpec& s) {
  auto at_start = std::make_shared<FaultsSpec>();
  const json& faults = array_or_empty(doc, "faults");
  for (std::size_t i = 0; i < faults.size(); ++i)
    if (const FaultType* t = find_type(faults[i].at("type").get<std::string>())) t->build(faults[i], i, s, *at_start);
  s.start_faults = std::move(at_start);
}

const FaultsSpec& faults_of(const ScenarioSpec& spec) {
  static const FaultsSpec none;
  return spec.start_faults ? *spec.start_faults : none;
}

Faults::Faults(const ScenarioSpec& spec, const FaultTargets& targets) {
  for (const auto& f : spec.faults) runtimes_.push_back(find_type(f->type)->start(*f, targets));
}

}  // namespace fargatelab::detail
