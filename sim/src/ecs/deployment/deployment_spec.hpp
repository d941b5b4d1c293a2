// A service's task definition revisions and the deployments that roll them out (ECS
// deployment controller, rolling update). Parsed from the service's "revisions" and
// "deployments" (deployment_input.hpp); run by the service scheduler (ecs/service_deployment.cpp).
//
// Sources: ECS developer guide, "Deploy Amazon ECS services by replacing tasks" (rolling update:
// minimumHealthyPercent rounded up, maximumPercent rounded down; a task without load balancer
// or container health checks counts as healthy 40 s after RUNNING) and "How the Amazon ECS
// deployment circuit breaker detects failures"; API DeploymentConfiguration,
// DeploymentCircuitBreaker, ThresholdConfiguration (aws-facts-2.md section 2).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fargatelab/random.hpp"
#include "fargatelab/scenario.hpp"
#include "fargatelab/time.hpp"
#include "serving/request_effects.hpp"

namespace fargatelab::detail {

// How a revision misbehaves (issue: "bad versions"); a good revision has none of these.
struct TaskBehavior {
  // The essential container exits this many seconds after the task reaches RUNNING (stop code
  // EssentialContainerExited): a crash at start, or a crash loop when ECS keeps replacing it.
  std::optional<Distribution> exit_after;
  // Every load balancer health check of its tasks fails (the target never turns healthy).
  bool fail_health_checks = false;
  // What its tasks do to the requests they serve: an error share (HTTP 500s), a CPU factor,
  // extra latency (serving/request_effects.hpp).
  RequestEffects effects;
  bool good() const noexcept { return !exit_after && !fail_health_checks && !effects.any(); }
};

// A task definition revision: the service's task as this revision changes it.
struct Revision {
  std::string name;
  TaskSpec task;
  TaskBehavior behavior;
};

// ThresholdConfiguration.type (since 2026-07-01; BOUNDED_PERCENT is the default).
enum class ThresholdType : std::uint8_t { bounded_percent, unbounded_percent, count };
const char* to_string(ThresholdType t) noexcept;

// DeploymentCircuitBreaker with its ThresholdConfiguration.
struct CircuitBreakerConfig {
  bool enable = false;
  bool rollback = false;
  ThresholdType threshold_type = ThresholdType::bounded_percent;
  double threshold_value = 50;        // percent of the desired count, or a count (COUNT)
  bool reset_on_healthy_task = true;  // consecutive failures (true) or cumulative (false)
};

// DeploymentConfiguration of the ECS rolling update.
struct RollingConfig {
  int minimum_healthy_percent = 100;  // REPLICA default 100 %
  int maximum_percent = 200;          // REPLICA default 200 %
  CircuitBreakerConfig circuit_breaker;
};

// One deployment: at `at`, roll out revision `revision`: 0 is the service's own task (the
// deployment that created the service), k >= 1 is ServiceDeployments::revisions[k - 1].
struct DeploymentSpec {
  Duration at;
  std::size_t revision = 0;
  RollingConfig config;
  std::string strategy;  // as given (short form text or "deploymentConfiguration"), for events
};

struct ServiceDeployments {
  std::vector<Revision> revisions;          // the scenario's, in its order (revision numbers 1, 2, ...)
  std::vector<DeploymentSpec> deployments;  // in time order
};

}  // namespace fargatelab::detail
