// Time zones by IANA name with their current rules (what is modelled: time_zone.hpp).
#include "scaling/time_zone.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <map>

#include <fmt/format.h>

namespace fargatelab::detail {

namespace {

constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kMinute = 60;

// A POSIX TZ rule's DST part: "Mm.w.d/time,Mm.w.d/time".
struct DstRule {
  int start_month, start_week, start_weekday;
  std::int64_t start_at_s;
  int end_month, end_week, end_weekday;
  std::int64_t end_at_s;
};

// The rules in force today (tz database, files northamerica, europe, australasia):
// United States and Canada since 2007: second Sunday of March 02:00 to first Sunday of November 02:00.
constexpr DstRule kUs{3, 2, 0, 2 * kHour, 11, 1, 0, 2 * kHour};
// European Union (and UK) since 1996: last Sunday of March to last Sunday of October, at 01:00 UTC.
constexpr DstRule kEuWestern{3, 5, 0, 1 * kHour, 10, 5, 0, 2 * kHour};  // UTC+0 zones: 01:00 GMT, 02:00 BST
constexpr DstRule kEuCentral{3, 5, 0, 2 * kHour, 10, 5, 0, 3 * kHour};  // UTC+1: 02:00 CET, 03:00 CEST
constexpr DstRule kEuEastern{3, 5, 0, 3 * kHour, 10, 5, 0, 4 * kHour};  // UTC+2: 03:00 EET, 04:00 EEST
// South-eastern Australia since 2008: first Sunday of October 02:00 to first Sunday of April 03:00.
constexpr DstRule kAustralia{10, 1, 0, 2 * kHour, 4, 1, 0, 3 * kHour};
// New Zealand since 2007: last Sunday of September 02:00 to first Sunday of April 03:00.
constexpr DstRule kNewZealand{9, 5, 0, 2 * kHour, 4, 1, 0, 3 * kHour};

struct Row {
  const char* name;
  std::int64_t std_offset_s;  // east of UTC
  const DstRule* dst;         // nullptr: no DST; DST is standard + 1 h in every zone listed
};

// clang-format off
constexpr std::array kRows{
    Row{"UTC", 0, nullptr}, Row{"Etc/UTC", 0, nullptr}, Row{"Etc/GMT", 0, nullptr}, Row{"GMT", 0, nullptr},
    // North America
    Row{"America/New_York", -5 * kHour, &kUs}, Row{"America/Detroit", -5 * kHour, &kUs},
    Row{"America/Toronto", -5 * kHour, &kUs}, Row{"America/Chicago", -6 * kHour, &kUs},
    Row{"America/Winnipeg", -6 * kHour, &kUs}, Row{"America/Denver", -7 * kHour, &kUs},
    Row{"America/Edmonton", -7 * kHour, &kUs}, Row{"America/Phoenix", -7 * kHour, nullptr},
    Row{"America/Los_Angeles", -8 * kHour, &kUs}, Row{"America/Vancouver", -8 * kHour, &kUs},
    Row{"America/Anchorage", -9 * kHour, &kUs}, Row{"Pacific/Honolulu", -10 * kHour, nullptr},
    Row{"America/Halifax", -4 * kHour, &kUs}, Row{"America/St_Johns", -3 * kHour - 30 * kMinute, &kUs},
    Row{"America/Mexico_City", -6 * kHour, nullptr},
    // South America
    Row{"America/Sao_Paulo", -3 * kHour, nullptr}, Row{"America/Argentina/Buenos_Aires", -3 * kHour, nullptr},
    Row{"America/Bogota", -5 * kHour, nullptr}, Row{"America/Lima", -5 * kHour, nullptr},
    // Europe
    Row{"Europe/London", 0, &kEuWestern}, Row{"Europe/Dublin", 0, &kEuWestern}, Row{"Europe/Lisbon", 0, &kEuWestern},
    Row{"Europe/Paris", 1 * kHour, &kEuCentral}, Row{"Europe/Berlin", 1 * kHour, &kEuCentral},
    Row{"Europe/Madrid", 1 * kHour, &kEuCentral}, Row{"Europe/Rome", 1 * kHour, &kEuCentral},
    Row{"Europe/Amsterdam", 1 * kHour, &kEuCentral}, Row{"Europe/Brussels", 1 * kHour, &kEuCentral},
    Row{"Europe/Vienna", 1 * kHour, &kEuCentral}, Row{"Europe/Zurich", 1 * kHour, &kEuCentral},
    Row{"Europe/Stockholm", 1 * kHour, &kEuCentral}, Row{"Europe/Oslo", 1 * kHour, &kEuCentral},
    Row{"Europe/Copenhagen", 1 * kHour, &kEuCentral}, Row{"Europe/Warsaw", 1 * kHour, &kEuCentral},
    Row{"Europe/Prague", 1 * kHour, &kEuCentral}, Row{"Europe/Athens", 2 * kHour, &kEuEastern},
    Row{"Europe/Helsinki", 2 * kHour, &kEuEastern}, Row{"Europe/Kyiv", 2 * kHour, &kEuEastern},
    Row{"Europe/Bucharest", 2 * kHour, &kEuEastern}, Row{"Europe/Istanbul", 3 * kHour, nullptr},
    Row{"Europe/Moscow", 3 * kHour, nullptr},
    // Africa and the Middle East
    Row{"Africa/Lagos", 1 * kHour, nullptr}, Row{"Africa/Johannesburg", 2 * kHour, nullptr},
    Row{"Africa/Nairobi", 3 * kHour, nullptr}, Row{"Asia/Riyadh", 3 * kHour, nullptr},
    Row{"Asia/Dubai", 4 * kHour, nullptr},
    // Asia
    Row{"Asia/Karachi", 5 * kHour, nullptr}, Row{"Asia/Kolkata", 5 * kHour + 30 * kMinute, nullptr},
    Row{"Asia/Dhaka", 6 * kHour, nullptr}, Row{"Asia/Bangkok", 7 * kHour, nullptr},
    Row{"Asia/Jakarta", 7 * kHour, nullptr}, Row{"Asia/Singapore", 8 * kHour, nullptr},
    Row{"Asia/Hong_Kong", 8 * kHour, nullptr}, Row{"Asia/Shanghai", 8 * kHour, nullptr},
    Row{"Asia/Taipei", 8 * kHour, nullptr}, Row{"Asia/Manila", 8 * kHour, nullptr},
    Row{"Asia/Seoul", 9 * kHour, nullptr}, Row{"Asia/Tokyo", 9 * kHour, nullptr},
    // Oceania
    Row{"Australia/Perth", 8 * kHour, nullptr}, Row{"Australia/Darwin", 9 * kHour + 30 * kMinute, nullptr},
    Row{"Australia/Adelaide", 9 * kHour + 30 * kMinute, &kAustralia}, Row{"Australia/Brisbane", 10 * kHour, nullptr},
    Row{"Australia/Sydney", 10 * kHour, &kAustralia}, Row{"Australia/Melbourne", 10 * kHour, &kAustralia},
    Row{"Australia/Hobart", 10 * kHour, &kAustralia}, Row{"Pacific/Auckland", 12 * kHour, &kNewZealand},
    Row{"Pacific/Tahiti", -10 * kHour, nullptr},
};
// clang-format on

}  // namespace

// Builds the zones once: the table's rows plus Etc/GMT+1..+12 and Etc/GMT-1..-14.
struct TimeZoneTable {
  std::map<std::string, TimeZone, std::less<>> zones;
  std::vector<std::string> names;

  TimeZoneTable() {
    for (const Row& r : kRows) {
      TimeZone::Rule rule;
      rule.std_offset_s = r.std_offset_s;
      if (r.dst) {
        const DstRule& d = *r.dst;
        rule.has_dst = true;
        rule.dst_offset_s = r.std_offset_s + kHour;
        rule.start = {d.start_month, d.start_week, d.start_weekday, d.start_at_s};
        rule.end = {d.end_month, d.end_week, d.end_weekday, d.end_at_s};
      }
      add(r.name, rule);
    }
    // IANA keeps the POSIX sign: Etc/GMT+5 is five hours WEST of Greenwich (UTC-05:00).
    for (int n = 1; n <= 12; ++n) add(fmt::format("Etc/GMT+{}", n), TimeZone::Rule{-n * kHour});
    for (int n = 1; n <= 14; ++n) add(fmt::format("Etc/GMT-{}", n), TimeZone::Rule{n * kHour});
    for (const auto& [name, _] : zones) names.push_back(name);
  }
  void add(std::string name, TimeZone::Rule rule) { zones.emplace(name, TimeZone(name, rule)); }
};

namespace {
const TimeZoneTable& table() {
  static const TimeZoneTable t;
  return t;
}
}  // namespace

std::optional<TimeZone> TimeZone::find(std::string_view iana_name) {
  const auto& zones = table().zones;
  const auto it = zones.find(iana_name);
  if (it == zones.end()) return std::nullopt;
  return it->second;
}

const std::vector<std::string>& TimeZone::names() { return table().names; }

TimeZone TimeZone::utc() { return *find("UTC"); }

std::int64_t TimeZone::transition_utc(const Transition& t, std::int64_t year, std::int64_t offset_s) noexcept {
  using namespace std::chrono;
  const auto y = std::chrono::year{static_cast<int>(year)};
  const auto m = month{static_cast<unsigned>(t.month)};
  const auto wd = weekday{static_cast<unsigned>(t.weekday)};
  const sys_days day = t.week == 5 ? sys_days{year_month_weekday_last{y, m, weekday_last{wd}}}
                                   : sys_days{year_month_weekday{y, m, weekday_indexed{wd, static_cast<unsigned>(t.week)}}};
  return static_cast<std::int64_t>(day.time_since_epoch().count()) * 86400 + t.at_s - offset_s;
}

std::int64_t TimeZone::utc_offset_at(std::int64_t unix_utc) const noexcept {
  if (!rule_.has_dst) return rule_.std_offset_s;
  using namespace std::chrono;
  // The year of the local standard time: no zone changes its offset around New Year.
  const auto local_day = floor<days>(sys_seconds{seconds{unix_utc + rule_.std_offset_s}});
  const std::int64_t year = static_cast<int>(year_month_day{local_day}.year());
  const std::int64_t start = transition_utc(rule_.start, year, rule_.std_offset_s);
  const std::int64_t end = transition_utc(rule_.end, year, rule_.dst_offset_s);
  // Northern hemisphere: DST inside [start, end); southern (start later in the year): outside [end, start).
  const bool dst = start < end ? unix_utc >= start && unix_utc < end : unix_utc >= start || unix_utc < end;
  return dst ? rule_.dst_offset_s : rule_.std_offset_s;
}

std::int64_t TimeZone::to_utc(std::int64_t local) const noexcept {
  if (!rule_.has_dst) return local - rule_.std_offset_s;
  const std::int64_t as_std = local - rule_.std_offset_s;
  const std::int64_t as_dst = local - rule_.dst_offset_s;
  const bool std_ok = utc_offset_at(as_std) == rule_.std_offset_s;
  const bool dst_ok = utc_offset_at(as_dst) == rule_.dst_offset_s;
  if (std_ok && dst_ok) return std::min(as_std, as_dst);  // repeated hour: the first occurrence
  if (dst_ok) return as_dst;
  // Standard time, or the skipped hour read with the offset before the change (standard).
  return as_std;
}

}  // namespace fargatelab::detail
