// Scheduled scaling (Application Auto Scaling PutScheduledAction) on one scalable target.
//
// An action sets the target's MinCapacity and/or MaxCapacity at the times of its Schedule:
//  * "at(yyyy-mm-ddThh:mm:ss)" once, "rate(value unit)" every period, "cron(fields)" at each
//    matching minute (the EventBridge syntax of scenario/schedule_expression.hpp, 1-minute resolution);
//  * at() and cron() are read in the action's Timezone (IANA, default UTC; DST followed, see
//    time_zone.hpp); rate() counts real time from the action's StartTime, or from the start of
//    the simulation when it has none (the first run is one period later);
//  * StartTime / EndTime (UTC instants) bound the runs: none before StartTime, none after EndTime.
// At each run AAS "scales based on the new capacity values, by comparing current capacity to the
// specified minimum and maximum capacity": a desired capacity below the new minimum scales out to
// it, one above the new maximum scales in to it (AAS user guide, "How scheduled scaling works").
// Scheduled actions ignore cooldowns and do not start one (aws-facts-2 1.1: "Scheduled actions
// ignore cooldowns"; AAS starts no cooldown for them: the policies' cooldowns count only the
// policies' own activities here). While the target's SuspendedState.scheduled_scaling is true no
// action runs, and none catches up when it is resumed (AAS "Suspend and resume scaling").
// Actions exist before the simulation starts: a run due exactly at the start instant happens.
//
// Each run is recorded as a ScheduledActionRun, in AWS's words: Description "Setting min
// capacity to 4 and max capacity to 20", Cause "scheduled action name <name> was triggered"
// (DescribeScalingActivities output for scheduled actions, AAS user guide "Scaling activities").
// A run whose new minimum would exceed the maximum in force fails and changes nothing (AAS
// refuses such a pair; the user guide: "you must include both sizes to ensure that the new
// minimum capacity is not greater than the maximum capacity").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scenario/schedule_expression.hpp"
#include "fargatelab/engine.hpp"
#include "fargatelab/signal.hpp"
#include "scaling/scaling_policy.hpp"
#include "scaling/time_zone.hpp"

namespace fargatelab::detail {

// The Schedule of a scheduled action: at(), rate() or cron().
class ActionSchedule {
 public:
  enum class Kind { at, rate, cron };
  // Parses "at(2026-01-05T09:00:00)", "rate(5 minutes)" or "cron(0 9 ? * MON-FRI *)" (surrounding
  // white space allowed). Throws std::invalid_argument saying what was expected.
  static ActionSchedule parse(std::string_view text);

  Kind kind() const noexcept { return kind_; }
  const std::string& text() const noexcept { return text_; }
  // The first run strictly after `after` (Unix seconds, UTC), for a schedule read in `zone` whose
  // rate() counts from `anchor` (Unix seconds); nullopt when there is none (an at() in the past,
  // a cron whose years are over).
  std::optional<std::int64_t> next_after(std::int64_t after, const TimeZone& zone, std::int64_t anchor) const;

 private:
  Kind kind_ = Kind::at;
  std::string text_;
  std::int64_t at_local_ = 0;                    // at(): local wall time, seconds since 1970-01-01T00:00:00
  std::optional<ScheduleExpression> expression_;  // rate() and cron()
};

// One PutScheduledAction, checked (see scheduled_input.hpp for the two input forms).
struct ScheduledActionSpec {
  std::string name;  // ScheduledActionName
  ActionSchedule schedule;
  TimeZone timezone = TimeZone::utc();
  std::optional<std::int64_t> start_time, end_time;  // Unix seconds, UTC
  std::optional<int> min_capacity, max_capacity;     // ScalableTargetAction; at least one is set
  // As given in the JSON form ("" when absent): which target the action is for.
  std::string resource_id, scalable_dimension;
};

// One run of a scheduled action (DescribeScalingActivities).
struct ScheduledActionRun {
  SimTime at;
  std::string action;
  bool successful = true;        // StatusCode "Successful" or "Failed"
  std::string status_message;    // why it failed ("" when it succeeded)
  CapacityLimits limits_before, limits_after;
  int from = 0, to = 0;          // desired capacity before and after
  std::string description;       // "Setting min capacity to 4 and max capacity to 20"
  std::string cause;             // "scheduled action name morning was triggered"
  // The change of desired capacity as a scaling activity (policy = the action's name), for the
  // event log; meaningful when from != to.
  ScalingActivity activity() const { return {at, from, to, to, action, cause}; }
};

// Runs the scheduled actions of one target on the simulation clock, whose t = 0 is
// `start_unix_seconds` (ScenarioSpec::start_unix_seconds).
class ScheduledScaling {
 public:
  ScheduledScaling(Simulation& sim, ScalableTarget& target, std::int64_t start_unix_seconds);
  ScheduledScaling(const ScheduledScaling&) = delete;
  ScheduledScaling& operator=(const ScheduledScaling&) = delete;
  ~ScheduledScaling();

  // Before start(). Actions run in the order added when several are due at the same instant.
  void add(ScheduledActionSpec action);
  // Schedules each action's first run at or after now. Runs use Priority::normal, so a
  // PolicyEvaluator (Priority::late) evaluating at the same instant sees the new limits.
  void start();
  void stop() noexcept;

  std::size_t actions() const noexcept { return actions_.size(); }
  std::uint64_t runs() const noexcept { return runs_; }
  std::uint64_t skipped_suspended() const noexcept { return skipped_; }

  Signal<const ScheduledActionRun&> ran;       // every run, successful or failed
  Signal<const ScalingActivity&> scaled;       // runs that changed the desired capacity

 private:
  void fire(std::uint64_t index);
  void schedule_next(std::size_t index, std::int64_t after_unix);
  ScheduledActionRun apply(const ScheduledActionSpec& a);

  Simulation& sim_;
  ScalableTarget& target_;
  std::int64_t start_unix_;
  std::vector<ScheduledActionSpec> actions_;
  std::vector<EventId> pending_;
  std::uint64_t runs_ = 0, skipped_ = 0;
};

}  // namespace fargatelab::detail
