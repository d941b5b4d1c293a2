// Requests that wait off-CPU (I/O): the wait holds the request's worker but uses no vCPU, so it
// adds to latency and occupancy but not to CPUUtilization. Expected values by hand from the
// constant demands: one request every `1/rate` s.
#include <catch2/catch.hpp>

#include "fargatelab/run.hpp"

using namespace fargatelab;
using nlohmann::json;

namespace {

// api: one task of 1 vCPU with `concurrency` workers, no load balancer; requests of 10 ms CPU and
// `wait` off-CPU, `rate` per second evenly spaced, for 600 s.
json io_bound(double rate, json wait, int concurrency = 64) {
  json request = {{"cpu_time", "constant(value=0.01)"}, {"timeout", "30s"}};
  if (!wait.is_null()) request["off_cpu_time"] = wait;
  return {{"schema_version", 1},
          {"duration", 600},
          {"services",
           {{{"name", "api"}, {"desired_count", 1}, {"load_balancer", "none"},
             {"serving", {{"concurrency", concurrency}}},
             {"task", {{"cpu", 1024}, {"memory", 2048}}}}}},
          {"workloads", {{{"name", "w"}, {"target", "api"}, {"arrival", "deterministic(rate=" + std::to_string(rate) + ")"}, {"request", request}}}},
          {"output", {{"event_log", false}}}};
}

const ServiceResults& api(const RunResult& r) { return r.results.services.at("api"); }

}  // namespace

TEST_CASE("off-CPU time: a wait adds to latency, not to CPU", "[serving][off_cpu]") {
  // 10 ms CPU then 200 ms off-CPU: every answer takes 210 ms; CPU 1/s x 0.01 s = 1 % of 1 vCPU.
  const RunResult r = run(Scenario::from_json(io_bound(1, "constant(value=0.2)")));
  CHECK(api(r).latency_ms.p50.value() == Approx(210).margin(0.5));
  CHECK(api(r).latency_ms.max.value() == Approx(210).margin(0.5));
  CHECK(api(r).cpu_utilization_pct.value() == Approx(1.0).margin(0.05));
  // Without the wait: 10 ms and the same CPU.
  const RunResult cpu_only = run(Scenario::from_json(io_bound(1, nullptr)));
  CHECK(api(cpu_only).latency_ms.p50.value() == Approx(10).margin(0.5));
  CHECK(api(cpu_only).cpu_utilization_pct.value() == Approx(1.0).margin(0.05));
}

TEST_CASE("off-CPU time: a waiting request holds its worker", "[serving][off_cpu]") {
  // One worker, 2 requests/s, each holding it 0.01 + 0.5 = 0.51 s > the 0.5 s between arrivals:
  // the worker is saturated (offered 1.02 workers), so requests queue and latency grows far past
  // 510 ms, while the CPU stays at 2 x 0.01 = 2 %.
  const RunResult r = run(Scenario::from_json(io_bound(2, "constant(value=0.5)", 1)));
  CHECK(api(r).latency_ms.p99.value() > 2000);
  CHECK(api(r).cpu_utilization_pct.value() == Approx(2.0).margin(0.1));
  // With 2 workers the same load never queues: 510 ms each.
  const RunResult two = run(Scenario::from_json(io_bound(2, "constant(value=0.5)", 2)));
  CHECK(api(two).latency_ms.max.value() == Approx(510).margin(0.5));
}

TEST_CASE("off-CPU time: adding a wait leaves the arrivals and CPU demands unchanged", "[serving][off_cpu]") {
  // Common random numbers: waits draw from a stream of their own.
  json a = io_bound(5, nullptr);
  a["workloads"][0]["arrival"] = "poisson(rate=5)";
  a["workloads"][0]["request"]["cpu_time"] = "exponential(mean=0.01)";
  json b = a;
  b["workloads"][0]["request"]["off_cpu_time"] = "exponential(mean=0.05)";
  const RunResult ra = run(Scenario::from_json(a)), rb = run(Scenario::from_json(b));
  CHECK(api(ra).requests == api(rb).requests);
  CHECK(api(ra).cpu_utilization_pct.value() == Approx(api(rb).cpu_utilization_pct.value()).epsilon(1e-9));
  CHECK(api(rb).latency_ms.mean.value() == Approx(api(ra).latency_ms.mean.value() + 50).margin(5));
}
