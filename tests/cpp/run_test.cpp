// Running scenarios: determinism, common random numbers, accounting, outputs.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "fargatelab/run.hpp"

using namespace fargatelab;
namespace fs = std::filesystem;

namespace {
Scenario short_default(std::vector<std::string> more = {}) {
  more.insert(more.begin(), "duration=10m");
  return Scenario::builtin_default(more);
}
}  // namespace

TEST_CASE("run: the same scenario and seed give a byte-identical summary", "[run]") {
  const Scenario s = short_default();
  const std::string a = summary_json_text(run(s));
  const std::string b = summary_json_text(run(s));
  REQUIRE(a == b);
  RunOptions other;
  other.seed = 2;
  REQUIRE(summary_json_text(run(s, other)) != a);
  REQUIRE(timeseries_csv_text(run(s)) == timeseries_csv_text(run(s)));
}

TEST_CASE("run: changing the platform capacity leaves the arrivals identical", "[run]") {
  // Common random numbers: the workload draws from its own streams, so 3 or 6 tasks see the
  // same requests.
  const RunResult small = run(short_default({"services.api.desired_count=3"}));
  const RunResult large = run(short_default({"services.api.desired_count=6"}));
  const auto ws = summary_json(small).at("results").at("workloads").at("users");
  const auto wl = summary_json(large).at("results").at("workloads").at("users");
  REQUIRE(ws.at("arrivals") == wl.at("arrivals"));
  REQUIRE(ws.at("arrivals").get<int>() > 20000);  // 40/s for 600 s = 24,000 expected
  REQUIRE(summary_json(small).at("fingerprint") != summary_json(large).at("fingerprint"));
}

TEST_CASE("run: every request is accounted for exactly once", "[run]") {
  // A deliberately overloaded service: 1 task of 0.25 vCPU, 40 req/s of 50 ms each (8x its
  // capacity), short queue and timeout, so every outcome occurs. Its health checks fail (a probe
  // waits behind 20 queued requests, 20 x 0.2 s = 4 s, plus the 4 in service), so the ALB fails
  // open to its only target; the grace period keeps ECS from replacing the task.
  const RunResult r = run(short_default({"services.api.desired_count=1", "services.api.task.cpu=256",
                                         "services.api.task.memory=512", "services.api.serving.concurrency=4",
                                         "services.api.serving.queue_limit=20", "workloads.users.request.timeout=2s",
                                         "services.api.health_check_grace_period=1d"}));
  const auto s = summary_json(r).at("results").at("services").at("api");
  const auto& e = s.at("errors");
  std::uint64_t total = s.at("ok").get<std::uint64_t>() + s.at("in_flight_at_end").get<std::uint64_t>();
  for (const auto& [cause, n] : e.items()) total += n.get<std::uint64_t>();
  REQUIRE(total == s.at("requests").get<std::uint64_t>());
  REQUIRE(s.at("requests") == summary_json(r).at("results").at("workloads").at("users").at("arrivals"));
  REQUIRE(e.at("rejected").get<std::uint64_t>() > 0);
  REQUIRE(s.at("health_checks").at("failed").get<std::uint64_t>() > 0);
  REQUIRE(s.at("tasks_replaced_unhealthy") == 0);
  // The task is saturated: utilisation close to 100 % (it is busy whenever work is queued).
  REQUIRE(s.at("cpu_utilization_pct").get<double>() > 99.0);
  // Throughput is bounded by capacity: 0.25 vCPU / 0.05 CPU s = 5 req/s.
  REQUIRE(s.at("throughput_rps").get<double>() < 5.0 * 1.05);
}

TEST_CASE("run: a service with no tasks answers every request with no_capacity", "[run]") {
  const RunResult r = run(short_default({"services.api.desired_count=0"}));
  const auto s = summary_json(r).at("results").at("services").at("api");
  REQUIRE(s.at("ok") == 0);
  REQUIRE(s.at("errors").at("no_capacity") == s.at("requests"));
}

TEST_CASE("run: utilisation matches offered load over capacity", "[run]") {
  // 40 req/s x 0.05 CPU s / 3 vCPU = 66.7 % (long run, so within 2 points).
  const RunResult r = run(Scenario::builtin_default({"duration=2h"}));
  REQUIRE(summary_json(r).at("results").at("services").at("api").at("cpu_utilization_pct").get<double>() ==
          Approx(40 * 0.05 / 3 * 100).margin(2.0));
}

TEST_CASE("run: replications give confidence intervals and the time series has one row per interval", "[run]") {
  RunOptions o;
  o.runs = 3;
  const RunResult r = run(short_default(), o);
  REQUIRE(summary_json(r).at("per_replication").size() == 3);
  REQUIRE(summary_json(r).at("ci95").at("services").at("api").at("latency_ms").at("p99").is_number());
  // 600 s / 60 s = 10 intervals x 3 replications x 1 service
  REQUIRE(r.timeseries.size() == 30);
  REQUIRE(r.timeseries.back().time_s == 600.0);
  REQUIRE(r.timeseries.back().replication == 2);
}

TEST_CASE("run: outputs are written completely or not at all", "[run]") {
  const Scenario s = short_default();
  const RunResult r = run(s);
  const fs::path dir = fs::temp_directory_path() / "fargatelab-run-test";
  fs::remove_all(dir);
  write_outputs(r, s, dir.string());
  for (const char* f : {"summary.json", "timeseries.csv", "events.jsonl", "scenario.json"}) REQUIRE(fs::exists(dir / f));
  std::ifstream in(dir / "summary.json");
  REQUIRE(nlohmann::json::parse(in) == summary_json(r));
  // A file where the directory should be: nothing may be left behind.
  const fs::path blocked = fs::temp_directory_path() / "fargatelab-run-test-blocked";
  fs::remove_all(blocked);
  std::ofstream(blocked) << "x";
  REQUIRE_THROWS(write_outputs(r, s, (blocked / "sub").string()));
  fs::remove_all(dir);
  fs::remove_all(blocked);
}
