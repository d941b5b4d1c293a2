// AWS Lambda: throttling, warm reuse and idle expiry, provisioned concurrency, CPU share by
// memory, the function timeout and the scaling rate, each checked by hand arithmetic; and the
// cold-start probability and mean number of environments against an analytical model.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "fargatelab/metrics.hpp"
#include "fargatelab/run.hpp"

using namespace fargatelab;
using nlohmann::json;

namespace {

// One function (1,769 MB = exactly 1 vCPU) with deterministic start-up: 50 ms placement +
// 200 ms Init = 250 ms per cold start.
json function(json lambda_overrides, const std::string& arrival, const std::string& demand, double duration) {
  json fn = {{"memory", 1769}, {"init", "constant(value=0.2)"}, {"placement", "constant(value=0.05)"}, {"timeout", "60s"}};
  fn.update(lambda_overrides);
  return {{"schema_version", 1},
          {"duration", duration},
          {"services", {{{"name", "fn"}, {"platform", "lambda"}, {"lambda", fn}}}},
          {"workloads", {{{"name", "w"}, {"target", "fn"}, {"arrival", arrival},
                          {"request", {{"cpu_time", demand}, {"timeout", "10m"}}}}}},
          {"output", {{"event_log", false}}}};
}

std::string fmt_rate(double rate) { return "poisson(rate=" + std::to_string(rate) + ")"; }

json fn_result(const RunResult& r) { return summary_json(r).at("results").at("services").at("fn"); }

}  // namespace

TEST_CASE("lambda: with concurrency 10, the 11th of 11 simultaneous requests is throttled", "[lambda]") {
  // 11 invocations at t = 60 s, each 1 s: 10 environments start (reserved concurrency 10), the
  // 11th finds no concurrency left: exactly one 429.
  const RunResult r = run(Scenario::from_json(function({{"reserved_concurrency", 10}},
                                                       "schedule(expression='rate(1 minute)', count=11)",
                                                       "constant(value=1)", 90)));
  CHECK(fn_result(r).at("ok") == 10);
  CHECK(fn_result(r).at("errors").at("throttled") == 1);
  CHECK(fn_result(r).at("lambda").at("cold_starts") == 10);
}

TEST_CASE("lambda: with a fixed 600 s idle expiry, 599 s idle is warm and 601 s is cold", "[lambda]") {
  // Requests every P seconds from t = P, 1 s of work after a 0.25 s cold start. The first
  // request ends at P + 1.25; the next arrives at 2P, after 2P - (P + 1.25) = P - 1.25 s idle;
  // later ones (warm, 1 s) leave the same P - 1 s... so choose P so the idle time straddles 600:
  //   P = 600.25: idle 599 s after the first, 599.25 s after warm ones -> 1 cold start in 3000 s
  //   P = 602.25: idle 601 s after the first, 601.25 after later ones -> every request cold (4)
  const RunResult warm = run(Scenario::from_json(function({{"idle_expiry", "constant(value=600)"}},
                                                          "deterministic(rate=0.00166597251145356)",  // 1 / 600.25
                                                          "constant(value=1)", 3000)));
  CHECK(fn_result(warm).at("lambda").at("invocations") == 4);
  CHECK(fn_result(warm).at("lambda").at("cold_starts") == 1);
  const RunResult cold = run(Scenario::from_json(function({{"idle_expiry", "constant(value=600)"}},
                                                          "deterministic(rate=0.00166044001660440)",  // 1 / 602.25
                                                          "constant(value=1)", 3000)));
  CHECK(fn_result(cold).at("lambda").at("invocations") == 4);
  CHECK(fn_result(cold).at("lambda").at("cold_starts") == 4);
  // Latency: a cold request takes 0.25 + 1 s, a warm one 1 s.
  CHECK(fn_result(cold).at("latency_ms").at("mean").get<double>() == Approx(1250).epsilon(0.001));
  CHECK(fn_result(warm).at("latency_ms").at("mean").get<double>() == Approx((1250 + 3 * 1000) / 4.0).epsilon(0.001));
}

TEST_CASE("lambda: provisioned environments serve without cold starts, the overflow starts new ones", "[lambda]") {
  // Provisioned concurrency 2; 3 simultaneous requests every minute: 2 go to the provisioned
  // environments, the 3rd starts (then reuses) one on-demand environment: 1 cold start in total.
  const RunResult r = run(Scenario::from_json(function({{"provisioned_concurrency", 2}},
                                                       "schedule(expression='rate(1 minute)', count=3)",
                                                       "constant(value=1)", 630)));  // fires at 60, ..., 600 s
  CHECK(fn_result(r).at("ok") == 30);
  CHECK(fn_result(r).at("lambda").at("cold_starts") == 1);
  CHECK(fn_result(r).at("lambda").at("environments_max") == 3);
}

TEST_CASE("lambda: CPU is proportional to memory, one request uses at most one vCPU", "[lambda]") {
  // 1 CPU s of work: at 884.5 MB (0.5 vCPU) it takes 2 s; at 3,538 MB (2 vCPU) still 1 s (one
  // thread). One request per minute, all warm after the first; compare the medians.
  const auto median_ms = [](int memory) {
    const RunResult r = run(Scenario::from_json(function({{"memory", memory}, {"init", "constant(value=0)"},
                                                          {"placement", "constant(value=0)"}},
                                                         "schedule(expression='rate(1 minute)')", "constant(value=1)", 600)));
    return fn_result(r).at("latency_ms").at("p50").get<double>();
  };
  CHECK(median_ms(885) == Approx(1000 * 1769.0 / 885).epsilon(0.006));  // sketch: 0.5 % relative error
  CHECK(median_ms(3538) == Approx(1000).epsilon(0.006));
}

TEST_CASE("lambda: an invocation past the function timeout ends at the timeout", "[lambda]") {
  // 5 CPU s of work, 2 s timeout: function_timeout after 0.25 + 2 s (cold) then 2 s (warm).
  const RunResult r = run(Scenario::from_json(function({{"timeout", "2s"}}, "schedule(expression='rate(1 minute)')",
                                                       "constant(value=5)", 630)));  // fires at 60, ..., 600 s
  CHECK(fn_result(r).at("errors").at("function_timeout") == 10);
  CHECK(fn_result(r).at("ok") == 0);
}

TEST_CASE("lambda: 1,000 new environments at once, then 100 per second", "[lambda]") {
  // 1,500 simultaneous requests with 3,000 concurrency available: the scaling bucket (1,000
  // burst) starts 1,000 environments; the other 500 are throttled.
  const RunResult r = run(Scenario::from_json(function({{"account_concurrency", 3000}},
                                                       "schedule(expression='rate(1 minute)', count=1500)",
                                                       "constant(value=1)", 90)));
  CHECK(fn_result(r).at("lambda").at("cold_starts") == 1000);
  CHECK(fn_result(r).at("errors").at("throttled") == 500);
}

// ---------------------------------------------------------------------------------------------
// Analytical model: cold starts and environments of one function under Poisson load.
//
// System: Poisson invocations at rate l; each takes an exponential time of mean S = 1/m (2 s)
// on its own environment (no cold-start delay: placement and Init set to 0 so the model is
// exact); an idle environment is reused most-recently-used first and removed after exactly T
// (600 s) idle; no concurrency limit. The number of busy environments N(t) is then the M/M/inf
// birth-death process (up l, down k m in state k), stationary Poisson(l/m).
//
// 1. Environments alive at t = environments busy at some time in [t - T, t]: one released at
//    r >= t - T is still alive, one released before t - T has expired. With most-recently-used
//    reuse that set is as small as it can be, so E(t) = max of N over [t - T, t].
// 2. An arrival at t is a cold start iff no environment is idle: E(t-) = N(t-), i.e. N did not
//    exceed its current value n during the last T. By PASTA n ~ Poisson(l/m); a stationary
//    birth-death process is time-reversible, so "did not exceed n in the past T" has the
//    probability of "does not reach n + 1 in the next T from n":
//        P(cold) = sum_n pi_n u_n(T),   u_n(T) = P_n(N stays in {0..n} for T).
// 3. E[E] = sum_{k>=1} P(max over a window of T >= k) = sum_{k>=1} (1 - sum_{j<k} pi_j v_{j,k-1}(T)),
//    v_{j,n}(T) = P_j(N stays in {0..n} for T).
// v is computed by uniformization: with L = l + n m and the sub-stochastic jump matrix P of the
// chain killed on leaving {0..n}, v_{., n}(T) = sum_i Poisson(L T; i) P^i 1.

namespace {

// v_{j,n}(T) for every start j in 0..n.
std::vector<double> stay_within(int n, double l, double m, double T) {
  const double L = l + n * m;
  const double LT = L * T;
  std::vector<double> v(n + 1, 1.0), next(n + 1), sum(n + 1, 0.0);
  const int last = static_cast<int>(LT + 12 * std::sqrt(LT) + 50);
  for (int i = 0; i <= last; ++i) {
    const double w = std::exp(-LT + i * std::log(LT) - std::lgamma(i + 1.0));
    for (int j = 0; j <= n; ++j) sum[j] += w * v[j];
    for (int j = 0; j <= n; ++j) {
      const double up = j < n ? l / L * v[j + 1] : 0.0;  // from n, going up leaves: killed
      const double down = j > 0 ? j * m / L * v[j - 1] : 0.0;
      next[j] = up + down + (1.0 - (l + j * m) / L) * v[j];
    }
    v.swap(next);
  }
  return sum;
}

struct Prediction {
  double p_cold, environments;
};

Prediction predict(double l, double S, double T) {
  const double m = 1.0 / S, rho = l * S;
  auto pi = [&](int k) { return std::exp(-rho + k * std::log(rho) - std::lgamma(k + 1.0)); };
  Prediction p{0, 0};
  const int top = static_cast<int>(rho + 10 * std::sqrt(rho) + 15);
  for (int n = 0; n <= top; ++n) {
    const std::vector<double> v = stay_within(n, l, m, T);
    p.p_cold += pi(n) * v[n];
    double below = 0;  // P(max over a window <= n)
    for (int j = 0; j <= n; ++j) below += pi(j) * v[j];
    p.environments += 1.0 - below;  // the k = n + 1 term
  }
  return p;
}

}  // namespace

TEST_CASE("lambda: cold-start probability and mean environments match the analytical model", "[lambda][theory]") {
  // Rates 0.002 to 1 per second, S = 2 s exponential, T = 600 s fixed idle expiry. Each rate:
  // 10 replications of about 3,000 invocations after a 1,200 s warm-up; the model's values must
  // lie in the 99% confidence intervals of the replication means.
  const double S = 2.0, T = 600.0;
  for (const double rate : {0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0}) {
    const Prediction want = predict(rate, S, T);
    json doc = function({{"init", "constant(value=0)"}, {"placement", "constant(value=0)"},
                         {"idle_expiry", "constant(value=600)"}},
                        fmt_rate(rate), "exponential(mean=2)", 3000.0 / rate);
    doc["warmup"] = 1200;
    doc["replications"] = 10;
    doc["seed"] = 2024;
    const RunResult r = run(Scenario::from_json(doc));
    RunningStats cold, envs;
    for (const auto& rep : json(summary_json(r).at("per_replication"))) {
      const json& l = rep.at("services").at("fn").at("lambda");
      cold.add(l.at("cold_start_rate").get<double>());
      envs.add(l.at("environments_mean").get<double>());
    }
    INFO("rate " << rate << ": P(cold) model " << want.p_cold << ", simulated " << cold.mean() << " +- "
                 << confidence_half_width(cold, 0.99) << "; environments model " << want.environments << ", simulated "
                 << envs.mean() << " +- " << confidence_half_width(envs, 0.99));
    CHECK(std::abs(cold.mean() - want.p_cold) <= confidence_half_width(cold, 0.99));
    CHECK(std::abs(envs.mean() - want.environments) <= confidence_half_width(envs, 0.99));
  }
}

TEST_CASE("lambda: an event whose attempts fail is retried after 1 and 2 minutes, then reported", "[lambda][async]") {
  // One event at t = 60 s (cron, 00:01 on 1 January), 5 CPU s against a 2 s timeout.
  //   attempt 1: cold 0.25 + 2 s -> fails at 62.25; attempt 2 at 62.25 + 60 = 122.25 (warm),
  //   fails at 124.25; attempt 3 at 124.25 + 120 = 244.25, fails at 246.25: reported then,
  //   246.25 - 60 = 186.25 s after it was sent.
  json doc = function({{"timeout", "2s"}}, "schedule(expression='cron(1 0 1 1 ? *)')", "constant(value=5)", 400);
  doc["start_time"] = "2026-01-01T00:00:00Z";
  doc["workloads"][0]["invocation"] = "async";
  doc["output"]["trace_sample_rate"] = 1;
  const RunResult r = run(Scenario::from_json(doc));
  CHECK(fn_result(r).at("errors").at("function_timeout") == 1);
  CHECK(fn_result(r).at("lambda").at("invocations") == 3);
  CHECK(fn_result(r).at("lambda").at("async_retries") == 2);
  CHECK(fn_result(r).at("latency_ms").at("max").is_null());  // no successful answer, no latency
  REQUIRE(r.traces.size() == 1);
  CHECK(r.traces[0].end_s - r.traces[0].start_s == Approx(186.25).margin(1e-6));
  CHECK(r.traces[0].outcome == "function_timeout");
  REQUIRE(summary_json(r).at("results").at("workloads").at("w").at("errors").at("function_timeout") == 1);
}

TEST_CASE("lambda: a throttled event is retried with exponential backoff until it runs", "[lambda][async]") {
  // Reserved concurrency 1, two 10 s events at t = 60 s. The first runs (cold: 0.25 + 10 s, done
  // at 70.25); the second is throttled at 60, 61, 63, 67 (waits of 1, 2, 4 s) and runs at
  // 67 + 8 = 75 s on the now idle environment: done at 85 s, 25 s after it was sent.
  json doc = function({{"reserved_concurrency", 1}}, "schedule(expression='cron(1 0 1 1 ? *)', count=2)",
                      "constant(value=10)", 200);
  doc["start_time"] = "2026-01-01T00:00:00Z";
  doc["workloads"][0]["invocation"] = "async";
  const RunResult r = run(Scenario::from_json(doc));
  CHECK(fn_result(r).at("ok") == 2);
  CHECK(fn_result(r).at("lambda").at("throttles") == 4);
  CHECK(fn_result(r).at("lambda").at("cold_starts") == 1);
  CHECK(fn_result(r).at("latency_ms").at("max").get<double>() == Approx(25000).epsilon(0.006));
}

TEST_CASE("lambda: an SQS event source invokes the function with batches, five at a time to start", "[lambda][sqs]") {
  // 30 messages of 1 CPU s at t = 60 s, 1 vCPU function (cold start 0.25 s).
  //  batch size 10: 3 batches (under the starting 5) on 3 new environments, each 10 s of work:
  //    every message answered at 60 + 0.25 + 10 -> 10.25 s after it was sent.
  //  batch size 1: 5 batches at a time: 5 cold (1.25 s), then rounds of 5 warm ones (1 s each):
  //    latencies 1.25, 2.25, ..., 6.25 s, 5 messages each: mean 3.75 s; 5 cold starts.
  const auto queue_fn = [](int batch_size) {
    json doc = function({{"event_source", {{"batch_size", batch_size}}}}, "schedule(expression='cron(1 0 1 1 ? *)', count=30)",
                        "constant(value=1)", 200);
    doc["start_time"] = "2026-01-01T00:00:00Z";
    doc["services"][0]["queue"] = {{"visibility_timeout", "60s"}};
    return run(Scenario::from_json(doc));
  };
  const RunResult tens = queue_fn(10);
  CHECK(fn_result(tens).at("ok") == 30);
  CHECK(fn_result(tens).at("lambda").at("invocations") == 3);
  CHECK(fn_result(tens).at("lambda").at("cold_starts") == 3);
  CHECK(fn_result(tens).at("latency_ms").at("p50").get<double>() == Approx(10250).epsilon(0.006));
  const RunResult ones = queue_fn(1);
  CHECK(fn_result(ones).at("ok") == 30);
  CHECK(fn_result(ones).at("lambda").at("cold_starts") == 5);
  CHECK(fn_result(ones).at("latency_ms").at("mean").get<double>() == Approx(3750).epsilon(0.001));
}

TEST_CASE("lambda: SnapStart restores a snapshot instead of running Init, and Python pays for cache and restores",
          "[lambda][billing]") {
  // One request at 60 s of 0.1 CPU s on a 1,769 MB (1 vCPU) function: cold start = placement 0.05 s
  // + Init 0.2 s (+ 0.5 CPU s of the function's own init) = 0.75 s, so 0.85 s in all. With
  // SnapStart the environment restores in 0.1 s instead: 0.05 + 0.1 + 0.1 = 0.25 s.
  json on = {{"init_cpu_time", 0.5}, {"snapstart", {{"enabled", true}, {"restore", "constant(value=0.1)"}}}};
  const auto one = [](json overrides) {
    json doc = function(overrides, "schedule(expression='cron(1 0 1 1 ? *)', count=1)", "constant(value=0.1)", 600);
    doc["start_time"] = "2026-01-01T00:00:00Z";
    doc["network"] = {{"nat_gateways", 0}};
    return run(Scenario::from_json(doc));
  };
  const RunResult init = one({{"init_cpu_time", 0.5}});
  CHECK(fn_result(init).at("latency_ms").at("max").get<double>() == Approx(850).epsilon(0.006));
  const RunResult snap = one(on);
  CHECK(fn_result(snap).at("latency_ms").at("max").get<double>() == Approx(250).epsilon(0.006));
  // Billing (python3.12): the snapshot cached for the 600 s period, 1769 / 1024 GB x 600 s =
  // 1,036.52 GB-s x $0.0000015046 = $0.0015595; one restore of 1.7275 GB x $0.0001397998 = $0.0002415.
  double cache = 0, restore = 0;
  for (const json& it : json(summary_json(snap).at("per_replication").at(0).at("bill").at("items"))) {
    if (it.at("item").get<std::string>().find("SnapStart cache") != std::string::npos) cache = it.at("amount_usd").get<double>();
    if (it.at("item").get<std::string>().find("SnapStart restore") != std::string::npos) restore = it.at("amount_usd").get<double>();
  }
  CHECK(cache == Approx(1769.0 / 1024 * 600 * 0.0000015046));
  CHECK(restore == Approx(1769.0 / 1024 * 0.0001397998));
  // Not on Node.js, not with provisioned concurrency (Lambda developer guide).
  json node = function({{"runtime", "nodejs22.x"}, {"snapstart", {{"enabled", true}}}}, "poisson(rate=1)", "constant(value=0.1)", 60);
  CHECK_THROWS_WITH(Scenario::from_json(node), Catch::Contains("SnapStart supports Java 11+, Python 3.12+"));
  json pc = function({{"provisioned_concurrency", 1}, {"snapstart", {{"enabled", true}}}}, "poisson(rate=1)", "constant(value=0.1)", 60);
  CHECK_THROWS_WITH(Scenario::from_json(pc), Catch::Contains("cannot be used on the same function version"));
}

TEST_CASE("lambda: a batching window holds a batch that is not full until the window ends", "[lambda][sqs]") {
  // 3 messages of 0.1 CPU s sent together at t = 60 s; batch size 10, one provisioned 1 vCPU
  // environment (no cold start). Without a window the 3 leave at once as one batch: 0.3 s of
  // work, every message answered 0.3 s after it was sent. With a 5 s window the poller waits for
  // more until 65 s, then invokes with the 3: 5 + 0.3 = 5.3 s. With batch size 3 the batch is full
  // at once and the window does not delay it (0.3 s).
  const auto queue_fn = [](int batch_size, const std::string& window) {
    json doc = function({{"provisioned_concurrency", 1}, {"event_source", {{"batch_size", batch_size}, {"batching_window", window}}}},
                        "schedule(expression='cron(1 0 1 1 ? *)', count=3)", "constant(value=0.1)", 120);
    doc["start_time"] = "2026-01-01T00:00:00Z";
    doc["services"][0]["queue"] = {{"visibility_timeout", "60s"}};
    return run(Scenario::from_json(doc));
  };
  const RunResult none = queue_fn(10, "0s");
  CHECK(fn_result(none).at("lambda").at("invocations") == 1);
  CHECK(fn_result(none).at("latency_ms").at("max").get<double>() == Approx(300).epsilon(0.006));
  const RunResult windowed = queue_fn(10, "5s");
  CHECK(fn_result(windowed).at("ok") == 3);
  CHECK(fn_result(windowed).at("lambda").at("invocations") == 1);
  CHECK(fn_result(windowed).at("latency_ms").at("p50").get<double>() == Approx(5300).epsilon(0.006));
  const RunResult full = queue_fn(3, "5s");
  CHECK(fn_result(full).at("latency_ms").at("max").get<double>() == Approx(300).epsilon(0.006));
  // More than 10 per batch needs a window (Lambda docs).
  json bad = function({{"event_source", {{"batch_size", 100}}}}, "poisson(rate=1)", "constant(value=0.1)", 60);
  bad["services"][0]["queue"] = {{"visibility_timeout", "60s"}};
  CHECK_THROWS_WITH(Scenario::from_json(bad), Catch::Contains("needs a batching window of at least 1 s"));
}

TEST_CASE("lambda: a failing batch returns its messages after the visibility timeout until the dead-letter queue",
          "[lambda][sqs]") {
  // 2 messages of 5 CPU s in one batch (10 s) against a 2 s timeout; visibility 30 s, redrive
  // after 2 receives. Receive 1 at 60 s fails at 62.25; visible again at 90 s: receive 2 fails
  // at 92; visible at 120 s: a 3rd receive exceeds 2 -> both to the dead-letter queue.
  json doc = function({{"timeout", "2s"}}, "schedule(expression='cron(1 0 1 1 ? *)', count=2)", "constant(value=5)", 300);
  doc["start_time"] = "2026-01-01T00:00:00Z";
  doc["services"][0]["queue"] = {{"visibility_timeout", "30s"}, {"max_receive_count", 2}};
  const RunResult r = run(Scenario::from_json(doc));
  CHECK(fn_result(r).at("errors").at("dead_letter") == 2);
  CHECK(fn_result(r).at("lambda").at("invocations") == 2);
  CHECK(fn_result(r).at("ok") == 0);
}

TEST_CASE("lambda: a function calling a Fargate service waits for it on its environment", "[lambda][calls]") {
  // A Lambda + Fargate hybrid: the function (1 vCPU, warm after the first call) does 0.1 s of
  // work, then calls db on Fargate (0.2 s, 10 ms each way). One request a minute from t = 60 s:
  //   first: cold 0.25 + 0.1 + 0.01 + 0.2 + 0.01 = 0.57 s; the rest warm: 0.32 s.
  // Nine requests finish in 600 s (the one at 600 s starts as the run ends):
  //   mean (0.57 + 8 x 0.32) / 9 = 0.34778 s. The environment is held while waiting.
  json doc = function(json::object(), "schedule(expression='rate(1 minute)')", "constant(value=0.1)", 600);
  doc["services"][0]["calls"] = {{{"service", "db"}, {"latency", "10ms"}, {"cpu_time", "constant(value=0.2)"}}};
  doc["services"].push_back({{"name", "db"}, {"desired_count", 1}, {"load_balancer", "none"},
                             {"task", {{"cpu", 1024}, {"memory", 2048}}}});
  const RunResult r = run(Scenario::from_json(doc));
  CHECK(fn_result(r).at("ok") == 9);
  CHECK(fn_result(r).at("latency_ms").at("mean").get<double>() == Approx((570 + 8 * 320) / 9.0).epsilon(1e-4));
  CHECK(fn_result(r).at("lambda").at("cold_starts") == 1);
  CHECK(summary_json(r).at("results").at("services").at("db").at("ok") == 9);
}
