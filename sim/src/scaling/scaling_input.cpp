#include "scaling/scaling_input.hpp"

#include <fmt/format.h>

#include "scaling/json_fields.hpp"
#include "scaling/policy_input.hpp"
#include "scaling/scheduled_input.hpp"
#include "scenario/checks.hpp"

namespace fargatelab::detail {
namespace {

using nlohmann::json;

// Reads a non-negative integer member; problems to `out`.
std::optional<int> capacity(const json& obj, const char* key, const std::string& pointer, std::vector<Diagnostic>& out) {
  const json* m = member(obj, key);
  if (!m) return std::nullopt;
  if (!m->is_number_integer() || m->get<std::int64_t>() < 0 || m->get<std::int64_t>() > 1'000'000) {
    out.push_back({pointer, fmt::format("expected an integer from 0 to 1000000, got {}", m->dump())});
    return std::nullopt;
  }
  return m->get<int>();
}

bool flag(const json& obj, const char* key, const std::string& pointer, std::vector<Diagnostic>& out) {
  const json* m = member(obj, key);
  if (!m) return false;
  if (!m->is_boolean()) {
    out.push_back({pointer, fmt::format("expected true or false, got {}", m->dump())});
    return false;
  }
  return m->get<bool>();
}

// One policy: the registry's short form or AWS's put-scaling-policy JSON (policy_input.hpp).
std::optional<ServiceScalingSpec::Policy> policy(const json& item, const std::string& pointer, std::size_t index,
                                                 const PolicyInputContext& ctx, std::vector<Diagnostic>& out) {
  auto spec = build_scaling_policy(item, pointer, ctx, out);
  if (!spec) return std::nullopt;
  std::string name = spec->name;
  if (name.empty() && item.is_object() && item.contains("PolicyName") && item.at("PolicyName").is_string())
    name = item.at("PolicyName").get<std::string>();
  if (name.empty()) {
    std::string model = "policy";
    try {
      if (item.is_string() || item.contains("model")) model = model_call_from_json(item).name;
    } catch (const std::invalid_argument&) {
    }
    name = fmt::format("{}-{}", model, index + 1);
  }
  return ServiceScalingSpec::Policy{std::move(name), std::move(*spec)};
}

std::optional<ServiceScalingSpec> parse(const json& scaling, const std::string& base, const std::string& service,
                                        const ScalingTargetKind& kind, std::vector<Diagnostic>& out) {
  ServiceScalingSpec s;
  PolicyInputContext ctx;
  ctx.service = service;
  ctx.service_namespace = kind.service_namespace;
  s.limits = {1, 10 * std::max(kind.initial_capacity, 1)};
  const std::size_t before = out.size();
  const json* policies = &scaling;
  std::string policies_base = base;
  if (scaling.is_object()) {
    policies = member(scaling, "policies");
    policies_base = base + "/policies";
    const json* target = member(scaling, "scalable_target");
    const bool aws = target && target->is_object();
    if (aws) {  // register-scalable-target: the identity, when given, must be this service's target
      JsonFields identity(*target, base + "/scalable_target", "a register-scalable-target document", out);
      read_target_identity(identity, ctx, false);
    }
    const json& limits_from = aws ? *target : scaling;
    const std::string lbase = aws ? base + "/scalable_target" : base;
    const char* min_key = aws ? "MinCapacity" : "min_capacity";
    const char* max_key = aws ? "MaxCapacity" : "max_capacity";
    if (auto v = capacity(limits_from, min_key, lbase + "/" + min_key, out)) s.limits.min = *v;
    if (auto v = capacity(limits_from, max_key, lbase + "/" + max_key, out)) s.limits.max = *v;
    if (s.limits.min > s.limits.max)
      out.push_back({lbase + "/" + max_key, fmt::format("the maximum capacity ({}) is below the minimum ({}); raise {} or lower {}",
                                                        s.limits.max, s.limits.min, max_key, min_key)});
    const json* suspended = aws ? member(*target, "SuspendedState") : member(scaling, "suspended");
    if (suspended) {
      const std::string sbase = lbase + (aws ? "/SuspendedState" : "/suspended");
      const char* in = aws ? "DynamicScalingInSuspended" : "dynamic_scaling_in";
      const char* out_key = aws ? "DynamicScalingOutSuspended" : "dynamic_scaling_out";
      const char* sched = aws ? "ScheduledScalingSuspended" : "scheduled_scaling";
      s.suspended.dynamic_scaling_in = flag(*suspended, in, sbase + "/" + in, out);
      s.suspended.dynamic_scaling_out = flag(*suspended, out_key, sbase + "/" + out_key, out);
      s.suspended.scheduled_scaling = flag(*suspended, sched, sbase + "/" + sched, out);
    }
    if (flag(scaling, "high_resolution_metrics", base + "/high_resolution_metrics", out))
      s.metric_resolution = SimTime::from_ns(20'000'000'000);
  }
  // Alarms first (put-metric-alarm JSON): step policies find theirs by AlarmActions.
  if (scaling.is_object())
    if (const json* alarms = member(scaling, "alarms"); alarms && alarms->is_array())
      for (std::size_t a = 0; a < alarms->size(); ++a) {
        const json& doc = (*alarms)[a];
        auto alarm = build_alarm(doc, at(base + "/alarms", a), out);
        if (alarm) s.alarms.push_back(*alarm);
        ctx.alarms[str_or(doc, "AlarmName", fmt::format("alarm-{}", a + 1))] = std::move(alarm);
      }
  if (policies && policies->is_array())
    for (std::size_t p = 0; p < policies->size(); ++p) {
      if (auto pol = policy((*policies)[p], at(policies_base, p), p, ctx, out)) s.policies.push_back(std::move(*pol));
      // A policy on the HighResolution metrics opts the service in to 20 s CPU and memory
      // datapoints (in AWS a service setting; it is implied here so the policy has its metric).
      const std::string text = (*policies)[p].dump();
      if (text.find("high_resolution") != std::string::npos || text.find("HighResolution") != std::string::npos)
        s.metric_resolution = SimTime::from_ns(20'000'000'000);
    }
  if (scaling.is_object())
    if (const json* actions = member(scaling, "scheduled_actions"); actions && actions->is_array())
      for (std::size_t a = 0; a < actions->size(); ++a)
        if (auto action = build_scheduled_action((*actions)[a], at(base + "/scheduled_actions", a), out))
          s.scheduled_actions.push_back(std::move(*action));
  for (const auto& p : s.policies)
    if (p.spec.evaluation_period && *p.spec.evaluation_period < s.evaluation_period) s.evaluation_period = *p.spec.evaluation_period;
  if (out.size() != before) return std::nullopt;
  return s;
}

}  // namespace

void check_service_scaling(const json& scaling, const std::string& base, const std::string& service, const ScalingTargetKind& kind,
                           std::vector<Diagnostic>& out) {
  parse(scaling, base, service, kind, out);
}

std::shared_ptr<const ServiceScalingSpec> build_service_scaling(const json& scaling, const std::string& base,
                                                                const std::string& service, const ScalingTargetKind& kind) {
  std::vector<Diagnostic> out;
  auto s = parse(scaling, base, service, kind, out);
  if (!s) throw ScenarioError(std::move(out));
  if (s->policies.empty() && s->scheduled_actions.empty() && s->alarms.empty()) return nullptr;
  return std::make_shared<const ServiceScalingSpec>(std::move(*s));
}

}  // namespace fargatelab::detail
