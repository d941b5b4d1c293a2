#include "workload/arrivals.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <numbers>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "scenario/json_schema.hpp"

namespace fargatelab::detail {

SimTime time_after(SimTime t, double seconds) {
  constexpr double kMaxSeconds = 9.2e9;  // SimTime::from_seconds' range, ~292 years
  if (!(seconds < kMaxSeconds - t.to_seconds())) return SimTime::infinity();
  return t + SimTime::from_seconds(seconds);
}

namespace {

// Inverts the integrated rate of a piecewise-constant schedule: from `now`, the time at which
// the area under the rate reaches e (an Exp(1) draw), or infinity if the schedule ends first.
// The cursor only moves forward; a `now` before it (time going back) restarts it.
template <class Schedule>
SimTime invert_integrated_rate(const Schedule& sch, SegmentCursor& c, SimTime now, double e) {
  if (now < c.start) c = SegmentCursor{};
  const std::size_t n = sch.segment_count();
  SimTime t = now;
  for (;;) {
    if (c.index == n) {
      if (!sch.repeats()) {
        const double r = sch.tail_rate();
        return r > 0 ? time_after(t, e / r) : SimTime::infinity();
      }
      c.index = 0;  // a new cycle starts at c.start
      const Duration cycle = sch.cycle_length();
      if (t - c.start >= cycle) c.start += cycle * ((t - c.start) / cycle);  // jump to now's cycle
      if (t <= c.start && e > sch.cycle_mass()) {  // whole cycles without the arrival
        const double skip = std::floor(e / sch.cycle_mass());
        if (skip * cycle.to_seconds() >= 9.2e9 - c.start.to_seconds()) return SimTime::infinity();
        e -= skip * sch.cycle_mass();
        c.start += cycle * static_cast<SimTime::rep>(skip);
        t = c.start;
      }
    }
    const SimTime end = c.start + sch.segment_length(c.index);
    if (end > t) {
      const double r = sch.segment_rate(c.index);
      const double mass = r * (end - t).to_seconds();
      if (r > 0 && mass >= e) return std::min(end, time_after(t, e / r));
      e -= mass;
      t = end;
    }
    c.start = end;
    ++c.index;
  }
}

double exp1(RandomStream& s) { return -std::log(s.uniform_pos()); }

}  // namespace

// ---- piecewise --------------------------------------------------------------------------------

PiecewiseArrivals::PiecewiseArrivals(std::vector<double> rates, std::vector<Duration> durations, bool repeat)
    : rates_(std::move(rates)), durations_(std::move(durations)), repeat_(repeat) {
  if (durations_.size() < rates_.size()) tail_rate_ = rates_.back();
  for (std::size_t k = 0; k < durations_.size(); ++k) {
    cycle_mass_ += rates_[k] * durations_[k].to_seconds();
    cycle_length_ += durations_[k];
  }
}

SimTime PiecewiseArrivals::next(SimTime now, RandomStream& s) {
  return invert_integrated_rate(*this, cursor_, now, exp1(s));
}

// ---- piecewise linear (flash crowd) ----------------------------------------------------------

PiecewiseLinearArrivals::PiecewiseLinearArrivals(std::vector<SimTime> times, std::vector<double> rates)
    : times_(std::move(times)), rates_(std::move(rates)) {}

double PiecewiseLinearArrivals::rate_at(SimTime t) const noexcept {
  const auto it = std::upper_bound(times_.begin(), times_.end(), t);
  if (it == times_.begin()) return rates_.front();
  if (it == times_.end()) return rates_.back();
  const std::size_t i = static_cast<std::size_t>(it - times_.begin());
  const double f = (t - times_[i - 1]).to_seconds() / (times_[i] - times_[i - 1]).to_seconds();
  return rates_[i - 1] + (rates_[i] - rates_[i - 1]) * f;
}

SimTime PiecewiseLinearArrivals::next(SimTime now, RandomStream& s) {
  const std::size_t n = times_.size();
  if (index_ > 0 && now < times_[index_ - 1]) index_ = 0;
  SimTime t = now;
  for (;;) {
    while (index_ < n && times_[index_] <= t) ++index_;
    const SimTime end = index_ < n ? times_[index_] : SimTime::infinity();
    const double lo = rates_[index_ == 0 ? 0 : index_ - 1];
    const double hi = rates_[index_ < n ? index_ : n - 1];
    const double bound = std::max(lo, hi);
    if (bound <= 0) {
      if (end.is_infinite()) return end;
      t = end;
      continue;
    }
    const SimTime c = time_after(t, exp1(s) / bound);
    if (c >= end) {
      if (c.is_infinite()) return c;
      t = end;  // the dominating process is memoryless: restart at the knot
      continue;
    }
    if (lo == hi) return c;
    const double f = (c - times_[index_ - 1]).to_seconds() / (end - times_[index_ - 1]).to_seconds();
    if (s.uniform01() * bound < lo + (hi - lo) * f) return c;
    t = c;
  }
}

// ---- diurnal ----------------------------------------------------------------------------------

DiurnalArrivals::DiurnalArrivals(double mean, double amplitude, Duration period, Duration peak_at, double noise,
                                 Duration noise_interval)
    : mean_(mean),
      amplitude_(amplitude),
      period_(period),
      peak_at_(peak_at),
      noise_(noise),
      noise_factor_(noise > 0 ? LogNormal::from_mean_sd(1.0, noise) : LogNormal{0.0, 0.0}),
      noise_interval_(noise_interval) {}

double DiurnalArrivals::rate_at(SimTime t) const noexcept {
  // Phase in integer nanoseconds, so that it stays exact however long the run.
  const SimTime::rep p = period_.ns();
  const SimTime::rep d = (((t - peak_at_).ns() % p) + p) % p;
  const double phase = static_cast<double>(d) / static_cast<double>(p);
  return mean_ * (1.0 + amplitude_ * std::cos(2.0 * std::numbers::pi * phase));
}

SimTime DiurnalArrivals::next(SimTime now, RandomStream& s) {
  SimTime t = now;
  for (;;) {
    SimTime slice_end = SimTime::infinity();
    if (noise_ > 0) {
      const std::int64_t j = t.ns() / noise_interval_.ns();
      if (j != slice_) {
        slice_ = j;
        factor_ = noise_factor_.sample(s);
      }
      slice_end = noise_interval_ * (j + 1);
    }
    const double peak = 1.0 + amplitude_;
    const SimTime c = time_after(t, exp1(s) / (mean_ * peak * factor_));
    if (c.is_infinite()) return c;
    if (c >= slice_end) {
      t = slice_end;
      continue;
    }
    if (amplitude_ == 0 || s.uniform01() * peak * mean_ < rate_at(c)) return c;
    t = c;
  }
}

// ---- MMPP -------------------------------------------------------------------------------------

MmppArrivals::MmppArrivals(std::vector<double> rates, std::vector<double> leave)
    : rates_(std::move(rates)), leave_(std::move(leave)) {}

SimTime MmppArrivals::next(SimTime now, RandomStream& s) {
  if (!started_) {
    started_ = true;
    state_ = 0;
    phase_end_ = time_after(now, exp1(s) / leave_[0]);
  }
  SimTime t = now;
  for (;;) {
    while (phase_end_ <= t) {
      state_ = (state_ + 1) % rates_.size();
      phase_end_ = time_after(phase_end_, exp1(s) / leave_[state_]);
    }
    if (rates_[state_] > 0) {
      const SimTime c = time_after(t, exp1(s) / rates_[state_]);
      if (c < phase_end_) return c;
    }
    if (phase_end_.is_infinite()) return phase_end_;
    t = phase_end_;
  }
}

// ---- trace ------------------------------------------------------------------------------------

TraceArrivals::TraceArrivals(std::vector<std::uint32_t> counts, Duration interval, double rate_scale,
                             TraceSpread spread)
    : counts_(std::move(counts)),
      interval_(interval),
      rate_scale_(rate_scale),
      per_second_(rate_scale / interval.to_seconds()),
      spread_(spread) {
  load_row();
}

void TraceArrivals::load_row() {
  position_ = 0.0;
  left_ = 0;
  if (cursor_.index >= counts_.size()) return;
  const double before = std::floor(scaled_sum_);
  scaled_sum_ += counts_[cursor_.index] * rate_scale_;
  left_ = static_cast<std::uint64_t>(std::floor(scaled_sum_) - before);
}

SimTime TraceArrivals::next(SimTime now, RandomStream& s) {
  if (spread_ == TraceSpread::poisson) return invert_integrated_rate(*this, cursor_, now, exp1(s));
  return next_uniform(now, s);
}

SimTime TraceArrivals::next_uniform(SimTime now, RandomStream& s) {
  for (;;) {
    if (cursor_.index >= counts_.size()) return SimTime::infinity();
    if (left_ == 0 || cursor_.start + interval_ <= now) {  // row done, or passed without arrivals
      cursor_.start += interval_;
      ++cursor_.index;
      load_row();
      continue;
    }
    // The smallest of `left_` uniforms on [position_, L): L - (L - position_) U^(1/left_).
    const double length = static_cast<double>(interval_.ns());
    const double f = -std::expm1(std::log(s.uniform_pos()) / static_cast<double>(left_));  // in [0, 1)
    position_ += (length - position_) * f;
    --left_;
    const auto offset = std::min(static_cast<SimTime::rep>(position_), interval_.ns() - 1);
    return std::max(now, cursor_.start + SimTime::from_ns(offset));
  }
}

// ---- schedule ---------------------------------------------------------------------------------

ScheduleArrivals::ScheduleArrivals(ScheduleExpression expr, int count) : expr_(std::move(expr)), count_(count) {
  if (count < 1 || count > max_count)
    throw std::invalid_argument(
        fmt::format("schedule arrivals: count must be in [1, {}], got {}", max_count, count));
}

void ScheduleArrivals::set_start_unix(std::int64_t start_unix_seconds) noexcept {
  start_unix_ = start_unix_seconds;
  loaded_ = false;
  ended_ = false;
  used_ = 0;
}

SimTime ScheduleArrivals::next(SimTime now, RandomStream&) {
  if (ended_ || now.is_infinite()) return SimTime::infinity();
  if (!loaded_ || used_ >= count_ || fire_ < now) {
    // Fire times are whole seconds, so the first one >= now is the first one strictly after
    // ceil(now) - 1 (in seconds from the start); at or before the start, strictly after the start.
    constexpr std::int64_t kNsPerSecond = 1'000'000'000;
    const std::int64_t now_ns = now.ns();
    const std::int64_t ceil_s = now_ns <= 0 ? 0 : now_ns / kNsPerSecond + (now_ns % kNsPerSecond != 0);
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    std::int64_t after = start_unix_;
    if (ceil_s > 0) after = start_unix_ > kMax - (ceil_s - 1) ? kMax : start_unix_ + (ceil_s - 1);
    if (loaded_ && used_ >= count_) after = std::max(after, fire_unix_);  // past the used-up fire
    const std::optional<std::int64_t> f = expr_.next_after(after, start_unix_);
    // Fires come after the start, so the offset is >= 1 s; beyond ~292 years SimTime can't hold it.
    constexpr std::int64_t kMaxOffset = kMax / kNsPerSecond;
    if (!f || *f <= start_unix_ || *f - start_unix_ > kMaxOffset) {
      ended_ = true;
      return SimTime::infinity();
    }
    fire_unix_ = *f;
    fire_ = seconds(*f - start_unix_);
    used_ = 0;
    loaded_ = true;
  }
  ++used_;
  return fire_;
}

// ---- registry ---------------------------------------------------------------------------------

namespace {

using PT = ParamType;

ParamSpec rate_param() {
  return {.name = "rate", .required = true, .min = 0.0, .min_exclusive = true, .doc = "requests per second, > 0"};
}

std::vector<Duration> durations_of(const std::vector<double>& seconds_list) {
  std::vector<Duration> out;
  for (double s : seconds_list) out.push_back(seconds(s));
  return out;
}

// ---- CSV --------------------------------------------------------------------------------------

// A CSV file read line by line: a header row naming the columns, then data rows. Fields split
// at commas; surrounding blanks, a trailing '\r' and surrounding double quotes are dropped
// (quoted commas are not supported: the traces read here have none). Blank lines are skipped.
class CsvReader {
 public:
  explicit CsvReader(const std::string& path) : in_(path) {}
  bool is_open() const { return in_.is_open(); }
  // The next non-blank line split into fields (views into an internal buffer, valid until the
  // next call); false at the end of the file.
  bool next_row(std::vector<std::string_view>& fields) {
    while (std::getline(in_, line_)) {
      ++line_number_;
      if (line_number_ == 1 && line_.starts_with("\xEF\xBB\xBF")) line_.erase(0, 3);  // UTF-8 byte order mark
      if (line_.find_first_not_of(" \t\r") == std::string::npos) continue;
      fields.clear();
      std::string_view rest(line_);
      for (;;) {
        const std::size_t comma = rest.find(',');
        fields.push_back(trim(rest.substr(0, comma)));
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
      return true;
    }
    return false;
  }
  std::size_t line_number() const noexcept { return line_number_; }

 private:
  static std::string_view trim(std::string_view f) {
    while (!f.empty() && (f.front() == ' ' || f.front() == '\t')) f.remove_prefix(1);
    while (!f.empty() && (f.back() == ' ' || f.back() == '\t' || f.back() == '\r')) f.remove_suffix(1);
    if (f.size() >= 2 && f.front() == '"' && f.back() == '"') f = f.substr(1, f.size() - 2);
    return f;
  }
  std::ifstream in_;
  std::string line_;
  std::size_t line_number_ = 0;
};

// Opens `path` and reads its header, or explains why not.
std::optional<std::vector<std::string>> open_csv(CsvReader& csv, const std::string& path, Problems& problems) {
  std::error_code ec;
  if (!csv.is_open()) {
    const bool exists = std::filesystem::exists(path, ec);
    const std::filesystem::path cwd = std::filesystem::current_path(ec);
    problems.push_back(fmt::format("file \"{}\" {} (a relative path is taken from the working directory \"{}\")", path,
                                   exists ? "cannot be read" : "not found", cwd.string()));
    return std::nullopt;
  }
  std::vector<std::string_view> fields;
  if (!csv.next_row(fields)) {
    problems.push_back(fmt::format("file \"{}\" is empty (expected a header row naming the columns)", path));
    return std::nullopt;
  }
  return std::vector<std::string>(fields.begin(), fields.end());
}

std::optional<std::size_t> column_index(const std::vector<std::string>& header, const std::string& name,
                                        const std::string& path, Problems& problems) {
  const auto it = std::find(header.begin(), header.end(), name);
  if (it != header.end()) return static_cast<std::size_t>(it - header.begin());
  const std::string guess = did_you_mean(name, header);
  std::string listed;
  for (std::size_t i = 0; i < header.size() && i < 8; ++i) listed += (i ? ", " : "") + header[i];
  if (header.size() > 8) listed += fmt::format(", ... ({} columns)", header.size());
  problems.push_back(fmt::format("file \"{}\" has no column \"{}\" ({})", path, name,
                                 guess.empty() ? "columns: " + listed : fmt::format("did you mean \"{}\"?", guess)));
  return std::nullopt;
}

// A count: a whole number >= 0 below 2^32 ("12" or "12.0").
std::optional<std::uint32_t> parse_count(std::string_view f) {
  double v = 0;
  const auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
  if (ec != std::errc{} || end != f.data() + f.size() || !(v >= 0) || v != std::floor(v) ||
      v > double(std::numeric_limits<std::uint32_t>::max()))
    return std::nullopt;
  return static_cast<std::uint32_t>(v);
}

bool read_count(const std::vector<std::string_view>& fields, std::size_t col, const std::string& col_name,
                const CsvReader& csv, const std::string& path, std::vector<std::uint32_t>& out, Problems& problems) {
  if (col >= fields.size()) {
    problems.push_back(fmt::format("file \"{}\" line {}: only {} fields, no column \"{}\"", path, csv.line_number(),
                                   fields.size(), col_name));
    return false;
  }
  const auto v = parse_count(fields[col]);
  if (!v) {
    problems.push_back(fmt::format("file \"{}\" line {}, column \"{}\": \"{}\" is not a count (a whole number >= 0)",
                                   path, csv.line_number(), col_name, fields[col]));
    return false;
  }
  out.push_back(*v);
  return true;
}

// The counts of `column` in data rows [start_row, start_row + rows) (rows: to the end if absent).
std::vector<std::uint32_t> read_count_column(const std::string& path, const std::string& column, std::int64_t start_row,
                                             std::optional<std::int64_t> rows, Problems& problems) {
  std::vector<std::uint32_t> counts;
  CsvReader csv(path);
  const auto header = open_csv(csv, path, problems);
  if (!header) return counts;
  const auto col = column_index(*header, column, path, problems);
  if (!col) return counts;
  std::vector<std::string_view> fields;
  std::int64_t row = 0;
  for (; (!rows || row < start_row + *rows) && csv.next_row(fields); ++row) {
    if (row < start_row) continue;
    if (!read_count(fields, *col, column, csv, path, counts, problems)) return counts;
  }
  if (row <= start_row)
    problems.push_back(fmt::format("start_row={} is past the end of \"{}\" ({} data rows)", start_row, path, row));
  else if (rows && row < start_row + *rows)
    problems.push_back(fmt::format("rows={} from start_row={} but \"{}\" has only {} rows from there", *rows, start_row,
                                   path, row - start_row));
  return counts;
}

// Azure Functions 2019 "invocations_per_function_md.anon.dNN.csv": columns HashOwner, HashApp,
// HashFunction, Trigger, then "1" .. "1440", the invocations in each minute of the day; one row
// per function (Azure/AzurePublicDataset, AzureFunctionsDataset2019.md, "Function Invocation
// Counts"). The function is picked by HashFunction (the first matching row) or by its 0-based
// data row; minutes [start_minute, start_minute + minutes) are returned.
std::vector<std::uint32_t> read_azure_function(const std::string& path, const std::optional<std::string>& function,
                                               std::optional<std::int64_t> function_row, std::int64_t start_minute,
                                               std::int64_t minutes, Problems& problems) {
  std::vector<std::uint32_t> counts;
  CsvReader csv(path);
  const auto header = open_csv(csv, path, problems);
  if (!header) return counts;
  std::optional<std::size_t> hash_col;
  if (function) {
    hash_col = column_index(*header, "HashFunction", path, problems);
    if (!hash_col) return counts;
  }
  std::vector<std::size_t> cols;
  for (std::int64_t m = start_minute; m < start_minute + minutes; ++m) {
    const auto c = column_index(*header, std::to_string(m + 1), path, problems);
    if (!c) return counts;
    cols.push_back(*c);
  }
  std::vector<std::string_view> fields;
  std::int64_t row = 0;
  for (; csv.next_row(fields); ++row) {
    const bool match = function ? (*hash_col < fields.size() && fields[*hash_col] == *function) : row == *function_row;
    if (!match) continue;
    for (std::size_t i = 0; i < cols.size(); ++i)
      if (!read_count(fields, cols[i], (*header)[cols[i]], csv, path, counts, problems)) return counts;
    return counts;
  }
  if (function)
    problems.push_back(fmt::format("no row of \"{}\" has HashFunction \"{}\" ({} data rows)", path, *function, row));
  else
    problems.push_back(
        fmt::format("function_row={} is past the end of \"{}\" ({} data rows)", *function_row, path, row));
  return counts;
}

std::optional<TraceSpread> spread_of(const Params& p, Problems& problems) {
  const std::string s = p.string("spread");
  if (s == "poisson") return TraceSpread::poisson;
  if (s == "uniform") return TraceSpread::uniform;
  problems.push_back(fmt::format("spread: expected \"poisson\" or \"uniform\", got \"{}\"", s));
  return std::nullopt;
}

// Row length in simulated time, interval * time_scale, or a problem if it rounds to nothing.
std::optional<Duration> scaled_interval(Duration interval, double time_scale, Problems& problems) {
  const Duration d = seconds(interval.to_seconds() * time_scale);
  if (d > Duration::zero()) return d;
  problems.push_back(fmt::format("interval * time_scale = {:g} s is not a positive number of nanoseconds",
                                 interval.to_seconds() * time_scale));
  return std::nullopt;
}

std::vector<ParamSpec> replay_params() {
  return {
      {.name = "time_scale", .default_value = 1.0, .min = 0.0, .min_exclusive = true,
       .doc = "simulated time per unit of trace time: a row lasts interval * time_scale (0.01 replays a day in "
              "14.4 min), > 0"},
      {.name = "rate_scale", .default_value = 1.0, .min = 0.0, .min_exclusive = true,
       .doc = "multiplies every count (0.5 replays half the traffic), > 0"},
      {.name = "spread", .type = PT::string, .default_value = "poisson",
       .doc = "\"poisson\": within a row, a Poisson process at count / row length (the count is the mean); "
              "\"uniform\": exactly the count, at uniform random positions in the row"},
  };
}

std::optional<ArrivalModel> build_piecewise(const Params& p, Problems& problems) {
  const auto rates = p.numbers("rates");
  const auto durations = p.numbers("durations");
  const bool repeat = p.boolean("repeat");
  if (rates.empty())
    problems.push_back("rates: give at least one rate");
  else if (durations.size() != rates.size() && durations.size() + 1 != rates.size())
    problems.push_back(fmt::format("durations: {} given for {} rates; give {} (or {}: the last rate then holds)",
                                   durations.size(), rates.size(), rates.size(), rates.size() - 1));
  else if (repeat && durations.size() != rates.size())
    problems.push_back("repeat=true needs one duration per rate");
  else if (repeat && std::none_of(rates.begin(), rates.end(), [](double x) { return x > 0; }))
    problems.push_back("repeat=true needs some rate > 0");
  if (!problems.empty()) return std::nullopt;
  return PiecewiseArrivals(rates, durations_of(durations), repeat);
}

std::optional<ArrivalModel> build_mmpp(const Params& p, Problems& problems) {
  const auto rates = p.numbers("rates");
  const auto leave = p.numbers("switch");
  if (rates.empty())
    problems.push_back("rates: give at least one state");
  else if (leave.size() != rates.size())
    problems.push_back(fmt::format("switch: {} given for {} states; give one per state", leave.size(), rates.size()));
  else if (std::none_of(rates.begin(), rates.end(), [](double x) { return x > 0; }))
    problems.push_back("rates: some state needs a rate > 0");
  if (!problems.empty()) return std::nullopt;
  return MmppArrivals(rates, leave);
}

std::optional<ArrivalModel> build_trace(const Params& p, Problems& problems) {
  const auto spread = spread_of(p, problems);
  const auto interval = scaled_interval(p.duration("interval"), p.number("time_scale"), problems);
  const auto rows = p.has("rows") ? std::optional(p.integer("rows")) : std::nullopt;
  auto counts = read_count_column(p.string("file"), p.string("column"), p.integer("start_row"), rows, problems);
  if (!problems.empty()) return std::nullopt;
  return TraceArrivals(std::move(counts), *interval, p.number("rate_scale"), *spread);
}

std::optional<ArrivalModel> build_azure(const Params& p, Problems& problems) {
  const auto spread = spread_of(p, problems);
  const auto interval = scaled_interval(seconds(60), p.number("time_scale"), problems);
  if (p.has("function") == p.has("function_row"))
    problems.push_back("give either function (a HashFunction) or function_row, not both and not neither");
  const std::int64_t start = p.integer("start_minute");
  const std::int64_t minutes = p.has("minutes") ? p.integer("minutes") : 1440 - start;
  if (start + minutes > 1440)
    problems.push_back(fmt::format("start_minute + minutes = {} is past the day's 1440 minutes", start + minutes));
  if (!problems.empty()) return std::nullopt;
  const auto function = p.has("function") ? std::optional(p.string("function")) : std::nullopt;
  const auto row = p.has("function_row") ? std::optional(p.integer("function_row")) : std::nullopt;
  auto counts = read_azure_function(p.string("file"), function, row, start, minutes, problems);
  if (!problems.empty()) return std::nullopt;
  return TraceArrivals(std::move(counts), *interval, p.number("rate_scale"), *spread);
}

std::optional<ArrivalModel> build_schedule(const Params& p, Problems& problems) {
  const std::string text = p.string("expression");
  try {
    return ScheduleArrivals(ScheduleExpression::parse(text), static_cast<int>(p.integer("count")));
  } catch (const std::invalid_argument& e) {
    problems.push_back(fmt::format("expression: {}", e.what()));
    return std::nullopt;
  }
}

Registry<ArrivalModel> make() {
  Registry<ArrivalModel> r("arrival process");
  r.add({"poisson", "Poisson arrivals (exponential gaps) at a constant rate.", {rate_param()}},
        [](const Params& p, Problems&) -> std::optional<ArrivalModel> { return PoissonArrivals{p.number("rate")}; });
  r.add({"deterministic", "Evenly spaced arrivals at a constant rate.", {rate_param()}},
        [](const Params& p, Problems&) -> std::optional<ArrivalModel> {
          return DeterministicArrivals{p.number("rate")};
        });

  r.add({"piecewise",
         "Poisson arrivals whose rate is rates[k] for durations[k] (seconds), in turn from the run start. After the "
         "last duration: the schedule repeats (repeat=true) or arrivals stop; with one duration fewer than rates, the "
         "last rate holds forever. Exact (inversion of the integrated rate).",
         {{.name = "rates", .type = PT::number_list, .required = true, .min = 0.0,
           .doc = "requests per second in each segment, >= 0"},
          {.name = "durations", .type = PT::number_list, .required = true, .min = 0.0, .min_exclusive = true,
           .doc = "length of each segment in seconds, > 0: as many as rates, or one fewer"},
          {.name = "repeat", .type = PT::boolean, .default_value = false,
           .doc = "cycle through the segments forever"}}},
        build_piecewise);

  r.add({"step", "Poisson arrivals at `base` per second until `at`, then at `to` per second (a one-step piecewise).",
         {{.name = "base", .required = true, .min = 0.0, .doc = "requests per second before `at`, >= 0"},
          {.name = "to", .required = true, .min = 0.0, .doc = "requests per second from `at` on, >= 0"},
          {.name = "at", .type = PT::duration, .required = true, .min = 0.0,
           .doc = "when the rate changes, from the run start"}}},
        [](const Params& p, Problems&) -> std::optional<ArrivalModel> {
          return PiecewiseArrivals({p.number("base"), p.number("to")}, {p.duration("at")}, false);
        });

  r.add({"diurnal",
         "Poisson arrivals at rate(t) = mean * (1 + amplitude * cos(2 pi (t - peak_at) / period)), t from the run "
         "start; the mean over a period is `mean`. noise > 0 multiplies the rate in each noise_interval by an "
         "independent lognormal factor of mean 1 and standard deviation `noise`, drawn from the arrival stream when "
         "the interval is reached. Exact (thinning).",
         {{.name = "mean", .required = true, .min = 0.0, .min_exclusive = true,
           .doc = "mean rate over a period, requests per second, > 0"},
          {.name = "amplitude", .required = true, .min = 0.0, .max = 1.0,
           .doc = "relative swing: peak mean * (1 + amplitude), trough mean * (1 - amplitude), in [0, 1]"},
          {.name = "period", .type = PT::duration, .default_value = "24h", .min = 0.0, .min_exclusive = true,
           .doc = "length of one cycle, > 0"},
          {.name = "peak_at", .type = PT::duration, .default_value = "14h", .min = 0.0,
           .doc = "time of the peak, from the run start (and every period after it)"},
          {.name = "noise", .default_value = 0.0, .min = 0.0,
           .doc = "standard deviation of the per-interval lognormal rate factor (mean 1), >= 0; 0: none"},
          {.name = "noise_interval", .type = PT::duration, .default_value = "1h", .min = 0.0, .min_exclusive = true,
           .doc = "how long one noise factor holds, > 0"}}},
        [](const Params& p, Problems&) -> std::optional<ArrivalModel> {
          return DiurnalArrivals(p.number("mean"), p.number("amplitude"), p.duration("period"), p.duration("peak_at"),
                                 p.number("noise"), p.duration("noise_interval"));
        });

  r.add({"flash_crowd",
         "Poisson arrivals at `base` per second; at `at` the rate rises linearly to `peak` over `ramp`, holds for "
         "`hold`, then falls linearly back to `base` over `decay`. Exact (thinning).",
         {{.name = "base", .required = true, .min = 0.0, .doc = "requests per second outside the crowd, >= 0"},
          {.name = "peak", .required = true, .min = 0.0, .doc = "requests per second at the top of the crowd, >= 0"},
          {.name = "at", .type = PT::duration, .required = true, .min = 0.0,
           .doc = "when the ramp starts, from the run start"},
          {.name = "ramp", .type = PT::duration, .default_value = "1m", .min = 0.0,
           .doc = "rise time from base to peak"},
          {.name = "hold", .type = PT::duration, .default_value = "10m", .min = 0.0, .doc = "time at the peak"},
          {.name = "decay", .type = PT::duration, .default_value = "10m", .min = 0.0,
           .doc = "fall time from peak back to base"}}},
        [](const Params& p, Problems&) -> std::optional<ArrivalModel> {
          const SimTime at = p.duration("at");
          const SimTime top = at + p.duration("ramp");
          const SimTime fall = top + p.duration("hold");
          const SimTime end = fall + p.duration("decay");
          const double base = p.number("base"), peak = p.number("peak");
          return PiecewiseLinearArrivals({at, top, fall, end}, {base, peak, peak, base});
        });

  r.add({"mmpp",
         "Markov-modulated Poisson arrivals: in state i requests come at rates[i] per second, and the state lasts an "
         "exponential time of rate switch[i] per second (mean 1 / switch[i]) before moving to state i + 1, "
         "cyclically; state 0 at the start. Long-run rate sum(rates[i] / switch[i]) / sum(1 / switch[i]).",
         {{.name = "rates", .type = PT::number_list, .required = true, .min = 0.0,
           .doc = "requests per second in each state, >= 0"},
          {.name = "switch", .type = PT::number_list, .required = true, .min = 0.0, .min_exclusive = true,
           .doc = "rate of leaving each state, per second, > 0"}}},
        build_mmpp);

  std::vector<ParamSpec> trace_params = {
      {.name = "file", .type = PT::string, .required = true,
       .doc = "CSV file with a header row naming the columns; a relative path is taken from the working directory"},
      {.name = "column", .type = PT::string, .default_value = "count",
       .doc = "name of the column holding each interval's count"},
      {.name = "interval", .type = PT::duration, .default_value = 60, .min = 0.0, .min_exclusive = true,
       .doc = "trace time covered by one row, > 0"},
      {.name = "start_row", .type = PT::integer, .default_value = 0, .min = 0.0,
       .doc = "first data row replayed, 0-based (the header is not counted)"},
      {.name = "rows", .type = PT::integer, .min = 1.0, .doc = "number of rows replayed, >= 1; null: to the end"},
  };
  for (auto& q : replay_params()) trace_params.push_back(std::move(q));
  r.add({"trace",
         "Replays per-interval request counts from a CSV file, e.g. "
         "scenarios/data/worldcup98-per-minute/1998-06-30.csv (columns period,count). Row k covers "
         "[k, k + 1) * interval * time_scale of simulated time from the run start and carries count * rate_scale "
         "arrivals (in expectation with spread=poisson, exactly with spread=uniform). After the last row arrivals "
         "stop. The file is read once per build (validation, then each run).",
         std::move(trace_params)},
        build_trace);

  std::vector<ParamSpec> azure_params = {
      {.name = "file", .type = PT::string, .required = true,
       .doc = "an invocations_per_function_md.anon.dNN.csv of the Azure Functions 2019 trace; a relative path is "
              "taken from the working directory"},
      {.name = "function", .type = PT::string, .doc = "HashFunction of the function replayed (the first such row)"},
      {.name = "function_row", .type = PT::integer, .min = 0.0,
       .doc = "or: the function's 0-based data row (the header is not counted)"},
      {.name = "start_minute", .type = PT::integer, .default_value = 0, .min = 0.0, .max = 1439.0,
       .doc = "first minute replayed, 0-based (column \"1\" is minute 0)"},
      {.name = "minutes", .type = PT::integer, .min = 1.0, .max = 1440.0,
       .doc = "number of minutes replayed, 1 to 1440 - start_minute; null: to the end of the day"},
  };
  for (auto& q : replay_params()) azure_params.push_back(std::move(q));
  r.add({"azure_functions",
         "Replays one function's per-minute invocation counts from the Azure Functions 2019 trace (Shahrad et al., "
         "\"Serverless in the Wild\", USENIX ATC 2020; columns HashOwner, HashApp, HashFunction, Trigger, 1 .. 1440). "
         "Minute k covers [k, k + 1) * 60 s * time_scale from the run start; otherwise as `trace`.",
         std::move(azure_params)},
        build_azure);

  r.add({"schedule",
         "Scheduled events, as from an Amazon EventBridge rule (a cron job sending work to the service): at every "
         "fire time of `expression`, `count` arrivals at exactly that instant. The schedule is created at the run "
         "start, which is Unix time start_unix: rate(5 minutes) fires at 5 min, 10 min, ... after the start; a cron "
         "fires on its matching UTC minutes after the start. Arrivals stop when the schedule has no more fires (a "
         "cron whose years are past). No random draws.",
         {{.name = "expression", .type = PT::string, .required = true,
           .doc = "EventBridge schedule expression: \"rate(<value> minute|minutes|hour|hours|day|days)\" or "
                  "\"cron(Minutes Hours Day-of-month Month Day-of-week Year)\" (UTC), e.g. \"cron(0 9 * * ? *)\""},
          {.name = "count", .type = PT::integer, .default_value = 1, .min = 1.0,
           .max = static_cast<double>(ScheduleArrivals::max_count),
           .doc = "arrivals at each fire time, 1 to 100000"}}},
        build_schedule);
  return r;
}

}  // namespace

const Registry<ArrivalModel>& arrival_registry() {
  static const Registry<ArrivalModel> r = make();
  return r;
}

}  // namespace fargatelab::detail
