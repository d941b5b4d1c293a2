// Text renderings of a RunResult and the atomic writer of the output directory.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include <unistd.h>

#include <fmt/format.h>

#include "fargatelab/run.hpp"
#include "fargatelab/table.hpp"
#include "report/event_log.hpp"

namespace fargatelab {
namespace {

// Shortest text that reads back to the same double (fmt's default); empty for NaN.
std::string csv_number(double v) { return std::isfinite(v) ? fmt::format("{}", v) : std::string(); }

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Each file is written straight to a stream; the *_text functions wrap them for tests. The CSV
// files are the tables of fargatelab/table.hpp, printed.
using Writer = void (*)(std::ostream&, const RunResult&);

void write_csv(std::ostream& os, const Table& t) {
  for (std::size_t c = 0; c < t.columns.size(); ++c) os << (c ? "," : "") << t.columns[c].name;
  os << '\n';
  for (std::size_t row = 0, rows = t.rows(); row < rows; ++row) {
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      const TableColumn& col = t.columns[c];
      if (c) os << ',';
      switch (col.type) {
        case TableColumn::Type::integer: os << col.integers[row]; break;
        case TableColumn::Type::real: os << csv_number(col.reals[row]); break;
        case TableColumn::Type::text:
          if (col.codes[row] != TableColumn::kMissing) os << csv_field(col.dictionary[col.codes[row]]);
          break;
        case TableColumn::Type::json:
          if (!col.json[row].is_discarded()) os << csv_field(col.json[row].dump());
          break;
      }
    }
    os << '\n';
  }
}

void write_summary(std::ostream& os, const RunResult& r) { os << summary_json(r).dump(2) << '\n'; }
void write_timeseries(std::ostream& os, const RunResult& r) { write_csv(os, timeseries_table(r)); }
void write_traces(std::ostream& os, const RunResult& r) { write_csv(os, traces_table(r)); }
void write_cloudwatch(std::ostream& os, const RunResult& r) { write_csv(os, cloudwatch_table(r)); }
void write_forecasts(std::ostream& os, const RunResult& r) { write_csv(os, forecasts_table(r)); }
void write_capacity(std::ostream& os, const RunResult& r) { write_csv(os, capacity_table(r)); }
void write_tasks(std::ostream& os, const RunResult& r) { write_csv(os, tasks_table(r)); }
void write_stopped_tasks(std::ostream& os, const RunResult& r) { write_csv(os, stopped_tasks_table(r)); }

void write_events(std::ostream& os, const RunResult& r) {
  detail::for_each_event(r, [&](const nlohmann::ordered_json& e) { os << e.dump() << '\n'; });
}

std::string to_text(Writer w, const RunResult& r) {
  std::ostringstream os;
  w(os, r);
  return os.str();
}

}  // namespace

std::string summary_json_text(const RunResult& r) { return to_text(&write_summary, r); }
std::string timeseries_csv_text(const RunResult& r) { return to_text(&write_timeseries, r); }
std::string capacity_csv_text(const RunResult& r) { return to_text(&write_capacity, r); }
std::string tasks_csv_text(const RunResult& r) { return to_text(&write_tasks, r); }
std::string events_jsonl_text(const RunResult& r) { return to_text(&write_events, r); }
std::string traces_csv_text(const RunResult& r) { return to_text(&write_traces, r); }

void write_outputs(const RunResult& result, const Scenario& scenario, const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot create output directory \"{}\": {}", dir, ec.message()));
  std::vector<std::pair<std::string, std::function<void(std::ostream&)>>> files = {
      {"summary.json", [&](std::ostream& os) { write_summary(os, result); }},
      {"timeseries.csv", [&](std::ostream& os) { write_timeseries(os, result); }},
      {"capacity.csv", [&](std::ostream& os) { write_capacity(os, result); }},
      {"tasks.csv", [&](std::ostream& os) { write_tasks(os, result); }},
      {"stopped_tasks.csv", [&](std::ostream& os) { write_stopped_tasks(os, result); }},
      {"traces.csv", [&](std::ostream& os) { write_traces(os, result); }},
      {"events.jsonl", [&](std::ostream& os) { write_events(os, result); }},
      {"scenario.json", [&](std::ostream& os) { os << scenario.document().dump(2) << '\n'; }},
  };
  if (scenario.spec().output.cloudwatch_metrics)
    files.insert(files.end() - 2, {"cloudwatch.csv", [&](std::ostream& os) { write_cloudwatch(os, result); }});
  if (!result.forecasts.empty())
    files.insert(files.end() - 2, {"forecasts.csv", [&](std::ostream& os) { write_forecasts(os, result); }});
  std::vector<fs::path> temps;
  auto cleanup = [&] {
    for (const auto& t : temps) fs::remove(t, ec);
  };
  for (const auto& [name, write] : files) {
    const fs::path tmp = fs::path(dir) / fmt::format(".{}.tmp-{}", name, ::getpid());
    temps.push_back(tmp);
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (out) write(out);
    out.close();
    if (!out) {
      cleanup();
      throw std::runtime_error(fmt::format("cannot write \"{}\"", (fs::path(dir) / name).string()));
    }
  }
  // Every file is complete on disk; now move them into place.
  for (std::size_t i = 0; i < files.size(); ++i) {
    fs::rename(temps[i], fs::path(dir) / files[i].first, ec);
    if (ec) {
      cleanup();
      throw std::runtime_error(fmt::format("cannot rename into \"{}\": {}", (fs::path(dir) / files[i].first).string(), ec.message()));
    }
  }
}

}  // namespace fargatelab
