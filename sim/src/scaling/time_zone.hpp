// Time zones for scheduled scaling: the `Timezone` of an Application Auto Scaling scheduled
// action. AAS takes "the canonical names of the IANA time zones supported by Joda-Time (such as
// Etc/GMT+9 or Pacific/Tahiti)", UTC when none is given, and adjusts at() and cron() schedules
// for daylight saving time (AAS API PutScheduledAction "Timezone"; user guide "Scheduled
// scaling": "When you specify a time zone that observes daylight saving time, the action
// automatically adjusts for Daylight Saving Time").
//
// What is modelled (the simulator reads no system time zone database, so a run is the same on
// every machine):
//  * UTC, Etc/UTC, Etc/GMT, GMT; the fixed offsets Etc/GMT+N (N = 1..12, N hours WEST of UTC,
//    the POSIX sign convention IANA keeps) and Etc/GMT-N (N = 1..14, east);
//  * a table of about sixty common IANA zones, each with the rule in force since the zone's last
//    change of rules (US since 2007, EU since 1996, Australia since 2008, New Zealand since 2007,
//    Mexico without DST since 2022, Brazil without DST since 2019), written as a POSIX TZ rule
//    (standard offset, DST offset, "Mm.w.d/time" start and end). Historical rules before those
//    years are not modelled: a simulation of an earlier date uses today's rule.
//  * Zones outside the table are refused with a suggestion (did you mean ...?); add a row to the
//    table in time_zone.cpp to support one.
// Local wall times that do not exist (the hour skipped when DST starts) are read with the
// offset in force before the change, so they fall after the gap, as Joda-Time and java.time
// resolve them (02:30 on a spring-forward night at 02:00 is 03:30 DST); a wall time that occurs
// twice (the hour repeated when DST ends) is its first occurrence.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fargatelab::detail {

class TimeZone {
 public:
  // The zone with this IANA name (case-sensitive, as IANA spells it), or nullopt.
  static std::optional<TimeZone> find(std::string_view iana_name);
  // Every name find() accepts, sorted (for error messages and suggestions).
  static const std::vector<std::string>& names();
  static TimeZone utc();

  const std::string& name() const noexcept { return name_; }
  // Seconds east of UTC in force at the UTC instant `unix_utc` (Europe/Paris in July: 7200).
  std::int64_t utc_offset_at(std::int64_t unix_utc) const noexcept;
  // The local wall time at `unix_utc`, as seconds since 1970-01-01T00:00:00 local.
  std::int64_t to_local(std::int64_t unix_utc) const noexcept { return unix_utc + utc_offset_at(unix_utc); }
  // The UTC instant of local wall time `local` (rules for gaps and repeats above).
  std::int64_t to_utc(std::int64_t local) const noexcept;

 private:
  // POSIX "Mm.w.d/time": month 1-12, week 1-5 (5 = the last), weekday 0-6 (0 = Sunday), at
  // `at_s` seconds after local midnight of the time in force before the change.
  struct Transition {
    int month = 0, week = 0, weekday = 0;
    std::int64_t at_s = 0;
  };
  struct Rule {
    std::int64_t std_offset_s = 0;  // seconds east of UTC
    bool has_dst = false;
    std::int64_t dst_offset_s = 0;
    Transition start, end;  // DST starts (in standard time) and ends (in DST)
  };
  TimeZone(std::string name, Rule rule) : name_(std::move(name)), rule_(rule) {}
  // The UTC instant of `t` in `year`, read with `offset_s`.
  static std::int64_t transition_utc(const Transition& t, std::int64_t year, std::int64_t offset_s) noexcept;
  friend struct TimeZoneTable;

  std::string name_;
  Rule rule_;
};

}  // namespace fargatelab::detail
