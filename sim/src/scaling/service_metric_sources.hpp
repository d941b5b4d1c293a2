// Metric sources for a service's tasks and its front door (cloudwatch.hpp), computed the way
// AWS defines each metric. They read the serving side (serving/service.hpp) and never change it.
//
//  * AWS/ECS CPUUtilization, Average: (CPU used by the service's tasks) x 100 / (CPU reserved by
//    them) over the period, i.e. a ratio of the period's sums ("Amazon ECS service utilization
//    metrics", ECS developer guide). No running task in the whole period: no datapoint.
//  * AWS/ECS MemoryUtilization, Average: MiB used x 100 / MiB reserved over the service's tasks,
//    sampled at the period's end ("each minute, the Amazon ECS container agent calculates the
//    ... MiB of memory that are currently being used for each task", same page). A task uses
//    ServingSpec::memory_baseline_mib plus memory_per_request_mib per request in it.
//  * ECS/ContainerInsights RunningTaskCount, Average: tasks in RUNNING, time-averaged over the
//    period (0 is a datapoint: the service exists).
//  * AWS/ApplicationELB RequestCount, Sum: requests the target group received; "Reporting
//    criteria: There is a nonzero value" (ALB CloudWatch metrics): no requests, no datapoint.
//  * AWS/ApplicationELB RequestCountPerTarget, Sum: RequestCount over the healthy targets
//    ("Reporting criteria: Always reported", so 0 is a datapoint). With no healthy target the
//    simulator divides by the registered targets, and with none by 1 (AWS does not document
//    either case; the request count itself then reaches the policy, as scale-from-zero needs).
//  * AWS/SQS ApproximateNumberOfMessagesVisible, ApproximateNumberOfMessagesNotVisible (received,
//    in flight) and ApproximateAgeOfOldestMessage: the queue's state at the period's end (SQS
//    samples its queues once a minute).
#pragma once

#include <memory>

#include "scaling/cloudwatch.hpp"
#include "serving/service.hpp"

namespace fargatelab::detail {

std::unique_ptr<DatapointSource> cpu_utilization_source(Service& service);
std::unique_ptr<DatapointSource> memory_utilization_source(const Service& service);
std::unique_ptr<DatapointSource> running_task_count_source(const Service& service);
std::unique_ptr<DatapointSource> alb_request_count_source(const Service& service);
std::unique_ptr<DatapointSource> alb_request_count_per_target_source(const Service& service);
std::unique_ptr<DatapointSource> sqs_visible_messages_source(const Service& service);
std::unique_ptr<DatapointSource> sqs_in_flight_messages_source(const Service& service);  // NotVisible
std::unique_ptr<DatapointSource> sqs_oldest_message_age_source(const Service& service);

// Adds every metric above that applies to `service` (CPU and memory at `resolution`, 60 s or a
// high resolution; the rest at 60 s): ECS metrics for a service whose tasks run on an ECS launch
// type, ALB metrics behind an ALB, SQS metrics with a queue.
void publish_service_metrics(CloudWatch& cw, Service& service, bool ecs_tasks, Duration resolution);

}  // namespace fargatelab::detail
