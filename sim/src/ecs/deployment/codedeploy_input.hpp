// The CodeDeploy deployment controller of an ECS service (deploymentController CODE_DEPLOY), as a
// deployment's STRATEGY (deployment_input.hpp). It runs on the blue/green family's traffic shift
// (service_traffic_shift.cpp): green (the replacement task set) at full size beside blue, the
// production listener re-weighted per the deployment configuration, blue kept for the
// termination wait, a rollback while blue runs a reroute back to it with no task relaunched.
//
// Short form (registry "codedeploy"):
//   "codedeploy(config=ECSCanary10Percent5Minutes, termination_wait=5m, alarms=\"a, b\", alarm_rollback=true)"
//   config: a predefined configuration with or without its "CodeDeployDefault." prefix (default
//   ECSAllAtOnce, CodeDeploy's default for ECS).
// JSON form: the service's deploymentController and the deployment group's and configuration's
// fields of CodeDeploy's API (CreateDeploymentGroup, CreateDeploymentConfig), in one object:
//   {"deploymentController": {"type": "CODE_DEPLOY"},
//    "deploymentConfigName": "CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
//    "trafficRoutingConfig": {"type": "TimeBasedCanary" | "TimeBasedLinear" | "AllAtOnce",
//                             "timeBasedCanary": {"canaryPercentage", "canaryInterval"},
//                             "timeBasedLinear": {"linearPercentage", "linearInterval"}},
//        (a custom configuration: then deploymentConfigName is its name, optional)
//    "blueGreenDeploymentConfiguration": {"terminateBlueInstancesOnDeploymentSuccess":
//        {"action": "TERMINATE", "terminationWaitTimeInMinutes": 5},
//        "deploymentReadyOption": {"actionOnTimeout": "CONTINUE_DEPLOYMENT"}},
//    "alarmConfiguration": {"enabled": true, "alarms": [{"name": "5xx-high"}], "ignorePollAlarmFailure": false},
//    "autoRollbackConfiguration": {"enabled": true, "events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]}}
// Intervals and the termination wait are whole minutes, as the APIs take them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ecs/deployment/deployment_spec.hpp"
#include "fargatelab/diagnostics.hpp"

namespace fargatelab::detail {

// terminationWaitTimeInMinutes: "The maximum setting is 2880 minutes (2 days)" (CodeDeploy API
// BlueInstanceTerminationOption). The API names no default; the CloudFormation CodeDeploy
// blue/green hook's terminationWaitTimeInMinutes defaults to 5 minutes (CDK
// CfnCodeDeployBlueGreenAdditionalOptions, "default: 5 minutes"), which the simulator takes.
constexpr int kMaxTerminationWaitMinutes = 2880;
constexpr int kDefaultTerminationWaitMinutes = 5;
// AlarmConfiguration: at most 10 alarms (CloudFormation AWS::CodeDeploy::DeploymentGroup
// AlarmConfiguration; aws-facts-2.md 2.5).
constexpr std::size_t kMaxCodeDeployAlarms = 10;

// How a CodeDeploy configuration shifts traffic: AllAtOnce (BLUE_GREEN, one step), TimeBasedCanary
// (CANARY: percent, then the rest `interval` later) or TimeBasedLinear (LINEAR: percent every
// `interval` until 100 %).
struct CodeDeployRouting {
  DeploymentStrategy strategy = DeploymentStrategy::blue_green;
  double percent = 100;
  int interval_minutes = 0;
};

// The predefined ECS configurations (CodeDeploy user guide, deployment-configurations; aws-facts
// D.2), full names ("CodeDeployDefault.ECSAllAtOnce", ...).
const std::vector<std::string>& codedeploy_predefined_names();
// A predefined configuration by its full name or without the "CodeDeployDefault." prefix.
std::optional<CodeDeployRouting> codedeploy_predefined(const std::string& name);
// The config name as CodeDeploy spells it (the prefix added to a predefined short name).
std::string codedeploy_full_name(const std::string& name);
// "unknown CodeDeploy configuration ...; did you mean ...?" for a name that is none of them.
std::string codedeploy_unknown_config(const std::string& name);

// The configuration the routing implies (strategy, steps, intervals as step bakes, the wait as bake).
DeploymentConfig codedeploy_config(const std::string& name, const CodeDeployRouting& routing, int termination_wait_minutes);

// An object with "deploymentController" is this JSON form.
bool is_codedeploy_json(const nlohmann::json& j);
// The JSON form (or deploymentController ECS with its deploymentConfiguration, handed to
// `ecs_form`); every problem at its pointer; nullopt if any.
std::optional<DeploymentConfig> from_codedeploy_json(
    const nlohmann::json& doc, const std::string& pointer, std::vector<Diagnostic>& out,
    std::optional<DeploymentConfig> (*ecs_form)(const nlohmann::json&, const std::string&, std::vector<Diagnostic>&));

}  // namespace fargatelab::detail
