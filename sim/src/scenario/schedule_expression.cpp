// EventBridge schedule expressions (rules and sources in schedule_expression.hpp).
#include "scenario/schedule_expression.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <cstdio>
#include <stdexcept>
#include <vector>

namespace fargatelab::detail {

namespace {

__extension__ typedef __int128 WideInt;  // rate arithmetic on arbitrary int64 anchors

// ---- Proleptic Gregorian calendar, UTC -------------------------------------------------------
// days_from_civil / civil_from_days / weekday_from_days are Howard Hinnant's algorithms,
// "chrono-Compatible Low-Level Date Algorithms", http://howardhinnant.github.io/date_algorithms.html
// (public domain). Day 0 is 1970-01-01; valid for any int64 day count we produce.

constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);                // [0, 399]
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365]
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            // [0, 146096]
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t year;
  unsigned month;  // 1-12
  unsigned day;    // 1-31
};

constexpr Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);                    // [0, 146096]
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);  // [0, 365]
  const unsigned mp = (5 * doy + 2) / 153;                       // [0, 11], March = 0
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

// 0 = Sunday ... 6 = Saturday.
constexpr unsigned weekday_from_days(std::int64_t z) {
  return static_cast<unsigned>(z >= -4 ? (z + 4) % 7 : (z + 5) % 7 + 6);
}

constexpr bool is_leap(std::int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

constexpr unsigned days_in_month(std::int64_t y, unsigned m) {
  constexpr unsigned table[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29u : table[m - 1];
}

constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(weekday_from_days(days_from_civil(2026, 1, 5)) == 1);  // a Monday

// 2200-01-01T00:00:00Z: no schedule fires at or after it (cron Year is 1970-2199).
constexpr std::int64_t horizon_end_s = days_from_civil(2200, 1, 1) * 86400;

// Smallest set bit >= from, or -1.
int next_bit(std::uint64_t mask, int from) {
  if (from < 0) from = 0;
  if (from >= 64) return -1;
  const std::uint64_t rest = mask & (~std::uint64_t{0} << from);
  return rest == 0 ? -1 : std::countr_zero(rest);
}

// ---- Parsing --------------------------------------------------------------------------------

constexpr std::array<const char*, 12> month_names = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                     "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<const char*, 7> weekday_names = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

enum class FieldId { minutes, hours, day_of_month, month, day_of_week, year };

struct FieldDef {
  FieldId id;
  const char* name;
  int lo, hi;
  const char* expected;  // values, for messages
  const char* symbols;   // accepted wildcard characters, for messages and checks
};

constexpr std::array<FieldDef, 6> field_defs = {{
    {FieldId::minutes, "Minutes", 0, 59, "0-59", ", - * /"},
    {FieldId::hours, "Hours", 0, 23, "0-23", ", - * /"},
    {FieldId::day_of_month, "Day-of-month", 1, 31, "1-31", ", - * ? / L W"},
    {FieldId::month, "Month", 1, 12, "1-12 or JAN-DEC", ", - * /"},
    {FieldId::day_of_week, "Day-of-week", 1, 7, "1-7 or SUN-SAT (1 = SUN)", ", - * ? L #"},
    {FieldId::year, "Year", 1970, 2199, "1970-2199", ", - * /"},
}};

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_ws(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    const std::size_t b = i;
    while (i < s.size() && !is_space(s[i])) ++i;
    if (i > b) out.push_back(s.substr(b, i - b));
  }
  return out;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t b = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(b, i - b));
      b = i + 1;
    }
  }
  return out;
}

// Decimal value of a digit string, capped at `cap + 1` (so huge inputs compare as out of range).
std::int64_t digits_value(std::string_view s, std::int64_t cap) {
  std::int64_t v = 0;
  for (const char c : s) {
    v = v * 10 + (c - '0');
    if (v > cap) return cap + 1;
  }
  return v;
}

struct Value {
  int v;
  std::string canon;  // decimal without leading zeros, or the upper-case name
};

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  [[noreturn]] void fail(const std::string& detail) const {
    throw std::invalid_argument("invalid schedule expression \"" + std::string(text_) + "\": " + detail);
  }
  [[noreturn]] void fail(const FieldDef& f, const std::string& detail) const {
    fail(std::string(f.name) + " field: " + detail);
  }

  Value parse_value(std::string_view tok, const FieldDef& f) const {
    if (tok.empty()) fail(f, std::string("missing value (expected ") + f.expected + ")");
    if (all_digits(tok)) {
      const auto v = digits_value(tok, 100000);
      if (v < f.lo || v > f.hi) {
        fail(f, "value " + std::string(tok) + " is out of range (expected " + f.expected + ")");
      }
      return {static_cast<int>(v), std::to_string(v)};
    }
    const bool alpha = std::all_of(tok.begin(), tok.end(), [](unsigned char c) { return std::isalpha(c); });
    if (alpha && (f.id == FieldId::month || f.id == FieldId::day_of_week)) {
      const bool month = f.id == FieldId::month;
      const std::size_t n = month ? month_names.size() : weekday_names.size();
      for (std::size_t i = 0; i < n; ++i) {
        if (tok == (month ? month_names[i] : weekday_names[i])) return {static_cast<int>(i) + 1, std::string(tok)};
      }
      fail(f, "unknown name \"" + std::string(tok) + "\" (expected " + f.expected + ")");
    }
    fail(f, "expected a value " + std::string(f.expected) + ", got \"" + std::string(tok) + "\"");
  }

  // A list of items `*`, `v`, `a-b`, each optionally `/step`; sets bit (value - lo) of the result.
  std::bitset<256> parse_list(std::string_view field, const FieldDef& f, std::string& canon) const {
    std::bitset<256> bits;
    for (const std::string_view item : split(field, ',')) {
      if (item.empty()) fail(f, "empty element in list \"" + std::string(field) + "\"");
      const auto slash = split(item, '/');
      if (slash.size() > 2) fail(f, "more than one '/' in \"" + std::string(item) + "\"");
      const std::string_view base = slash[0];
      if (base.empty()) fail(f, "missing start before '/' in \"" + std::string(item) + "\" (e.g. 0/15 or */15)");
      int a = f.lo, b = f.hi;
      std::string item_canon;
      if (base == "*") {
        item_canon = "*";
      } else if (const auto dash = base.find('-'); dash != std::string_view::npos) {
        const Value va = parse_value(base.substr(0, dash), f);
        const Value vb = parse_value(base.substr(dash + 1), f);
        if (va.v > vb.v) {
          fail(f, "range \"" + std::string(base) + "\" is reversed (start must not exceed end)");
        }
        a = va.v;
        b = vb.v;
        item_canon = va.canon + "-" + vb.canon;
      } else {
        const Value v = parse_value(base, f);
        a = v.v;
        b = slash.size() == 2 ? f.hi : v.v;  // "a/s": from a to the field maximum
        item_canon = v.canon;
      }
      int step = 1;
      if (slash.size() == 2) {
        const int max_step = f.hi - f.lo + 1;
        const std::string_view s = slash[1];
        const auto v = all_digits(s) ? digits_value(s, max_step) : -1;
        if (v < 1 || v > max_step) {
          fail(f, "increment after '/' must be an integer 1-" + std::to_string(max_step) + ", got \"" +
                      std::string(s) + "\"");
        }
        step = static_cast<int>(v);
        item_canon += '/';
        item_canon += std::to_string(step);
      }
      for (int x = a; x <= b; x += step) bits.set(static_cast<std::size_t>(x - f.lo));
      if (!canon.empty()) canon += ',';
      canon += item_canon;
    }
    return bits;
  }

  // Rejects characters the field does not accept, with the field's accepted set in the message.
  void check_characters(std::string_view field, const FieldDef& f) const {
    for (const char c : field) {
      if (std::isdigit(static_cast<unsigned char>(c))) continue;
      if (std::isalpha(static_cast<unsigned char>(c))) {
        if (f.id == FieldId::month || f.id == FieldId::day_of_week) continue;
        if (f.id == FieldId::day_of_month && (c == 'L' || c == 'W')) continue;
        fail_not_allowed(c, f);
      }
      if (c == '?' && f.id != FieldId::day_of_month && f.id != FieldId::day_of_week) {
        fail(f, "'?' is only allowed in Day-of-month or Day-of-week");
      }
      if (std::string_view(f.symbols).find(c) == std::string_view::npos) {
        fail_not_allowed(c, f);
      }
    }
  }

  [[noreturn]] void fail_not_allowed(char c, const FieldDef& f) const {
    std::string m = "'";  // built piecewise: GCC 12 misreports `"'" + std::string(1, c) + ...` (-Wstringop-overflow)
    m += c;
    m += "' is not allowed (expected ";
    m += f.expected;
    m += " and ";
    m += f.symbols;
    m += ')';
    fail(f, m);
  }

 private:
  std::string_view text_;
};

}  // namespace

// ---- ScheduleExpression ---------------------------------------------------------------------

ScheduleExpression ScheduleExpression::parse(std::string_view input) {
  const Parser p(input);
  const std::string_view text = trim(input);
  ScheduleExpression e;
  const bool is_rate = text.starts_with("rate(");
  if (!is_rate && !text.starts_with("cron(")) {
    p.fail("expected \"rate(value unit)\" or \"cron(Minutes Hours Day-of-month Month Day-of-week Year)\"");
  }
  if (!text.ends_with(")")) p.fail("missing closing ')'");
  const std::string_view body = text.substr(5, text.size() - 6);
  if (body.find_first_of("()") != std::string_view::npos) p.fail("unexpected parenthesis inside the expression");
  const std::vector<std::string_view> tokens = split_ws(body);

  if (is_rate) {
    e.kind_ = Kind::rate;
    if (tokens.size() != 2) {
      p.fail("rate needs a value and a unit, e.g. rate(5 minutes), got " + std::to_string(tokens.size()) +
             " token(s)");
    }
    constexpr std::int64_t max_value = 1'000'000'000;
    if (!all_digits(tokens[0])) p.fail("rate value must be a positive integer, got \"" + std::string(tokens[0]) + "\"");
    const std::int64_t value = digits_value(tokens[0], max_value);
    if (value < 1) p.fail("rate value must be >= 1, got \"" + std::string(tokens[0]) + "\"");
    if (value > max_value) p.fail("rate value must be at most 1000000000, got \"" + std::string(tokens[0]) + "\"");
    struct Unit {
      const char* singular;
      const char* plural;
      std::int64_t seconds;
    };
    constexpr Unit units[] = {{"minute", "minutes", 60}, {"hour", "hours", 3600}, {"day", "days", 86400}};
    const std::string_view unit = tokens[1];
    const Unit* found = nullptr;
    for (const Unit& u : units) {
      if (unit == u.singular || unit == u.plural) found = &u;
    }
    if (found == nullptr) {
      p.fail("rate unit must be minute(s), hour(s) or day(s), got \"" + std::string(unit) + "\"");
    }
    const bool singular = unit == found->singular;
    if (value == 1 && !singular) {
      p.fail(std::string("rate unit must be singular for value 1: \"") + found->singular + "\", not \"" +
             std::string(unit) + "\"");
    }
    if (value > 1 && singular) {
      p.fail("rate unit must be plural for value " + std::to_string(value) + ": \"" + found->plural +
             "\", not \"" + std::string(unit) + "\"");
    }
    e.period_s_ = value * found->seconds;
    e.text_ = "rate(" + std::to_string(value) + " " + std::string(unit) + ")";
    return e;
  }

  e.kind_ = Kind::cron;
  if (tokens.size() != 6) {
    p.fail("cron needs 6 fields (Minutes Hours Day-of-month Month Day-of-week Year), got " +
           std::to_string(tokens.size()));
  }
  std::array<std::string, 6> canon;
  for (std::size_t i = 0; i < 6; ++i) {
    const FieldDef& f = field_defs[i];
    std::string upper(tokens[i]);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const std::string_view field = upper;
    p.check_characters(field, f);
    if (field.find('?') != std::string_view::npos) {
      if (field != "?") p.fail(f, "'?' must be the whole field, got \"" + upper + "\"");
      canon[i] = "?";
      continue;  // DayRule::none
    }
    if (f.id == FieldId::day_of_month && field.find_first_of("LW") != std::string_view::npos) {
      if (field == "L") {
        e.dom_rule_ = DayRule::last;
      } else if (field == "LW") {
        e.dom_rule_ = DayRule::last_weekday;
      } else if (field.size() >= 2 && field.back() == 'W' && all_digits(field.substr(0, field.size() - 1))) {
        const Value v = p.parse_value(field.substr(0, field.size() - 1), f);
        e.dom_rule_ = DayRule::nearest_weekday;
        e.day_arg_ = v.v;
        canon[i] = v.canon + "W";
        continue;
      } else {
        p.fail(f, "'L' and 'W' must stand alone as L, LW or nW (e.g. 15W), got \"" + upper + "\"");
      }
      canon[i] = upper;
      continue;
    }
    if (f.id == FieldId::day_of_week && field.find('#') != std::string_view::npos) {
      const auto parts = split(field, '#');
      if (field.find_first_of(",-*") != std::string_view::npos || parts.size() != 2) {
        p.fail(f, "'#' must be the only expression in the field, as weekday#n (e.g. 2#1), got \"" + upper + "\"");
      }
      const Value v = p.parse_value(parts[0], f);
      const auto n = all_digits(parts[1]) ? digits_value(parts[1], 5) : -1;
      if (n < 1 || n > 5) {
        p.fail(f, "occurrence after '#' must be 1-5, got \"" + std::string(parts[1]) + "\"");
      }
      e.dow_rule_ = DayRule::nth_of_week;
      e.day_arg_ = v.v;
      e.nth_ = static_cast<int>(n);
      canon[i] = v.canon + "#" + std::to_string(n);
      continue;
    }
    if (f.id == FieldId::day_of_week && field.find('L') != std::string_view::npos) {
      if (field == "L") {  // last day of the week: Saturday
        e.dow_rule_ = DayRule::set;
        e.dow_ = static_cast<std::uint8_t>(1u << 7);
        canon[i] = "L";
        continue;
      }
      if (field.find_first_of(",-*") != std::string_view::npos || field.back() != 'L' ||
          field.find('L') != field.size() - 1) {
        p.fail(f, "'L' must stand alone as L or weekdayL (e.g. 6L, last Friday), got \"" + upper + "\"");
      }
      const Value v = p.parse_value(field.substr(0, field.size() - 1), f);
      e.dow_rule_ = DayRule::last_of_week;
      e.day_arg_ = v.v;
      canon[i] = v.canon + "L";
      continue;
    }
    const std::bitset<256> bits = p.parse_list(field, f, canon[i]);
    for (int v = f.lo; v <= f.hi; ++v) {
      if (!bits.test(static_cast<std::size_t>(v - f.lo))) continue;
      switch (f.id) {
        case FieldId::minutes: e.minutes_ |= std::uint64_t{1} << v; break;
        case FieldId::hours: e.hours_ |= std::uint32_t{1} << v; break;
        case FieldId::day_of_month: e.dom_ |= std::uint32_t{1} << v; break;
        case FieldId::month: e.months_ = static_cast<std::uint16_t>(e.months_ | (1u << v)); break;
        case FieldId::day_of_week: e.dow_ = static_cast<std::uint8_t>(e.dow_ | (1u << v)); break;
        case FieldId::year: e.years_.set(static_cast<std::size_t>(v - first_year)); break;
      }
    }
    if (f.id == FieldId::day_of_month) e.dom_rule_ = DayRule::set;
    if (f.id == FieldId::day_of_week) e.dow_rule_ = DayRule::set;
  }
  // AWS: "You can't specify the Day-of-month and Day-of-week fields in the same cron expression. If
  // you specify a value or a * (asterisk) in one of the fields, you must use a ? (question mark) in
  // the other."
  if (e.dom_rule_ == DayRule::none && e.dow_rule_ == DayRule::none) {
    p.fail("Day-of-month and Day-of-week fields are both '?'; exactly one of them must be '?'");
  }
  if (e.dom_rule_ != DayRule::none && e.dow_rule_ != DayRule::none) {
    p.fail("Day-of-month (\"" + canon[2] + "\") and Day-of-week (\"" + canon[4] +
           "\") fields are both given; exactly one of them must be '?'");
  }
  e.text_ = "cron(" + canon[0];
  for (std::size_t i = 1; i < 6; ++i) e.text_ += " " + canon[i];
  e.text_ += ")";
  return e;
}

std::string ScheduleExpression::to_string() const { return text_; }

std::uint32_t ScheduleExpression::matching_days(int year, int month) const {
  const unsigned dim = days_in_month(year, static_cast<unsigned>(month));
  const std::uint32_t all = ((std::uint32_t{1} << dim) - 1) << 1;  // bits 1..dim
  const unsigned wd1 = weekday_from_days(days_from_civil(year, static_cast<unsigned>(month), 1));  // 0 = SUN
  const auto weekday = [&](unsigned d) { return (wd1 + d - 1) % 7; };
  // First day of the month falling on AWS weekday w (1 = SUN).
  const auto first_on = [&](int w) { return 1 + (static_cast<unsigned>(w - 1) + 7 - wd1) % 7; };
  switch (dom_rule_) {
    case DayRule::set: return dom_ & all;
    case DayRule::last: return std::uint32_t{1} << dim;
    case DayRule::last_weekday: {
      const unsigned w = weekday(dim);
      const unsigned d = w == 6 ? dim - 1 : w == 0 ? dim - 2 : dim;
      return std::uint32_t{1} << d;
    }
    case DayRule::nearest_weekday: {
      auto d = static_cast<unsigned>(day_arg_);
      if (d > dim) return 0;  // no day n this month
      const unsigned w = weekday(d);
      if (w == 6) d = d == 1 ? 3 : d - 1;    // Saturday: Friday before, or Monday the 3rd
      if (w == 0) d = d == dim ? d - 2 : d + 1;  // Sunday: Monday after, or Friday before at month end
      return std::uint32_t{1} << d;
    }
    default: break;  // none: Day-of-week decides
  }
  switch (dow_rule_) {
    case DayRule::set: {
      std::uint32_t out = 0;
      for (unsigned d = 1; d <= dim; ++d) {
        if (dow_ & (1u << (weekday(d) + 1))) out |= std::uint32_t{1} << d;
      }
      return out;
    }
    case DayRule::last_of_week: {
      const unsigned f = first_on(day_arg_);
      return std::uint32_t{1} << (f + 7 * ((dim - f) / 7));
    }
    case DayRule::nth_of_week: {
      const unsigned d = first_on(day_arg_) + 7 * static_cast<unsigned>(nth_ - 1);
      return d <= dim ? std::uint32_t{1} << d : 0;
    }
    default: return 0;
  }
}

std::optional<std::int64_t> ScheduleExpression::next_cron_after(std::int64_t after) const {
  // First whole minute strictly after `after` (fires are at :00 seconds).
  if (after >= horizon_end_s) return std::nullopt;  // also keeps the arithmetic below in range
  const std::int64_t start = after < 0 ? 0 : (after / 60 + 1) * 60;
  if (start >= horizon_end_s) return std::nullopt;
  const Civil c = civil_from_days(start / 86400);
  auto y = static_cast<int>(c.year);
  int m = static_cast<int>(c.month), d = static_cast<int>(c.day);
  int hh = static_cast<int>(start % 86400 / 3600), mm = static_cast<int>(start % 3600 / 60);
  // Advance field by field; each pass moves to a later month, day or hour, or returns, so the
  // loop is bounded by roughly 230 years * 12 months * 31 days * 24 hours in the worst case and
  // by a few hundred passes in practice.
  for (;;) {
    int yi = y;
    while (yi <= last_year && !years_.test(static_cast<std::size_t>(yi - first_year))) ++yi;
    if (yi > last_year) return std::nullopt;
    if (yi != y) { y = yi; m = 1; d = 1; hh = 0; mm = 0; }

    const int mi = next_bit(months_, m);
    if (mi < 0) { ++y; m = 1; d = 1; hh = 0; mm = 0; continue; }
    if (mi != m) { m = mi; d = 1; hh = 0; mm = 0; }

    const int di = next_bit(matching_days(y, m), d);
    if (di < 0) {
      if (++m > 12) { ++y; m = 1; }
      d = 1; hh = 0; mm = 0;
      continue;
    }
    if (di != d) { d = di; hh = 0; mm = 0; }

    const int hi = next_bit(hours_, hh);
    if (hi < 0) { ++d; hh = 0; mm = 0; continue; }  // d past the month end finds no day: next month
    if (hi != hh) { hh = hi; mm = 0; }

    const int mn = next_bit(minutes_, mm);
    if (mn < 0) { ++hh; mm = 0; continue; }  // hh == 24 finds no hour: next day
    return days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)) * 86400 + hh * 3600 + mn * 60;
  }
}

std::optional<std::int64_t> ScheduleExpression::next_after(std::int64_t after, std::int64_t anchor) const {
  if (kind_ == Kind::cron) return next_cron_after(std::max(after, anchor));
  // rate: anchor + k * period, k >= 1, strictly after `after`.
  const WideInt from = std::max<WideInt>(after, anchor);
  const WideInt k = (from - anchor) / period_s_ + 1;
  const WideInt t = anchor + k * period_s_;
  if (t >= horizon_end_s) return std::nullopt;
  return static_cast<std::int64_t>(t);
}

// ---- UTC timestamps -------------------------------------------------------------------------

namespace {
[[noreturn]] void timestamp_error(std::string_view s, const std::string& detail) {
  throw std::invalid_argument("invalid UTC timestamp \"" + std::string(s) + "\": " + detail);
}
}  // namespace

std::int64_t parse_utc_timestamp(std::string_view s) {
  const auto fail = [&](const std::string& detail) { timestamp_error(s, detail); };
  const char* form = "expected YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS+00:00";
  if (s.size() < 20) fail(form);
  const std::string_view base = s.substr(0, 19), zone = s.substr(19);
  for (std::size_t i = 0; i < base.size(); ++i) {
    const char want = i == 4 || i == 7 ? '-' : i == 10 ? 'T' : i == 13 || i == 16 ? ':' : '0';
    const bool ok = want == '0' ? std::isdigit(static_cast<unsigned char>(base[i])) != 0 : base[i] == want;
    if (!ok) fail(form);
  }
  if (zone != "Z" && zone != "+00:00") {
    if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-')) {
      fail("offset " + std::string(zone) + " is not UTC (only Z or +00:00 accepted)");
    }
    fail(form);
  }
  const auto num = [&](std::size_t pos, std::size_t len) { return static_cast<int>(digits_value(base.substr(pos, len), 9999)); };
  const int y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2), se = num(17, 2);
  if (mo < 1 || mo > 12) fail("month " + std::to_string(mo) + " is out of range 1-12");
  const auto dim = static_cast<int>(days_in_month(y, static_cast<unsigned>(mo)));
  if (d < 1 || d > dim) fail("day " + std::to_string(d) + " is out of range 1-" + std::to_string(dim) + " for that month");
  if (h > 23) fail("hour " + std::to_string(h) + " is out of range 0-23");
  if (mi > 59) fail("minute " + std::to_string(mi) + " is out of range 0-59");
  if (se > 59) fail("second " + std::to_string(se) + " is out of range 0-59");
  return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + se;
}

std::string format_utc_timestamp(std::int64_t unix_seconds) {
  const std::int64_t days = floor_div(unix_seconds, 86400);
  const std::int64_t sec = unix_seconds - days * 86400;  // [0, 86399]
  const Civil c = civil_from_days(days);
  if (c.year < 0 || c.year > 9999) throw std::out_of_range("format_utc_timestamp: year outside 0000-9999");
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(c.year), c.month, c.day,
                static_cast<int>(sec / 3600), static_cast<int>(sec % 3600 / 60), static_cast<int>(sec % 60));
  return buf;
}

}  // namespace fargatelab::detail
