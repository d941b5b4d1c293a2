// An "az_outage" fault: one availability zone goes dark for a window.
//
//   {"type": "az_outage", "az": "b", "start": "30m", "end": "1h"}
//
// At start every task in the zone, on every launch type, is lost at once (Task::lost_at): its
// host and containers are gone, requests in flight on it fail (connection reset, HTTP 502 at the
// load balancer), it neither drains nor shuts down, and ECS reports it STOPPED (stop code
// EssentialContainerExited once RUNNING, TaskFailedToStart before, with the zone in the
// reason). Fargate has no capacity there and EC2 Auto Scaling groups lose their instances there
// (and launch replacements in their other zones) until end. The load balancer routes to the
// remaining targets at once: with cross-zone load balancing (always on for an ALB) the surviving
// zones share the traffic, and the zone's load balancer nodes leave DNS. The service schedulers
// replace the lost tasks in the zones still up (the launch pipeline's usual times), and once the
// zone is back, services with availabilityZoneRebalancing ENABLED move tasks into it (launch
// there first, then stop one in the fullest zone: ECS developer guide, "Balancing an Amazon ECS
// service across Availability Zones"). Assumption, as AWS publishes no figure: ECS and the load
// balancer notice the loss at once (no health-check detection window).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/diagnostics.hpp"
#include "fargatelab/scenario.hpp"
#include "faults/faults.hpp"

namespace fargatelab::detail {

struct ZoneOutageSpec : FaultSpec {
  std::size_t item = 0;  // its index in the scenario's "faults"
  std::string az;      // the zone letter, as the scenario's subnets name it ("a")
  std::string reason;  // the stopped reason of the tasks lost
};

// Meaning checks of one item: the zone is one of the scenario's subnets' zones; end > start.
void check_zone_outage(const nlohmann::json& item, const std::string& pointer, const FaultContext& context,
                       std::vector<Diagnostic>& out);
std::shared_ptr<const FaultSpec> build_zone_outage(const nlohmann::json& item, std::size_t index, const ScenarioSpec& s);
// The outage that took a task lost at `at` in zone `az`; null if none did.
const ZoneOutageSpec* zone_outage_of(const ScenarioSpec& s, const std::string& az, SimTime at);
// Loses the zone on every launch type at start, restores it at end.
std::unique_ptr<FaultRuntime> start_zone_outage(const FaultSpec& f, const FaultTargets& targets);

}  // namespace fargatelab::detail
