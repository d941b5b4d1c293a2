// Text renderings of a RunResult and the atomic writer of the output directory.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include <unistd.h>

#include <fmt/format.h>

#include "ecs/task.hpp"
#include "fargatelab/run.hpp"

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

}  // namespace

// Each file is written straight to a stream; the *_text functions wrap them for Python and
// tests. Nothing holds a whole file in memory on the way to disk.
using Writer = void (*)(std::ostream&, const RunResult&);

namespace {

void header(std::ostream& os, const char* fixed, const std::vector<std::string>& columns) {
  os << fixed;
  for (const auto& c : columns) os << ',' << c;
  os << '\n';
}

void values(std::ostream& os, const std::vector<double>& vs) {
  for (double v : vs) os << ',' << csv_number(v);
  os << '\n';
}

void write_summary(std::ostream& os, const RunResult& r) { os << r.summary.dump(2) << '\n'; }

void write_timeseries(std::ostream& os, const RunResult& r) {
  header(os, "replication,time_s,service", r.timeseries_columns);
  for (const auto& row : r.timeseries) {
    os << fmt::format("{},{},{}", row.replication, csv_number(row.time_s), csv_field(row.service));
    values(os, row.values);
  }
}

void write_traces(std::ostream& os, const RunResult& r) {
  os << "replication,trace_id,span_id,parent_span_id,workload,request_class,service,kind,task,start_s,end_s,duration_ms,outcome\n";
  for (const auto& t : r.traces)
    os << fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}\n", t.replication, t.trace_id, t.span_id, t.parent_span_id,
                      csv_field(t.workload), csv_field(t.request_class), csv_field(t.service), t.kind, t.task,
                      csv_number(t.start_s), csv_number(t.end_s), csv_number((t.end_s - t.start_s) * 1e3), t.outcome);
}

void write_capacity(std::ostream& os, const RunResult& r) {
  header(os, "replication,time_s,kind,name", r.capacity_columns);
  for (const auto& row : r.capacity) {
    os << fmt::format("{},{},{},{}", row.replication, csv_number(row.time_s), row.kind, csv_field(row.name));
    values(os, row.values);
  }
}

void write_tasks(std::ostream& os, const RunResult& r) {
  header(os, "replication,task,group,capacity_provider,az,subnet,last_state,stop_code,stopped_reason,created_s,started_s,in_service_s,stopped_s",
         r.task_phase_columns);
  for (const auto& t : r.tasks) {
    os << fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}", t.replication, csv_field(t.task), csv_field(t.group), t.provider,
                      t.az, csv_field(t.subnet), t.last_state, t.stop_code, csv_field(t.stopped_reason),
                      csv_number(t.created_s), csv_number(t.started_s), csv_number(t.in_service_s), csv_number(t.stopped_s));
    values(os, t.phase_seconds);
  }
}

nlohmann::ordered_json event_json(const EventRecord& e) {
  nlohmann::ordered_json j;
  j["replication"] = e.replication;
  j["t"] = e.time_s;
  j["kind"] = e.kind;
  j["entity"] = e.entity;
  for (const auto& [k, v] : e.fields.items()) j[k] = v;
  return j;
}

nlohmann::ordered_json event_json(const RunResult& r, const TaskTransition& e) {
  using detail::to_string;
  nlohmann::ordered_json j;
  j["replication"] = e.replication;
  j["t"] = e.time_s;
  j["kind"] = "task_state";
  j["entity"] = r.names[e.task];
  j["state"] = to_string(static_cast<detail::TaskState>(e.state));
  j["from"] = e.created ? "" : to_string(static_cast<detail::TaskState>(e.from));
  if (e.az) j["az"] = r.names[e.az];
  if (e.stop_code) {
    j["stop_code"] = to_string(static_cast<detail::StopCode>(e.stop_code));
    j["stopped_reason"] = r.names[e.reason];
  }
  j["capacity_provider"] = to_string(static_cast<CapacityProvider>(e.provider));
  return j;
}

// The two kinds of record merged in log order.
void write_events(std::ostream& os, const RunResult& r) {
  std::size_t a = 0, b = 0;
  while (a < r.events.size() || b < r.task_transitions.size()) {
    const bool take_event =
        b == r.task_transitions.size() || (a < r.events.size() && r.events[a].seq < r.task_transitions[b].seq);
    os << (take_event ? event_json(r.events[a++]) : event_json(r, r.task_transitions[b++])).dump() << '\n';
  }
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
  const std::vector<std::pair<std::string, std::function<void(std::ostream&)>>> files = {
      {"summary.json", [&](std::ostream& os) { write_summary(os, result); }},
      {"timeseries.csv", [&](std::ostream& os) { write_timeseries(os, result); }},
      {"capacity.csv", [&](std::ostream& os) { write_capacity(os, result); }},
      {"tasks.csv", [&](std::ostream& os) { write_tasks(os, result); }},
      {"traces.csv", [&](std::ostream& os) { write_traces(os, result); }},
      {"events.jsonl", [&](std::ostream& os) { write_events(os, result); }},
      {"scenario.json", [&](std::ostream& os) { os << scenario.document().dump(2) << '\n'; }},
  };
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
