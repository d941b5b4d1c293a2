// A "dependency" fault: a service that errors or slows during a window.
//
//   {"type": "dependency", "service": "db", "start": "10m", "end": "20m",
//    "error_share": 0.5, "extra_latency": "constant(value=0.2)"}
//
// Every request the service puts on a task from start until end is answered with an
// application error (Outcome::app_error, HTTP 500) with probability error_share, after its own
// work, and waits extra_latency more off-CPU (serving/request_effects.hpp). Its callers see the
// errors, or time out per their call's timeout; their SDK retries (CallSpec::retry) multiply
// the load on it. Times count from the run start (warm-up included). AWS publishes nothing of
// the kind: every number is the scenario's.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/diagnostics.hpp"
#include "fargatelab/engine.hpp"
#include "fargatelab/scenario.hpp"
#include "faults/faults.hpp"
#include "serving/request_effects.hpp"

namespace fargatelab::detail {

struct DependencyFaultSpec : FaultSpec {
  std::string service;
  std::size_t service_index = 0;
  RequestEffects effects;
};

// Meaning checks of one item (the schema checks its form): the service exists, end > start,
// the extra latency is a registered distribution.
void check_dependency_fault(const nlohmann::json& item, const std::string& pointer,
                            const std::map<std::string, std::size_t>& services, std::vector<Diagnostic>& out);
// Also marks the service's off-CPU waits (extra latency) and s.app_errors (an error share).
std::shared_ptr<const FaultSpec> build_dependency_fault(const nlohmann::json& item, ScenarioSpec& s);
// Sets the fault's effects on the service at start and clears them at end.
std::unique_ptr<FaultRuntime> start_dependency_fault(const FaultSpec& f, const FaultTargets& targets);

}  // namespace fargatelab::detail
