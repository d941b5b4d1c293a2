// The faults the launch types consult at task start (issue 13, "tasks that never start"):
// registry and secrets faults, built by the faults table (faults.cpp) into
// ScenarioSpec::start_faults. Their spec, checks and run-time behaviour are in their own files
// (registry_fault.*, secrets_fault.*).
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

// The scenario's faults (none for a spec built by hand without them).
const FaultsSpec& faults_of(const ScenarioSpec& spec);

}  // namespace fargatelab::detail
