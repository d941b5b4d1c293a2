#include "scaling/service_auto_scaling.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "ecs/deployment/deployment_spec.hpp"
#include "scaling/custom_policy_adapter.hpp"
#include "scaling/metric_keys.hpp"
#include "scaling/predictive_policy.hpp"
#include "scaling/service_metric_sources.hpp"
#include "scaling/service_scaling_spec.hpp"

namespace fargatelab::detail {

AutoScaling::AutoScaling(Simulation& sim, const ScenarioSpec& spec, const std::vector<Service*>& services,
                         const std::vector<ServiceScheduler*>& schedulers, const std::vector<PlatformRuntime*>& platforms,
                         int replication, RunResult& result, const std::vector<CustomPolicy>& custom_policies)
    : sim_(sim), spec_(spec), replication_(replication), result_(result) {
  std::vector<LaunchType*> launch_types;  // by service: its ECS tasks' launch type, or null
  for (PlatformRuntime* p : platforms) launch_types.push_back(p->launch_type());
  const bool any = std::any_of(spec.services.begin(), spec.services.end(), [](const ServiceSpec& s) { return s.scaling != nullptr; });
  if (!any && !spec.output.cloudwatch_metrics && custom_policies.empty()) return;
  cloudwatch_ = std::make_unique<CloudWatch>(sim, store_, CloudWatchSettings{spec.cloudwatch.publication_delay});
  std::vector<std::vector<MetricKey>> keys_of(services.size());  // each service's published metrics
  for (std::size_t i = 0; i < services.size(); ++i) {
    const ServiceSpec& sv = spec.services[i];
    const Duration resolution = sv.scaling ? sv.scaling->metric_resolution : metric_keys::kStandardPeriod;
    const std::size_t before = cloudwatch_->keys().size();
    publish_service_metrics(*cloudwatch_, *services[i], launch_types[i] != nullptr, resolution);
    platforms[i]->publish_metrics(i, *cloudwatch_);
    keys_of[i].assign(cloudwatch_->keys().begin() + static_cast<std::ptrdiff_t>(before), cloudwatch_->keys().end());
  }
  if (spec.output.cloudwatch_metrics)
    cloudwatch_->published.connect([this](const MetricSeries& s, const Datapoint& d) {
      const MetricKey& k = s.key();
      result_.cloudwatch.push_back({replication_, d.timestamp.to_seconds(), sim_.now().to_seconds(), k.ns, k.name, k.dimensions,
                                    to_string(k.statistic), k.period.to_seconds(), d.value});
    });
  for (std::size_t i = 0; i < services.size(); ++i) {
    const ServiceSpec& sv = spec.services[i];
    if (!sv.scaling) continue;
    ScalableTarget* platform_target = launch_types[i] ? nullptr : platforms[i]->scalable_target(i);
    if (!launch_types[i] && !platform_target) continue;
    Scaled* raw = &scaled_for(i, sv, *schedulers[i], launch_types[i], platform_target, sv.scaling->evaluation_period);
    Scaled* s = raw;
    for (const MetricKey& k : keys_of[i])
      if (k.ns == "AWS/ECS" && k.period < metric_keys::kStandardPeriod) s->high_resolution_metrics += 1;
    s->target->set_limits(sv.scaling->limits);
    s->target->set_suspended(sv.scaling->suspended);
    if (!sv.scaling->policies.empty()) {
      for (const auto& p : sv.scaling->policies) {
        auto policy = p.spec.instantiate(context(*s));
        for (const Alarm* alarm : policy->alarms()) {
          alarm->state_changed.connect([this, raw](const Alarm& al, const AlarmStateChange& c) { on_alarm(*raw, al, c); });
          if (std::none_of(raw->alarms.begin(), raw->alarms.end(), [&](const Alarm* a) { return a->name() == alarm->name(); }))
            raw->alarms.push_back(alarm);
        }
        s->evaluator->add(p.name, std::move(policy));
      }
    }
    if (sv.deployments) {
      std::vector<std::string> names;
      for (const DeploymentSpec& d : sv.deployments->deployments)
        for (const std::string& n : d.config.alarms.names)
          if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
      if (!names.empty()) {
        s->deployment_alarms = std::make_unique<DeploymentAlarms>(sim, store_, *schedulers[i], sv.scaling->alarms, names,
                                                                 spec.cloudwatch.publication_delay);
        for (const auto& alarm : s->deployment_alarms->alarms()) {
          alarm->state_changed.connect([this, raw](const Alarm& al, const AlarmStateChange& c) { on_alarm(*raw, al, c); });
          if (std::none_of(raw->alarms.begin(), raw->alarms.end(), [&](const Alarm* a) { return a->name() == alarm->name(); }))
            raw->alarms.push_back(alarm.get());
        }
      }
    }
    if (!sv.scaling->scheduled_actions.empty()) {
      s->scheduled = std::make_unique<ScheduledScaling>(sim, *s->target, spec.start_unix_seconds);
      for (const auto& a : sv.scaling->scheduled_actions) s->scheduled->add(a);
      s->scheduled->scaled.connect([this, raw](const ScalingActivity& a) { on_activity(*raw, a); });
    }
  }
  for (const CustomPolicy& p : custom_policies) {
    const auto it = std::find_if(spec.services.begin(), spec.services.end(), [&](const ServiceSpec& s) { return s.name == p.service; });
    const std::size_t i = static_cast<std::size_t>(it - spec.services.begin());
    ScalableTarget* platform_target =
        it == spec.services.end() || launch_types[i] ? nullptr : platforms[i]->scalable_target(i);
    if (it == spec.services.end() || (!launch_types[i] && !platform_target))
      throw ScenarioError({{"/services", fmt::format("policy \"{}\": service \"{}\" has no scalable target (its platform "
                                                    "scales itself)", p.name, p.service)}});
    Scaled& s = scaled_for(i, *it, *schedulers[i], launch_types[i], platform_target,
                           std::min(p.period, metric_keys::kStandardPeriod));
    s.evaluator->add(p.name, std::make_unique<CustomPolicyAdapter>(p, keys_of[i]));
  }
}

PolicyContext AutoScaling::context(const Scaled& s) const {
  // The namespace is the ScalableDimension's prefix: "ecs:service:DesiredCount" -> "ecs".
  const std::string dimension = s.target->scalable_dimension();
  return PolicyContext{spec_.services[s.service].name, s.service, dimension.substr(0, dimension.find(':')), s.target->resource_id()};
}

AutoScaling::Scaled& AutoScaling::scaled_for(std::size_t i, const ServiceSpec& sv, ServiceScheduler& scheduler,
                                             LaunchType* launch_type, ScalableTarget* platform_target,
                                             Duration evaluation_period) {
  for (auto& s : scaled_)
    if (s->service == i) {
      if (!s->evaluator) {
        s->evaluator = std::make_unique<PolicyEvaluator>(sim_, *s->target, store_, evaluation_period);
        Scaled* raw = s.get();
        s->evaluator->scaled.connect([this, raw](const ScalingActivity& a) { on_activity(*raw, a); });
      }
      return *s;
    }
  auto s = std::make_unique<Scaled>();
  s->service = i;
  // A service without a scaling section: the section's default limits (scaling_input.hpp).
  if (launch_type) {
    s->ecs_target = std::make_unique<EcsServiceTarget>(scheduler, static_cast<std::int32_t>(i), sv.name,
                                                       CapacityLimits{1, 10 * std::max(sv.desired_count, 1)});
    s->ecs_target->follow(*launch_type);
    s->target = s->ecs_target.get();
  } else {
    s->target = platform_target;  // its limits: the section's (set by the caller) or the target's own
  }
  s->desired_min = s->desired_max = launch_type ? sv.desired_count : s->target->desired_capacity();
  Scaled* raw = s.get();
  s->evaluator = std::make_unique<PolicyEvaluator>(sim_, *s->target, store_, evaluation_period);
  s->evaluator->scaled.connect([this, raw](const ScalingActivity& a) { on_activity(*raw, a); });
  scaled_.push_back(std::move(s));
  return *raw;
}

AutoScaling::~AutoScaling() = default;

void AutoScaling::start() {
  if (!cloudwatch_) return;
  cloudwatch_->start();  // before the evaluators: at one instant, periods close first
  for (auto& s : scaled_) {
    if (s->scheduled) s->scheduled->start();
    if (s->evaluator) s->evaluator->start();
    if (s->deployment_alarms) s->deployment_alarms->start();
  }
}

void AutoScaling::on_activity(Scaled& s, const ScalingActivity& a) {
  (a.to > a.from ? s.scale_outs : s.scale_ins) += 1;
  s.desired_min = std::min(s.desired_min, a.to);
  s.desired_max = std::max(s.desired_max, a.to);
  if (spec_.output.event_log)
    result_.events.push_back({result_.next_seq++, replication_, a.at.to_seconds(), "scaling_activity",
                              spec_.services[s.service].name,
                              {{"resource_id", s.target->resource_id()},
                               {"from", a.from},
                               {"to", a.to},
                               {"requested", a.requested},
                               {"policy", a.policy},
                               {"cause", a.cause}}});
}

void AutoScaling::on_alarm(Scaled& s, const Alarm& alarm, const AlarmStateChange& c) {
  ++s.alarm_changes;
  if (spec_.output.event_log)
    result_.events.push_back({result_.next_seq++, replication_, c.at.to_seconds(), "alarm_state", spec_.services[s.service].name,
                              {{"alarm", alarm.name()}, {"from", to_string(c.from)}, {"to", to_string(c.to)}, {"reason", c.reason}}});
}

void AutoScaling::collect_forecasts() const {
  for (const auto& s : scaled_) {
    if (!s->evaluator) continue;
    for (std::size_t k = 0; k < s->evaluator->policies(); ++k) {
      const auto* predictive = dynamic_cast<const PredictivePolicy*>(&s->evaluator->policy(k));
      if (!predictive) continue;
      for (const ForecastPoint& f : predictive->forecasts())
        result_.forecasts.push_back({replication_, spec_.services[s->service].name, s->evaluator->policy_name(k),
                                     f.made_at.to_seconds(), f.hour.to_seconds(), f.load, f.capacity});
    }
  }
}

void AutoScaling::report_service(std::size_t i, ServiceResults& service) const {
  for (const auto& s : scaled_) {
    if (s->service != i) continue;
    ScalingResults r;
    r.policies = s->evaluator ? s->evaluator->policies() : std::size_t{0};
    r.evaluations = s->evaluator ? s->evaluator->evaluations() : std::uint64_t{0};
    r.scheduled_actions = s->scheduled ? s->scheduled->actions() : std::size_t{0};
    r.scheduled_runs = s->scheduled ? s->scheduled->runs() : std::uint64_t{0};
    r.scale_outs = s->scale_outs;
    r.scale_ins = s->scale_ins;
    r.alarm_state_changes = s->alarm_changes;
    r.desired_min = s->desired_min;
    r.desired_max = s->desired_max;
    r.desired_at_end = s->target->desired_capacity();
    r.min_capacity = s->target->limits().min;
    r.max_capacity = s->target->limits().max;
    service.scaling = r;
  }
}

std::vector<CloudWatchUsage> AutoScaling::cloudwatch_usage() const {
  std::vector<CloudWatchUsage> out;
  for (const auto& s : scaled_) {
    CloudWatchUsage u{.name = spec_.services[s->service].name, .high_resolution_metrics = s->high_resolution_metrics};
    for (const Alarm* a : s->alarms) {
      const auto metrics = static_cast<double>(a->spec().metric.queries().size());
      (a->spec().period() < metric_keys::kStandardPeriod ? u.high_resolution_alarm_metrics : u.alarm_metrics) += metrics;
    }
    if (u.alarm_metrics > 0 || u.high_resolution_alarm_metrics > 0 || u.high_resolution_metrics > 0) out.push_back(std::move(u));
  }
  return out;
}

}  // namespace fargatelab::detail
