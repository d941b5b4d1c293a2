// EventBridge schedule expressions (rate / cron) for scheduled tasks. Every expected fire time is
// worked out by hand in the comment beside it. Calendar facts used throughout:
//   2026-01-01 is day 56*365 + 14 leap days (1972..2024) = 20454 since 1970-01-01; weekday
//   (20454 + 4) % 7 = 4 = Thursday. So January 2026: Thu 1, Sat 3, Sun 4, Mon 5, Fri 9, Sat 10,
//   Sun 11, Mon 12, Thu 29, Fri 30, Sat 31. 2026-01-05 = day 20458 -> 20458 * 86400 = 1767571200 s,
//   weekday (20458 + 4) % 7 = 1 = Monday.
//   2026 is not a leap year: Feb 1 = Jan 1 + 31 days = Sunday; Feb 28 = Saturday; Mar 1 = Sunday;
//   Apr 1 = Mar 1 + 31 = Wednesday; May 1 = Jan 1 + 120 = Friday, so May 31 = Sunday;
//   Aug 1 = Jan 1 + 212 (212 % 7 = 2) = Saturday.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "scenario/schedule_expression.hpp"

using namespace fargatelab::detail;
using Catch::Matchers::Contains;

namespace {

constexpr std::int64_t t0 = 1767571200;  // 2026-01-05T00:00:00Z, a Monday

std::int64_t at(const char* iso) { return parse_utc_timestamp(iso); }

// Next fire of `expr` strictly after `after` (ISO), as ISO text, or "none".
std::string next(const char* expr, const char* after) {
  const auto t = ScheduleExpression::parse(expr).next_after(at(after));
  return t ? format_utc_timestamp(*t) : "none";
}

// The first `n` fires strictly after `after`, iterating next_after.
std::vector<std::string> fires(const char* expr, const char* after, int n) {
  const auto e = ScheduleExpression::parse(expr);
  std::vector<std::string> out;
  std::int64_t t = at(after);
  for (int i = 0; i < n; ++i) {
    const auto f = e.next_after(t);
    if (!f) {
      out.emplace_back("none");
      break;
    }
    out.push_back(format_utc_timestamp(*f));
    t = *f;
  }
  return out;
}

// The std::invalid_argument message of parsing `text`, or "" if it parsed.
std::string parse_error(const char* text) {
  try {
    (void)ScheduleExpression::parse(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

std::string timestamp_error(const char* text) {
  try {
    (void)parse_utc_timestamp(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

using Strings = std::vector<std::string>;

}  // namespace

// ---- timestamps --------------------------------------------------------------------------------

TEST_CASE("schedule: UTC timestamps round-trip through Unix seconds", "[schedule]") {
  CHECK(parse_utc_timestamp("1970-01-01T00:00:00Z") == 0);
  CHECK(format_utc_timestamp(0) == "1970-01-01T00:00:00Z");
  // 1970-01-01 + 10957 days (30 years, 7 leap days) = 2000-01-01; + 31 + 28 = day 11016; * 86400.
  CHECK(parse_utc_timestamp("2000-02-29T00:00:00Z") == 951782400);
  CHECK(format_utc_timestamp(951782400) == "2000-02-29T00:00:00Z");
  CHECK(parse_utc_timestamp("2026-01-05T00:00:00Z") == t0);
  CHECK(format_utc_timestamp(t0) == "2026-01-05T00:00:00Z");
  // 2200-01-01 = day 230*365 + 56 leap days (1972..2196 is 57, minus 2100) = 84006; * 86400 - 1.
  CHECK(parse_utc_timestamp("2199-12-31T23:59:59Z") == 7258118399);
  CHECK(format_utc_timestamp(7258118399) == "2199-12-31T23:59:59Z");
  CHECK(parse_utc_timestamp("2199-12-31T00:00:00Z") == 84005LL * 86400);
  // 10:30:15 = 37815 s into the day.
  CHECK(parse_utc_timestamp("2026-01-05T10:30:15+00:00") == t0 + 37815);
  CHECK(format_utc_timestamp(t0 + 37815) == "2026-01-05T10:30:15Z");
  CHECK(format_utc_timestamp(-1) == "1969-12-31T23:59:59Z");
  for (const char* s : {"1970-01-01T00:00:00Z", "1999-12-31T23:59:59Z", "2000-02-29T12:34:56Z",
                        "2028-02-29T23:59:00Z", "2100-02-28T00:00:00Z", "2100-03-01T00:00:00Z",
                        "2199-12-31T23:59:59Z"}) {
    INFO(s);
    CHECK(format_utc_timestamp(parse_utc_timestamp(s)) == s);
  }
  // Every day across 1999-2001 and 2099-2101 round-trips and consecutive days differ by 86400 s.
  for (const std::int64_t start : {at("1999-01-01T00:00:00Z"), at("2099-01-01T00:00:00Z")}) {
    for (int i = 0; i < 3 * 366; ++i) {
      const std::int64_t t = start + i * 86400LL;
      REQUIRE(parse_utc_timestamp(format_utc_timestamp(t)) == t);
    }
  }
}

TEST_CASE("schedule: malformed or non-UTC timestamps are rejected", "[schedule]") {
  CHECK_THAT(timestamp_error("2026-01-05T00:00:00"), Contains("expected YYYY-MM-DDTHH:MM:SSZ"));
  CHECK_THAT(timestamp_error("2026-01-05 00:00:00Z"), Contains("expected YYYY-MM-DDTHH:MM:SSZ"));
  CHECK_THAT(timestamp_error("2026-1-5T00:00:00Z"), Contains("expected YYYY-MM-DDTHH:MM:SSZ"));
  CHECK_THAT(timestamp_error("2026-01-05T00:00:00.5Z"), Contains("expected YYYY-MM-DDTHH:MM:SSZ"));
  CHECK_THAT(timestamp_error(""), Contains("expected YYYY-MM-DDTHH:MM:SSZ"));
  CHECK_THAT(timestamp_error("2026-01-05T00:00:00+01:00"), Contains("is not UTC"));
  CHECK_THAT(timestamp_error("2026-01-05T00:00:00-05:00"), Contains("is not UTC"));
  CHECK_THAT(timestamp_error("2026-13-01T00:00:00Z"), Contains("month 13"));
  CHECK_THAT(timestamp_error("2026-02-29T00:00:00Z"), Contains("day 29"));  // 2026 is not a leap year
  CHECK_THAT(timestamp_error("2100-02-29T00:00:00Z"), Contains("day 29"));  // 2100: divisible by 100, not 400
  CHECK_THAT(timestamp_error("2026-04-31T00:00:00Z"), Contains("day 31"));
  CHECK_THAT(timestamp_error("2026-01-05T24:00:00Z"), Contains("hour 24"));
  CHECK_THAT(timestamp_error("2026-01-05T00:60:00Z"), Contains("minute 60"));
  CHECK_THAT(timestamp_error("2026-01-05T00:00:60Z"), Contains("second 60"));
  CHECK_THROWS_AS(format_utc_timestamp(std::numeric_limits<std::int64_t>::max()), std::out_of_range);
}

// ---- AWS documented examples ---------------------------------------------------------------------

TEST_CASE("schedule: AWS example cron(0 10 * * ? *) fires daily at 10:00 UTC", "[schedule]") {
  // Monday 00:00 -> the same day 10:00; strictly after 10:00 -> the next day.
  CHECK(next("cron(0 10 * * ? *)", "2026-01-05T00:00:00Z") == "2026-01-05T10:00:00Z");
  CHECK(next("cron(0 10 * * ? *)", "2026-01-05T09:59:59Z") == "2026-01-05T10:00:00Z");
  CHECK(next("cron(0 10 * * ? *)", "2026-01-05T10:00:00Z") == "2026-01-06T10:00:00Z");
  CHECK(next("cron(0 10 * * ? *)", "2026-01-05T10:00:01Z") == "2026-01-06T10:00:00Z");
  // Year end rolls into the next year.
  CHECK(next("cron(0 10 * * ? *)", "2026-12-31T10:00:00Z") == "2027-01-01T10:00:00Z");
  const auto e = ScheduleExpression::parse("cron(0 10 * * ? *)");
  CHECK(e.next_after(t0) == t0 + 10 * 3600);  // raw seconds: 10 h after midnight
}

TEST_CASE("schedule: AWS example cron(15 12 * * ? *) fires daily at 12:15 UTC", "[schedule]") {
  CHECK(fires("cron(15 12 * * ? *)", "2026-01-05T00:00:00Z", 3) ==
        Strings{"2026-01-05T12:15:00Z", "2026-01-06T12:15:00Z", "2026-01-07T12:15:00Z"});
  CHECK(next("cron(15 12 * * ? *)", "2026-01-05T12:16:00Z") == "2026-01-06T12:15:00Z");
}

TEST_CASE("schedule: AWS example cron(0 18 ? * MON-FRI *) fires weekdays at 18:00", "[schedule]") {
  // Mon 5 .. Fri 9 at 18:00, then the weekend (Sat 10, Sun 11) is skipped: Mon 12.
  CHECK(fires("cron(0 18 ? * MON-FRI *)", "2026-01-05T00:00:00Z", 6) ==
        Strings{"2026-01-05T18:00:00Z", "2026-01-06T18:00:00Z", "2026-01-07T18:00:00Z",
                "2026-01-08T18:00:00Z", "2026-01-09T18:00:00Z", "2026-01-12T18:00:00Z"});
  // Numeric days: 2-6 = MON-FRI (1 = SUN).
  CHECK(next("cron(0 18 ? * 2-6 *)", "2026-01-09T18:00:00Z") == "2026-01-12T18:00:00Z");
}

TEST_CASE("schedule: Day-of-week 1 is Sunday and 2026-01-05 is a Monday", "[schedule]") {
  CHECK(next("cron(0 0 ? * MON *)", "2026-01-04T23:59:59Z") == "2026-01-05T00:00:00Z");
  CHECK(next("cron(0 0 ? * 2 *)", "2026-01-04T23:59:59Z") == "2026-01-05T00:00:00Z");
  CHECK(next("cron(0 0 ? * 1 *)", "2026-01-05T00:00:00Z") == "2026-01-11T00:00:00Z");    // Sunday
  CHECK(next("cron(0 0 ? * SUN *)", "2026-01-05T00:00:00Z") == "2026-01-11T00:00:00Z");
  CHECK(next("cron(0 0 ? * 7 *)", "2026-01-05T00:00:00Z") == "2026-01-10T00:00:00Z");    // Saturday
  CHECK(next("cron(0 0 ? * SAT *)", "2026-01-05T00:00:00Z") == "2026-01-10T00:00:00Z");
  CHECK(next("cron(0 0 ? * L *)", "2026-01-05T00:00:00Z") == "2026-01-10T00:00:00Z");    // L = last day of week
  CHECK(next("cron(0 0 ? * * *)", "2026-01-05T00:00:00Z") == "2026-01-06T00:00:00Z");
  // Lists mixing names and numbers: SUN (1), WED (4) from Monday 5th -> Wed 7th, Sun 11th, Wed 14th.
  CHECK(fires("cron(0 0 ? * 1,WED *)", "2026-01-05T00:00:00Z", 3) ==
        Strings{"2026-01-07T00:00:00Z", "2026-01-11T00:00:00Z", "2026-01-14T00:00:00Z"});
}

TEST_CASE("schedule: AWS example cron(0 8 1 * ? *) fires on the 1st at 08:00", "[schedule]") {
  CHECK(fires("cron(0 8 1 * ? *)", "2026-01-05T00:00:00Z", 3) ==
        Strings{"2026-02-01T08:00:00Z", "2026-03-01T08:00:00Z", "2026-04-01T08:00:00Z"});
  CHECK(next("cron(0 8 1 * ? *)", "2026-12-01T08:00:00Z") == "2027-01-01T08:00:00Z");
  CHECK(next("cron(0 8 1 * ? *)", "2026-12-01T07:59:00Z") == "2026-12-01T08:00:00Z");
}

TEST_CASE("schedule: AWS example cron(0/15 * * * ? *) fires every 15 minutes", "[schedule]") {
  // Strictly after 00:00 -> 00:15; 00:59:30 -> 01:00; 23:45 -> next day 00:00.
  CHECK(fires("cron(0/15 * * * ? *)", "2026-01-05T00:00:00Z", 4) ==
        Strings{"2026-01-05T00:15:00Z", "2026-01-05T00:30:00Z", "2026-01-05T00:45:00Z", "2026-01-05T01:00:00Z"});
  CHECK(next("cron(0/15 * * * ? *)", "2026-01-05T00:14:59Z") == "2026-01-05T00:15:00Z");
  CHECK(next("cron(0/15 * * * ? *)", "2026-01-05T00:59:30Z") == "2026-01-05T01:00:00Z");
  CHECK(next("cron(0/15 * * * ? *)", "2026-01-05T23:45:00Z") == "2026-01-06T00:00:00Z");
  // AWS's "1/10": minutes 1, 11, 21, 31, 41, 51.
  CHECK(fires("cron(1/10 * * * ? *)", "2026-01-05T00:45:00Z", 3) ==
        Strings{"2026-01-05T00:51:00Z", "2026-01-05T01:01:00Z", "2026-01-05T01:11:00Z"});
  // 96 fires a day: 1000 iterations from t0 land 1000 * 15 min = 10 days 10 h later.
  const auto e = ScheduleExpression::parse("cron(0/15 * * * ? *)");
  std::int64_t t = t0;
  for (int i = 0; i < 1000; ++i) t = *e.next_after(t);
  CHECK(format_utc_timestamp(t) == "2026-01-15T10:00:00Z");
}

TEST_CASE("schedule: AWS example cron(0/10 * ? * MON-FRI *) fires every 10 minutes on weekdays", "[schedule]") {
  CHECK(next("cron(0/10 * ? * MON-FRI *)", "2026-01-05T00:00:00Z") == "2026-01-05T00:10:00Z");
  // Friday 23:50 is the week's last fire; then Monday 00:00.
  CHECK(next("cron(0/10 * ? * MON-FRI *)", "2026-01-09T23:45:00Z") == "2026-01-09T23:50:00Z");
  CHECK(next("cron(0/10 * ? * MON-FRI *)", "2026-01-09T23:50:00Z") == "2026-01-12T00:00:00Z");
  CHECK(next("cron(0/10 * ? * MON-FRI *)", "2026-01-10T12:00:00Z") == "2026-01-12T00:00:00Z");
}

TEST_CASE("schedule: AWS example cron(0/5 8-17 ? * MON-FRI *) fires every 5 minutes 08:00-17:55 on weekdays",
          "[schedule]") {
  CHECK(next("cron(0/5 8-17 ? * MON-FRI *)", "2026-01-05T00:00:00Z") == "2026-01-05T08:00:00Z");
  CHECK(next("cron(0/5 8-17 ? * MON-FRI *)", "2026-01-05T17:52:00Z") == "2026-01-05T17:55:00Z");
  CHECK(next("cron(0/5 8-17 ? * MON-FRI *)", "2026-01-05T17:55:00Z") == "2026-01-06T08:00:00Z");
  CHECK(next("cron(0/5 8-17 ? * MON-FRI *)", "2026-01-09T17:55:00Z") == "2026-01-12T08:00:00Z");
  // 12 fires an hour for 10 hours = 120 a day: the 121st fire from Monday 00:00 is Tuesday 08:00.
  const auto f = fires("cron(0/5 8-17 ? * MON-FRI *)", "2026-01-05T00:00:00Z", 121);
  CHECK(f[119] == "2026-01-05T17:55:00Z");
  CHECK(f[120] == "2026-01-06T08:00:00Z");
}

TEST_CASE("schedule: AWS example cron(0 9 ? * 2#1 *) fires on the first Monday at 09:00", "[schedule]") {
  // Jan 2026: Thu 1 -> first Monday the 5th. Feb 1 is a Sunday -> Mon 2. Mar 1 Sunday -> Mon 2.
  // Apr 1 Wednesday -> Mon 6.
  CHECK(fires("cron(0 9 ? * 2#1 *)", "2026-01-05T00:00:00Z", 4) ==
        Strings{"2026-01-05T09:00:00Z", "2026-02-02T09:00:00Z", "2026-03-02T09:00:00Z", "2026-04-06T09:00:00Z"});
  CHECK(next("cron(0 9 ? * MON#1 *)", "2026-01-05T09:00:00Z") == "2026-02-02T09:00:00Z");
}

// ---- month ends, leap years, L W # -----------------------------------------------------------------

TEST_CASE("schedule: day 31 skips shorter months and day 29 of February waits for a leap year", "[schedule]") {
  // Jan 31, (Feb has 28 days), Mar 31, (Apr 30), May 31.
  CHECK(fires("cron(0 0 31 * ? *)", "2026-01-05T00:00:00Z", 3) ==
        Strings{"2026-01-31T00:00:00Z", "2026-03-31T00:00:00Z", "2026-05-31T00:00:00Z"});
  // 2026, 2027 are not leap years; 2028 is; the next is 2032.
  CHECK(fires("cron(0 0 29 2 ? *)", "2026-01-05T00:00:00Z", 2) ==
        Strings{"2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"});
  // 2100 is not a leap year (divisible by 100, not 400): from 2097, 2104 comes next.
  CHECK(next("cron(0 0 29 FEB ? *)", "2097-01-01T00:00:00Z") == "2104-02-29T00:00:00Z");
  // Last minute of the year.
  CHECK(fires("cron(59 23 31 12 ? *)", "2026-01-05T00:00:00Z", 2) ==
        Strings{"2026-12-31T23:59:00Z", "2027-12-31T23:59:00Z"});
  // A date that never exists never fires.
  CHECK(next("cron(0 0 30 2 ? *)", "2026-01-05T00:00:00Z") == "none");
  CHECK(next("cron(0 0 31 APR,JUN,SEP,NOV ? *)", "2026-01-05T00:00:00Z") == "none");
}

TEST_CASE("schedule: L in Day-of-month is the last day, including February 29 in 2028", "[schedule]") {
  CHECK(fires("cron(0 0 L * ? *)", "2026-01-05T00:00:00Z", 4) ==
        Strings{"2026-01-31T00:00:00Z", "2026-02-28T00:00:00Z", "2026-03-31T00:00:00Z", "2026-04-30T00:00:00Z"});
  CHECK(next("cron(0 12 L 2 ? *)", "2027-02-01T00:00:00Z") == "2027-02-28T12:00:00Z");
  CHECK(next("cron(0 12 L 2 ? *)", "2028-02-01T00:00:00Z") == "2028-02-29T12:00:00Z");
  CHECK(next("cron(0 12 L 2 ? *)", "2028-02-29T12:00:00Z") == "2029-02-28T12:00:00Z");
  CHECK(next("cron(0 0 L FEB ? 2100)", "2026-01-05T00:00:00Z") == "2100-02-28T00:00:00Z");
  CHECK(next("cron(0 0 L FEB ? 2000)", "1999-06-01T00:00:00Z") == "2000-02-29T00:00:00Z");
}

TEST_CASE("schedule: W picks the nearest weekday within the month", "[schedule]") {
  // 15W: Jan 15 2026 is a Thursday -> 15th; Feb 15 is a Sunday -> Monday 16th; Mar 15 Sunday -> 16th.
  CHECK(fires("cron(0 9 15W * ? *)", "2026-01-05T00:00:00Z", 3) ==
        Strings{"2026-01-15T09:00:00Z", "2026-02-16T09:00:00Z", "2026-03-16T09:00:00Z"});
  // 10W: Jan 10 is a Saturday -> Friday 9th.
  CHECK(next("cron(0 9 10W * ? *)", "2026-01-05T00:00:00Z") == "2026-01-09T09:00:00Z");
  // 1W: Aug 1 2026 is a Saturday -> Monday the 3rd (never back into July).
  CHECK(next("cron(0 9 1W * ? *)", "2026-07-15T00:00:00Z") == "2026-08-03T09:00:00Z");
  // 31W: Jan 31 Saturday -> Fri 30; Feb has no 31st; Mar 31 is a Tuesday; Apr has none;
  // May 31 is a Sunday at the month end -> Friday 29th (never forward into June).
  CHECK(fires("cron(0 0 31W * ? *)", "2026-01-05T00:00:00Z", 3) ==
        Strings{"2026-01-30T00:00:00Z", "2026-03-31T00:00:00Z", "2026-05-29T00:00:00Z"});
  // LW: last weekday. Jan 31 Sat -> Fri 30; Feb 28 Sat -> Fri 27; Mar 31 Tue.
  CHECK(fires("cron(0 0 LW * ? *)", "2026-01-05T00:00:00Z", 3) ==
        Strings{"2026-01-30T00:00:00Z", "2026-02-27T00:00:00Z", "2026-03-31T00:00:00Z"});
}

TEST_CASE("schedule: # picks the nth weekday and nL the last one of the month", "[schedule]") {
  // Second Tuesday (AWS's 3#2): Jan 2026 Tuesdays 6, 13 -> 13th; Feb Tuesdays 3, 10 -> 10th.
  CHECK(fires("cron(0 0 ? * 3#2 *)", "2026-01-05T00:00:00Z", 2) ==
        Strings{"2026-01-13T00:00:00Z", "2026-02-10T00:00:00Z"});
  // Fifth Thursday: Jan 2026 has 1, 8, 15, 22, 29; Feb (5..26) and Mar (5..26) have four;
  // Apr 1 is a Wednesday so Thursdays are 2, 9, 16, 23, 30.
  CHECK(fires("cron(0 0 ? * 5#5 *)", "2026-01-05T00:00:00Z", 2) ==
        Strings{"2026-01-29T00:00:00Z", "2026-04-30T00:00:00Z"});
  // Last Friday: Jan 30 (31 is Saturday); Feb 27 (28 is Saturday); Mar 27 (Mar 31 is Tuesday).
  CHECK(fires("cron(0 0 ? * 6L *)", "2026-01-05T00:00:00Z", 3) ==
        Strings{"2026-01-30T00:00:00Z", "2026-02-27T00:00:00Z", "2026-03-27T00:00:00Z"});
  CHECK(next("cron(0 0 ? * FRIL *)", "2026-01-05T00:00:00Z") == "2026-01-30T00:00:00Z");
  // Last Sunday: Jan 25; Feb 22 (Feb 1 Sunday + 21).
  CHECK(fires("cron(0 0 ? * 1L *)", "2026-01-05T00:00:00Z", 2) ==
        Strings{"2026-01-25T00:00:00Z", "2026-02-22T00:00:00Z"});
}

TEST_CASE("schedule: ranges, lists and increments in every field", "[schedule]") {
  // Hours 9,12,18 at :30 from 10:00 -> 12:30, 18:30, next day 09:30.
  CHECK(fires("cron(30 9,12,18 * * ? *)", "2026-01-05T10:00:00Z", 3) ==
        Strings{"2026-01-05T12:30:00Z", "2026-01-05T18:30:00Z", "2026-01-06T09:30:00Z"});
  // Every 4 hours from 0: 0, 4, 8, ...; from 09:00 -> 12:00.
  CHECK(next("cron(0 0/4 * * ? *)", "2026-01-05T09:00:00Z") == "2026-01-05T12:00:00Z");
  // Range with step 10-20/5 -> minutes 10, 15, 20; after :20 -> next hour :10.
  CHECK(fires("cron(10-20/5 * * * ? *)", "2026-01-05T00:12:00Z", 3) ==
        Strings{"2026-01-05T00:15:00Z", "2026-01-05T00:20:00Z", "2026-01-05T01:10:00Z"});
  // */20 is 0/20.
  CHECK(next("cron(*/20 * * * ? *)", "2026-01-05T00:00:00Z") == "2026-01-05T00:20:00Z");
  // Days 1-15/7 -> 1, 8, 15.
  CHECK(fires("cron(0 0 1-15/7 * ? *)", "2026-01-05T00:00:00Z", 3) ==
        Strings{"2026-01-08T00:00:00Z", "2026-01-15T00:00:00Z", "2026-02-01T00:00:00Z"});
  // Quarterly: months 1/3 = JAN, APR, JUL, OCT.
  CHECK(fires("cron(0 0 1 1/3 ? *)", "2026-01-05T00:00:00Z", 2) ==
        Strings{"2026-04-01T00:00:00Z", "2026-07-01T00:00:00Z"});
  // Month names in a range: JUN-AUG on the 1st.
  CHECK(fires("cron(0 0 1 jun-aug ? *)", "2026-01-05T00:00:00Z", 4) ==
        Strings{"2026-06-01T00:00:00Z", "2026-07-01T00:00:00Z", "2026-08-01T00:00:00Z", "2027-06-01T00:00:00Z"});
}

TEST_CASE("schedule: the Year field bounds the search (1970-2199)", "[schedule]") {
  CHECK(next("cron(0 0 1 1 ? 2199)", "2026-01-05T00:00:00Z") == "2199-01-01T00:00:00Z");
  CHECK(next("cron(0 0 1 1 ? 2199)", "2199-01-01T00:00:00Z") == "none");
  CHECK(next("cron(0 0 1 1 ? 1970-2025)", "2026-01-05T00:00:00Z") == "none");  // all in the past
  CHECK(next("cron(0 10 * * ? 2026)", "2026-12-31T10:00:00Z") == "none");
  // Years 2026/4 = 2026, 2030, ...: Jan 1 2026 is already past.
  CHECK(fires("cron(0 0 1 1 ? 2026/4)", "2026-01-05T00:00:00Z", 2) ==
        Strings{"2030-01-01T00:00:00Z", "2034-01-01T00:00:00Z"});
  // The last possible minute 2199-12-31T23:59 = 7258118400 - 60; nothing after it.
  const auto e = ScheduleExpression::parse("cron(* * * * ? *)");
  CHECK(e.next_after(at("2199-12-31T23:58:59Z")) == 7258118340);
  CHECK(e.next_after(7258118340) == std::nullopt);
  CHECK(e.next_after(std::numeric_limits<std::int64_t>::max()) == std::nullopt);
  // Before 1970 the first fire is the epoch itself.
  CHECK(ScheduleExpression::parse("cron(0 0 1 1 ? *)").next_after(std::numeric_limits<std::int64_t>::min()) == 0);
  CHECK(ScheduleExpression::parse("cron(0 0 1 1 ? 1970)").next_after(-1) == 0);
  CHECK(ScheduleExpression::parse("cron(0 0 1 1 ? 1970)").next_after(0) == std::nullopt);
}

TEST_CASE("schedule: a cron never fires before its anchor (creation time)", "[schedule]") {
  const auto e = ScheduleExpression::parse("cron(0 10 * * ? *)");
  // Created Monday 11:00: the first fire is Tuesday 10:00 even when asked from Monday 00:00.
  CHECK(e.next_after(t0, t0 + 11 * 3600) == t0 + 86400 + 10 * 3600);
  // An anchor in the past changes nothing.
  CHECK(e.next_after(t0, t0 - 86400) == t0 + 10 * 3600);
  CHECK(e.next_after(t0, t0) == e.next_after(t0));
}

// ---- rate() ------------------------------------------------------------------------------------

TEST_CASE("schedule: rate fires at anchor + k * period, first one period after creation", "[schedule]") {
  const auto e = ScheduleExpression::parse("rate(5 minutes)");
  CHECK(e.kind() == ScheduleExpression::Kind::rate);
  CHECK(e.rate_period_seconds() == 300);
  CHECK(e.next_after(t0, t0) == t0 + 300);          // k = 1
  CHECK(e.next_after(t0 + 299, t0) == t0 + 300);
  CHECK(e.next_after(t0 + 300, t0) == t0 + 600);    // strictly after
  CHECK(e.next_after(t0 + 1001, t0) == t0 + 1200);  // floor(1001 / 300) + 1 = 4
  CHECK(e.next_after(t0 - 5000, t0) == t0 + 300);   // asked before creation: still the first fire
  // One-argument form: created at `after`; iterating walks the fires.
  CHECK(e.next_after(t0) == t0 + 300);
  CHECK(e.next_after(*e.next_after(t0)) == t0 + 600);

  // rate(1 hour) created at 00:07:30 fires at 01:07:30, 02:07:30, ...; from 10:00 -> 10:07:30.
  const auto h = ScheduleExpression::parse("rate(1 hour)");
  const std::int64_t anchor = at("2026-01-05T00:07:30Z");
  CHECK(format_utc_timestamp(*h.next_after(anchor, anchor)) == "2026-01-05T01:07:30Z");
  CHECK(format_utc_timestamp(*h.next_after(at("2026-01-05T10:00:00Z"), anchor)) == "2026-01-05T10:07:30Z");

  CHECK(ScheduleExpression::parse("rate(1 minute)").rate_period_seconds() == 60);
  CHECK(ScheduleExpression::parse("rate(1 day)").rate_period_seconds() == 86400);
  CHECK(ScheduleExpression::parse("rate(7 days)").rate_period_seconds() == 604800);
  CHECK(ScheduleExpression::parse("rate(12 hours)").rate_period_seconds() == 43200);
  CHECK(ScheduleExpression::parse("cron(0 10 * * ? *)").rate_period_seconds() == 0);
}

TEST_CASE("schedule: rate stops at the 2199 horizon", "[schedule]") {
  const auto d = ScheduleExpression::parse("rate(1 day)");
  const std::int64_t anchor = at("2199-12-30T12:00:00Z");
  CHECK(format_utc_timestamp(*d.next_after(anchor, anchor)) == "2199-12-31T12:00:00Z");
  CHECK(d.next_after(at("2199-12-31T12:00:00Z"), anchor) == std::nullopt);  // 2200-01-01T12:00 is past
  // Extreme inputs do not overflow.
  CHECK(d.next_after(std::numeric_limits<std::int64_t>::max(), 0) == std::nullopt);
  // Anchor -2^63: 2^63 mod 86400 = 55808, so the fires sit at 86400 - 55808 = 30592 mod 86400.
  CHECK(d.next_after(0, std::numeric_limits<std::int64_t>::min()) == 30592);
}

// ---- canonical text ------------------------------------------------------------------------------

TEST_CASE("schedule: to_string is canonical and parses back to an equal expression", "[schedule]") {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"rate(5 minutes)", "rate(5 minutes)"},
      {"rate(05 minutes)", "rate(5 minutes)"},
      {"  rate(1   day) ", "rate(1 day)"},
      {"cron(0 10 * * ? *)", "cron(0 10 * * ? *)"},
      {"cron( 00   10 * * ?  * )", "cron(0 10 * * ? *)"},
      {"cron(0 18 ? * mon-fri *)", "cron(0 18 ? * MON-FRI *)"},
      {"cron(0/15 * * * ? *)", "cron(0/15 * * * ? *)"},
      {"cron(*/15 * * * ? *)", "cron(*/15 * * * ? *)"},
      {"cron(0 0 15w * ? *)", "cron(0 0 15W * ? *)"},
      {"cron(0 0 l * ? *)", "cron(0 0 L * ? *)"},
      {"cron(0 0 lw * ? *)", "cron(0 0 LW * ? *)"},
      {"cron(0 9 ? * mon#1 *)", "cron(0 9 ? * MON#1 *)"},
      {"cron(0 0 ? * fril *)", "cron(0 0 ? * FRIL *)"},
      {"cron(0 0 1 jan,jul ? 2026-2030)", "cron(0 0 1 JAN,JUL ? 2026-2030)"},
  };
  for (const auto& [in, canon] : cases) {
    INFO(in);
    const auto e = ScheduleExpression::parse(in);
    CHECK(e.to_string() == canon);
    CHECK(ScheduleExpression::parse(e.to_string()) == e);
  }
  CHECK(ScheduleExpression::parse("cron(0 10 * * ? *)").kind() == ScheduleExpression::Kind::cron);
  CHECK_FALSE(ScheduleExpression::parse("cron(0 10 * * ? *)") == ScheduleExpression::parse("cron(0 11 * * ? *)"));
}

// ---- parse errors --------------------------------------------------------------------------------

TEST_CASE("schedule: text that is neither rate(...) nor cron(...) is rejected", "[schedule]") {
  for (const char* s : {"", "   ", "every 5 minutes", "cron 0 10 * * ? *", "CRON(0 10 * * ? *)", "at(2026-01-05T00:00:00)"}) {
    INFO(s);
    CHECK_THAT(parse_error(s), Contains("expected \"rate(value unit)\" or \"cron("));
  }
  CHECK_THAT(parse_error("cron(0 10 * * ? *"), Contains("missing closing ')'"));
  CHECK_THAT(parse_error("rate(5 minutes"), Contains("missing closing ')'"));
  CHECK_THAT(parse_error("cron(0 10 * * ? *) extra"), Contains("missing closing ')'"));
  CHECK_THAT(parse_error("cron(0 (10) * * ? *)"), Contains("parenthesis"));
  // The message quotes the input.
  CHECK_THAT(parse_error("cron(0 10 * * ?)"), Contains("\"cron(0 10 * * ?)\""));
}

TEST_CASE("schedule: cron needs exactly six fields", "[schedule]") {
  CHECK_THAT(parse_error("cron(0 10 * * ?)"), Contains("cron needs 6 fields") && Contains("got 5"));
  CHECK_THAT(parse_error("cron(0 0 10 * * ? *)"), Contains("cron needs 6 fields") && Contains("got 7"));
  CHECK_THAT(parse_error("cron()"), Contains("cron needs 6 fields") && Contains("got 0"));
  CHECK_THAT(parse_error("cron(* * * * *)"), Contains("Minutes Hours Day-of-month Month Day-of-week Year"));
}

TEST_CASE("schedule: out-of-range values name the field and its range", "[schedule]") {
  CHECK_THAT(parse_error("cron(60 10 * * ? *)"), Contains("Minutes field: value 60 is out of range (expected 0-59)"));
  CHECK_THAT(parse_error("cron(0-60 10 * * ? *)"), Contains("Minutes field: value 60"));
  CHECK_THAT(parse_error("cron(0 24 * * ? *)"), Contains("Hours field: value 24 is out of range (expected 0-23)"));
  CHECK_THAT(parse_error("cron(0 8-25 * * ? *)"), Contains("Hours field: value 25"));
  CHECK_THAT(parse_error("cron(0 0 32 * ? *)"), Contains("Day-of-month field: value 32 is out of range (expected 1-31)"));
  CHECK_THAT(parse_error("cron(0 0 0 * ? *)"), Contains("Day-of-month field: value 0"));
  CHECK_THAT(parse_error("cron(0 0 32W * ? *)"), Contains("Day-of-month field: value 32"));
  CHECK_THAT(parse_error("cron(0 0 1 13 ? *)"), Contains("Month field: value 13 is out of range (expected 1-12 or JAN-DEC)"));
  CHECK_THAT(parse_error("cron(0 0 1 0 ? *)"), Contains("Month field: value 0"));
  CHECK_THAT(parse_error("cron(0 0 ? * 8 *)"), Contains("Day-of-week field: value 8 is out of range (expected 1-7 or SUN-SAT"));
  CHECK_THAT(parse_error("cron(0 0 ? * 0 *)"), Contains("Day-of-week field: value 0"));
  CHECK_THAT(parse_error("cron(0 0 ? * 8#1 *)"), Contains("Day-of-week field: value 8"));
  CHECK_THAT(parse_error("cron(0 0 ? * 0L *)"), Contains("Day-of-week field: value 0"));
  CHECK_THAT(parse_error("cron(0 0 1 1 ? 1969)"), Contains("Year field: value 1969 is out of range (expected 1970-2199)"));
  CHECK_THAT(parse_error("cron(0 0 1 1 ? 2200)"), Contains("Year field: value 2200"));
  CHECK_THAT(parse_error("cron(0 0 1 1 ? 2026-99999999999)"), Contains("Year field: value 99999999999"));
}

TEST_CASE("schedule: unknown or misplaced names are rejected with the field", "[schedule]") {
  CHECK_THAT(parse_error("cron(0 0 1 JANUARY ? *)"), Contains("Month field: unknown name \"JANUARY\" (expected 1-12 or JAN-DEC)"));
  CHECK_THAT(parse_error("cron(0 0 1 JNA ? *)"), Contains("Month field: unknown name \"JNA\""));
  CHECK_THAT(parse_error("cron(0 0 ? * MONDAY *)"), Contains("Day-of-week field: unknown name \"MONDAY\""));
  CHECK_THAT(parse_error("cron(0 0 ? * JAN *)"), Contains("Day-of-week field: unknown name \"JAN\""));
  CHECK_THAT(parse_error("cron(0 0 1 MON ? *)"), Contains("Month field: unknown name \"MON\""));
  CHECK_THAT(parse_error("cron(0 MON * * ? *)"), Contains("Hours field: 'M' is not allowed"));
  CHECK_THAT(parse_error("cron(0 0 1 1 ? Y2K)"), Contains("Year field: 'Y' is not allowed"));
  CHECK_THAT(parse_error("cron(0 0 ? * M1 *)"), Contains("Day-of-week field: expected a value"));
}

TEST_CASE("schedule: exactly one of Day-of-month and Day-of-week must be '?'", "[schedule]") {
  CHECK_THAT(parse_error("cron(0 0 ? * ? *)"), Contains("Day-of-month and Day-of-week fields are both '?'"));
  CHECK_THAT(parse_error("cron(0 0 * * * *)"),
             Contains("Day-of-month (\"*\") and Day-of-week (\"*\") fields are both given; exactly one of them must be '?'"));
  CHECK_THAT(parse_error("cron(0 0 1 * MON *)"), Contains("Day-of-month (\"1\") and Day-of-week (\"MON\")"));
  CHECK_THAT(parse_error("cron(0 0 L * 6L *)"), Contains("fields are both given"));
  CHECK_THAT(parse_error("cron(? 0 * * ? *)"), Contains("Minutes field: '?' is only allowed in Day-of-month or Day-of-week"));
  CHECK_THAT(parse_error("cron(0 ? * * ? *)"), Contains("Hours field: '?'"));
  CHECK_THAT(parse_error("cron(0 0 1 ? * *)"), Contains("Month field: '?'"));
  CHECK_THAT(parse_error("cron(0 0 1 * ? ?)"), Contains("Year field: '?'"));
  CHECK_THAT(parse_error("cron(0 0 ?,1 * ? *)"), Contains("Day-of-month field: '?' must be the whole field"));
}

TEST_CASE("schedule: wildcards outside their fields are rejected", "[schedule]") {
  CHECK_THAT(parse_error("cron(L 0 * * ? *)"), Contains("Minutes field: 'L' is not allowed (expected 0-59 and , - * /)"));
  CHECK_THAT(parse_error("cron(0 5W * * ? *)"), Contains("Hours field: 'W' is not allowed"));
  CHECK_THAT(parse_error("cron(0 0 1#2 * ? *)"), Contains("Day-of-month field: '#' is not allowed"));
  CHECK_THAT(parse_error("cron(0 0 1 L ? *)"), Contains("Month field: unknown name \"L\""));
  CHECK_THAT(parse_error("cron(0 0 ? * 1/2 *)"), Contains("Day-of-week field: '/' is not allowed"));
  CHECK_THAT(parse_error("cron(0 0 ? * 2W *)"), Contains("Day-of-week field: expected a value"));
  CHECK_THAT(parse_error("cron(0 0 1 1 ? 2026#1)"), Contains("Year field: '#' is not allowed"));
  CHECK_THAT(parse_error("cron(0 0.5 * * ? *)"), Contains("Hours field: '.' is not allowed"));
}

TEST_CASE("schedule: malformed L, W and # forms are rejected", "[schedule]") {
  CHECK_THAT(parse_error("cron(0 0 L-3 * ? *)"), Contains("Day-of-month field: 'L' and 'W' must stand alone as L, LW or nW"));
  CHECK_THAT(parse_error("cron(0 0 1,L * ? *)"), Contains("Day-of-month field: 'L' and 'W' must stand alone"));
  CHECK_THAT(parse_error("cron(0 0 W * ? *)"), Contains("Day-of-month field: 'L' and 'W' must stand alone"));
  CHECK_THAT(parse_error("cron(0 0 1-5W * ? *)"), Contains("Day-of-month field: 'L' and 'W' must stand alone"));
  CHECK_THAT(parse_error("cron(0 0 0W * ? *)"), Contains("Day-of-month field: value 0"));
  // AWS: "3#1,6#3" is invalid because it is two expressions.
  CHECK_THAT(parse_error("cron(0 0 ? * 3#1,6#3 *)"), Contains("Day-of-week field: '#' must be the only expression"));
  CHECK_THAT(parse_error("cron(0 0 ? * 2-3#1 *)"), Contains("Day-of-week field: '#' must be the only expression"));
  CHECK_THAT(parse_error("cron(0 0 ? * 2#1#2 *)"), Contains("Day-of-week field: '#' must be the only expression"));
  CHECK_THAT(parse_error("cron(0 0 ? * 2#6 *)"), Contains("Day-of-week field: occurrence after '#' must be 1-5, got \"6\""));
  CHECK_THAT(parse_error("cron(0 0 ? * 2#0 *)"), Contains("occurrence after '#' must be 1-5"));
  CHECK_THAT(parse_error("cron(0 0 ? * 2# *)"), Contains("occurrence after '#' must be 1-5, got \"\""));
  CHECK_THAT(parse_error("cron(0 0 ? * #1 *)"), Contains("Day-of-week field: missing value"));
  CHECK_THAT(parse_error("cron(0 0 ? * 1L,2 *)"), Contains("Day-of-week field: 'L' must stand alone as L or weekdayL"));
  CHECK_THAT(parse_error("cron(0 0 ? * L6 *)"), Contains("Day-of-week field: 'L' must stand alone"));
  CHECK_THAT(parse_error("cron(0 0 ? * LL *)"), Contains("Day-of-week field: 'L' must stand alone"));
}

TEST_CASE("schedule: malformed lists, ranges and increments are rejected", "[schedule]") {
  CHECK_THAT(parse_error("cron(0 17-8 * * ? *)"), Contains("Hours field: range \"17-8\" is reversed"));
  CHECK_THAT(parse_error("cron(0 0 ? * FRI-MON *)"), Contains("Day-of-week field: range \"FRI-MON\" is reversed"));
  CHECK_THAT(parse_error("cron(0 0 1 1 ? 2030-2026)"), Contains("Year field: range \"2030-2026\" is reversed"));
  CHECK_THAT(parse_error("cron(5- 0 * * ? *)"), Contains("Minutes field: missing value (expected 0-59)"));
  CHECK_THAT(parse_error("cron(-5 0 * * ? *)"), Contains("Minutes field: missing value"));
  CHECK_THAT(parse_error("cron(1-2-3 0 * * ? *)"), Contains("Minutes field: expected a value 0-59, got \"2-3\""));
  CHECK_THAT(parse_error("cron(1,,2 0 * * ? *)"), Contains("Minutes field: empty element in list \"1,,2\""));
  CHECK_THAT(parse_error("cron(0 0 1 1, ? *)"), Contains("Month field: empty element in list"));
  CHECK_THAT(parse_error("cron(0/0 * * * ? *)"), Contains("Minutes field: increment after '/' must be an integer 1-60, got \"0\""));
  CHECK_THAT(parse_error("cron(0/61 * * * ? *)"), Contains("Minutes field: increment after '/' must be an integer 1-60"));
  CHECK_THAT(parse_error("cron(0 0/ * * ? *)"), Contains("Hours field: increment after '/' must be an integer 1-24, got \"\""));
  CHECK_THAT(parse_error("cron(/5 * * * ? *)"), Contains("Minutes field: missing start before '/'"));
  CHECK_THAT(parse_error("cron(0/5/2 * * * ? *)"), Contains("Minutes field: more than one '/'"));
  CHECK_THAT(parse_error("cron(0 0 1 1/13 ? *)"), Contains("Month field: increment after '/' must be an integer 1-12"));
}

TEST_CASE("schedule: malformed rate expressions name the value or the unit", "[schedule]") {
  CHECK_THAT(parse_error("rate(0 minutes)"), Contains("rate value must be >= 1"));
  CHECK_THAT(parse_error("rate(000 hours)"), Contains("rate value must be >= 1"));
  CHECK_THAT(parse_error("rate(-5 minutes)"), Contains("rate value must be a positive integer, got \"-5\""));
  CHECK_THAT(parse_error("rate(1.5 hours)"), Contains("rate value must be a positive integer, got \"1.5\""));
  CHECK_THAT(parse_error("rate(five minutes)"), Contains("rate value must be a positive integer"));
  CHECK_THAT(parse_error("rate(99999999999 days)"), Contains("rate value must be at most 1000000000"));
  // AWS: rate(1 hours) and rate(5 hour) aren't valid.
  CHECK_THAT(parse_error("rate(1 hours)"), Contains("rate unit must be singular for value 1: \"hour\", not \"hours\""));
  CHECK_THAT(parse_error("rate(1 minutes)"), Contains("rate unit must be singular"));
  CHECK_THAT(parse_error("rate(5 hour)"), Contains("rate unit must be plural for value 5: \"hours\", not \"hour\""));
  CHECK_THAT(parse_error("rate(2 day)"), Contains("rate unit must be plural"));
  CHECK_THAT(parse_error("rate(5 seconds)"), Contains("rate unit must be minute(s), hour(s) or day(s), got \"seconds\""));
  CHECK_THAT(parse_error("rate(1 week)"), Contains("rate unit must be minute(s), hour(s) or day(s)"));
  CHECK_THAT(parse_error("rate(5 Minutes)"), Contains("rate unit must be minute(s), hour(s) or day(s)"));
  CHECK_THAT(parse_error("rate(5)"), Contains("rate needs a value and a unit") && Contains("got 1 token(s)"));
  CHECK_THAT(parse_error("rate()"), Contains("rate needs a value and a unit"));
  CHECK_THAT(parse_error("rate(5 minutes extra)"), Contains("got 3 token(s)"));
}
