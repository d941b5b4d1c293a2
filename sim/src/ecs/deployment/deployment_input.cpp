#include "ecs/deployment/deployment_input.hpp"

#include <algorithm>

#include <fmt/format.h>

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

std::optional<ThresholdType> threshold_type_of(const std::string& s) {
  if (s == "BOUNDED_PERCENT") return ThresholdType::bounded_percent;
  if (s == "UNBOUNDED_PERCENT") return ThresholdType::unbounded_percent;
  if (s == "COUNT") return ThresholdType::count;
  return std::nullopt;
}

// Rules both forms share: the percentages' ranges (CreateService: minimumHealthyPercent 0-100,
// maximumPercent 100-200 for REPLICA services) and a deployment that can make progress.
void check_rolling(const RollingConfig& c, Problems& problems) {
  if (c.maximum_percent <= c.minimum_healthy_percent)
    problems.push_back(fmt::format("maximum_percent ({}) must be above minimum_healthy_percent ({}): otherwise no task "
                                   "can be started or stopped and the deployment never progresses",
                                   c.maximum_percent, c.minimum_healthy_percent));
  if (c.circuit_breaker.rollback && !c.circuit_breaker.enable)
    problems.push_back("rollback needs the circuit breaker (circuit_breaker=true)");
  if (c.circuit_breaker.threshold_type != ThresholdType::count && c.circuit_breaker.threshold_value <= 0)
    problems.push_back("the circuit breaker's threshold percent must be > 0");
}

Registry<RollingConfig> make_registry() {
  Registry<RollingConfig> r("deployment strategy");
  r.add({"rolling",
         "ECS rolling update: keeps minimum_healthy_percent of the desired count healthy (rounded up) and at most "
         "maximum_percent of it running or pending (rounded down), with the optional deployment circuit breaker.",
         {param("minimum_healthy_percent", ParamType::integer, 100, 0, 100, "minimumHealthyPercent (%)"),
          param("maximum_percent", ParamType::integer, 200, 100, 200, "maximumPercent (%)"),
          param("circuit_breaker", ParamType::boolean, false, {}, {}, "deploymentCircuitBreaker.enable"),
          param("rollback", ParamType::boolean, false, {}, {}, "deploymentCircuitBreaker.rollback"),
          param("threshold_type", ParamType::string, "BOUNDED_PERCENT", {}, {},
                "thresholdConfiguration.type: BOUNDED_PERCENT, UNBOUNDED_PERCENT or COUNT"),
          param("threshold", ParamType::number, 50, 0, {}, "thresholdConfiguration.value (% of desired, or a count)"),
          param("reset_on_healthy_task", ParamType::boolean, true, {}, {},
                "resetOnHealthyTask: a healthy new task resets the failure count")}},
        [](const Params& p, Problems& problems) -> std::optional<RollingConfig> {
          RollingConfig c;
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
          check_rolling(c, problems);
          if (!problems.empty()) return std::nullopt;
          return c;
        });
  return r;
}

// ECS's deploymentConfiguration (API DeploymentConfiguration, DeploymentCircuitBreaker).
std::optional<RollingConfig> from_deployment_configuration(const json& doc, const std::string& pointer,
                                                           std::vector<Diagnostic>& out) {
  const std::size_t before = out.size();
  JsonFields f(doc, pointer, "deploymentConfiguration", out);
  RollingConfig c;
  if (const auto v = f.integer("minimumHealthyPercent", false, 0, 100)) c.minimum_healthy_percent = static_cast<int>(*v);
  if (const auto v = f.integer("maximumPercent", false, 100, 200)) c.maximum_percent = static_cast<int>(*v);
  if (const auto s = f.one_of("strategy", {"ROLLING", "BLUE_GREEN", "LINEAR", "CANARY"}); s && *s != "ROLLING")
    f.error("strategy", fmt::format("the {} strategy is not modelled yet; ROLLING is", *s));
  f.unsupported("alarms", "alarm-based rollback is not modelled yet (use the circuit breaker)");
  for (const char* k : {"bakeTimeInMinutes", "lifecycleHooks", "linearConfiguration", "canaryConfiguration"})
    f.unsupported(k, "the blue/green, linear and canary strategies are not modelled yet");
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
  }
  f.finish();
  if (out.size() != before) return std::nullopt;
  Problems problems;
  check_rolling(c, problems);
  for (auto& p : problems) out.push_back({pointer, p});
  if (!problems.empty()) return std::nullopt;
  return c;
}

bool is_deployment_configuration(const json& j) {
  return j.is_object() && !j.contains("model");
}

}  // namespace

const Registry<RollingConfig>& deployment_strategy_registry() {
  static const Registry<RollingConfig> r = make_registry();
  return r;
}

std::optional<RollingConfig> parse_strategy(const json& strategy, const std::string& pointer, std::vector<Diagnostic>& out) {
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
    const std::string wanted = str_or(deployments[i], "revision", "");
    if (std::find(names.begin(), names.end(), wanted) == names.end()) {
      const std::string guess = did_you_mean(wanted, names);
      out.push_back({db + "/revision", fmt::format("no revision is named \"{}\" (revisions: {}){}", wanted, fmt::join(names, ", "),
                                                   guess.empty() ? "" : fmt::format("; did you mean \"{}\"?", guess))});
    }
    if (const json* s = member(deployments[i], "strategy")) parse_strategy(*s, db + "/strategy", out);
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
    rev.behavior.effects = build_request_effects(b);
    names.push_back(rev.name);
    d->revisions.push_back(std::move(rev));
  }
  std::vector<Diagnostic> problems;
  for (std::size_t i = 0; i < deployments.size(); ++i) {
    const json& dj = deployments[i];
    DeploymentSpec s;
    s.at = parse_duration(dj.at("at"));
    const auto it = std::find(names.begin(), names.end(), dj.at("revision").get<std::string>());
    s.revision = static_cast<std::size_t>(it - names.begin());
    const json& strategy = dj.at("strategy");
    s.strategy = strategy.is_string() ? strategy.get<std::string>() : strategy.dump();
    if (auto c = parse_strategy(strategy, at(base + "/deployments", i) + "/strategy", problems)) s.config = *c;
    d->deployments.push_back(std::move(s));
  }
  if (!problems.empty()) throw ScenarioError(std::move(problems));
  std::stable_sort(d->deployments.begin(), d->deployments.end(),
                   [](const DeploymentSpec& a, const DeploymentSpec& b) { return a.at < b.at; });
  return d;
}

}  // namespace fargatelab::detail
