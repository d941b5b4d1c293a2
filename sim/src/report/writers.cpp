// Text renderings of a RunResult and the atomic writer of the output directory.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <fmt/format.h>

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

std::string summary_json_text(const RunResult& r) { return r.summary.dump(2) + "\n"; }

std::string timeseries_csv_text(const RunResult& r) {
  std::string out = "replication,time_s,service";
  for (const auto& c : r.timeseries_columns) out += "," + c;
  out += "\n";
  for (const auto& row : r.timeseries) {
    out += fmt::format("{},{},{}", row.replication, csv_number(row.time_s), csv_field(row.service));
    for (double v : row.values) out += "," + csv_number(v);
    out += "\n";
  }
  return out;
}

std::string capacity_csv_text(const RunResult& r) {
  std::string out = "replication,time_s,kind,name";
  for (const auto& c : r.capacity_columns) out += "," + c;
  out += "\n";
  for (const auto& row : r.capacity) {
    out += fmt::format("{},{},{},{}", row.replication, csv_number(row.time_s), row.kind, csv_field(row.name));
    for (double v : row.values) out += "," + csv_number(v);
    out += "\n";
  }
  return out;
}

std::string tasks_csv_text(const RunResult& r) {
  std::string out = "replication,task,group,capacity_provider,az,subnet,last_state,stop_code,stopped_reason,created_s,started_s,in_service_s,stopped_s";
  for (const auto& c : r.task_phase_columns) out += "," + c;
  out += "\n";
  for (const auto& t : r.tasks) {
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}", t.replication, csv_field(t.task), csv_field(t.group), t.provider,
                       t.az, csv_field(t.subnet), t.last_state, t.stop_code, csv_field(t.stopped_reason),
                       csv_number(t.created_s), csv_number(t.started_s), csv_number(t.in_service_s), csv_number(t.stopped_s));
    for (double v : t.phase_seconds) out += "," + csv_number(v);
    out += "\n";
  }
  return out;
}

std::string events_jsonl_text(const RunResult& r) {
  std::string out;
  for (const auto& e : r.events) {
    nlohmann::ordered_json j;
    j["replication"] = e.replication;
    j["t"] = e.time_s;
    j["kind"] = e.kind;
    j["entity"] = e.entity;
    for (const auto& [k, v] : e.fields.items()) j[k] = v;
    out += j.dump() + "\n";
  }
  return out;
}

void write_outputs(const RunResult& result, const Scenario& scenario, const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot create output directory \"{}\": {}", dir, ec.message()));
  const std::vector<std::pair<std::string, std::string>> files = {
      {"summary.json", summary_json_text(result)},
      {"timeseries.csv", timeseries_csv_text(result)},
      {"capacity.csv", capacity_csv_text(result)},
      {"tasks.csv", tasks_csv_text(result)},
      {"events.jsonl", events_jsonl_text(result)},
      {"scenario.json", scenario.document().dump(2) + "\n"},
  };
  std::vector<fs::path> temps;
  auto cleanup = [&] {
    for (const auto& t : temps) fs::remove(t, ec);
  };
  for (const auto& [name, text] : files) {
    const fs::path tmp = fs::path(dir) / fmt::format(".{}.tmp-{}", name, ::getpid());
    temps.push_back(tmp);
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
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
