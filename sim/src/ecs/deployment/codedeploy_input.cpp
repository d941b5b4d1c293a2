#include "ecs/deployment/codedeploy_input.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "scaling/json_fields.hpp"
#include "scenario/json_schema.hpp"

namespace fargatelab::detail {
namespace {

using nlohmann::json;

constexpr std::string_view kPrefix = "CodeDeployDefault.";

struct Predefined {
  const char* name;
  CodeDeployRouting routing;
};

// CodeDeploy user guide, "Deployment configurations on an Amazon ECS compute platform":
// ECSLinear10PercentEvery1Minutes / 3Minutes shift 10 % every 1 / 3 minutes until all traffic is
// shifted; ECSCanary10Percent5Minutes / 15Minutes shift 10 % first and the remaining 90 % 5 / 15
// minutes later; ECSAllAtOnce shifts everything at once (the default for ECS).
constexpr std::array<Predefined, 5> kPredefined = {{
    {"CodeDeployDefault.ECSAllAtOnce", {DeploymentStrategy::blue_green, 100, 0}},
    {"CodeDeployDefault.ECSCanary10Percent5Minutes", {DeploymentStrategy::canary, 10, 5}},
    {"CodeDeployDefault.ECSCanary10Percent15Minutes", {DeploymentStrategy::canary, 10, 15}},
    {"CodeDeployDefault.ECSLinear10PercentEvery1Minutes", {DeploymentStrategy::linear, 10, 1}},
    {"CodeDeployDefault.ECSLinear10PercentEvery3Minutes", {DeploymentStrategy::linear, 10, 3}},
}};

}  // namespace

const std::vector<std::string>& codedeploy_predefined_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& p : kPredefined) v.emplace_back(p.name);
    return v;
  }();
  return names;
}

std::string codedeploy_full_name(const std::string& name) {
  return name.starts_with(kPrefix) ? name : std::string(kPrefix) + name;
}

std::optional<CodeDeployRouting> codedeploy_predefined(const std::string& name) {
  const std::string full = codedeploy_full_name(name);
  for (const auto& p : kPredefined)
    if (full == p.name) return p.routing;
  return std::nullopt;
}

std::string codedeploy_unknown_config(const std::string& name) {
  std::vector<std::string> candidates = codedeploy_predefined_names();
  for (const auto& p : kPredefined) candidates.emplace_back(std::string_view(p.name).substr(kPrefix.size()));
  std::string guess = did_you_mean(name, candidates);
  if (!guess.empty()) guess = codedeploy_full_name(guess);
  return fmt::format("\"{}\" is not a CodeDeploy deployment configuration for ECS: expected one of {} (or a custom one "
                     "given by trafficRoutingConfig in the JSON form){}",
                     name, fmt::join(codedeploy_predefined_names(), ", "),
                     guess.empty() ? "" : fmt::format("; did you mean \"{}\"?", guess));
}

DeploymentConfig codedeploy_config(const std::string& name, const CodeDeployRouting& routing, int termination_wait_minutes) {
  DeploymentConfig c;
  c.controller = DeploymentController::code_deploy;
  c.codedeploy_config = name;
  c.strategy = routing.strategy;
  c.shift.step_percent = routing.strategy == DeploymentStrategy::blue_green ? 100 : routing.percent;
  c.shift.step_bake = Duration::from_seconds(60.0 * routing.interval_minutes);
  c.shift.bake_time = Duration::from_seconds(60.0 * termination_wait_minutes);
  return c;
}

bool is_codedeploy_json(const json& j) { return j.is_object() && j.contains("deploymentController"); }

std::optional<DeploymentConfig> from_codedeploy_json(
    const json& doc, const std::string& pointer, std::vector<Diagnostic>& out,
    std::optional<DeploymentConfig> (*ecs_form)(const json&, const std::string&, std::vector<Diagnostic>&)) {
  const std::size_t before = out.size();
  JsonFields f(doc, pointer, "the deployment (CODE_DEPLOY)", out);
  std::string type = "CODE_DEPLOY";
  if (const json* dc = f.object("deploymentController", true)) {
    JsonFields d(*dc, f.at("deploymentController"), "deploymentController", out);
    type = d.one_of("type", {"ECS", "CODE_DEPLOY", "EXTERNAL"}, true).value_or("");
    d.finish();
  }
  if (type == "EXTERNAL") {
    f.error("deploymentController", "the EXTERNAL deployment controller (task sets driven by your own tooling) is not modelled; "
                                    "use CODE_DEPLOY or ECS");
    return std::nullopt;
  }
  if (type == "ECS") {  // the ECS controller: its deploymentConfiguration is the whole strategy
    const json* ecs = f.object("deploymentConfiguration");
    f.finish();
    if (out.size() != before) return std::nullopt;
    return ecs_form(ecs ? *ecs : json::object(), f.at("deploymentConfiguration"), out);
  }
  if (type.empty()) {
    f.accept({"deploymentConfigName", "trafficRoutingConfig", "blueGreenDeploymentConfiguration", "alarmConfiguration",
              "autoRollbackConfiguration", "deploymentConfiguration"});
    f.finish();
    return std::nullopt;
  }

  // The deployment configuration: a predefined name, or a custom trafficRoutingConfig
  // (CreateDeploymentConfig) that the name then names.
  CodeDeployRouting routing;
  std::string name = "CodeDeployDefault.ECSAllAtOnce";
  const auto given_name = f.string("deploymentConfigName");
  if (const json* t = f.object("trafficRoutingConfig")) {
    JsonFields tr(*t, f.at("trafficRoutingConfig"), "trafficRoutingConfig", out);
    const auto kind = tr.one_of("type", {"TimeBasedCanary", "TimeBasedLinear", "AllAtOnce"}, true);
    name = given_name.value_or("custom");
    if (given_name && given_name->starts_with(kPrefix))
      f.error("deploymentConfigName", fmt::format("\"{}\": the CodeDeployDefault. prefix is reserved for AWS's predefined "
                                                  "configurations; name the custom one otherwise, or drop trafficRoutingConfig",
                                                  *given_name));
    // The API publishes no bounds beyond "Integer"; the simulator takes 1-99 % (100 % at once is
    // AllAtOnce) and intervals of at least 1 minute.
    auto time_based = [&](const char* key, DeploymentStrategy s, const char* percent, const char* interval) {
      const std::string owner = s == DeploymentStrategy::canary ? "TimeBasedCanary" : "TimeBasedLinear";
      if (kind.value_or("") != owner) {
        if (tr.has(key)) {
          tr.get(key);
          tr.error(key, fmt::format("{} belongs to trafficRoutingConfig type {} (type is {})", key, owner, kind.value_or("?")));
        }
        return;
      }
      routing.strategy = s;
      const json* o = tr.object(key, true);
      if (!o) return;
      JsonFields b(*o, tr.at(key), key, out);
      if (const auto p = b.integer(percent, true, 1, 99)) routing.percent = static_cast<double>(*p);
      if (const auto i = b.integer(interval, true, 1, {})) routing.interval_minutes = static_cast<int>(*i);
      b.finish();
    };
    time_based("timeBasedCanary", DeploymentStrategy::canary, "canaryPercentage", "canaryInterval");
    time_based("timeBasedLinear", DeploymentStrategy::linear, "linearPercentage", "linearInterval");
    if (kind == "AllAtOnce") routing = {};
    tr.finish();
  } else if (given_name) {
    if (const auto r = codedeploy_predefined(*given_name)) {
      routing = *r;
      name = codedeploy_full_name(*given_name);
      if (!given_name->starts_with(kPrefix))
        f.error("deploymentConfigName", fmt::format("the API takes the full name: \"{}\"", name));
    } else {
      f.error("deploymentConfigName", codedeploy_unknown_config(*given_name));
    }
  }

  int wait = kDefaultTerminationWaitMinutes;
  if (const json* bg = f.object("blueGreenDeploymentConfiguration")) {
    JsonFields b(*bg, f.at("blueGreenDeploymentConfiguration"), "blueGreenDeploymentConfiguration", out);
    if (const json* term = b.object("terminateBlueInstancesOnDeploymentSuccess")) {
      JsonFields t(*term, b.at("terminateBlueInstancesOnDeploymentSuccess"), "terminateBlueInstancesOnDeploymentSuccess", out);
      if (const auto a = t.one_of("action", {"TERMINATE", "KEEP_ALIVE"}); a == "KEEP_ALIVE")
        t.error("action", "KEEP_ALIVE (the original task set left running, deregistered) is not modelled; use TERMINATE");
      if (const auto w = t.integer("terminationWaitTimeInMinutes", false, 0, kMaxTerminationWaitMinutes)) wait = static_cast<int>(*w);
      t.finish();
    }
    if (const json* ready = b.object("deploymentReadyOption")) {
      JsonFields r(*ready, b.at("deploymentReadyOption"), "deploymentReadyOption", out);
      if (r.one_of("actionOnTimeout", {"CONTINUE_DEPLOYMENT", "STOP_DEPLOYMENT"}) == "STOP_DEPLOYMENT")
        r.error("actionOnTimeout", "STOP_DEPLOYMENT (traffic rerouted by hand with continue-deployment) is not modelled; use "
                                   "CONTINUE_DEPLOYMENT, or a BeforeAllowTraffic hook that takes as long");
      r.accept({"waitTimeInMinutes"});
      r.finish();
    }
    b.unsupported("greenFleetProvisioningOption", "greenFleetProvisioningOption is for EC2/on-premises deployments, not ECS");
    b.finish();
  }

  DeploymentConfig c = codedeploy_config(name, routing, wait);
  if (const json* al = f.object("alarmConfiguration")) {
    JsonFields a(*al, f.at("alarmConfiguration"), "alarmConfiguration", out);
    const bool enabled = a.boolean("enabled").value_or(false);
    if (const json* list = a.array("alarms")) {
      for (std::size_t i = 0; i < list->size(); ++i) {
        JsonFields one((*list)[i], a.at("alarms") + "/" + std::to_string(i), "alarm", out);
        if (const auto n = one.string("name", true)) c.alarms.names.push_back(*n);
        one.finish();
      }
      if (list->size() > kMaxCodeDeployAlarms)
        a.error("alarms", fmt::format("a deployment group takes at most {} alarms, got {}", kMaxCodeDeployAlarms, list->size()));
    }
    if (const auto ignore = a.boolean("ignorePollAlarmFailure"); ignore && *ignore)
      a.error("ignorePollAlarmFailure", "the simulator always reads the alarms' state, so there is no poll failure to ignore; "
                                        "leave it false (the default)");
    a.finish();
    c.alarms.enable = enabled && !c.alarms.names.empty();
    if (!enabled) c.alarms.names.clear();
  }
  if (const json* ar = f.object("autoRollbackConfiguration")) {
    JsonFields a(*ar, f.at("autoRollbackConfiguration"), "autoRollbackConfiguration", out);
    const bool enabled = a.boolean("enabled").value_or(false);
    std::vector<std::string> events;
    if (const json* list = a.array("events"))
      for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string at = a.at("events") + "/" + std::to_string(i);
        const json& e = (*list)[i];
        const std::vector<std::string> allowed = {"DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST"};
        if (!e.is_string() || std::find(allowed.begin(), allowed.end(), e.get<std::string>()) == allowed.end())
          out.push_back({at, fmt::format("expected one of {}", fmt::join(allowed, ", "))});
        else
          events.push_back(e.get<std::string>());
      }
    a.finish();
    c.alarms.rollback = enabled && std::find(events.begin(), events.end(), "DEPLOYMENT_STOP_ON_ALARM") != events.end();
  }
  // The ECS service's own deploymentConfiguration: its circuit breaker is the ECS controller's.
  if (const json* ecs = f.object("deploymentConfiguration")) {
    JsonFields d(*ecs, f.at("deploymentConfiguration"), "deploymentConfiguration", out);
    if (d.get("deploymentCircuitBreaker"))
      d.error("deploymentCircuitBreaker",
              "the deployment circuit breaker works with the ECS deployment controller only, not CODE_DEPLOY (ECS API "
              "DeploymentConfiguration); remove it and roll back with a FAILED lifecycle hook or alarms "
              "(alarmConfiguration with autoRollbackConfiguration events DEPLOYMENT_STOP_ON_ALARM)");
    d.unsupported("strategy", "strategy (ROLLING, BLUE_GREEN, ...) is the ECS deployment controller's; with CODE_DEPLOY the "
                              "deployment configuration (deploymentConfigName) decides the traffic shift");
    d.unsupported("alarms", "with CODE_DEPLOY, alarms are the deployment group's alarmConfiguration");
    d.accept({"minimumHealthyPercent", "maximumPercent"});
    d.finish();
  }
  f.finish();
  if (out.size() != before) return std::nullopt;
  return c;
}

}  // namespace fargatelab::detail
