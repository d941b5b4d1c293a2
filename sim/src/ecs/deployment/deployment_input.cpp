#include "ecs/deployment/deployment_input.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "ecs/deployment/codedeploy_input.hpp"
#include "random/distribution_registry.hpp"
#include "scaling/json_fields.hpp"
#include "scaling/policy_params.hpp"
#include "scenario/checks.hpp"
#include "serving/request_effects.hpp"

namespace fargatelab::detail {
namespace {

using nlohmann::json;

constexpr const char* kInitial = "initial";

// An optional parameter with its default and inclusive bounds.
ParamSpec param(std::string name, ParamType type, json default_value, std::optional<double> min, std::optional<double> max,
                std::string doc) {
  ParamSpec p = policy_param(std::move(name), type, false, std::move(default_value), min, std::move(doc));
  p.max = max;
  return p;
}

ParamSpec required_param(std::string name, ParamType type, std::optional<double> min, std::optional<double> max,
                         std::string doc) {
  ParamSpec p = param(std::move(name), type, json(), min, max, std::move(doc));
  p.required = true;
  return p;
}

std::optional<ThresholdType> threshold_type_of(const std::string& s) {
  if (s == "BOUNDED_PERCENT") return ThresholdType::bounded_percent;
  if (s == "UNBOUNDED_PERCENT") return ThresholdType::unbounded_percent;
  if (s == "COUNT") return ThresholdType::count;
  return std::nullopt;
}

// Rules both forms share: the percentages' ranges (CreateService: minimumHealthyPercent 0-100,
// maximumPercent 100-200 for REPLICA services) and a deployment that can make progress.
void check_rolling(const DeploymentConfig& c, Problems& problems) {
  if (c.maximum_percent <= c.minimum_healthy_percent)
    problems.push_back(fmt::format("maximum_percent ({}) must be above minimum_healthy_percent ({}): otherwise no task "
                                   "can be started or stopped and the deployment never progresses",
                                   c.maximum_percent, c.minimum_healthy_percent));
  if (c.circuit_breaker.rollback && !c.circuit_breaker.enable)
    problems.push_back("rollback needs the circuit breaker (circuit_breaker=true)");
  if (c.circuit_breaker.threshold_type != ThresholdType::count && c.circuit_breaker.threshold_value <= 0)
    problems.push_back("the circuit breaker's threshold percent must be > 0");
}

// bakeTimeInMinutes, canaryBakeTimeInMinutes, stepBakeTimeInMinutes: 0 to 1,440 minutes (API
// DeploymentConfiguration, CanaryConfiguration, LinearConfiguration).
constexpr double kMaxBakeSeconds = 1440.0 * 60;

ParamSpec bake_param(std::string name, bool required, std::string doc) {
  return required ? required_param(std::move(name), ParamType::duration, 0, kMaxBakeSeconds, std::move(doc))
                  : param(std::move(name), ParamType::duration, "0s", 0, kMaxBakeSeconds, std::move(doc));
}

// deploymentConfiguration.alarms in the short form: alarms="5xx-high, latency-high" (names from
// the service's scaling.alarms; enable is implied by naming some), alarm_rollback=true.
std::vector<ParamSpec> with_alarms(std::vector<ParamSpec> params) {
  params.push_back(param("alarms", ParamType::string, "", {}, {},
                         "alarms.alarmNames: CloudWatch alarms (the service's scaling.alarms), comma separated; any in ALARM "
                         "during the deployment fails it"));
  params.push_back(param("alarm_rollback", ParamType::boolean, false, {}, {}, "alarms.rollback: roll back when an alarm fails it"));
  return params;
}

void read_alarms(const Params& p, DeploymentConfig& c) {
  const std::string names = p.string("alarms");
  std::size_t from = 0;
  while (from <= names.size()) {
    std::size_t comma = names.find(',', from);
    if (comma == std::string::npos) comma = names.size();
    std::string name = names.substr(from, comma - from);
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    if (!name.empty()) c.alarms.names.push_back(name);
    from = comma + 1;
  }
  c.alarms.enable = !c.alarms.names.empty();
  c.alarms.rollback = p.boolean("alarm_rollback");
}

Registry<DeploymentConfig> make_registry() {
  Registry<DeploymentConfig> r("deployment strategy");
  r.add({"rolling",
         "ECS rolling update: keeps minimum_healthy_percent of the desired count healthy (rounded up) and at most "
         "maximum_percent of it running or pending (rounded down), with the optional deployment circuit breaker.",
         with_alarms({param("minimum_healthy_percent", ParamType::integer, 100, 0, 100, "minimumHealthyPercent (%)"),
          param("maximum_percent", ParamType::integer, 200, 100, 200, "maximumPercent (%)"),
          param("circuit_breaker", ParamType::boolean, false, {}, {}, "deploymentCircuitBreaker.enable"),
          param("rollback", ParamType::boolean, false, {}, {}, "deploymentCircuitBreaker.rollback"),
          param("threshold_type", ParamType::string, "BOUNDED_PERCENT", {}, {},
                "thresholdConfiguration.type: BOUNDED_PERCENT, UNBOUNDED_PERCENT or COUNT"),
          param("threshold", ParamType::number, 50, 0, {}, "thresholdConfiguration.value (% of desired, or a count)"),
          param("reset_on_healthy_task", ParamType::boolean, true, {}, {},
                "resetOnHealthyTask: a healthy new task resets the failure count")})},
        [](const Params& p, Problems& problems) -> std::optional<DeploymentConfig> {
          DeploymentConfig c;
          c.minimum_healthy_percent = static_cast<int>(p.integer("minimum_healthy_percent"));
          c.maximum_percent = static_cast<int>(p.integer("maximum_percent"));
          c.circuit_breaker.enable = p.boolean("circuit_breaker");
          c.circuit_breaker.rollback = p.boolean("rollback");
          const auto type = threshold_type_of(p.string("threshold_type"));
          if (!type) problems.push_back(fmt::format("threshold_type is BOUNDED_PERCENT, UNBOUNDED_PERCENT or COUNT, not \"{}\"",
                                                    p.string("threshold_type")));
          c.circuit_breaker.threshold_type = type.value_or(ThresholdType::bounded_percent);
          c.circuit_breaker.threshold_value = p.number("threshold");
          c.circuit_breaker.reset_on_healthy_task = p.boolean("reset_on_healthy_task");
          read_alarms(p, c);
          check_rolling(c, problems);
          if (!problems.empty()) return std::nullopt;
          return c;
        });
  r.add({"blue_green",
         "ECS native blue/green: the green revision is scaled to the full desired count beside blue (up to 2x tasks, "
         "billed), then the production listener moves 100 % of the traffic to green at once; blue keeps running for "
         "the bake time, then is stopped. A rollback before that is a weight flip back to blue.",
         with_alarms({bake_param("bake", true, "bakeTimeInMinutes: blue and green both run after the shift (0-1440 min; AWS requires it)")})},
        [](const Params& p, Problems&) -> std::optional<DeploymentConfig> {
          DeploymentConfig c;
          c.strategy = DeploymentStrategy::blue_green;
          c.shift.bake_time = p.duration("bake");
          read_alarms(p, c);
          return c;
        });
  r.add({"canary",
         "ECS native canary: green scaled to full size, percent of the production traffic on green for the canary "
         "bake, then the rest, then final_bake with both fleets running before blue is stopped.",
         with_alarms({required_param("percent", ParamType::number, 0, 100, "canaryPercent: traffic on green during the canary bake (%)"),
          bake_param("bake", true, "canaryBakeTimeInMinutes: how long the canary step lasts (0-1440 min)"),
          bake_param("final_bake", false, "bakeTimeInMinutes: both fleets after 100 % is on green (0-1440 min)")})},
        [](const Params& p, Problems& problems) -> std::optional<DeploymentConfig> {
          DeploymentConfig c;
          c.strategy = DeploymentStrategy::canary;
          c.shift.step_percent = p.number("percent");
          if (c.shift.step_percent <= 0) problems.push_back("percent (canaryPercent) must be > 0");
          c.shift.step_bake = p.duration("bake");
          c.shift.bake_time = p.duration("final_bake");
          read_alarms(p, c);
          if (!problems.empty()) return std::nullopt;
          return c;
        });
  r.add({"linear",
         "ECS native linear: green scaled to full size, then the production traffic moves to green percent at a time, "
         "each step lasting bake (none after the 100 % step), then final_bake before blue is stopped.",
         with_alarms({required_param("percent", ParamType::number, 3, 100, "stepPercent: traffic moved per step (3.0-100.0 %)"),
          bake_param("bake", true, "stepBakeTimeInMinutes: wait after each step but the last (0-1440 min)"),
          bake_param("final_bake", false, "bakeTimeInMinutes: both fleets after 100 % is on green (0-1440 min)")})},
        [](const Params& p, Problems&) -> std::optional<DeploymentConfig> {
          DeploymentConfig c;
          c.strategy = DeploymentStrategy::linear;
          c.shift.step_percent = p.number("percent");
          c.shift.step_bake = p.duration("bake");
          c.shift.bake_time = p.duration("final_bake");
          read_alarms(p, c);
          return c;
        });
  r.add({"codedeploy",
         "AWS CodeDeploy blue/green (deploymentController CODE_DEPLOY): the replacement task set at full size beside the "
         "original, production traffic shifted per the deployment configuration (ECSAllAtOnce, ECSCanary10Percent5Minutes, "
         "ECSCanary10Percent15Minutes, ECSLinear10PercentEvery1Minutes, ECSLinear10PercentEvery3Minutes), then the original "
         "kept for termination_wait (both billed) before it is terminated. A rollback before that reroutes traffic to the "
         "original task set.",
         with_alarms({param("config", ParamType::string, "ECSAllAtOnce", {}, {},
                            "deploymentConfigName, with or without the CodeDeployDefault. prefix (ECSAllAtOnce is CodeDeploy's "
                            "default for ECS)"),
                      param("termination_wait", ParamType::duration, fmt::format("{}m", kDefaultTerminationWaitMinutes), 0,
                            kMaxTerminationWaitMinutes * 60.0,
                            "terminateBlueInstancesOnDeploymentSuccess.terminationWaitTimeInMinutes: whole minutes, 0-2880"),
                      param("circuit_breaker", ParamType::boolean, false, {}, {},
                            "refused when true: the circuit breaker is the ECS deployment controller's")})},
        [](const Params& p, Problems& problems) -> std::optional<DeploymentConfig> {
          const std::string name = p.string("config");
          const auto routing = codedeploy_predefined(name);
          if (!routing) problems.push_back("config: " + codedeploy_unknown_config(name));
          const double wait_s = p.duration("termination_wait").to_seconds();
          const double wait_min = wait_s / 60;
          if (wait_min != static_cast<double>(static_cast<int>(wait_min)))
            problems.push_back(fmt::format("termination_wait is whole minutes (terminationWaitTimeInMinutes), got {:g} s; "
                                           "try {}m", wait_s, static_cast<int>(wait_min + 0.5)));
          if (p.boolean("circuit_breaker"))
            problems.push_back("circuit_breaker: the deployment circuit breaker works with the ECS deployment controller only, "
                               "not CODE_DEPLOY (ECS API DeploymentConfiguration); remove it and roll back with a FAILED "
                               "lifecycle hook or alarms=\"...\", alarm_rollback=true");
          if (!problems.empty()) return std::nullopt;
          DeploymentConfig c = codedeploy_config(codedeploy_full_name(name), *routing, static_cast<int>(wait_min));
          read_alarms(p, c);
          if (c.alarms.names.size() > kMaxCodeDeployAlarms)
            problems.push_back(fmt::format("alarms: a deployment group takes at most {} alarms (alarmConfiguration), got {}",
                                           kMaxCodeDeployAlarms, c.alarms.names.size()));
          if (!problems.empty()) return std::nullopt;
          return c;
        });
  return r;
}

// A bake time in whole minutes (0-1440), as the API takes it.
std::optional<Duration> minutes_field(JsonFields& f, const std::string& key, bool required) {
  if (const auto v = f.integer(key, required, 0, 1440)) return Duration::from_seconds(static_cast<double>(*v) * 60);
  return std::nullopt;
}

// ECS's deploymentConfiguration (API DeploymentConfiguration, DeploymentCircuitBreaker,
// CanaryConfiguration, LinearConfiguration).
std::optional<DeploymentConfig> from_deployment_configuration(const json& doc, const std::string& pointer,
                                                              std::vector<Diagnostic>& out) {
  const std::size_t before = out.size();
  JsonFields f(doc, pointer, "deploymentConfiguration", out);
  DeploymentConfig c;
  if (const auto v = f.integer("minimumHealthyPercent", false, 0, 100)) c.minimum_healthy_percent = static_cast<int>(*v);
  if (const auto v = f.integer("maximumPercent", false, 100, 200)) c.maximum_percent = static_cast<int>(*v);
  const auto strategy = f.one_of("strategy", {"ROLLING", "BLUE_GREEN", "LINEAR", "CANARY"}).value_or("ROLLING");
  if (strategy == "BLUE_GREEN") c.strategy = DeploymentStrategy::blue_green;
  if (strategy == "LINEAR") c.strategy = DeploymentStrategy::linear;
  if (strategy == "CANARY") c.strategy = DeploymentStrategy::canary;
  if (const json* a = f.object("alarms")) {  // DeploymentAlarms: all three members required
    JsonFields al(*a, f.at("alarms"), "alarms", out);
    c.alarms.names = al.strings("alarmNames");
    if (!al.has("alarmNames")) al.error("alarmNames", "alarms.alarmNames is required (the CloudWatch alarms to watch)");
    c.alarms.enable = al.boolean("enable").value_or(false);
    c.alarms.rollback = al.boolean("rollback").value_or(false);
    for (const char* k : {"enable", "rollback"})
      if (!al.has(k)) al.error(k, fmt::format("alarms.{} is required (true or false)", k));
    al.finish();
  }
  f.unsupported("lifecycleHooks",
                "give the hooks in the deployment's \"hooks\" list: the simulator needs each hook's duration and verdict");
  if (c.blue_green_family()) {
    if (const auto bake = minutes_field(f, "bakeTimeInMinutes", c.strategy == DeploymentStrategy::blue_green)) c.shift.bake_time = *bake;
  } else if (f.has("bakeTimeInMinutes")) {
    f.get("bakeTimeInMinutes");
    f.error("bakeTimeInMinutes", "bakeTimeInMinutes belongs to the BLUE_GREEN, LINEAR and CANARY strategies");
  }
  auto shift_config = [&](const char* key, DeploymentStrategy owner, const char* percent_key, double lo, const char* bake_key) {
    if (!f.has(key) && c.strategy != owner) return;
    if (c.strategy != owner) {
      f.get(key);  // known, only misplaced
      f.error(key, fmt::format("{} belongs to the {} strategy (strategy is {})", key, to_string(owner), strategy));
      return;
    }
    const json* o = f.object(key, true);
    if (!o) return;
    JsonFields s(*o, f.at(key), key, out);
    if (const auto p = s.number(percent_key, true)) {
      if (*p < lo || *p > 100) s.error(percent_key, fmt::format("{} is {:g} to 100, got {:g}", percent_key, lo, *p));
      c.shift.step_percent = *p;
    }
    if (const auto b = minutes_field(s, bake_key, false)) c.shift.step_bake = *b;
    s.finish();
  };
  // canaryPercent above 0 (a canary with no traffic tests nothing); stepPercent 3.0-100.0.
  shift_config("canaryConfiguration", DeploymentStrategy::canary, "canaryPercent", 0.1, "canaryBakeTimeInMinutes");
  shift_config("linearConfiguration", DeploymentStrategy::linear, "stepPercent", 3.0, "stepBakeTimeInMinutes");
  if (const json* cb = f.object("deploymentCircuitBreaker")) {
    JsonFields b(*cb, f.at("deploymentCircuitBreaker"), "deploymentCircuitBreaker", out);
    c.circuit_breaker.enable = b.boolean("enable").value_or(false);
    c.circuit_breaker.rollback = b.boolean("rollback").value_or(false);
    if (const auto r = b.boolean("resetOnHealthyTask")) c.circuit_breaker.reset_on_healthy_task = *r;
    if (const json* t = b.object("thresholdConfiguration")) {
      JsonFields th(*t, b.at("thresholdConfiguration"), "thresholdConfiguration", out);
      if (const auto type = th.one_of("type", {"BOUNDED_PERCENT", "UNBOUNDED_PERCENT", "COUNT"}))
        c.circuit_breaker.threshold_type = *threshold_type_of(*type);
      if (const auto v = th.number("value")) {
        if (*v <= 0) th.error("value", fmt::format("the threshold must be > 0, got {:g}", *v));
        c.circuit_breaker.threshold_value = *v;
      }
      th.finish();
    }
    b.finish();
    // "The deployment circuit breaker can only be used for services using the rolling update
    // (ECS) deployment type" (API DeploymentConfiguration).
    if (c.blue_green_family() && c.circuit_breaker.enable)
      f.error("deploymentCircuitBreaker", fmt::format("the deployment circuit breaker works with ROLLING only, not {}; "
                                                      "roll back {} deployments with a lifecycle hook or 1-click rollback",
                                                      strategy, strategy));
  }
  f.finish();
  if (out.size() != before) return std::nullopt;
  Problems problems;
  if (!c.blue_green_family()) check_rolling(c, problems);
  for (auto& p : problems) out.push_back({pointer, p});
  if (!problems.empty()) return std::nullopt;
  return c;
}

LifecycleHook build_hook(const json& h, bool code_deploy) {
  LifecycleHook hook;
  for (const json& stage : h.at("stages"))
    hook.stages.push_back(*(code_deploy ? parse_codedeploy_hook_event(stage.get<std::string>())
                                        : parse_lifecycle_stage(stage.get<std::string>())));
  hook.type = h.at("type").get<std::string>() == "pause" ? LifecycleHook::Type::pause : LifecycleHook::Type::lambda;
  if (hook.type == LifecycleHook::Type::lambda) {
    hook.duration = parse_duration(h.at("duration"));
    hook.fails = h.at("verdict").get<std::string>() == "FAILED";
  } else {
    if (!h.at("continue_after").is_null()) hook.continue_after = parse_duration(h.at("continue_after"));
    hook.fails = h.at("continue_action").get<std::string>() == "ROLLBACK";
    hook.timeout = parse_duration(h.at("timeout"));
    hook.timeout_rollback = h.at("timeout_action").get<std::string>() == "ROLLBACK";
  }
  return hook;
}

// CodeDeploy's hookable lifecycle events and the ECS stage each corresponds to (for suggestions).
std::string ecs_stage_for(const std::string& codedeploy_event) {
  const auto st = parse_codedeploy_hook_event(codedeploy_event);
  return st ? fmt::format("did you mean {}?", to_string(*st)) : "";
}

// What CODE_DEPLOY asks of the service (ECS developer guide, deployment-type-bluegreen;
// aws-facts-2.md 2.5): an Application or Network Load Balancer (no Service Connect, no headless
// service) and, behind an NLB, only CodeDeployDefault.ECSAllAtOnce. `strategy` is the value as
// given, to point at the field that chose the configuration.
void check_codedeploy_service(const DeploymentConfig& c, const json& strategy, const std::string& pointer, const std::string& lb,
                              bool queue_fed, std::vector<Diagnostic>& out) {
  if (queue_fed || (lb != "alb" && lb != "nlb")) {
    out.push_back({pointer, fmt::format("CODE_DEPLOY blue/green reroutes a load balancer's listener: the service needs "
                                        "load_balancer \"alb\" or \"nlb\", not {}{}", queue_fed ? "a queue" : "\"" + lb + "\"",
                                        lb == "cloud_map" ? " (CodeDeploy has no Service Connect support)" : "")});
    return;
  }
  if (lb == "nlb" && c.strategy != DeploymentStrategy::blue_green) {
    std::string field = pointer;
    if (strategy.is_object())
      field += strategy.contains("trafficRoutingConfig") ? "/trafficRoutingConfig" : "/deploymentConfigName";
    out.push_back({field, fmt::format("{} shifts traffic in steps, which CodeDeploy supports only behind an Application Load "
                                      "Balancer: behind an NLB the configuration must be CodeDeployDefault.ECSAllAtOnce "
                                      "(or use load_balancer \"alb\")", c.codedeploy_config)});
  }
}

// A CODE_DEPLOY deployment's hooks: Lambda hooks on CodeDeploy's lifecycle events (AppSpec
// "hooks" for ECS: BeforeInstall, AfterInstall, AfterAllowTestTraffic, BeforeAllowTraffic,
// AfterAllowTraffic); CodeDeploy has no pause hooks.
void check_codedeploy_hooks(const json& hooks, const std::string& base, std::vector<Diagnostic>& out) {
  const std::string events = fmt::format("{}", fmt::join(codedeploy_hook_events(), ", "));
  for (std::size_t h = 0; h < hooks.size(); ++h) {
    const std::string hb = at(base, h);
    if (str_or(hooks[h], "type", "lambda") == "pause")
      out.push_back({hb + "/type", "CodeDeploy has no pause hooks: give a Lambda hook (type \"lambda\") with its duration and verdict"});
    const json& stages = array_or_empty(hooks[h], "stages");
    for (std::size_t k = 0; k < stages.size(); ++k) {
      if (!stages[k].is_string()) continue;
      const std::string name = stages[k].get<std::string>();
      if (parse_codedeploy_hook_event(name)) continue;
      std::string hint;
      if (const auto st = parse_lifecycle_stage(name); st && codedeploy_event_name(*st) && parse_codedeploy_hook_event(codedeploy_event_name(*st)))
        hint = fmt::format("; did you mean {}?", codedeploy_event_name(*st));
      else if (const std::string g = did_you_mean(name, codedeploy_hook_events()); !g.empty())
        hint = fmt::format("; did you mean {}?", g);
      out.push_back({at(hb + "/stages", k), fmt::format("a CODE_DEPLOY deployment's hooks run at CodeDeploy lifecycle events ({}), "
                                                        "not \"{}\"{}", events, name, hint)});
    }
  }
}

bool is_deployment_configuration(const json& j) {
  return j.is_object() && !j.contains("model");
}

}  // namespace

const Registry<DeploymentConfig>& deployment_strategy_registry() {
  static const Registry<DeploymentConfig> r = make_registry();
  return r;
}

std::optional<DeploymentConfig> parse_strategy(const json& strategy, const std::string& pointer, std::vector<Diagnostic>& out) {
  if (is_codedeploy_json(strategy)) return from_codedeploy_json(strategy, pointer, out, &from_deployment_configuration);
  if (is_deployment_configuration(strategy)) return from_deployment_configuration(strategy, pointer, out);
  try {
    return deployment_strategy_registry().build(model_call_from_json(strategy), pointer, out);
  } catch (const std::invalid_argument& e) {
    out.push_back({pointer, e.what()});
    return std::nullopt;
  }
}

void expand_revision_tasks(json& doc) {
  if (!doc.is_object() || !doc.contains("services") || !doc["services"].is_array()) return;
  for (json& service : doc["services"]) {
    if (!service.is_object() || !service.contains("revisions") || !service["revisions"].is_array()) continue;
    const json base = service.contains("task") && service["task"].is_object() ? service["task"] : json::object();
    for (json& revision : service["revisions"]) {
      if (!revision.is_object()) continue;
      json task = base;
      if (revision.contains("task") && revision["task"].is_object()) task.merge_patch(revision["task"]);
      revision["task"] = std::move(task);
    }
  }
}

void check_service_deployments(const json& service, const std::string& base, std::vector<Diagnostic>& out) {
  const json& revisions = array_or_empty(service, "revisions");
  std::vector<std::string> names = {kInitial};
  for (std::size_t i = 0; i < revisions.size(); ++i) {
    const std::string rb = at(base + "/revisions", i);
    const std::string name = str_or(revisions[i], "name", "");
    if (std::find(names.begin(), names.end(), name) != names.end())
      out.push_back({rb + "/name", name == kInitial ? "\"initial\" names the service's own task; choose another name"
                                                    : fmt::format("a second revision named \"{}\"", name)});
    names.push_back(name);
    if (const json* b = member(revisions[i], "behavior"))
      for (const char* key : {"exit_after", "extra_latency"})
        if (const json* e = member(*b, key); e && !e->is_null())
          check_model(distribution_registry(), *e, rb + "/behavior/" + key, out);
  }
  const json& deployments = array_or_empty(service, "deployments");
  for (std::size_t i = 0; i < deployments.size(); ++i) {
    const std::string db = at(base + "/deployments", i);
    const json& d = deployments[i];
    if (str_or(d, "action", "deploy") == "rollback") {
      if (member(d, "revision"))
        out.push_back({db + "/revision", "a rollback takes no revision: it returns to the last COMPLETED deployment"});
      continue;
    }
    if (!member(d, "revision")) {
      out.push_back({db + "/revision", fmt::format("a deployment needs the revision it rolls out (revisions: {})", fmt::join(names, ", "))});
      continue;
    }
    const std::string wanted = str_or(d, "revision", "");
    if (std::find(names.begin(), names.end(), wanted) == names.end()) {
      const std::string guess = did_you_mean(wanted, names);
      out.push_back({db + "/revision", fmt::format("no revision is named \"{}\" (revisions: {}){}", wanted, fmt::join(names, ", "),
                                                   guess.empty() ? "" : fmt::format("; did you mean \"{}\"?", guess))});
    }
    std::optional<DeploymentConfig> config;
    if (const json* s = member(d, "strategy")) config = parse_strategy(*s, db + "/strategy", out);
    const std::string lb = str_or(service, "load_balancer", "none");
    const json* queue = member(service, "queue");
    const bool queue_fed = queue && queue->is_object();
    if (config && config->code_deploy()) {
      check_codedeploy_service(*config, d.at("strategy"), db + "/strategy", lb, queue_fed, out);
    } else if (config && config->blue_green_family()) {
      // Traffic moves by re-weighting a listener rule over two target groups (ALB; NLB since
      // 2026-02-04) or through Service Connect; headless BLUE_GREEN replaces tasks without
      // traffic management; headless LINEAR and CANARY are not documented (aws-facts-2.md 2.4).
      if (lb == "cloud_map")
        out.push_back({db + "/strategy", fmt::format("{} through Service Connect or Cloud Map is not modelled; put the service behind an "
                                                     "ALB or NLB (load_balancer)", to_string(config->strategy))});
      else if (config->strategy != DeploymentStrategy::blue_green && (queue_fed || (lb != "alb" && lb != "nlb")))
        out.push_back({db + "/strategy", fmt::format("{} shifts a load balancer's traffic in steps: the service needs load_balancer "
                                                     "\"alb\" or \"nlb\" (a headless service can use blue_green)", to_string(config->strategy))});
    }
    if (config && config->code_deploy() && config->alarms.enable && !config->alarms.rollback)
      out.push_back({db + "/strategy", "alarms on a CODE_DEPLOY deployment are modelled with automatic rollback (alarm_rollback=true; "
                                       "JSON: autoRollbackConfiguration {\"enabled\": true, \"events\": [\"DEPLOYMENT_STOP_ON_ALARM\"]})"});
    else if (config && config->blue_green_family() && config->alarms.enable && !config->alarms.rollback)
      out.push_back({db + "/strategy", fmt::format("alarms on a {} deployment are modelled with rollback (alarm_rollback=true, "
                                                   "alarms.rollback): what ECS does with the traffic of a FAILED {} deployment that "
                                                   "does not roll back is not documented", to_string(config->strategy), to_string(config->strategy))});
    if (config && !config->alarms.names.empty()) {
      std::vector<std::string> defined;
      if (const json* scaling = member(service, "scaling"); scaling && scaling->is_object())
        for (const json& a : array_or_empty(*scaling, "alarms")) defined.push_back(str_or(a, "AlarmName", ""));
      for (const std::string& name : config->alarms.names)
        if (std::find(defined.begin(), defined.end(), name) == defined.end()) {
          const std::string guess = did_you_mean(name, defined);
          out.push_back({db + "/strategy", fmt::format("no alarm named \"{}\": define it in the service's scaling.alarms (put-metric-alarm "
                                                       "input){}{}", name, defined.empty() ? "" : fmt::format("; alarms: {}", fmt::join(defined, ", ")),
                                                       guess.empty() ? "" : fmt::format("; did you mean \"{}\"?", guess))});
        }
    }
    const json& hooks = array_or_empty(d, "hooks");
    if (config && config->code_deploy()) {
      check_codedeploy_hooks(hooks, db + "/hooks", out);
      continue;
    }
    if (!hooks.empty() && config && !config->blue_green_family())
      out.push_back({db + "/hooks", "lifecycle hooks are modelled for the BLUE_GREEN, LINEAR and CANARY strategies; this deployment is ROLLING"});
    for (std::size_t h = 0; h < hooks.size(); ++h) {
      const std::string hb = at(db + "/hooks", h);
      const bool pause = str_or(hooks[h], "type", "lambda") == "pause";
      const json& stages = array_or_empty(hooks[h], "stages");
      for (std::size_t k = 0; k < stages.size(); ++k) {
        const auto stage = stages[k].is_string() ? parse_lifecycle_stage(stages[k].get<std::string>()) : std::nullopt;
        if (stages[k].is_string() && parse_codedeploy_hook_event(stages[k].get<std::string>()))
          out.push_back({at(hb + "/stages", k), fmt::format("{} is a CodeDeploy lifecycle event; this deployment uses the ECS "
                                                            "deployment controller, whose hooks take lifecycleStages ({})",
                                                            stages[k].get<std::string>(), ecs_stage_for(stages[k].get<std::string>()))});
        if (stage && pause && !takes_pause_hooks(*stage))
          out.push_back({at(hb + "/stages", k), fmt::format("{} takes Lambda hooks only, not a pause", to_string(*stage))});
      }
      if (pause) {
        const json* timeout = member(hooks[h], "timeout");
        if (timeout && parse_duration(*timeout).to_seconds() > 20160 * 60.0)
          out.push_back({hb + "/timeout", "a pause hook's timeout is at most 20,160 minutes (14 days)"});
      }
    }
  }
}

std::shared_ptr<const ServiceDeployments> build_service_deployments(
    const json& service, const std::string& base,
    const std::function<TaskSpec(const json& task, const std::string& pointer)>& build_task) {
  const json& revisions = service.at("revisions");
  const json& deployments = service.at("deployments");
  if (revisions.empty() && deployments.empty()) return nullptr;
  auto d = std::make_shared<ServiceDeployments>();
  std::vector<std::string> names = {kInitial};
  for (std::size_t i = 0; i < revisions.size(); ++i) {
    const json& r = revisions[i];
    Revision rev;
    rev.name = r.at("name").get<std::string>();
    rev.task = build_task(r.at("task"), at(base + "/revisions", i) + "/task");
    const json& b = r.at("behavior");
    if (!b.at("exit_after").is_null()) rev.behavior.exit_after = distribution_registry().build(model_call_from_json(b.at("exit_after")));
    rev.behavior.fail_health_checks = b.at("fail_health_checks").get<bool>();
    rev.behavior.memory_leak_mib_per_hour = b.at("memory_leak_mib_per_hour").get<double>();
    rev.behavior.effects = build_request_effects(b);
    names.push_back(rev.name);
    d->revisions.push_back(std::move(rev));
  }
  std::vector<Diagnostic> problems;
  for (std::size_t i = 0; i < deployments.size(); ++i) {
    const json& dj = deployments[i];
    DeploymentSpec s;
    s.at = parse_duration(dj.at("at"));
    if (dj.at("action").get<std::string>() == "rollback") {
      s.rollback = true;
      s.strategy = "rollback";
      d->deployments.push_back(std::move(s));
      continue;
    }
    const auto it = std::find(names.begin(), names.end(), dj.at("revision").get<std::string>());
    s.revision = static_cast<std::size_t>(it - names.begin());
    const json& strategy = dj.at("strategy");
    s.strategy = strategy.is_string() ? strategy.get<std::string>() : strategy.dump();
    if (auto c = parse_strategy(strategy, at(base + "/deployments", i) + "/strategy", problems)) s.config = *c;
    for (const json& h : dj.at("hooks")) s.config.hooks.push_back(build_hook(h, s.config.code_deploy()));
    d->deployments.push_back(std::move(s));
  }
  if (!problems.empty()) throw ScenarioError(std::move(problems));
  std::stable_sort(d->deployments.begin(), d->deployments.end(),
                   [](const DeploymentSpec& a, const DeploymentSpec& b) { return a.at < b.at; });
  return d;
}

}  // namespace fargatelab::detail
