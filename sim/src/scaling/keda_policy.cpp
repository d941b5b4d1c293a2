// KEDA-style SQS scaler (rules in keda_policy.hpp).
#include "scaling/keda_policy.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "scaling/metric_keys.hpp"

namespace fargatelab::detail {

KedaSqsPolicy::KedaSqsPolicy(KedaSqsSettings settings, std::string service)
    : settings_(std::move(settings)),
      key_(metric_keys::sqs("ApproximateNumberOfMessagesVisible", settings_.queue.empty() ? service : settings_.queue,
                            Statistic::average, settings_.metric_period)),
      in_flight_key_(metric_keys::sqs("ApproximateNumberOfMessagesNotVisible", settings_.queue.empty() ? service : settings_.queue,
                                      Statistic::average, settings_.metric_period)),
      controller_(settings_.behavior),
      polling_(settings_.polling_interval) {
  if (!(settings_.queue_length > 0)) throw std::invalid_argument("keda_sqs needs a queueLength > 0");
}

Recommendation KedaSqsPolicy::evaluate(const MetricView& metrics, const TargetState& target) {
  if (!polling_.due(target.now)) return Recommendation::abstain();
  controller_.observe(target.now, target.desired);
  const auto latest = fresh_datapoint(metrics, key_, target.now);
  if (!latest) return Recommendation::hold();  // a failed read changes nothing
  double messages = latest->value;
  if (settings_.scale_on_in_flight)
    if (const auto in_flight = fresh_datapoint(metrics, in_flight_key_, target.now)) messages += in_flight->value;
  const bool active = messages > settings_.activation_queue_length;
  if (active || !last_active_) last_active_ = target.now;  // the cooldown counts from the first poll at the latest

  if (target.desired == 0) {
    if (!active) return Recommendation::hold();
    const int to = std::max(1, settings_.min_replicas);
    return Recommendation::to(to, fmt::format("KEDA: scaler active ({} messages > activationQueueLength {}), scaling from 0 to {}",
                                              messages, settings_.activation_queue_length, to));
  }
  if (!active && settings_.min_replicas == 0 && target.now - *last_active_ >= settings_.cooldown_period)
    return Recommendation::to(0, fmt::format("KEDA: scaler inactive for cooldownPeriod {} s, scaling to minReplicaCount 0",
                                             settings_.cooldown_period.to_seconds()));
  // The HPA on the external metric, target averageValue = queueLength.
  const double ratio = messages / (settings_.queue_length * target.desired);
  const int proposal = controller_.within_tolerance(ratio)
                           ? target.desired
                           : static_cast<int>(std::ceil(messages / settings_.queue_length - 1e-9));
  const int floor = std::max(1, settings_.min_replicas);
  const int replicas = std::max(floor, controller_.decide(target.now, target.desired, std::max(floor, proposal)));
  if (replicas == target.desired) return Recommendation::hold();
  return Recommendation::to(replicas, fmt::format("New size: {}; reason: external metric {} {} target", replicas,
                                                  key_.name, replicas > target.desired ? "above" : "below"));
}

void add_keda_sqs_policy(Registry<ScalingPolicySpec>& r) {
  std::vector<ParamSpec> params{
      {"queue_length", ParamType::number, false, 5, 0.0, {}, true, "queueLength: target messages per task (KEDA default 5)"},
      {"activation_queue_length", ParamType::number, false, 0, 0.0, {}, false,
       "activationQueueLength: active above this many messages (KEDA default 0)"},
      {"polling_interval", ParamType::duration, false, 30, 0.0, 3600.0, true, "pollingInterval (KEDA default 30 s)"},
      {"cooldown_period", ParamType::duration, false, 300, 0.0, 86400.0, false,
       "cooldownPeriod: inactive this long before scaling to 0 (KEDA default 300 s)"},
      {"min_replicas", ParamType::integer, false, 0, 0.0, {}, false, "minReplicaCount (KEDA default 0)"},
      {"queue", ParamType::string, false, "", {}, {}, false, "SQS queue name; default the service's own queue"},
      {"scale_on_in_flight", ParamType::boolean, false, true, {}, {}, false,
       "scaleOnInFlight: count the messages in flight too (KEDA default true)"},
      {"metric_period", ParamType::duration, false, 60, 0.0, 3600.0, true, "the CloudWatch period read (60 s)"}};
  for (ParamSpec& p : hpa_behavior_params()) params.push_back(std::move(p));
  r.add({"keda_sqs", "KEDA aws-sqs-queue scaler: desired = ceil(visible messages / queue_length), 0 -> 1 on activation, to 0 "
                     "after cooldown_period inactive",
         std::move(params)},
        [](const Params& p, Problems&) -> std::optional<ScalingPolicySpec> {
          KedaSqsSettings s;
          s.queue_length = p.number("queue_length");
          s.activation_queue_length = p.number("activation_queue_length");
          s.polling_interval = p.duration("polling_interval");
          s.cooldown_period = p.duration("cooldown_period");
          s.min_replicas = static_cast<int>(p.integer("min_replicas"));
          s.queue = p.string("queue");
          s.scale_on_in_flight = p.boolean("scale_on_in_flight");
          s.metric_period = p.duration("metric_period");
          s.behavior = hpa_behavior_from(p);
          return ScalingPolicySpec{[s](const PolicyContext& ctx) { return std::make_unique<KedaSqsPolicy>(s, ctx.service); },
                                   s.polling_interval};
        });
}

}  // namespace fargatelab::detail
