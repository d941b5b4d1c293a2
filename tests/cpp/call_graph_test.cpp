// Service call graphs: sequential and parallel calls, synchronous and asynchronous, latencies,
// timeouts and failures, and the workers a waiting request holds. Expected latencies are
// summed by hand from the constant demands and edge latencies in each scenario: one request
// every 100 s, so nothing ever queues.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "fargatelab/run.hpp"

using namespace fargatelab;
using nlohmann::json;

namespace {

// api (1 vCPU, 0.1 CPU s per request) calls the services in `calls`; each callee is a 1-vCPU
// task. One request every 100 s (at 100, 200, ..., 1000 s) over 1050 s: 10 requests.
json graph(json calls, json callees, const std::string& mode = "sequential") {
  json services = json::array();
  services.push_back({{"name", "api"},
                      {"desired_count", 1},
                      {"load_balancer", "none"},
                      {"task", {{"cpu", 1024}, {"memory", 2048}}},
                      {"calls", calls},
                      {"call_mode", mode}});
  for (auto& c : callees) services.push_back(c);
  return {{"schema_version", 1},
          {"duration", 1050},
          {"services", services},
          {"workloads",
           {{{"name", "w"}, {"target", "api"}, {"arrival", "deterministic(rate=0.01)"},
             {"request", {{"cpu_time", "constant(value=0.1)"}, {"timeout", "30s"}}}}}},
          {"output", {{"event_log", false}, {"trace_sample_rate", 1}}}};
}

json callee(const std::string& name, int count = 1) {
  return {{"name", name}, {"desired_count", count}, {"load_balancer", "none"}, {"task", {{"cpu", 1024}, {"memory", 2048}}}};
}

json call(const std::string& to, double cpu, const std::string& mode = "sync") {
  return {{"service", to}, {"mode", mode}, {"latency", "10ms"}, {"cpu_time", fmt::format("constant(value={})", cpu)}};
}

json service(const RunResult& r, const std::string& name) { return summary_json(r).at("results").at("services").at(name); }
json workload(const RunResult& r) { return summary_json(r).at("results").at("workloads").at("w"); }
double mean_ms(const json& s) { return s.at("latency_ms").at("mean").get<double>(); }

}  // namespace

TEST_CASE("call graph: a synchronous call adds the callee's time and both legs' latency", "[calls]") {
  // api 0.1 s CPU, then db: 10 ms there, 0.2 s CPU, 10 ms back -> 0.32 s end to end; db sees
  // 0.2 s (from the call's arrival to its answer).
  const RunResult r = run(Scenario::from_json(graph({call("db", 0.2)}, {callee("db")})));
  CHECK(workload(r).at("ok") == 10);
  CHECK(mean_ms(workload(r)) == Approx(320).margin(0.01));
  CHECK(mean_ms(service(r, "db")) == Approx(200).margin(0.01));
  CHECK(service(r, "db").at("requests") == 10);
}

TEST_CASE("call graph: sequential calls add up, parallel calls take the slowest", "[calls]") {
  // a: 0.2 s, b: 0.3 s, 10 ms each way.
  //   sequential: 0.1 + (0.01 + 0.2 + 0.01) + (0.01 + 0.3 + 0.01) = 0.64 s
  //   parallel:   0.1 + max(0.22, 0.32) = 0.42 s
  const json calls = {call("a", 0.2), call("b", 0.3)};
  const json callees = {callee("a"), callee("b")};
  CHECK(mean_ms(workload(run(Scenario::from_json(graph(calls, callees, "sequential"))))) == Approx(640).margin(0.01));
  CHECK(mean_ms(workload(run(Scenario::from_json(graph(calls, callees, "parallel"))))) == Approx(420).margin(0.01));
}

TEST_CASE("call graph: an asynchronous call is not waited for", "[calls]") {
  // api answers after its own 0.1 s; the event reaches worker 10 ms later and takes 0.5 s there.
  const RunResult r = run(Scenario::from_json(graph({call("worker", 0.5, "async")}, {callee("worker")})));
  CHECK(mean_ms(workload(r)) == Approx(100).margin(0.01));
  CHECK(service(r, "worker").at("ok") == 10);
  CHECK(mean_ms(service(r, "worker")) == Approx(500).margin(0.01));
}

TEST_CASE("call graph: a failed call fails the caller with a dependency error and skips later calls", "[calls]") {
  // db has no task: every call ends no_capacity at db, so every api request ends 'dependency'
  // and the second call (to cache) is never made.
  const RunResult r = run(Scenario::from_json(graph({call("db", 0.2), call("cache", 0.01)}, {callee("db", 0), callee("cache")})));
  CHECK(workload(r).at("errors").at("dependency") == 10);
  CHECK(service(r, "db").at("errors").at("no_capacity") == 10);
  CHECK(service(r, "cache").at("requests") == 0);
}

TEST_CASE("call graph: a call that outlives its timeout fails the caller at the timeout", "[calls]") {
  // db needs 1 s; the call's timeout is 0.5 s: api fails 0.1 + 0.5 = 0.6 s after the request.
  // db finishes anyway (1.11 s after the request), past its caller's deadline: a timeout at db.
  json c = call("db", 1.0);
  c["timeout"] = "500ms";
  const RunResult r = run(Scenario::from_json(graph({c}, {callee("db")})));
  CHECK(workload(r).at("errors").at("dependency") == 10);
  CHECK(service(r, "db").at("errors").at("timeout") == 10);
  // The trace shows when api gave up: its span ends 0.6 s after it started.
  int checked = 0;
  for (const TraceSpan& s : r.traces)
    if (s.service == "api") {
      CHECK(s.end_s - s.start_s == Approx(0.6).margin(1e-6));
      CHECK(s.outcome == "dependency");
      ++checked;
    }
  CHECK(checked == 10);
}

TEST_CASE("call graph: a waiting request keeps its worker", "[calls]") {
  // api serves one request at a time (concurrency 1) and calls db (1 s). Two workloads send one
  // request each at t = 10 s: the first holds the worker until its answer at
  // 10 + 0.1 + 0.01 + 1 + 0.01 = 11.12 s, so the second starts then and ends at 12.24 s:
  // latencies 1.12 and 2.24 s, mean 1.68 s. (Without holding, the second would take 1.12 s too.)
  json doc = graph({call("db", 1.0)}, {callee("db")});
  doc["services"][0]["serving"] = {{"concurrency", 1}};
  doc["workloads"][0]["arrival"] = "deterministic(rate=0.1)";
  json second = doc["workloads"][0];
  second["name"] = "w2";
  doc["workloads"].push_back(second);
  doc["duration"] = 15;
  const RunResult r = run(Scenario::from_json(doc));
  REQUIRE(service(r, "api").at("ok") == 2);
  CHECK(mean_ms(service(r, "api")) == Approx(1680).margin(0.01));
}

TEST_CASE("call graph: traces link every call to the request that made it", "[calls][traces]") {
  const RunResult r = run(Scenario::from_json(graph({call("a", 0.2), call("b", 0.3)}, {callee("a"), callee("b")}, "parallel")));
  REQUIRE(r.traces.size() == 30);  // 10 requests x (api + a + b)
  std::map<std::uint64_t, const TraceSpan*> by_id;
  for (const auto& s : r.traces) by_id[s.span_id] = &s;
  for (const auto& s : r.traces) {
    if (s.service == "api") {
      CHECK(s.parent_span_id == 0);
      CHECK(s.trace_id == s.span_id);
      CHECK(s.kind == "client");
    } else {
      const TraceSpan& parent = *by_id.at(s.parent_span_id);
      CHECK(parent.service == "api");
      CHECK(s.trace_id == parent.trace_id);
      CHECK(s.kind == "call");
      CHECK(s.start_s == Approx(parent.start_s + 0.11));  // sent after api's CPU work, 10 ms on the way
    }
  }
}

TEST_CASE("call graph: a call to a queue-fed service must be asynchronous; cycles are rejected", "[calls][scenario]") {
  json q = callee("jobs");
  q["queue"] = json::object();
  REQUIRE_THROWS_WITH(Scenario::from_json(graph({call("jobs", 0.1)}, {q})), Catch::Contains("must be \"async\""));
  json cyc = graph({call("db", 0.1)}, {callee("db")});
  cyc["services"][1]["calls"] = {call("api", 0.1)};
  REQUIRE_THROWS_WITH(Scenario::from_json(cyc), Catch::Contains("cycle: api -> db -> api"));
}

TEST_CASE("call graph: a call due after its caller's deadline fails at once as a timeout, unsent", "[calls][regression]") {
  // Three requests at t = 60 s (one EventBridge fire, count 3) reach api, which serves one at a
  // time (concurrency 1, 1 s CPU) and then calls db (0.1 s CPU, no latency); the clients give up
  // after 2.5 s (deadline 62.5 s):
  //   r1: CPU 60-61, db 61-61.1: ok, 1.1 s
  //   r2: CPU 61.1-62.1, db 62.1-62.2: ok, 2.2 s
  //   r3: CPU 62.2-63.2, past its deadline: the call is never sent and r3 fails at 63.2 s as a
  //       timeout (before the fix this scheduled the call's timeout at 62.5 s, in the past, and
  //       the run aborted).
  json s = graph({{{"service", "db"}, {"mode", "sync"}, {"latency", "0s"}, {"cpu_time", "constant(value=0.1)"}}},
                 {callee("db")});
  s["services"][0]["serving"] = {{"concurrency", 1}};
  s["duration"] = 100;
  s["workloads"][0]["arrival"] = "schedule(expression=\"rate(1 minute)\", count=3)";
  s["workloads"][0]["request"] = {{"cpu_time", "constant(value=1)"}, {"timeout", "2.5s"}};
  const RunResult r = run(Scenario::from_json(s));
  CHECK(workload(r).at("ok") == 2);
  CHECK(workload(r).at("errors").at("timeout") == 1);
  CHECK(mean_ms(workload(r)) == Approx((1100.0 + 2200.0) / 2).margin(0.01));
  CHECK(service(r, "db").at("requests") == 2);
}

TEST_CASE("call graph: a 1,000-service synchronous chain past its deadline stops where the deadline passed",
          "[calls][regression]") {
  // s0 -> s1 -> ... -> s999, each call 1 ms one way, no CPU anywhere; one client request at
  // t = 60 s with a 0.5 s timeout (deadline 60.5 s). Service k receives the chain's call at
  // 60 + k ms, so s0..s500 receive it (s500 at exactly the deadline: its own call is still sent
  // and times out that instant); s501 receives it at 60.501 s and its call to s502 is due after
  // the deadline: never sent. 502 services see the request. At 60.5 s s0's own call to s1 times
  // out with the client's deadline, so s0 answers a dependency error (504) at that instant, not
  // late: the client sees one dependency error and no timeout.
  constexpr int kServices = 1000;
  json services = json::array();
  for (int k = 0; k < kServices; ++k) {
    json sv = callee(fmt::format("s{}", k));
    if (k + 1 < kServices)
      sv["calls"] = {{{"service", fmt::format("s{}", k + 1)}, {"mode", "sync"}, {"latency", "1ms"},
                      {"cpu_time", "constant(value=0)"}}};
    services.push_back(sv);
  }
  const json s = {{"schema_version", 1},
                  {"duration", 62},
                  {"services", services},
                  {"workloads",
                   {{{"name", "w"}, {"target", "s0"}, {"arrival", "schedule(expression=\"rate(1 minute)\", count=1)"},
                     {"request", {{"cpu_time", "constant(value=0)"}, {"timeout", "0.5s"}}}}}},
                  {"output", {{"event_log", false}}}};
  const RunResult r = run(Scenario::from_json(s));
  int reached = 0;
  for (int k = 0; k < kServices; ++k) reached += service(r, fmt::format("s{}", k)).at("requests").get<int>();
  CHECK(reached == 502);
  CHECK(service(r, "s501").at("requests") == 1);
  CHECK(service(r, "s502").at("requests") == 0);
  CHECK(workload(r).at("ok") == 0);
  CHECK(workload(r).at("errors").at("dependency") == 1);
  CHECK(workload(r).at("errors").at("timeout") == 0);
}
