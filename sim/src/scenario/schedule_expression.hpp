// EventBridge schedule expressions for scheduled (cron) ECS tasks: rate(...) and cron(...).
//
// Rules follow the AWS documentation: "Cron expressions reference" and "Rate expressions
// reference", Amazon EventBridge User Guide
// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html,
//  https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rate-expressions.html), the same
// syntax as EventBridge Scheduler ("Schedule types in EventBridge Scheduler"):
//  * cron has six fields, Minutes Hours Day-of-month Month Day-of-week Year, separated by white
//    space. Values and wildcards: Minutes 0-59 [, - * /]; Hours 0-23 [, - * /]; Day-of-month 1-31
//    [, - * ? / L W]; Month 1-12 or JAN-DEC [, - * /]; Day-of-week 1-7 or SUN-SAT [, - * ? L #]
//    (1 = SUN, ..., 7 = SAT); Year 1970-2199 [, - * /].
//  * Day-of-month and Day-of-week can't both be given: if one has a value or '*', the other must
//    be '?'.
//  * '#' ("3#2" = second Tuesday) must be the only expression in Day-of-week ("3#1,6#3" is invalid).
//  * rate(value unit): value a positive integer; unit minute|minutes|hour|hours|day|days, singular
//    iff value == 1 ("rate(1 hours)" and "rate(5 hour)" are invalid).
// All times are UTC (EventBridge rules have no time zone); cron has minute resolution.
//
// Choices where the AWS text is silent (documented here, enforced by the parser):
//  * 'L', 'LW', 'nW' (Day-of-month) and 'L', 'nL', 'n#k' (Day-of-week) stand alone in their field.
//    'L' in Day-of-week is the last day of the week (7 = SAT); 'nL' the last weekday n of the
//    month; 'n#k' (k = 1-5) the k-th weekday n of the month, no fire in months without one.
//  * 'nW' is the weekday (MON-FRI) nearest day n within the same month (1W on a Saturday is
//    Monday the 3rd; 31W on a Sunday the 31st is Friday the 29th); months without day n don't fire.
//    'LW' is the last weekday of the month.
//  * '/' is rejected in Day-of-week (not in the AWS wildcard list for that field). "a/s" means
//    a, a+s, ... up to the field maximum; "*/s" and "a-b/s" are accepted too.
//  * Ranges must be ascending (no wrap-around such as FRI-MON); names are case-insensitive.
//  * A cron that names no existing date (e.g. 30 FEB) parses but never fires.
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fargatelab::detail {

// An EventBridge (CloudWatch Events / EventBridge Scheduler) schedule expression.
class ScheduleExpression {
 public:
  enum class Kind { rate, cron };

  // Parses "rate(5 minutes)", "rate(1 hour)", "rate(1 day)" and "cron(Min Hour DoM Month DoW Year)"
  // (rules above). Surrounding white space and extra white space between fields are accepted.
  // Throws std::invalid_argument naming the field and what was expected.
  static ScheduleExpression parse(std::string_view text);

  // The first fire time strictly after `after` of a schedule created at `anchor` (both in Unix
  // seconds, UTC); whole seconds. rate: anchor + k * period for the least k >= 1 with the result
  // > after (the first fire is one period after creation). cron: the first matching minute (at :00
  // seconds) strictly after max(after, anchor) (a schedule never fires before it exists).
  // std::nullopt if there is none at or before 2199-12-31T23:59:59Z (the cron Year limit, applied
  // to both kinds), e.g. a cron whose years are all past.
  std::optional<std::int64_t> next_after(std::int64_t after, std::int64_t anchor) const;
  // Same as next_after(after, after): for rate, as if the schedule were created at `after`, so
  // iterating t = *next_after(t) from a fire time walks the rate's fire times.
  std::optional<std::int64_t> next_after(std::int64_t after) const { return next_after(after, after); }

  // Canonical text: "rate(<value> <unit>)"; "cron(...)" with single spaces, names and letters upper
  // case, numbers without leading zeros. parse(to_string()) == *this.
  std::string to_string() const;

  Kind kind() const { return kind_; }
  // rate only: the period in seconds (60 * minutes, 3600 * hours, 86400 * days); 0 for cron.
  std::int64_t rate_period_seconds() const { return period_s_; }

  friend bool operator==(const ScheduleExpression&, const ScheduleExpression&) = default;

 private:
  // Day-of-month / Day-of-week forms. `none` is '?'.
  enum class DayRule : std::uint8_t {
    none,             // '?'
    set,              // the day bits (DoM: bit d = day d; DoW: bit w = weekday w, 1 = SUN)
    last,             // DoM 'L': last day of the month
    last_weekday,     // DoM 'LW': last MON-FRI of the month
    nearest_weekday,  // DoM 'nW': weekday nearest day `day_arg_`
    last_of_week,     // DoW 'nL': last weekday `day_arg_` of the month
    nth_of_week,      // DoW 'n#k': k-th (`nth_`) weekday `day_arg_` of the month
  };
  static constexpr int first_year = 1970;
  static constexpr int last_year = 2199;

  ScheduleExpression() = default;
  // Bit d (1-31) set iff cron day d of (year, month) matches Day-of-month and Day-of-week.
  std::uint32_t matching_days(int year, int month) const;
  std::optional<std::int64_t> next_cron_after(std::int64_t after) const;

  Kind kind_ = Kind::rate;
  std::string text_;         // canonical text
  std::int64_t period_s_ = 0;  // rate period, seconds
  // cron fields: bit v set iff value v matches
  std::uint64_t minutes_ = 0;  // bits 0-59
  std::uint32_t hours_ = 0;    // bits 0-23
  std::uint16_t months_ = 0;   // bits 1-12
  std::bitset<last_year - first_year + 1> years_;  // bit y - 1970
  DayRule dom_rule_ = DayRule::none;
  std::uint32_t dom_ = 0;  // bits 1-31 (rule `set`)
  DayRule dow_rule_ = DayRule::none;
  std::uint8_t dow_ = 0;  // bits 1-7 (rule `set`)
  int day_arg_ = 0;       // day of month (nearest_weekday) or weekday 1-7 (last_of_week, nth_of_week)
  int nth_ = 0;           // 1-5 (nth_of_week)
};

// "2026-01-05T00:00:00Z" <-> Unix seconds (UTC only). parse accepts exactly
// YYYY-MM-DDTHH:MM:SS followed by 'Z' or "+00:00" (years 0000-9999, real calendar dates, seconds
// 0-59) and throws std::invalid_argument otherwise. format always writes the 'Z' form; throws
// std::out_of_range if the year falls outside 0000-9999.
std::int64_t parse_utc_timestamp(std::string_view iso8601);
std::string format_utc_timestamp(std::int64_t unix_seconds);

}  // namespace fargatelab::detail
