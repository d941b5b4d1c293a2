// The scenario's "faults" section: faults injected during a run, one type per file in this
// folder (dependency_fault.*, registry_fault.*, secrets_fault.*, zone_outage.*). A type is one
// row of the table in faults.cpp: its check (meaning, with JSON pointers; the schema's
// $defs/fault checks the form, a oneOf keyed by "type"), its build (into ScenarioSpec::faults,
// or into the start-time faults the launch types consult, faults_spec.hpp), and, for the
// former, what it does in a replication. A new type is a file here, a row in kTypes and a
// branch of the schema's $defs/fault.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/diagnostics.hpp"
#include "fargatelab/engine.hpp"
#include "fargatelab/scenario.hpp"

namespace fargatelab::detail {

class LaunchType;
class Service;

// What a type's checks may look up in the document.
struct FaultContext {
  std::map<std::string, std::size_t> services;  // name -> index
  std::vector<std::string> zones;               // the subnets' zones, sorted, each once
};

// What a fault acts on in one replication.
struct FaultTargets {
  Simulation& sim;
  const std::vector<Service*>& services;        // by service index
  const std::vector<LaunchType*>& launch_types;  // every launch type deployed
};

// What a fault does in one replication (it schedules its own events); one per fault item.
struct FaultRuntime {
  virtual ~FaultRuntime() = default;
};

void check_faults(const nlohmann::json& doc, std::vector<Diagnostic>& out);
// Into s.faults and s.start_faults, after the services are built (a type may mark what its
// fault implies on them, e.g. off-CPU waits, and s.app_errors).
void build_faults(const nlohmann::json& doc, ScenarioSpec& s);

// One replication's faults, started on the clock; they live as long as this object.
class Faults {
 public:
  Faults(const ScenarioSpec& spec, const FaultTargets& targets);

 private:
  std::vector<std::unique_ptr<FaultRuntime>> runtimes_;
};

}  // namespace fargatelab::detail
