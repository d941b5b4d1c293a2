// The service scheduler's blue/green family: ECS native BLUE_GREEN, LINEAR and CANARY
// deployments (ECS developer guide, "How Amazon ECS blue/green deployments work",
// deployment-type-linear, canary-deployment; aws-facts-2.md 2.4).
//
// The lifecycle, stage by stage (an event of kind "stage" at each):
//   RECONCILE_SERVICE, PRE_SCALE_UP, then SCALE_UP: green (the new revision, in the other target
//   group) is launched to the full desired count beside blue (up to 2x tasks, all billed) and the
//   stage ends when every green task is healthy (in service in its target group; without a load
//   balancer 40 s after RUNNING). POST_SCALE_UP, TEST_TRAFFIC_SHIFT (the test listener reaches
//   green; no production traffic moves), POST_TEST_TRAFFIC_SHIFT; then per traffic step
//   PRE_PRODUCTION_TRAFFIC_SHIFT, PRODUCTION_TRAFFIC_SHIFT (the listener rule's weight on green
//   becomes the step's percent), POST_PRODUCTION_TRAFFIC_SHIFT and the step's bake (canary bake,
//   linear step bake; none after the 100 % step); BAKE_TIME (bakeTimeInMinutes, both fleets
//   running); CLEAN_UP (blue is stopped, draining for the deregistration delay) and COMPLETED
//   once no blue task is left.
// Lifecycle hooks of a stage run in parallel; the stage lasts as long as the slowest, a FAILED
// answer (or a pause continued with ROLLBACK, or timed out with the ROLLBACK action) rolls back
// when it comes. A stage lasting more than 24 h times out and rolls back. Rolling back before
// CLEAN_UP flips the listener back to blue at once (no task relaunched) and stops green; the
// deployment is ROLLBACK_SUCCESSFUL once no green task is left. Blue tasks that fail meanwhile
// are replaced within blue's revision, green ones within green's.
// The circuit breaker is rolling-only (API DeploymentConfiguration), so a green revision that
// never turns healthy holds SCALE_UP until a hook, 1-click rollback or the 24 h timeout ends it.
//
// CODE_DEPLOY (ecs/deployment/codedeploy_input.hpp) runs the same machinery under CodeDeploy's
// lifecycle event names (codedeploy_event_name): BeforeInstall, Install (the replacement task
// set at full size), AfterInstall, AllowTestTraffic, AfterAllowTestTraffic, then BeforeAllowTraffic
// once, AllowTraffic at every step of the configuration (canary or linear interval between
// steps), AfterAllowTraffic once after the 100 % step, TerminationWait
// (terminationWaitTimeInMinutes, both task sets billed) and TerminateOriginalTaskSet. It has no
// RECONCILE_SERVICE. CodeDeploy gives the replacement task set 1 h to reach steady state and
// each Lambda hook 1 h to report (ECS developer guide, deployment-type-bluegreen; aws-facts-2.md
// 2.5): past that the lifecycle event fails and the deployment rolls back.
#include <algorithm>

#include <fmt/format.h>

#include "ecs/service_scheduler.hpp"

namespace fargatelab::detail {
namespace {

// "Each lifecycle stage can last up to 24 hours"; a timeout rolls the deployment back
// (aws-facts-2.md 2.4).
constexpr Duration kStageTimeout = SimTime::from_ns(24LL * 3600 * 1'000'000'000);

// CODE_DEPLOY: the replacement task set's wait for steady state, and a Lambda hook's time to
// call PutLifecycleEventHookExecutionStatus.
constexpr Duration kCodeDeployInstallTimeout = SimTime::from_ns(3600LL * 1'000'000'000);
constexpr Duration kCodeDeployHookTimeout = SimTime::from_ns(3600LL * 1'000'000'000);

LifecycleStage next(LifecycleStage s) { return static_cast<LifecycleStage>(static_cast<int>(s) + 1); }

}  // namespace

// The stage's name in events: ECS's lifecycle stage, or CodeDeploy's lifecycle event.
const char* ServiceScheduler::stage_name(LifecycleStage s) const {
  if (rollout_ && rollout_->config.code_deploy())
    if (const char* n = codedeploy_event_name(s)) return n;
  return to_string(s);
}

void ServiceScheduler::begin_shift() {
  Rollout& r = *rollout_;
  r.green_group = static_cast<std::uint8_t>(1 - prod_group_);
  r.steps = r.config.shift.steps(r.config.strategy);
  r.step = 0;
  set_green_share(0);  // every request to blue
  if (r.config.code_deploy()) {
    emit("deployment_started", fmt::format("CodeDeploy deployment {} in progress ({}: replacement task set of revision {}; "
                                           "the original task set of revision {} keeps production traffic until AllowTraffic).",
                                           r.id, r.config.codedeploy_config, revision_name(r.revision), revision_name(r.blue)));
    enter_stage(LifecycleStage::pre_scale_up);  // CodeDeploy has no RECONCILE_SERVICE
    return;
  }
  emit("deployment_started", fmt::format("ECS deployment {} in progress ({} to revision {}; revision {} keeps production "
                                         "traffic until the shift).",
                                         r.id, to_string(r.config.strategy), revision_name(r.revision), revision_name(r.blue)));
  enter_stage(LifecycleStage::reconcile_service);
}

// The production listener rule's weight on green (percent). A headless service (no load
// balancer: BLUE_GREEN only) has no listener: both fleets take requests once running.
void ServiceScheduler::set_green_share(double percent) {
  if (!behind_load_balancer()) return;
  const double green = percent / 100;
  serving_.set_group_weight(rollout_->green_group == 1 ? green : 1 - green);
}

void ServiceScheduler::enter_stage(LifecycleStage stage) {
  Rollout& r = *rollout_;
  r.stage = stage;
  const bool code_deploy = r.config.code_deploy();
  // CodeDeploy's AllowTraffic spans every step: BeforeAllowTraffic runs before the first one only,
  // AfterAllowTraffic after the last one only; in between, the interval (step bake) and the next step.
  if (code_deploy && stage == LifecycleStage::pre_production_traffic_shift && r.step > 0) {
    enter_stage(LifecycleStage::production_traffic_shift);
    return;
  }
  if (code_deploy && stage == LifecycleStage::post_production_traffic_shift && r.step + 1 < r.steps.size()) {
    after_stage();
    return;
  }
  std::string what;
  switch (stage) {
    case LifecycleStage::scale_up:
      what = fmt::format(fmt::runtime(code_deploy ? "creating the replacement task set: revision {} at {} tasks beside the original task set "
                                       "(revision {})"
                                     : "scaling up revision {} to {} tasks beside revision {}"),
                         revision_name(r.revision), desired_, revision_name(r.blue));
      break;
    case LifecycleStage::test_traffic_shift:
      what = fmt::format("test traffic routed to revision {}", revision_name(r.revision));
      break;
    case LifecycleStage::production_traffic_shift: {
      const double pct = r.steps[r.step];
      set_green_share(pct);
      what = fmt::format("{:g}% of production traffic on revision {}", pct, revision_name(r.revision));
      break;
    }
    case LifecycleStage::bake_time:
      what = fmt::format(fmt::runtime(code_deploy ? "waiting {:g} s before terminating the original task set (both task sets running)"
                                     : "baking for {:g} s with both revisions running"),
                         r.config.shift.bake_time.to_seconds());
      break;
    case LifecycleStage::clean_up:
      what = fmt::format(fmt::runtime(code_deploy ? "terminating the original task set (revision {})" : "stopping revision {}"),
                         revision_name(r.blue));
      break;
    default:
      break;
  }
  const double pct = stage >= LifecycleStage::production_traffic_shift ? r.steps[r.step] : 0.0;
  emit("stage", fmt::format("{} deployment {} entered {}{}{}.", code_deploy ? "CodeDeploy" : "Service", r.id, stage_name(stage),
                            what.empty() ? "" : ": ", what),
       stage_name(stage), pct);
  // Stages that wait for something else: SCALE_UP for green to be healthy (reconcile_shift),
  // BAKE_TIME for its bake, CLEAN_UP for blue to stop.
  if (stage == LifecycleStage::scale_up) {
    if (code_deploy)
      schedule_shift_timer(kCodeDeployInstallTimeout, true, "the replacement task set did not reach steady state within 1 h");
    else
      schedule_shift_timer(kStageTimeout, true, "SCALE_UP timed out after 24 h");
    request_reconcile();
    return;
  }
  if (stage == LifecycleStage::bake_time) {
    schedule_shift_timer(r.config.shift.bake_time, false, "");
    return;
  }
  if (stage == LifecycleStage::clean_up) {
    ++shift_timer_;  // nothing pending counts any more
    request_reconcile();
    return;
  }
  // The stage's hooks, in parallel: the first FAILED answer rolls back when it comes; else the
  // stage ends when the slowest one answers.
  Duration end = Duration::zero();
  std::optional<Duration> fail;
  for (const LifecycleHook& h : r.config.hooks) {
    if (std::find(h.stages.begin(), h.stages.end(), stage) == h.stages.end()) continue;
    Duration answer = h.duration;
    bool fails = h.fails;
    if (h.type == LifecycleHook::Type::pause) {
      const bool continued = h.continue_after && *h.continue_after < h.timeout;
      answer = continued ? *h.continue_after : h.timeout;
      fails = continued ? h.fails : h.timeout_rollback;
    }
    if (code_deploy && answer > kCodeDeployHookTimeout) {  // no status within 1 h: the event fails
      answer = kCodeDeployHookTimeout;
      fails = true;
    }
    end = std::max(end, answer);
    if (fails && (!fail || answer < *fail)) fail = answer;
  }
  if (fail && *fail <= kStageTimeout) {
    schedule_shift_timer(*fail, true, fmt::format("a lifecycle hook at {} returned FAILED", stage_name(stage)));
  } else if (end > kStageTimeout) {
    schedule_shift_timer(kStageTimeout, true, fmt::format("{} timed out after 24 h", to_string(stage)));
  } else if (end > Duration::zero()) {
    schedule_shift_timer(end, false, "");
  } else {
    after_stage();
  }
}

// The stage in progress is over (its hooks answered, or its wait ended): the next one.
void ServiceScheduler::after_stage() {
  Rollout& r = *rollout_;
  switch (r.stage) {
    case LifecycleStage::post_test_traffic_shift:
      enter_stage(LifecycleStage::pre_production_traffic_shift);
      return;
    case LifecycleStage::post_production_traffic_shift:
      if (r.step + 1 < r.steps.size()) {
        // The step's bake (canaryBakeTimeInMinutes / stepBakeTimeInMinutes), then the next step.
        if (!r.step_baked && r.config.shift.step_bake > Duration::zero()) {
          r.step_baked = true;
          schedule_shift_timer(r.config.shift.step_bake, false, "");
          return;
        }
        r.step_baked = false;
        ++r.step;
        enter_stage(LifecycleStage::pre_production_traffic_shift);
        return;
      }
      enter_stage(LifecycleStage::bake_time);
      return;
    default:
      enter_stage(next(r.stage));
  }
}

void ServiceScheduler::schedule_shift_timer(Duration in, bool rollback, std::string reason) {
  shift_timer_rollback_ = rollback;
  shift_timer_reason_ = std::move(reason);
  sim_.schedule_in(in, bind<&ServiceScheduler::on_shift_timer>(this, ++shift_timer_));
}

void ServiceScheduler::on_shift_timer(std::uint64_t token) {
  if (token != shift_timer_ || !rollout_ || !rollout_->config.blue_green_family() || rollout_->rolling_back) return;
  if (shift_timer_rollback_) {
    roll_back_shift(shift_timer_reason_);
    return;
  }
  after_stage();
}

void ServiceScheduler::roll_back_shift(const std::string& reason) {
  Rollout& r = *rollout_;
  if (r.stage == LifecycleStage::clean_up) {  // blue is being stopped: nothing to go back to
    emit("rollback_refused", fmt::format("{} deployment {} is in {}: revision {} is being stopped, so it cannot be "
                                         "rolled back; deploy it again instead.", r.config.code_deploy() ? "CodeDeploy" : "Service",
                                         r.id, stage_name(r.stage), revision_name(r.blue)));
    return;
  }
  ++shift_timer_;
  const char* who = r.config.code_deploy() ? "CodeDeploy" : "Service";
  emit("deployment_failed", fmt::format("{} deployment {} failed at {}: {}.", who, r.id, stage_name(r.stage), reason));
  r.rolling_back = true;
  set_green_share(0);  // the weight flip (CodeDeploy: traffic rerouted to the original task set)
  primary_ = r.blue;
  emit("rollback_started", fmt::format("{} deployment {} rolling back: 100% of production traffic on revision {}, "
                                       "stopping revision {}.", who, r.id, revision_name(r.blue), revision_name(r.revision)));
  request_reconcile();
}

void ServiceScheduler::reconcile_shift(const std::vector<std::uint32_t>& live) {
  Rollout& r = *rollout_;
  std::vector<std::uint32_t> blue, green;
  int green_healthy = 0;
  for (std::uint32_t id : live) {
    const Task& t = platform_.tasks()[id];
    if (t.group == r.green_group && t.revision == r.revision) {
      green.push_back(id);
      green_healthy += healthy_for_deployment(t) ? 1 : 0;
    } else if (t.group != r.green_group && t.revision == r.blue) {
      blue.push_back(id);
    } else {  // a task of neither fleet (left by a deployment this one replaced)
      platform_.stop(platform_.tasks()[id], StopCode::service_scheduler_initiated,
                     fmt::format("Deployment {}: replaced by revision {}", r.id, revision_name(r.revision)));
    }
  }
  auto still_there = [&](std::uint8_t group) {  // draining ones included
    return std::any_of(tasks_.begin(), tasks_.end(), [&](std::uint32_t id) { return platform_.tasks()[id].group == group; });
  };
  auto stop_all = [&](const std::vector<std::uint32_t>& ids, std::size_t revision) {
    for (std::uint32_t id : ids)
      platform_.stop(platform_.tasks()[id], StopCode::service_scheduler_initiated,
                     fmt::format("Deployment {}: revision {} stopped", r.id, revision_name(revision)));
  };
  // Keep a fleet at the desired count, replacing failed tasks within its revision; fewer wanted
  // (a scheduled change; scale-in is off meanwhile): the newest go.
  auto keep = [&](const std::vector<std::uint32_t>& ids, std::size_t revision, std::uint8_t group) {
    for (int n = static_cast<int>(ids.size()); n < desired_; ++n) launch_one(false, revision, group);
    for (std::size_t k = static_cast<std::size_t>(std::max(desired_, 0)); k < ids.size(); ++k)
      platform_.stop(platform_.tasks()[ids[ids.size() - 1 - (k - static_cast<std::size_t>(desired_))]],
                     StopCode::service_scheduler_initiated, "Scaling activity initiated by the service scheduler");
  };
  if (r.rolling_back) {
    stop_all(green, r.revision);
    keep(blue, r.blue, prod_group_);
    if (!still_there(r.green_group)) {
      serving_.clear_group_weight();
      emit("rollback_completed", fmt::format("Service deployment {} rolled back (ROLLBACK_SUCCESSFUL): revision {} serves "
                                             "all traffic.", r.id, revision_name(r.blue)));
      rollout_.reset();
    }
    return;
  }
  if (r.stage == LifecycleStage::clean_up) {
    stop_all(blue, r.blue);
    keep(green, r.revision, r.green_group);
    if (!still_there(prod_group_)) {
      prod_group_ = r.green_group;
      serving_.clear_group_weight();
      completed_ = r.revision;
      emit("deployment_completed", fmt::format(fmt::runtime(r.config.code_deploy() ? "CodeDeploy deployment {} succeeded: the "
                                                                                      "original task set is terminated."
                                                                                    : "ECS deployment {} completed."),
                                               r.id));
      rollout_.reset();
    }
    return;
  }
  keep(blue, r.blue, prod_group_);
  if (r.stage >= LifecycleStage::scale_up) keep(green, r.revision, r.green_group);
  if (r.stage == LifecycleStage::scale_up && green_healthy >= desired_ && static_cast<int>(green.size()) >= desired_) {
    ++shift_timer_;  // the SCALE_UP timeout no longer counts
    after_stage();
  }
}

}  // namespace fargatelab::detail
