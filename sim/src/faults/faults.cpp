#include "faults/faults.hpp"

#include <map>
#include <string>

#include "faults/dependency_fault.hpp"
#include "scenario/checks.hpp"

namespace fargatelab::detail {
namespace {

struct FaultType {
  const char* name;
  void (*check)(const nlohmann::json& item, const std::string& pointer, const std::map<std::string, std::size_t>& services,
                std::vector<Diagnostic>& out);
  std::shared_ptr<const FaultSpec> (*build)(const nlohmann::json& item, ScenarioSpec& s);
  std::unique_ptr<FaultRuntime> (*start)(const FaultSpec& f, Simulation& sim, const std::vector<Service*>& services);
};

// One row per fault type (its file in this folder); the schema's $defs/fault lists the same.
constexpr FaultType kTypes[] = {
    {"dependency", &check_dependency_fault, &build_dependency_fault, &start_dependency_fault},
};

const FaultType* find_type(const std::string& name) {
  for (const FaultType& f : kTypes)
    if (name == f.name) return &f;
  return nullptr;  // the schema reports it
}

}  // namespace

void check_faults(const nlohmann::json& doc, std::vector<Diagnostic>& out) {
  std::map<std::string, std::size_t> services;
  for (std::size_t i = 0; const json& s : array_or_empty(doc, "services")) services.emplace(str_or(s, "name", ""), i++);
  const json& faults = array_or_empty(doc, "faults");
  for (std::size_t i = 0; i < faults.size(); ++i)
    if (const FaultType* t = find_type(str_or(faults[i], "type", ""))) t->check(faults[i], at("/faults", i), services, out);
}

void build_faults(const nlohmann::json& doc, ScenarioSpec& s) {
  // The types run on the serving side; registry and secrets faults act at task start
  // (faults_spec.hpp: build_start_faults).
  for (const json& item : doc.at("faults"))
    if (const FaultType* t = find_type(item.at("type").get<std::string>())) s.faults.push_back(t->build(item, s));
}

Faults::Faults(Simulation& sim, const ScenarioSpec& spec, const std::vector<Service*>& services) {
  for (const auto& f : spec.faults) runtimes_.push_back(find_type(f->type)->start(*f, sim, services));
}

}  // namespace fargatelab::detail
