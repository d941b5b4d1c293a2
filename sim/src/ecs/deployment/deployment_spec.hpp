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
  // MiB per hour its tasks' memory grows by from RUNNING (a leak; 0: none): at the task's memory
  // the essential container is killed (OutOfMemoryError, exit code 137).
  double memory_leak_mib_per_hour = 0;
  bool good() const noexcept { return !exit_after && !fail_health_checks && !effects.any() && memory_leak_mib_per_hour == 0; }
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

// deploymentConfiguration.strategy: the rolling update, or the blue/green family (ECS native
// blue/green, linear and canary, since 2025: aws-facts-2.md 2.4).
enum class DeploymentStrategy : std::uint8_t { rolling, blue_green, linear, canary };
const char* to_string(DeploymentStrategy s) noexcept;  // "ROLLING", "BLUE_GREEN", "LINEAR", "CANARY"

// The lifecycle stages of a blue/green-family deployment, in order (ECS developer guide, "How
// Amazon ECS blue/green deployments work"; aws-facts-2.md 2.4). PRE_PRODUCTION_TRAFFIC_SHIFT,
// PRODUCTION_TRAFFIC_SHIFT and POST_PRODUCTION_TRAFFIC_SHIFT run once per traffic step.
enum class LifecycleStage : std::uint8_t {
  reconcile_service, pre_scale_up, scale_up, post_scale_up, test_traffic_shift, post_test_traffic_shift,
  pre_production_traffic_shift, production_traffic_shift, post_production_traffic_shift, bake_time, clean_up
};
constexpr std::size_t kLifecycleStageCount = 11;
const char* to_string(LifecycleStage s) noexcept;  // "RECONCILE_SERVICE", ...
std::optional<LifecycleStage> parse_lifecycle_stage(const std::string& s) noexcept;
// Stages that take hooks: every stage but SCALE_UP, BAKE_TIME and CLEAN_UP; TEST_TRAFFIC_SHIFT
// and PRODUCTION_TRAFFIC_SHIFT take Lambda hooks only (aws-facts-2.md 2.4).
bool takes_hooks(LifecycleStage s) noexcept;
bool takes_pause_hooks(LifecycleStage s) noexcept;

// A lifecycle hook as the simulator runs it. AWS's hook is a Lambda function (or, since
// 2026-05-19, a pause); what the function decides is the user's code, so the scenario says how
// long it takes and what it returns. Hooks of one stage run in parallel: the stage lasts as long
// as the slowest, and any FAILED rolls the deployment back.
struct LifecycleHook {
  enum class Type : std::uint8_t { lambda, pause };
  std::vector<LifecycleStage> stages;
  Type type = Type::lambda;
  Duration duration;          // Lambda: until its final answer (<= 15 min per invocation, it may
                              // answer IN_PROGRESS and be called again); pause: until continued
  bool fails = false;         // Lambda: returns FAILED; pause: ROLLBACK instead of CONTINUE
  std::optional<Duration> continue_after;  // pause: continue-service-deployment after this; none: the timeout
  Duration timeout = SimTime::from_ns(1440LL * 60 * 1'000'000'000);  // pause: default 1,440 min
                                                                     // (CODE_DEPLOY Lambda hooks: 1 h, service_traffic_shift.cpp)
  bool timeout_rollback = true;  // pause: timeout action ROLLBACK (default) or CONTINUE
};

// Traffic shifting of the blue/green family (API DeploymentConfiguration.bakeTimeInMinutes,
// linearConfiguration, canaryConfiguration).
struct TrafficShiftConfig {
  Duration bake_time;        // bakeTimeInMinutes: blue and green both run after 100 % is on green
  double step_percent = 100; // canaryPercent (CANARY), stepPercent (LINEAR, 3.0-100.0); 100: BLUE_GREEN
  Duration step_bake;        // canaryBakeTimeInMinutes / stepBakeTimeInMinutes (none after the 100 % step)
  // The production listener's weight on green after each step, in percent, ending at 100.
  std::vector<double> steps(DeploymentStrategy s) const;
};

// deploymentConfiguration.alarms (DeploymentAlarms): CloudWatch alarms watched from the start
// of the deployment; one in ALARM when the deployment starts is ignored for it.
struct DeploymentAlarmsConfig {
  bool enable = false;
  bool rollback = false;
  std::vector<std::string> names;
};

// The service's deploymentController.type: ECS (rolling update or the native blue/green family)
// or CODE_DEPLOY (AWS CodeDeploy blue/green with a deployment configuration: ecs/deployment/codedeploy_input.hpp).
enum class DeploymentController : std::uint8_t { ecs, code_deploy };

// CodeDeploy's names for the blue/green family's stages it runs (CodeDeploy user guide,
// "AppSpec 'hooks' section for an Amazon ECS deployment": BeforeInstall, Install, AfterInstall,
// AllowTestTraffic, AfterAllowTestTraffic, BeforeAllowTraffic, AllowTraffic, AfterAllowTraffic),
// plus the two steps after AfterAllowTraffic that are not lifecycle events, named as the console
// lists them: "TerminationWait" (terminationWaitTimeInMinutes) and "TerminateOriginalTaskSet".
// nullptr for RECONCILE_SERVICE, which CodeDeploy does not have.
const char* codedeploy_event_name(LifecycleStage s) noexcept;
// The lifecycle events that take a Lambda hook (BeforeInstall, AfterInstall,
// AfterAllowTestTraffic, BeforeAllowTraffic, AfterAllowTraffic) as the stage they run at.
std::optional<LifecycleStage> parse_codedeploy_hook_event(const std::string& s) noexcept;
// The hookable lifecycle events, in order.
const std::vector<std::string>& codedeploy_hook_events();

// A deployment's configuration (API DeploymentConfiguration; with CODE_DEPLOY, the deployment
// group's and deployment configuration's settings mapped onto the same traffic shift).
struct DeploymentConfig {
  DeploymentController controller = DeploymentController::ecs;
  // CODE_DEPLOY: the deployment configuration's name ("CodeDeployDefault.ECSCanary10Percent5Minutes",
  // or the custom one's deploymentConfigName) for events. The shift is `strategy` + `shift`:
  // AllAtOnce is BLUE_GREEN, TimeBasedCanary CANARY, TimeBasedLinear LINEAR, with the interval
  // as the step bake and terminationWaitTimeInMinutes as the bake time.
  std::string codedeploy_config;
  DeploymentStrategy strategy = DeploymentStrategy::rolling;
  int minimum_healthy_percent = 100;  // REPLICA default 100 % (rolling)
  int maximum_percent = 200;          // REPLICA default 200 % (rolling)
  CircuitBreakerConfig circuit_breaker;  // rolling only
  TrafficShiftConfig shift;              // blue/green family only
  DeploymentAlarmsConfig alarms;
  std::vector<LifecycleHook> hooks;      // blue/green family
  bool blue_green_family() const noexcept { return strategy != DeploymentStrategy::rolling; }
  bool code_deploy() const noexcept { return controller == DeploymentController::code_deploy; }
};

// One entry of a service's deployments: at `at`, roll out revision `revision` (0 is the
// service's own task, the deployment that created the service; k >= 1 is
// ServiceDeployments::revisions[k - 1]); or, with `rollback`, stop the deployment in progress
// and roll it back (stop-service-deployment --stop-type ROLLBACK, "1-click rollback", GA
// 2025-05-05: works without a rollback configured).
struct DeploymentSpec {
  Duration at;
  std::size_t revision = 0;
  DeploymentConfig config;
  std::string strategy;  // as given (short form text or "deploymentConfiguration"), for events
  bool rollback = false;
};

struct ServiceDeployments {
  std::vector<Revision> revisions;          // the scenario's, in its order (revision numbers 1, 2, ...)
  std::vector<DeploymentSpec> deployments;  // in time order
};

}  // namespace fargatelab::detail
