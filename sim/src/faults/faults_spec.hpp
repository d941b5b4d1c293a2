// Faults injected at task start: the scenario's "faults" section (issue 13, "tasks that never
// start"), each item keyed by "type". One file per fault type holds its spec, its checks, its
// builder and what it does at run time (registry_fault.*, secrets_fault.*); this header gathers
// them for the scenario (ScenarioSpec::faults) and for the launch types.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/diagnostics.hpp"
#include "fargatelab/scenario.hpp"
#include "faults/fault_window.hpp"
#include "faults/registry_fault.hpp"
#include "faults/secrets_fault.hpp"

namespace fargatelab::detail {

struct FaultsSpec {
  std::vector<RegistryFault> registry;
  std::vector<SecretsFault> secrets;
  bool empty() const noexcept { return registry.empty() && secrets.empty(); }
};

// Meaning checks the schema cannot express, for every item of doc["faults"], each problem at
// its JSON pointer (/faults/<i>/<field>).
void check_start_faults(const nlohmann::json& doc, std::vector<Diagnostic>& out);
// The faults of a document that passed validation (defaults filled).
FaultsSpec build_start_faults(const nlohmann::json& doc);
// The scenario's faults (none for a spec built by hand without them).
const FaultsSpec& faults_of(const ScenarioSpec& spec);

}  // namespace fargatelab::detail
