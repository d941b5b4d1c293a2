// A KEDA-style SQS queue scaler (KEDA ScaledObject with the aws-sqs-queue trigger), so a team
// moving from EKS can compare it with AAS policies on the same queue.
//
// KEDA's behaviour (KEDA docs "Scaling Deployments" ScaledObject spec and the "AWS SQS Queue"
// scaler; defaults as documented there):
//  * every pollingInterval (default 30 s) KEDA reads the queue; the scaler is active when the
//    messages exceed activationQueueLength (default 0);
//  * at 0 replicas an active scaler scales to 1 (KEDA's own 0 -> 1 step); with replicas >= 1 the
//    HPA KEDA creates scales on the external metric with target averageValue = queueLength
//    (default 5): desired = ceil(messages / queueLength), with the HPA's tolerance,
//    stabilisation and rate limits (hpa_policy.hpp), never below 1 (the HPA's minReplicas);
//  * when the scaler has been inactive for cooldownPeriod (default 300 s) since it was last
//    active, KEDA scales to minReplicaCount (default 0);
//  * a failing read changes nothing (no fallback configured).
// The metric is CloudWatch's ApproximateNumberOfMessagesVisible of the queue
// (metric_keys::sqs), plus ApproximateNumberOfMessagesNotVisible (the messages in flight) with
// KEDA's scaleOnInFlight (default true): without it a worker that keeps up (nothing visible at
// the minute) is scaled to zero while it still processes. Not modelled: idleReplicaCount,
// maxReplicaCount (the target's MaxCapacity plays it), fallback.
#pragma once

#include <optional>
#include <string>

#include "scaling/hpa_policy.hpp"

namespace fargatelab::detail {

struct KedaSqsSettings {
  double queue_length = 5;             // queueLength: messages per replica
  double activation_queue_length = 0;  // activationQueueLength
  Duration polling_interval = seconds(30);
  Duration cooldown_period = seconds(300);
  int min_replicas = 0;  // minReplicaCount
  bool scale_on_in_flight = true;  // scaleOnInFlight: count the messages in flight too
  std::string queue;     // "" = the scaled service's own queue (named after it)
  Duration metric_period = seconds(60);
  HpaBehavior behavior;
};

class KedaSqsPolicy final : public ScalingPolicy {
 public:
  KedaSqsPolicy(KedaSqsSettings settings, std::string service);
  Recommendation evaluate(const MetricView& metrics, const TargetState& target) override;

 private:
  KedaSqsSettings settings_;
  MetricKey key_, in_flight_key_;
  HpaController controller_;
  SyncPeriod polling_;
  std::optional<SimTime> last_active_;
};

// Registers "keda_sqs(queue_length=5, ...)".
void add_keda_sqs_policy(Registry<ScalingPolicySpec>& r);

}  // namespace fargatelab::detail
