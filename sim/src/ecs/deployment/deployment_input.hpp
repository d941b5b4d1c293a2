// A service's "revisions" and "deployments": checked with every problem at its JSON pointer, and
// built into a ServiceDeployments.
//
//   "revisions": [{"name": "v2", "task": {...}, "behavior": {"exit_after": "constant(value=20)",
//                  "fail_health_checks": false}}]
//   "deployments": [{"at": "10m", "revision": "v2", "strategy": STRATEGY}]
//
// A revision's "task" changes the service's task: it is merged into it (JSON merge patch, RFC
// 7396) before defaults and validation, so `{"image": {"size_mb": 900}}` is the service's task
// with a bigger image, and errors point into the revision. A deployment's "revision" names one
// of the service's revisions, or "initial" (the service's own task, e.g. to roll back by hand).
// STRATEGY is the registry's short form or ECS's own `deploymentConfiguration` JSON as
// CreateService/UpdateService take it:
//   "rolling(minimum_healthy_percent=50, maximum_percent=100, circuit_breaker=true, rollback=true)"
//     (default "rolling": AWS's defaults 100 % / 200 %, no circuit breaker);
//   "blue_green(bake=10m)", "canary(percent=10, bake=5m, final_bake=0)", "linear(percent=20,
//     bake=1m, final_bake=0)" (ECS native blue/green family);
//   "codedeploy(config=ECSCanary10Percent5Minutes, termination_wait=5m)" (the CODE_DEPLOY
//     controller; its JSON form, an object with "deploymentController": codedeploy_input.hpp);
//   every strategy takes alarms="a, b" and alarm_rollback=true (deploymentConfiguration.alarms);
//   JSON: {"minimumHealthyPercent", "maximumPercent", "deploymentCircuitBreaker": {"enable",
//     "rollback", "thresholdConfiguration": {"type", "value"}, "resetOnHealthyTask"}, "strategy":
//     ROLLING | BLUE_GREEN | LINEAR | CANARY, "bakeTimeInMinutes", "canaryConfiguration":
//     {"canaryPercent", "canaryBakeTimeInMinutes"}, "linearConfiguration": {"stepPercent",
//     "stepBakeTimeInMinutes"}, "alarms": {"alarmNames", "enable", "rollback"}}.
// A deployment's "hooks" are its lifecycle hooks as the simulator runs them (stages, lambda or
// pause, duration, verdict); deploymentConfiguration.lifecycleHooks is refused with a pointer
// to them, since AWS's JSON names a function, not what it decides. {"at", "action":
// "rollback"} is stop-service-deployment --stop-type ROLLBACK.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ecs/deployment/deployment_spec.hpp"
#include "fargatelab/diagnostics.hpp"
#include "fargatelab/registry.hpp"

namespace fargatelab::detail {

// Before defaults: every service revision's "task" becomes the service's "task" merge-patched by
// it (a revision without "task" gets the service's task unchanged).
void expand_revision_tasks(nlohmann::json& doc);

// The deployment strategies by name ("rolling", "blue_green", "canary", "linear", "codedeploy").
const Registry<DeploymentConfig>& deployment_strategy_registry();
// A STRATEGY value (short form, {"model": ...} or a deploymentConfiguration object); every
// problem at `pointer`; nullopt if any.
std::optional<DeploymentConfig> parse_strategy(const nlohmann::json& strategy, const std::string& pointer,
                                            std::vector<Diagnostic>& out);

// Appends every problem of the service's revisions and deployments (`base` its pointer): unique
// revision names, known revision references, the strategies, the behaviours' distributions.
void check_service_deployments(const nlohmann::json& service, const std::string& base, std::vector<Diagnostic>& out);

// The service's deployments, null when it has none. `build_task` builds a revision's (complete,
// defaulted) task. Throws ScenarioError if the service does not pass check_service_deployments.
std::shared_ptr<const ServiceDeployments> build_service_deployments(
    const nlohmann::json& service, const std::string& base,
    const std::function<TaskSpec(const nlohmann::json& task, const std::string& pointer)>& build_task);

}  // namespace fargatelab::detail
