// The scenario's "faults" section: faults injected during a run, one type per file in this
// folder (dependency_fault.* ...). A type is one row of the table in faults.cpp: its check
// (meaning, with JSON pointers; the schema's $defs/fault checks the form, a oneOf keyed by
// "type"), its build into a FaultSpec, and what it does in a replication.
#pragma once

#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/diagnostics.hpp"
#include "fargatelab/engine.hpp"
#include "fargatelab/scenario.hpp"

namespace fargatelab::detail {

class Service;

// What a fault does in one replication (it schedules its own events); one per fault item.
struct FaultRuntime {
  virtual ~FaultRuntime() = default;
};

void check_faults(const nlohmann::json& doc, std::vector<Diagnostic>& out);
// Into s.faults, after the services are built (a type may mark what its fault implies on them,
// e.g. off-CPU waits, and s.app_errors).
void build_faults(const nlohmann::json& doc, ScenarioSpec& s);

// One replication's faults, started on the clock; they live as long as this object.
class Faults {
 public:
  Faults(Simulation& sim, const ScenarioSpec& spec, const std::vector<Service*>& services);

 private:
  std::vector<std::unique_ptr<FaultRuntime>> runtimes_;
};

}  // namespace fargatelab::detail
