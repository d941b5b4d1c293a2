// Scheduled scaling: time zones (offsets, DST transitions, gaps and repeated hours), schedules in
// a zone, the runs on a scalable target (AWS's rule for the current capacity, suspension,
// StartTime/EndTime, failures) and the two input forms with errors by JSON pointer. Every
// instant is worked out by hand in the comment beside it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "scenario/schedule_expression.hpp"
#include "fargatelab/engine.hpp"
#include "scaling/scheduled_actions.hpp"
#include "scaling/scheduled_input.hpp"
#include "scaling/time_zone.hpp"

using namespace fargatelab;
using namespace fargatelab::detail;

namespace {

std::int64_t utc(const char* iso) { return parse_utc_timestamp(iso); }

ScheduledActionSpec action(std::string name, const char* schedule, const char* zone, std::optional<int> min,
                           std::optional<int> max) {
  ScheduledActionSpec a;
  a.name = std::move(name);
  a.schedule = ActionSchedule::parse(schedule);
  a.timezone = *TimeZone::find(zone);
  a.min_capacity = min;
  a.max_capacity = max;
  return a;
}

// A target of 2 tasks within [1, 10] whose scheduled actions run on a clock starting Monday
// 2026-03-02T00:00:00Z; every run is recorded.
struct ScheduledBench {
  Simulation sim;
  IntegerTarget target{"service/default/api", "ecs:service:DesiredCount", 2, {1, 10}};
  std::int64_t start = utc("2026-03-02T00:00:00Z");
  ScheduledScaling scheduled{sim, target, start};
  std::vector<ScheduledActionRun> runs;
  ScheduledBench() {
    scheduled.ran.connect([this](const ScheduledActionRun& r) { runs.push_back(r); });
  }
};

std::vector<Diagnostic> errors_of(const nlohmann::json& item) {
  std::vector<Diagnostic> out;
  REQUIRE_FALSE(build_scheduled_action(item, "/services/0/scheduled_actions/0", out));
  return out;
}

bool has_error(const std::vector<Diagnostic>& out, const std::string& pointer, const std::string& part) {
  for (const auto& d : out)
    if (d.pointer == pointer && d.message.find(part) != std::string::npos) return true;
  return false;
}

}  // namespace

// ---- time zones -------------------------------------------------------------------------------

TEST_CASE("time zone: UTC offsets and the US and EU DST transitions", "[scaling][scheduled][timezone]") {
  const TimeZone ny = *TimeZone::find("America/New_York");
  // DST 2026 starts on the second Sunday of March, March 8, at 02:00 EST = 07:00 UTC.
  REQUIRE(ny.utc_offset_at(utc("2026-03-08T06:59:59Z")) == -5 * 3600);
  REQUIRE(ny.utc_offset_at(utc("2026-03-08T07:00:00Z")) == -4 * 3600);
  // It ends on the first Sunday of November, November 1, at 02:00 EDT = 06:00 UTC.
  REQUIRE(ny.utc_offset_at(utc("2026-11-01T05:59:59Z")) == -4 * 3600);
  REQUIRE(ny.utc_offset_at(utc("2026-11-01T06:00:00Z")) == -5 * 3600);
  // Europe changes at 01:00 UTC on the last Sundays of March (29th) and October (25th) 2026.
  const TimeZone paris = *TimeZone::find("Europe/Paris"), london = *TimeZone::find("Europe/London");
  REQUIRE(paris.utc_offset_at(utc("2026-03-29T00:59:59Z")) == 3600);
  REQUIRE(paris.utc_offset_at(utc("2026-03-29T01:00:00Z")) == 7200);
  REQUIRE(london.utc_offset_at(utc("2026-03-29T01:00:00Z")) == 3600);
  REQUIRE(london.utc_offset_at(utc("2026-10-25T00:59:59Z")) == 3600);
  REQUIRE(london.utc_offset_at(utc("2026-10-25T01:00:00Z")) == 0);
}

TEST_CASE("time zone: southern hemisphere, fixed offsets and unknown names", "[scaling][scheduled][timezone]") {
  const TimeZone sydney = *TimeZone::find("Australia/Sydney");
  // Summer (DST, +11) in January, winter (+10) in July; DST ends on the first Sunday of April
  // (April 5, 2026) at 03:00 AEDT = 16:00 UTC on April 4.
  REQUIRE(sydney.utc_offset_at(utc("2026-01-15T00:00:00Z")) == 11 * 3600);
  REQUIRE(sydney.utc_offset_at(utc("2026-07-15T00:00:00Z")) == 10 * 3600);
  REQUIRE(sydney.utc_offset_at(utc("2026-04-04T15:59:59Z")) == 11 * 3600);
  REQUIRE(sydney.utc_offset_at(utc("2026-04-04T16:00:00Z")) == 10 * 3600);
  // Etc/GMT+5 is five hours west (POSIX sign), Etc/GMT-9 nine hours east; Kolkata +05:30.
  REQUIRE(TimeZone::find("Etc/GMT+5")->utc_offset_at(0) == -5 * 3600);
  REQUIRE(TimeZone::find("Etc/GMT-9")->utc_offset_at(0) == 9 * 3600);
  REQUIRE(TimeZone::find("Asia/Kolkata")->utc_offset_at(0) == 5 * 3600 + 1800);
  REQUIRE_FALSE(TimeZone::find("Europe/Pari"));
  REQUIRE_FALSE(TimeZone::find("Etc/GMT+13"));
}

TEST_CASE("time zone: a skipped local time falls after the gap, a repeated one is its first occurrence",
          "[scaling][scheduled][timezone]") {
  const TimeZone ny = *TimeZone::find("America/New_York");
  // 02:30 on 2026-03-08 does not exist; read with EST (-5) it is 07:30 UTC = 03:30 EDT.
  REQUIRE(ny.to_utc(utc("2026-03-08T02:30:00Z")) == utc("2026-03-08T07:30:00Z"));
  // 01:30 on 2026-11-01 happens at 05:30 UTC (EDT) and 06:30 UTC (EST): the first.
  REQUIRE(ny.to_utc(utc("2026-11-01T01:30:00Z")) == utc("2026-11-01T05:30:00Z"));
  // An ordinary time round-trips: 09:00 EST on March 2 = 14:00 UTC.
  REQUIRE(ny.to_utc(utc("2026-03-02T09:00:00Z")) == utc("2026-03-02T14:00:00Z"));
  REQUIRE(ny.to_local(utc("2026-03-02T14:00:00Z")) == utc("2026-03-02T09:00:00Z"));
}

// ---- schedules in a zone ----------------------------------------------------------------------

TEST_CASE("action schedule: cron and at() are read in the action's time zone, rate() is not",
          "[scaling][scheduled]") {
  const TimeZone ny = *TimeZone::find("America/New_York"), paris = *TimeZone::find("Europe/Paris");
  const auto weekdays_9am = ActionSchedule::parse("cron(0 9 ? * MON-FRI *)");
  // Monday 2026-03-02 09:00 EST = 14:00 UTC.
  REQUIRE(weekdays_9am.next_after(utc("2026-03-02T00:00:00Z"), ny, 0) == utc("2026-03-02T14:00:00Z"));
  // After Friday March 6's run the next is Monday March 9, now EDT: 09:00 EDT = 13:00 UTC.
  REQUIRE(weekdays_9am.next_after(utc("2026-03-06T14:00:00Z"), ny, 0) == utc("2026-03-09T13:00:00Z"));
  // at() in Paris in July (CEST, +2): 08:30 local = 06:30 UTC; once only.
  const auto once = ActionSchedule::parse("at(2026-07-01T08:30:00)");
  REQUIRE(once.next_after(utc("2026-06-30T00:00:00Z"), paris, 0) == utc("2026-07-01T06:30:00Z"));
  REQUIRE_FALSE(once.next_after(utc("2026-07-01T06:30:00Z"), paris, 0));
  // rate(90 minutes) counts from its anchor in real time, whatever the zone.
  const auto rate = ActionSchedule::parse("rate(90 minutes)");
  REQUIRE(rate.next_after(utc("2026-03-08T06:00:00Z"), ny, utc("2026-03-08T05:00:00Z")) == utc("2026-03-08T06:30:00Z"));
  // A cron at 01:30 on the night the clocks go back fires once, at the first 01:30 (05:30 UTC).
  const auto half_one = ActionSchedule::parse("cron(30 1 * * ? *)");
  REQUIRE(half_one.next_after(utc("2026-11-01T05:00:00Z"), ny, 0) == utc("2026-11-01T05:30:00Z"));
  REQUIRE(half_one.next_after(utc("2026-11-01T05:30:00Z"), ny, 0) == utc("2026-11-02T06:30:00Z"));
  REQUIRE_THROWS_WITH(ActionSchedule::parse("at(2026-07-01 08:30)"), Catch::Contains("yyyy-mm-ddThh:mm:ss"));
  REQUIRE_THROWS_WITH(ActionSchedule::parse("every day"), Catch::Contains("expected at("));
}

// ---- runs on a target -------------------------------------------------------------------------

TEST_CASE("scheduled scaling: an action at its cron time in its time zone sets the limits and the capacity",
          "[scaling][scheduled]") {
  ScheduledBench b;
  b.scheduled.add(action("morning", "cron(0 9 ? * MON-FRI *)", "America/New_York", 5, 10));
  b.scheduled.add(action("evening", "cron(0 18 ? * MON-FRI *)", "America/New_York", 1, 3));
  std::vector<ScalingActivity> activities;
  b.scheduled.scaled.connect([&](const ScalingActivity& a) { activities.push_back(a); });
  b.scheduled.start();
  b.sim.run(SimTime::zero() + days(1));
  // 09:00 EST = 14:00 UTC = 50,400 s after the start: min 5 > desired 2, so it scales out to 5.
  // 18:00 EST = 23:00 UTC = 82,800 s: max 3 < desired 5, so it scales in to 3.
  REQUIRE(b.runs.size() == 2);
  REQUIRE(b.runs[0].at == seconds(50'400));
  REQUIRE(b.runs[0].action == "morning");
  REQUIRE(b.runs[0].successful);
  REQUIRE(b.runs[0].limits_before.min == 1);
  REQUIRE(b.runs[0].limits_after.min == 5);
  REQUIRE(b.runs[0].limits_after.max == 10);
  REQUIRE(b.runs[0].from == 2);
  REQUIRE(b.runs[0].to == 5);
  REQUIRE(b.runs[0].description == "Setting min capacity to 5 and max capacity to 10");
  REQUIRE(b.runs[0].cause == "scheduled action name morning was triggered");
  REQUIRE(b.runs[1].at == seconds(82'800));
  REQUIRE(b.runs[1].from == 5);
  REQUIRE(b.runs[1].to == 3);
  REQUIRE(b.target.desired_capacity() == 3);
  REQUIRE(b.target.limits().max == 3);
  REQUIRE(activities.size() == 2);
  REQUIRE(activities[1].policy == "evening");
  REQUIRE(activities[1].from == 5);
  REQUIRE(activities[1].to == 3);
  // Monday March 9 is in EDT: 09:00 EDT = 13:00 UTC = 7 days + 46,800 s.
  b.sim.run(SimTime::zero() + days(8));
  const auto monday = std::find_if(b.runs.begin(), b.runs.end(),
                                   [](const ScheduledActionRun& r) { return r.at >= days(7); });
  REQUIRE(monday != b.runs.end());
  REQUIRE(monday->at == days(7) + seconds(46'800));
  // Weekdays only: 5 mornings and 5 evenings in the first week, then Monday March 9's two (the
  // evening one at 18:00 EDT = 22:00 UTC, before the end at day 8).
  REQUIRE(b.scheduled.runs() == 12);
}

TEST_CASE("scheduled scaling: a run within the limits changes only the limits, and one that breaks them fails",
          "[scaling][scheduled]") {
  ScheduledBench b;
  b.scheduled.add(action("wider", "at(2026-03-02T01:00:00)", "UTC", 0, 20));
  b.scheduled.add(action("too-high", "at(2026-03-02T02:00:00)", "UTC", 30, std::nullopt));
  b.scheduled.start();
  b.sim.run(SimTime::zero() + hours(3));
  REQUIRE(b.runs.size() == 2);
  // [0, 20] contains the desired 2: the limits change, the capacity does not.
  REQUIRE(b.runs[0].from == 2);
  REQUIRE(b.runs[0].to == 2);
  REQUIRE(b.runs[0].limits_after.max == 20);
  // Min 30 with the max 20 in force: the run fails and changes nothing.
  REQUIRE_FALSE(b.runs[1].successful);
  REQUIRE(b.runs[1].description == "Setting min capacity to 30");
  REQUIRE(b.runs[1].status_message == "the minimum capacity 30 would be greater than the maximum capacity 20");
  REQUIRE(b.target.limits().min == 0);
  REQUIRE(b.target.limits().max == 20);
  REQUIRE(b.target.desired_capacity() == 2);
}

TEST_CASE("scheduled scaling: suspended scheduled scaling skips runs, and they do not catch up", "[scaling][scheduled]") {
  ScheduledBench b;
  b.scheduled.add(action("hourly", "rate(1 hour)", "UTC", 4, std::nullopt));
  b.target.set_suspended({false, false, true});
  b.scheduled.start();
  b.sim.run(SimTime::zero() + seconds(5400));  // the run at 3600 s is skipped
  REQUIRE(b.runs.empty());
  REQUIRE(b.scheduled.skipped_suspended() == 1);
  b.target.set_suspended({});
  b.sim.run(SimTime::zero() + seconds(7200));  // the next, at 7200 s, runs
  REQUIRE(b.runs.size() == 1);
  REQUIRE(b.runs[0].at == seconds(7200));
  REQUIRE(b.target.desired_capacity() == 4);
}

TEST_CASE("scheduled scaling: StartTime and EndTime bound the runs; rate() counts from StartTime", "[scaling][scheduled]") {
  ScheduledBench b;
  ScheduledActionSpec a = action("bounded", "rate(1 hour)", "UTC", 3, std::nullopt);
  a.start_time = utc("2026-03-02T10:00:00Z");
  a.end_time = utc("2026-03-02T12:00:00Z");
  b.scheduled.add(a);
  b.scheduled.start();
  b.sim.run(SimTime::zero() + days(1));
  // One period after StartTime (11:00 = 39,600 s), then 12:00 = 43,200 s (= EndTime); no more.
  REQUIRE(b.runs.size() == 2);
  REQUIRE(b.runs[0].at == seconds(39'600));
  REQUIRE(b.runs[1].at == seconds(43'200));
}

TEST_CASE("scheduled scaling: a run due exactly at the start happens, before a policy evaluating then",
          "[scaling][scheduled]") {
  ScheduledBench b;
  b.scheduled.add(action("at-start", "cron(0 0 * * ? *)", "UTC", 6, std::nullopt));
  b.scheduled.start();
  b.sim.run(SimTime::zero() + seconds(1));
  REQUIRE(b.runs.size() == 1);
  REQUIRE(b.runs[0].at == SimTime::zero());
  REQUIRE(b.target.desired_capacity() == 6);
}

// ---- input forms ------------------------------------------------------------------------------

TEST_CASE("scheduled input: put-scheduled-action JSON and the short form give the same action", "[scaling][scheduled][input]") {
  const nlohmann::json aws = {{"ServiceNamespace", "ecs"},
                              {"ScheduledActionName", "morning"},
                              {"ResourceId", "service/default/api"},
                              {"ScalableDimension", "ecs:service:DesiredCount"},
                              {"Schedule", "cron(0 8 ? * MON-FRI *)"},
                              {"Timezone", "Europe/Paris"},
                              {"StartTime", "2026-03-01T00:00:00Z"},
                              {"EndTime", "2026-04-01T01:00:00+01:00"},
                              {"ScalableTargetAction", {{"MinCapacity", 4}, {"MaxCapacity", 20}}}};
  std::vector<Diagnostic> out;
  const auto a = build_scheduled_action(aws, "/x", out);
  REQUIRE(out.empty());
  REQUIRE(a);
  REQUIRE(a->name == "morning");
  REQUIRE(a->schedule.kind() == ActionSchedule::Kind::cron);
  REQUIRE(a->timezone.name() == "Europe/Paris");
  REQUIRE(a->start_time == utc("2026-03-01T00:00:00Z"));
  REQUIRE(a->end_time == utc("2026-04-01T00:00:00Z"));  // 01:00 at +01:00 is 00:00 UTC
  REQUIRE(a->min_capacity == 4);
  REQUIRE(a->max_capacity == 20);
  REQUIRE(a->resource_id == "service/default/api");

  const auto s = build_scheduled_action(
      "scheduled_action(name=morning, schedule=\"cron(0 8 ? * MON-FRI *)\", timezone=\"Europe/Paris\", min=4, max=20)", "/x",
      out);
  REQUIRE(out.empty());
  REQUIRE(s);
  REQUIRE(s->schedule.text() == a->schedule.text());
  REQUIRE(s->timezone.name() == "Europe/Paris");
  REQUIRE(s->min_capacity == 4);
  REQUIRE_FALSE(s->start_time);
  REQUIRE(scheduled_action_registry().contains("scheduled_action"));
}

TEST_CASE("scheduled input: every bad field of the JSON is reported at its pointer", "[scaling][scheduled][input]") {
  const auto out = errors_of({{"ScheduledActionName", "a/b"},
                              {"Schedule", "cron(0 9 * * * *)"},
                              {"Timezone", "Europe/Pari"},
                              {"StartTime", "2026-03-01 00:00"},
                              {"ScalableTargetAction", {{"MinCapacity", -1}, {"MaxCpacity", 3}}},
                              {"ServiceNamespace", "ec2"},
                              {"Extra", 1}});
  const std::string at = "/services/0/scheduled_actions/0";
  REQUIRE(has_error(out, at + "/ScheduledActionName", "no ':', '/' or '|'"));
  REQUIRE(has_error(out, at + "/Schedule", "Day-of-month"));
  REQUIRE(has_error(out, at + "/Timezone", "did you mean \"Europe/Paris\"?"));
  REQUIRE(has_error(out, at + "/StartTime", "expected a UTC instant such as 2026-01-05T09:00:00Z"));
  REQUIRE(has_error(out, at + "/ScalableTargetAction/MinCapacity", "minimum"));
  REQUIRE(has_error(out, at + "/ScalableTargetAction/MaxCpacity", "MaxCpacity"));
  REQUIRE(has_error(out, at + "/ServiceNamespace", "ec2"));
  REQUIRE(has_error(out, at + "/Extra", "Extra"));
}

TEST_CASE("scheduled input: consistency of the capacities and the window, in both forms", "[scaling][scheduled][input]") {
  auto out = errors_of({{"ScheduledActionName", "n"},
                        {"Schedule", "rate(1 hour)"},
                        {"StartTime", "2026-03-02T00:00:00Z"},
                        {"EndTime", "2026-03-01T00:00:00Z"},
                        {"ScalableTargetAction", {{"MinCapacity", 5}, {"MaxCapacity", 2}}}});
  REQUIRE(out.size() == 2);
  REQUIRE(has_error(out, "/services/0/scheduled_actions/0/EndTime", "is not after the start time"));
  REQUIRE(has_error(out, "/services/0/scheduled_actions/0/ScalableTargetAction", "MinCapacity 5 is greater than MaxCapacity 2"));
  out = errors_of({{"ScheduledActionName", "n"}, {"Schedule", "rate(1 hour)"}});
  REQUIRE(out.size() == 1);
  REQUIRE(has_error(out, "/services/0/scheduled_actions/0/ScalableTargetAction", "set MinCapacity, MaxCapacity or both"));
  out = errors_of("scheduled_action(name=n, schedule=\"rate(2 hour)\", timezone=\"Mars/Base\")");
  REQUIRE(has_error(out, "/services/0/scheduled_actions/0", "scheduled_action: schedule:"));
  REQUIRE(has_error(out, "/services/0/scheduled_actions/0", "scheduled_action: timezone: unknown time zone \"Mars/Base\""));
  REQUIRE(has_error(out, "/services/0/scheduled_actions/0", "scheduled_action: min/max: set MinCapacity"));
}
