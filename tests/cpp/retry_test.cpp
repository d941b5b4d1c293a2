// Client retries (AWS SDK standard mode), bad versions on the serving side (error share, CPU
// factor, extra latency) and dependency faults. Expected values are worked out by hand in each
// assertion; the random ones with a binomial or normal 99 % interval (z = 2.576) for the fixed
// seed's sample size.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "fargatelab/run.hpp"
#include "serving/retry.hpp"

using namespace fargatelab;
using nlohmann::json;

namespace {

constexpr double kZ99 = 2.576;

// api (one 1-vCPU task, 64 workers) calls db (one task) synchronously; both spend 1 ms of CPU
// per request; calls take 1 ms each way. `arrival` feeds api for 600 s, no warm-up.
json api_db(const std::string& arrival, json call_retry, json faults = json::array()) {
  json call = {{"service", "db"}, {"cpu_time", "constant(value=0.001)"}, {"latency", "1ms"}};
  if (!call_retry.is_null()) call["retry"] = call_retry;
  return {{"schema_version", 1},
          {"duration", 600},
          {"services",
           {{{"name", "api"}, {"desired_count", 1}, {"load_balancer", "none"}, {"task", {{"cpu", 1024}, {"memory", 2048}}},
             {"calls", {call}}},
            {{"name", "db"}, {"desired_count", 1}, {"load_balancer", "none"}, {"task", {{"cpu", 1024}, {"memory", 2048}}}}}},
          {"workloads",
           {{{"name", "w"}, {"target", "api"}, {"arrival", arrival}, {"request", {{"cpu_time", "constant(value=0.001)"}}}}}},
          {"faults", faults},
          {"output", {{"event_log", false}}}};
}

json db_fault(double error_share, double start = 0, double end = 1e6) {
  return {{"type", "dependency"}, {"service", "db"}, {"start", start}, {"end", end}, {"error_share", error_share}};
}

const ServiceResults& service(const RunResult& r, const std::string& name) { return r.results.services.at(name); }

}  // namespace

TEST_CASE("retry: the SDK's retryable outcomes are throttling, the 5xx, refused connections", "[retry]") {
  using detail::Outcome;
  for (Outcome o : {Outcome::rejected, Outcome::no_capacity, Outcome::reset, Outcome::dependency, Outcome::unreachable,
                    Outcome::throttled, Outcome::app_error})
    CHECK(detail::retryable(o));
  for (Outcome o : {Outcome::ok, Outcome::expired, Outcome::dead_letter, Outcome::function_timeout}) CHECK_FALSE(detail::retryable(o));
}

TEST_CASE("retry: backoff is full jitter under base x 2^(i-1), capped at 20 s", "[retry]") {
  RetrySpec s;  // SDK defaults: base 1 s, cap 20 s
  RandomStream stream(7, 1, 0);
  for (int i = 1; i <= 8; ++i) {
    const double ceiling = std::min(20.0, std::pow(2.0, i - 1));  // 1, 2, 4, 8, 16, 20, 20, 20
    double max = 0, sum = 0;
    for (int k = 0; k < 4000; ++k) {
      const double d = detail::retry_backoff(s, i, stream).to_seconds();
      REQUIRE(d >= 0);
      REQUIRE(d < ceiling);
      max = std::max(max, d);
      sum += d;
    }
    // Uniform on [0, c): mean c/2 with standard error c / sqrt(12 x 4000); 99 %: 2.576 x that.
    CHECK(sum / 4000 == Approx(ceiling / 2).margin(kZ99 * ceiling / std::sqrt(12.0 * 4000)));
    CHECK(max > 0.99 * ceiling);
  }
}

TEST_CASE("retry: the quota is a bucket of 500 tokens, 5 a retry, 10 after a timeout, capped on refill", "[retry]") {
  RetrySpec s;
  detail::RetryQuota q(s);
  CHECK(q.tokens() == 500);
  for (int i = 0; i < 50; ++i) REQUIRE(q.acquire(s.timeout_cost));  // 50 x 10 = 500
  CHECK_FALSE(q.acquire(s.retry_cost));
  q.release(s.success_increment, s);  // 1 token: not enough for a retry of 5
  CHECK_FALSE(q.acquire(s.retry_cost));
  q.release(s.retry_cost, s);  // a retried success returns its retry's 5: 6 tokens
  CHECK(q.acquire(s.retry_cost));
  CHECK(q.tokens() == 1);
  for (int i = 0; i < 1000; ++i) q.release(1, s);
  CHECK(q.tokens() == 500);  // never above its initial size
}

TEST_CASE("retry: registry short forms, defaults and bad parameters at the pointer", "[retry]") {
  const auto spec = detail::retry_registry().build(parse_model_call("standard"));
  REQUIRE(spec);
  CHECK(spec->max_attempts == 3);
  CHECK(spec->base_backoff.to_seconds() == 1.0);
  CHECK(spec->max_backoff.to_seconds() == 20.0);
  CHECK(spec->quota_tokens == 500);
  CHECK_FALSE(detail::retry_registry().build(parse_model_call("none")));
  CHECK_FALSE(detail::retry_registry().build(parse_model_call("standard(max_attempts=1)")));  // one attempt: no retries
  json bad = api_db("poisson(rate=1)", "standard(max_attempts=0)");
  bad["workloads"][0]["retry"] = "sometimes";
  try {
    Scenario::from_json(bad);
    FAIL("accepted");
  } catch (const ScenarioError& e) {
    const std::string what = e.what();
    CHECK_THAT(what, Catch::Contains("/services/0/calls/0/retry"));
    CHECK_THAT(what, Catch::Contains("/workloads/0/retry"));
  }
}

TEST_CASE("retry: only synchronous requests and synchronous calls retry", "[retry]") {
  auto problems = [](json doc) -> std::string {
    try {
      Scenario::from_json(doc);
    } catch (const ScenarioError& e) {
      return e.what();
    }
    return "";
  };
  json async_invocation = api_db("poisson(rate=1)", nullptr);
  async_invocation["workloads"][0]["invocation"] = "async";
  async_invocation["workloads"][0]["retry"] = "standard";
  CHECK_THAT(problems(async_invocation), Catch::Contains("/workloads/0/retry") && Catch::Contains("asynchronous"));
  json async_call = api_db("poisson(rate=1)", "standard");
  async_call["services"][0]["calls"][0]["mode"] = "async";
  CHECK_THAT(problems(async_call), Catch::Contains("/services/0/calls/0/retry") && Catch::Contains("asynchronous"));
  CHECK(problems(api_db("poisson(rate=1)", "standard")).empty());
}

TEST_CASE("retry: SDK standard retries (3 attempts) multiply the load on a dependency failing half its requests by 1.75",
          "[retry][acceptance]") {
  // db fails each attempt independently with p = 0.5, so a call takes 1 attempt w.p. 1/2, 2 w.p.
  // 1/4 and 3 w.p. 1/4 (the third's outcome stands): E = 1 + 0.5 + 0.25 = 1.75 attempts, E[X^2] =
  // 0.5 + 1 + 2.25 = 3.75, var = 3.75 - 1.75^2 = 0.6875. Arrivals stop at 590 s, so every retry
  // (backoffs < 1 s + 2 s) is sent by the end. The quota does not bind: 100000 tokens against a
  // drift of at most 10 tokens per call.
  const RunResult r = run(Scenario::from_json(
      api_db("step(base=10, to=0, at=590)", "standard(max_attempts=3, quota_tokens=100000)", json::array({db_fault(0.5)}))));
  const auto& calls = service(r, "api").call_retries.value().at("db");
  const double n = calls.first_attempts.value();
  REQUIRE(n > 5700);  // about 10/s x 590 s = 5900 calls
  CHECK(calls.quota_refusals.value() == 0);
  CHECK(calls.attempts.value() == n + calls.retries.value());
  // The offered load on db is every attempt: db received exactly what api sent.
  CHECK(service(r, "db").requests.value() == calls.attempts.value());
  const double half_width = kZ99 * std::sqrt(0.6875 / n);  // ~0.028 for n = 5900
  CHECK(calls.amplification.value() == Approx(1.75).margin(half_width));
  // Half of db's attempts are application errors (binomial 99 %).
  const double db_n = service(r, "db").requests.value();
  CHECK(service(r, "db").errors.app_error.value().value() / db_n == Approx(0.5).margin(kZ99 * std::sqrt(0.25 / db_n)));
  // The client sees a failure only when all 3 attempts fail: 0.5^3 = 0.125 (binomial 99 %).
  const auto& w = r.results.workloads.at("w");
  const double failed = w.errors.dependency.value() / w.arrivals.value();
  CHECK(failed == Approx(0.125).margin(kZ99 * std::sqrt(0.125 * 0.875 / w.arrivals.value())));
  CHECK(calls.exhausted.value() == w.errors.dependency.value());  // each ended on its last attempt

  // Without retries the same fault fails half the requests and db sees each call once.
  const RunResult plain = run(Scenario::from_json(api_db("step(base=10, to=0, at=590)", nullptr, json::array({db_fault(0.5)}))));
  CHECK_FALSE(service(plain, "api").call_retries.has_value());
  CHECK(service(plain, "db").requests.value() == service(plain, "api").requests.value());
}

TEST_CASE("retry: the retry quota binds: 500 tokens pay for exactly 100 retries when nothing succeeds", "[retry][acceptance]") {
  // db fails every call: no success ever refills the bucket, each retry takes 5 tokens, so the
  // calling task retries 500 / 5 = 100 times in all and every later failure is refused. Every
  // failed attempt is either retried, refused (quota) or on its last attempt (exhausted).
  const RunResult r = run(Scenario::from_json(api_db("deterministic(rate=1)", "standard", json::array({db_fault(1.0)}))));
  const auto& calls = service(r, "api").call_retries.value().at("db");
  const double n = calls.first_attempts.value();
  REQUIRE(n > 590);
  CHECK(calls.retries.value() == 100);
  CHECK(calls.attempts.value() == n + 100);
  CHECK(calls.amplification.value() == Approx((n + 100) / n));
  CHECK(calls.retries.value() + calls.quota_refusals.value() + calls.exhausted.value() == calls.attempts.value());
  // After a timeout a retry costs 10: with quota_tokens=300 and timeout_cost=10 as the only
  // cost (retry_cost=10), 300 / 10 = 30 retries.
  const RunResult costly =
      run(Scenario::from_json(api_db("deterministic(rate=1)", "standard(quota_tokens=300, retry_cost=10)", json::array({db_fault(1.0)}))));
  CHECK(service(costly, "api").call_retries.value().at("db").retries.value() == 30);
}

TEST_CASE("retry: a call timeout is retried, and costs the timeout's 10 tokens", "[retry]") {
  // db takes 2 s of off-CPU per call (extra latency from a fault); the call times out after
  // 1 s, so every attempt times out: 500 / 10 = 50 retries before the quota is empty.
  json doc = api_db("deterministic(rate=1)", "standard",
                    json::array({{{"type", "dependency"}, {"service", "db"}, {"start", 0}, {"end", 1e6},
                                  {"extra_latency", "constant(value=2)"}}}));
  doc["services"][0]["calls"][0]["timeout"] = "1s";
  const RunResult r = run(Scenario::from_json(doc));
  const auto& calls = service(r, "api").call_retries.value().at("db");
  CHECK(calls.retries.value() == 50);
  CHECK(calls.attempts.value() == calls.first_attempts.value() + 50);
}

TEST_CASE("retry: a workload's clients retry, see the last attempt, and count latency from the first", "[retry]") {
  // api itself fails half its requests (a fault on api); the workload retries with the SDK
  // defaults and a quota that does not bind. As above: 1.75 attempts per request, 12.5 % of
  // requests fail (all 3 attempts), and api receives every attempt.
  json doc = api_db("step(base=10, to=0, at=590)", nullptr,
                    json::array({{{"type", "dependency"}, {"service", "api"}, {"start", 0}, {"end", 1e6}, {"error_share", 0.5}}}));
  doc["workloads"][0]["retry"] = "standard(quota_tokens=100000)";
  const RunResult r = run(Scenario::from_json(doc));
  const auto& w = r.results.workloads.at("w");
  REQUIRE(w.retries);
  const double n = w.retries->first_attempts.value();
  CHECK(n == w.arrivals.value());
  CHECK(service(r, "api").requests.value() == w.retries->attempts.value());
  CHECK(w.retries->amplification.value() == Approx(1.75).margin(kZ99 * std::sqrt(0.6875 / n)));
  const double failed = w.errors.app_error.value().value() / n;
  CHECK(failed == Approx(0.125).margin(kZ99 * std::sqrt(0.125 * 0.875 / n)));
  CHECK(w.ok.value() + w.errors.app_error.value().value() == n);  // one answer per request
  // A retried request waited its backoffs: attempt 2 follows after U1 ~ U(0,1) s, attempt 3
  // after U2 ~ U(0,2) s more. Of the answered requests (1/2 on the first attempt, 1/4 the
  // second, 1/8 the third: 4/7, 2/7, 1/7 of 7/8) the wait W is 0, U1 or U1 + U2:
  // E[W] = (2/7) 0.5 + (1/7) 1.5 = 0.357 s; E[W^2] = (2/7)(1/3) + (1/7)(1/3 + 1 + 4/3) = 0.476,
  // sd = sqrt(0.476 - 0.357^2) = 0.59 s. Each answered request also took 4 ms (api 1 ms CPU,
  // 1 ms to db, 1 ms there, 1 ms back) and each failed attempt 1 ms ((2/7) 1 + (1/7) 2 = 0.57 ms).
  const double ok = w.ok.value();
  CHECK(w.latency_ms.mean.value() == Approx(357.1 + 4 + 0.57).margin(kZ99 * 590 / std::sqrt(ok)));  // +-21 ms
}

TEST_CASE("retry: a closed-loop user waits through its request's retries, then thinks again", "[retry]") {
  // 20 users, think time 1 s, api fails half its requests: as in the open loop, 1.75 attempts
  // per request and 0.5^3 = 12.5 % failures. A user sends its next request only after the last
  // attempt's answer: a cycle is 1 s of thinking + the backoffs (E[wait] over all requests =
  // 0.5 x 0 + 0.25 x 0.5 + 0.25 x 1.5 = 0.5 s) + 1.75 attempts of about 4 ms: 1.507 s, so
  // 20 users x 600 s / 1.507 s = 7,963 requests (if users went on at the first failure there
  // would be 20 x 600 / 1 = 12,000). The cycle's sd (about 0.6 s) gives a 99 % interval of about
  // +-1.2 % on the count; 3 % allows for the cycles cut at the end.
  json doc = api_db("poisson(rate=1)", nullptr,
                    json::array({{{"type", "dependency"}, {"service", "api"}, {"start", 0}, {"end", 1e6}, {"error_share", 0.5}}}));
  doc["workloads"][0].erase("arrival");
  doc["workloads"][0]["clients"] = {{"users", 20}, {"think_time", "constant(value=1)"}};
  doc["workloads"][0]["retry"] = "standard(quota_tokens=100000)";
  const RunResult r = run(Scenario::from_json(doc));
  const auto& w = r.results.workloads.at("w");
  REQUIRE(w.retries);
  const double n = w.retries->first_attempts.value();
  CHECK(n == Approx(7963).epsilon(0.03));
  CHECK(w.retries->amplification.value() == Approx(1.75).margin(kZ99 * std::sqrt(0.6875 / n)));
  const double answered = w.ok.value() + w.errors.app_error.value().value();
  CHECK(w.errors.app_error.value().value() / answered == Approx(0.125).margin(kZ99 * std::sqrt(0.125 * 0.875 / answered)));
  CHECK(answered >= n - 20);  // one answer per request, but for each user's last one at the end
}

TEST_CASE("retry: same seed, same bytes; retries off leaves a scenario's results unchanged", "[retry]") {
  const json doc = api_db("poisson(rate=20)", "standard", json::array({db_fault(0.3)}));
  CHECK(summary_json(run(Scenario::from_json(doc))).dump() == summary_json(run(Scenario::from_json(doc))).dump());
  // "none" is no retries: byte-identical to giving no retry at all.
  CHECK(summary_json(run(Scenario::from_json(api_db("poisson(rate=20)", "none")))).dump() ==
        summary_json(run(Scenario::from_json(api_db("poisson(rate=20)", nullptr)))).dump());
}

namespace {

// api behind no load balancer, one task, then at 0 s a rolling deployment of revision v2 with
// `behavior`; measured from 600 s (v2's task long in service), for 600 s; constant 10 ms of CPU.
json bad_version(json behavior, const std::string& arrival) {
  return {{"schema_version", 1},
          {"duration", 600},
          {"warmup", 600},
          {"services",
           {{{"name", "api"},
             {"desired_count", 1},
             {"load_balancer", "none"},
             {"task", {{"cpu", 1024}, {"memory", 2048}}},
             {"revisions", {{{"name", "v2"}, {"behavior", behavior}}}},
             {"deployments", {{{"at", "0s"}, {"revision", "v2"}}}}}}},
          {"workloads", {{{"name", "w"}, {"target", "api"}, {"arrival", arrival}, {"request", {{"cpu_time", "constant(value=0.01)"}}}}}},
          {"output", {{"event_log", false}}}};
}

}  // namespace

TEST_CASE("bad version: error_share 0.2 answers 20 % of requests with an application error", "[retry][bad_version]") {
  const RunResult r = run(Scenario::from_json(bad_version({{"error_share", 0.2}}, "poisson(rate=10)")));
  const auto& api = service(r, "api");
  REQUIRE(api.deployments->completed.value() == 1);
  const double n = api.requests.value();
  REQUIRE(n > 5500);  // 10/s x 600 s
  // Binomial 99 %: 0.2 +- 2.576 x sqrt(0.2 x 0.8 / n), about +-0.013.
  CHECK(api.errors.app_error.value().value() / n == Approx(0.2).margin(kZ99 * std::sqrt(0.16 / n)));
  CHECK(api.errors.app_error.value().value() == api.errors_total.value());
  // The clients count them by cause too.
  CHECK(r.results.workloads.at("w").errors.app_error.value() == api.errors.app_error.value());
}

TEST_CASE("bad version: cpu_factor 2 doubles the service time at low load", "[retry][bad_version]") {
  // One request a second (deterministic): none overlaps another, so each takes its CPU time
  // alone on 1 vCPU: 10 ms, x 2 = 20 ms on v2.
  const RunResult good = run(Scenario::from_json(bad_version(json::object(), "deterministic(rate=1)")));
  const RunResult slow = run(Scenario::from_json(bad_version({{"cpu_factor", 2}}, "deterministic(rate=1)")));
  CHECK(service(good, "api").latency_ms.mean.value() == Approx(10).margin(0.1));
  CHECK(service(slow, "api").latency_ms.mean.value() == Approx(20).margin(0.1));
  CHECK(service(slow, "api").cpu_utilization_pct.value() == Approx(2 * service(good, "api").cpu_utilization_pct.value()).epsilon(0.01));
}

TEST_CASE("bad version: extra_latency adds its mean to every request", "[retry][bad_version]") {
  // 10 requests a second, 10 ms of CPU each: never two on the CPU at once, so latency is 10 ms +
  // the extra off-CPU wait, exponential with mean 200 ms: sd 200 ms, so over n requests the mean
  // is 210 +- 2.576 x 200 / sqrt(n) ms (99 %), about +-6.7 ms for n = 6000.
  const RunResult r = run(Scenario::from_json(bad_version({{"extra_latency", "exponential(mean=0.2)"}}, "deterministic(rate=10)")));
  const auto& api = service(r, "api");
  const double n = api.ok.value();
  REQUIRE(n > 5900);
  CHECK(api.latency_ms.mean.value() == Approx(210).margin(kZ99 * 200 / std::sqrt(n)));
  CHECK(api.cpu_utilization_pct.value() == Approx(10).margin(0.2));  // 10/s x 10 ms: the wait uses no CPU
}

TEST_CASE("dependency fault: only requests within its window are affected", "[retry][fault]") {
  // db fails every call from 200 s to 400 s; one request a second, no retries, 60 s metric
  // intervals. Calls reach db about 2 ms after their request arrives, so the requests arriving
  // in [200 s, 400 s) fail: 200 of them, and none outside.
  json doc = api_db("deterministic(rate=1)", nullptr, json::array({db_fault(1.0, 200, 400)}));
  doc["output"]["metrics_interval"] = "60s";
  const RunResult r = run(Scenario::from_json(doc));
  CHECK(r.results.workloads.at("w").errors.dependency.value() == 200);
  CHECK(service(r, "db").errors.app_error.value().value() == 200);
  const auto& cols = r.timeseries_columns;
  const std::size_t dep = static_cast<std::size_t>(std::find(cols.begin(), cols.end(), "dependency_errors") - cols.begin());
  REQUIRE(dep < cols.size());
  double inside = 0;
  for (const auto& row : r.timeseries) {
    if (row.service != "api") continue;
    const double errors = row.values[dep];
    if (row.time_s <= 180 || row.time_s > 420) CHECK(errors == 0);  // intervals ending at or before 180 s, or from 420 s
    if (row.time_s > 180 && row.time_s <= 420) inside += errors;
  }
  CHECK(inside == 200);
}

TEST_CASE("dependency fault: problems are reported at once with their pointers", "[retry][fault]") {
  json doc = api_db("poisson(rate=1)", nullptr,
                    json::array({{{"type", "dependency"}, {"service", "dbb"}, {"start", "10m"}, {"end", "20m"}},
                                 {{"type", "dependency"}, {"service", "db"}, {"start", "20m"}, {"end", "10m"}},
                                 {{"type", "dependency"}, {"service", "db"}, {"start", 0}, {"end", 60}, {"error_share", 1.5}},
                                 {{"type", "meteor"}, {"service", "db"}}}));
  try {
    Scenario::from_json(doc);
    FAIL("accepted");
  } catch (const ScenarioError& e) {
    const std::string what = e.what();
    CHECK_THAT(what, Catch::Contains("/faults/0/service") && Catch::Contains("did you mean \"db\""));
    CHECK_THAT(what, Catch::Contains("/faults/1/end") && Catch::Contains("must end after it starts"));
    CHECK_THAT(what, Catch::Contains("/faults/2/error_share"));
    CHECK_THAT(what, Catch::Contains("/faults/3"));
  }
}
