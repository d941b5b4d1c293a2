// The tables of a run as typed columns (fargatelab/table.hpp): one definition of each table's
// columns, their order and their types, used by the CSV writers and by Python.
#include "fargatelab/table.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <initializer_list>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include <fmt/format.h>

#include "report/event_log.hpp"
#include "report/stopped_task_groups.hpp"

namespace fargatelab {

std::size_t TableColumn::size() const {
  switch (type) {
    case Type::integer: return integers.size();
    case Type::real: return reals.size();
    case Type::text: return codes.size();
    case Type::json: return json.size();
  }
  return 0;
}

const TableColumn& Table::at(std::string_view name) const {
  for (const auto& c : columns)
    if (c.name == name) return c;
  throw std::out_of_range(fmt::format("no column \"{}\"", name));
}

TextColumnBuilder::TextColumnBuilder(std::string name) {
  column_.name = std::move(name);
  column_.type = TableColumn::Type::text;
}

void TextColumnBuilder::add(std::string_view value) {
  auto [it, added] = index_.try_emplace(std::string(value), static_cast<std::uint32_t>(column_.dictionary.size()));
  if (added) column_.dictionary.emplace_back(value);
  column_.codes.push_back(it->second);
}

void TextColumnBuilder::add_missing() { column_.codes.push_back(TableColumn::kMissing); }

TableColumn TextColumnBuilder::take() {
  index_.clear();
  return std::move(column_);
}

namespace {

using Type = TableColumn::Type;

// Columns from rows: `get` is a member pointer (&TaskRecord::az) or a function of the row.

template <class Rows, class Get>
TableColumn integers(std::string name, const Rows& rows, Get get) {
  TableColumn c{.name = std::move(name), .type = Type::integer};
  c.integers.reserve(rows.size());
  for (const auto& row : rows) c.integers.push_back(static_cast<std::int64_t>(std::invoke(get, row)));
  return c;
}

template <class Rows, class Get>
TableColumn reals(std::string name, const Rows& rows, Get get) {
  TableColumn c{.name = std::move(name), .type = Type::real};
  c.reals.reserve(rows.size());
  for (const auto& row : rows) c.reals.push_back(std::invoke(get, row));
  return c;
}

// A count the model keeps as a double: integer, unless a value is not a whole number (then real,
// so that nothing is truncated).
template <class Rows, class Get>
TableColumn counts(std::string name, const Rows& rows, Get get) {
  TableColumn c = reals(std::move(name), rows, get);
  for (double v : c.reals)
    if (!std::isfinite(v) || v != std::floor(v) || std::fabs(v) > 9007199254740992.0) return c;
  c.type = Type::integer;
  for (double v : c.reals) c.integers.push_back(static_cast<std::int64_t>(v));
  c.reals.clear();
  return c;
}

template <class Rows, class Get>
TableColumn texts(std::string name, const Rows& rows, Get get) {
  TextColumnBuilder b(std::move(name));
  for (const auto& row : rows) b.add(std::invoke(get, row));
  return b.take();
}

// One column per (name, member) pair, in order, typed by the member: text for a string, real for
// a floating-point number, integer otherwise.
template <class Row, class Member>
void add_columns(Table& t, const std::vector<Row>& rows, std::initializer_list<std::pair<const char*, Member Row::*>> fields) {
  for (const auto& [name, member] : fields) {
    if constexpr (std::is_same_v<Member, std::string>) t.columns.push_back(texts(name, rows, member));
    else if constexpr (std::is_floating_point_v<Member>) t.columns.push_back(reals(name, rows, member));
    else t.columns.push_back(integers(name, rows, member));
  }
}

// A time-series value is a measure (real) when its name carries a unit: latency_p99_ms,
// cpu_utilization_pct, queue_oldest_age_s; the others are counts.
bool is_measure(const std::string& column) {
  for (const char* unit : {"_ms", "_pct", "_s"})
    if (column.ends_with(unit)) return true;
  return false;
}

// One field of the event log, kept typed while every row that has it agrees on the kind of value.
class EventField {
 public:
  explicit EventField(std::string name) : name_(std::move(name)), text_(name_) {}

  void add(std::size_t row, const nlohmann::ordered_json& v) {
    const Cell cell = v.is_number_integer() && !(v.is_number_unsigned() && v.get<std::uint64_t>() > INT64_MAX) ? Cell::integer
                      : v.is_number()                                                                    ? Cell::real
                      : v.is_string()                                                                    ? Cell::text
                                                                                                         : Cell::json;
    const Type kind = cell == Cell::text ? Type::text : cell == Cell::json ? Type::json : Type::real;
    pad(row);
    if (!typed_) {
      typed_ = true;
      storage_ = kind;
      for (std::size_t i = 0; i < cells_.size(); ++i) store_missing();
    } else if (storage_ != Type::json && storage_ != kind) {
      demote();
    }
    cells_.push_back(cell);
    switch (storage_) {
      case Type::real:
        reals_.push_back(v.get<double>());
        integers_.push_back(cell == Cell::integer ? v.get<std::int64_t>() : 0);
        break;
      case Type::text: text_.add(v.get_ref<const std::string&>()); break;
      default: json_.emplace_back(v); break;
    }
  }

  TableColumn finish(std::size_t rows) {
    pad(rows);
    if (storage_ == Type::text) return text_.take();
    if (storage_ == Type::json) return TableColumn{.name = name_, .type = Type::json, .json = std::move(json_)};
    // Numbers: whole numbers in every row make an integer column; else real, NaN where missing.
    const bool integral = std::all_of(cells_.begin(), cells_.end(), [](Cell c) { return c == Cell::integer; });
    if (integral) return TableColumn{.name = name_, .type = Type::integer, .integers = std::move(integers_)};
    return TableColumn{.name = name_, .type = Type::real, .reals = std::move(reals_)};
  }

 private:
  enum class Cell : std::uint8_t { missing, integer, real, text, json };

  void pad(std::size_t row) {
    while (cells_.size() < row) {
      cells_.push_back(Cell::missing);
      if (typed_) store_missing();
    }
  }

  void store_missing() {
    switch (storage_) {
      case Type::real:
        reals_.push_back(NAN);
        integers_.push_back(0);
        break;
      case Type::text: text_.add_missing(); break;
      default: json_.emplace_back(nlohmann::json::value_t::discarded); break;
    }
  }

  // Kinds disagree: every value so far becomes JSON.
  void demote() {
    const TableColumn text = storage_ == Type::text ? text_.take() : TableColumn{};
    json_.clear();
    for (std::size_t i = 0; i < cells_.size(); ++i) {
      switch (cells_[i]) {
        case Cell::missing: json_.emplace_back(nlohmann::json::value_t::discarded); break;
        case Cell::integer: json_.emplace_back(integers_[i]); break;
        case Cell::real: json_.emplace_back(reals_[i]); break;
        case Cell::text: json_.emplace_back(text.dictionary[text.codes[i]]); break;
        case Cell::json: break;  // already JSON: storage_ was json
      }
    }
    reals_.clear();
    integers_.clear();
    storage_ = Type::json;
  }

  std::string name_;
  bool typed_ = false;  // a value has been seen
  Type storage_ = Type::real;
  std::vector<Cell> cells_;
  std::vector<double> reals_;
  std::vector<std::int64_t> integers_;
  TextColumnBuilder text_;
  std::vector<nlohmann::json> json_;
};

}  // namespace

Table timeseries_table(const RunResult& r) {
  const auto& rows = r.timeseries;
  Table t;
  t.columns.push_back(integers("replication", rows, &TimeSeriesRow::replication));
  t.columns.push_back(reals("time_s", rows, &TimeSeriesRow::time_s));
  t.columns.push_back(texts("service", rows, &TimeSeriesRow::service));
  for (std::size_t i = 0; i < r.timeseries_columns.size(); ++i) {
    auto value = [i](const TimeSeriesRow& x) { return x.values[i]; };
    const std::string& name = r.timeseries_columns[i];
    t.columns.push_back(is_measure(name) ? reals(name, rows, value) : counts(name, rows, value));
  }
  return t;
}

Table capacity_table(const RunResult& r) {
  const auto& rows = r.capacity;
  Table t;
  t.columns.push_back(integers("replication", rows, &CapacityRow::replication));
  t.columns.push_back(reals("time_s", rows, &CapacityRow::time_s));
  t.columns.push_back(texts("kind", rows, &CapacityRow::kind));
  t.columns.push_back(texts("name", rows, &CapacityRow::name));
  for (std::size_t i = 0; i < r.capacity_columns.size(); ++i)
    t.columns.push_back(reals(r.capacity_columns[i], rows, [i](const CapacityRow& x) { return x.values[i]; }));
  return t;
}

Table tasks_table(const RunResult& r) {
  using T = TaskRecord;
  const auto& rows = r.tasks;
  Table t;
  t.columns.push_back(integers("replication", rows, &T::replication));
  add_columns(t, rows, {std::pair{"task", &T::task}, {"group", &T::group}, {"capacity_provider", &T::provider}, {"az", &T::az},
                        {"subnet", &T::subnet}, {"last_state", &T::last_state}, {"stop_code", &T::stop_code},
                        {"stopped_reason", &T::stopped_reason}});
  add_columns(t, rows, {std::pair{"created_s", &T::created_s}, {"started_s", &T::started_s}, {"in_service_s", &T::in_service_s},
                        {"stopped_s", &T::stopped_s}});
  for (std::size_t i = 0; i < r.task_phase_columns.size(); ++i)
    t.columns.push_back(reals(r.task_phase_columns[i], rows, [i](const T& x) { return x.phase_seconds[i]; }));
  return t;
}

Table traces_table(const RunResult& r) {
  using S = TraceSpan;
  const auto& rows = r.traces;
  Table t;
  t.columns.push_back(integers("replication", rows, &S::replication));
  add_columns(t, rows, {std::pair{"trace_id", &S::trace_id}, {"span_id", &S::span_id}, {"parent_span_id", &S::parent_span_id}});
  add_columns(t, rows, {std::pair{"workload", &S::workload}, {"request_class", &S::request_class}, {"service", &S::service},
                        {"kind", &S::kind}});
  t.columns.push_back(integers("task", rows, &S::task));
  t.columns.push_back(reals("start_s", rows, &S::start_s));
  t.columns.push_back(reals("end_s", rows, &S::end_s));
  t.columns.push_back(reals("duration_ms", rows, [](const S& x) { return (x.end_s - x.start_s) * 1e3; }));
  t.columns.push_back(texts("outcome", rows, &S::outcome));
  return t;
}

Table cloudwatch_table(const RunResult& r) {
  using M = MetricDatapointRow;
  const auto& rows = r.cloudwatch;
  Table t;
  t.columns.push_back(integers("replication", rows, &M::replication));
  for (auto [name, time] : {std::pair{"time_s", &M::time_s}, {"published_s", &M::published_s}})
    t.columns.push_back(reals(name, rows, time));
  for (auto [name, text] : {std::pair{"namespace", &M::ns}, {"metric", &M::metric}, {"dimensions", &M::dimensions},
                            {"statistic", &M::statistic}})
    t.columns.push_back(texts(name, rows, text));
  t.columns.push_back(reals("period_s", rows, &M::period_s));
  t.columns.push_back(reals("value", rows, &M::value));
  return t;
}

Table forecasts_table(const RunResult& r) {
  using F = ForecastRow;
  const auto& rows = r.forecasts;
  Table t;
  t.columns.push_back(integers("replication", rows, &F::replication));
  for (auto [name, text] : {std::pair{"service", &F::service}, {"policy", &F::policy}}) t.columns.push_back(texts(name, rows, text));
  for (auto [name, value] : {std::pair{"made_at_s", &F::made_at_s}, {"hour_s", &F::hour_s}, {"load", &F::load},
                             {"capacity", &F::capacity}})
    t.columns.push_back(reals(name, rows, value));
  return t;
}

Table stopped_tasks_table(const RunResult& r) {
  using G = detail::StoppedTaskGroup;
  const auto rows = detail::stopped_task_groups(r);
  auto joined = [](std::vector<std::string> G::*member, const char* sep) {
    return [member, sep](const G& g) { return fmt::format("{}", fmt::join(g.*member, sep)); };
  };
  Table t;
  add_columns(t, rows, {std::pair{"stop_code", &G::stop_code}, {"stopped_reason", &G::stopped_reason}, {"last_state", &G::last_state}});
  t.columns.push_back(integers("tasks", rows, &G::tasks));
  add_columns(t, rows, {std::pair{"first_s", &G::first_s}, {"last_s", &G::last_s}});
  t.columns.push_back(texts("services", rows, joined(&G::services, ", ")));
  t.columns.push_back(texts("revisions", rows, joined(&G::revisions, ", ")));
  t.columns.push_back(texts("cause", rows, joined(&G::chain, " \u2192 ")));
  return t;
}

Table events_table(const RunResult& r) {
  std::vector<EventField> fields;  // in order of first appearance
  std::unordered_map<std::string, std::size_t> index;
  std::size_t row = 0;
  detail::for_each_event(r, [&](const nlohmann::ordered_json& e) {
    for (const auto& [key, value] : e.items()) {
      auto [it, added] = index.try_emplace(key, fields.size());
      if (added) fields.emplace_back(key);
      fields[it->second].add(row, value);
    }
    ++row;
  });
  // The four fields every record has come first; with no record at all they are still there.
  Table t;
  t.columns.push_back(TableColumn{.name = "replication", .type = Type::integer});
  t.columns.push_back(TableColumn{.name = "t", .type = Type::real});
  t.columns.push_back(TableColumn{.name = "kind", .type = Type::text});
  t.columns.push_back(TableColumn{.name = "entity", .type = Type::text});
  if (row > 0) t.columns.clear();
  for (auto& f : fields) t.columns.push_back(f.finish(row));
  return t;
}

}  // namespace fargatelab
