// The AWS SDKs' adaptive retry mode (serving/adaptive_rate_limiter.hpp): the client-side rate
// limiter's arithmetic step by step against botocore's formulas, and a workload's clients
// pacing themselves to a throttling Lambda function.
#include <catch2/catch.hpp>

#include <cmath>

#include "fargatelab/metrics.hpp"
#include "fargatelab/run.hpp"
#include "serving/adaptive_rate_limiter.hpp"

using namespace fargatelab;
using fargatelab::detail::AdaptiveRateLimiter;
using nlohmann::json;

namespace {

SimTime at(double s) { return SimTime::from_seconds(s); }

}  // namespace

TEST_CASE("adaptive retry: the rate limiter follows botocore's measured rate, beta and CUBIC curve", "[retry][adaptive]") {
  AdaptiveRateLimiter l(at(0));
  // Off until the first throttle: nothing waits.
  CHECK_FALSE(l.enabled());
  CHECK(l.try_acquire(at(0.05)));
  // Four successes in the first 0.5 s bucket: no bucket has closed, the measured rate is 0.
  for (double t : {0.1, 0.2, 0.3, 0.4}) l.on_response(at(t), false);
  CHECK(l.measured_rate() == 0);
  // A 429 at 0.6 s closes bucket [0, 0.5): 5 responses / 0.5 s = 10/s, smoothed 0.8 x 10 + 0.2 x 0
  // = 8/s. The limiter turns on at 0.7 x 8 = 5.6/s (under 2 x 8); the curve restarts from
  // w_max = 8 with K = cbrt(8 x 0.3 / 0.4) = cbrt(6) = 1.817 s.
  l.on_response(at(0.6), true);
  CHECK(l.enabled());
  CHECK(l.measured_rate() == Approx(8.0));
  CHECK(l.limit() == Approx(5.6));
  CHECK(l.cubic_rate(0.6 + std::cbrt(6.0)) == Approx(8.0));  // back at w_max K seconds later
  // The bucket: 1 token/s until 0.1 s (0.1), then 0.5/s (the 0-rate limit is raised to the 0.5/s
  // floor) to 0.6 s (+0.25): 0.35 tokens. No whole token: an attempt waits for the missing 0.65
  // at 5.6/s, then takes it; the next one waits a whole 1 / 5.6 s.
  CHECK_FALSE(l.try_acquire(at(0.6)));
  const double first = 0.6 + 0.65 / 5.6;
  CHECK(l.time_to_token(at(0.6)).to_seconds() == Approx(0.65 / 5.6));
  CHECK(l.try_acquire(at(first)));
  CHECK(l.time_to_token(at(first)).to_seconds() == Approx(1 / 5.6));
  // A success at 1.0 s closes [0.5, 1.0): 1 response / 0.5 s = 2/s, measured 0.8 x 2 + 0.2 x 8 =
  // 3.2/s. CUBIC: 0.4 x (1.0 - 0.6 - 1.817)^3 + 8 = 6.862/s, capped at 2 x 3.2 = 6.4/s.
  l.on_response(at(1.0), false);
  CHECK(l.measured_rate() == Approx(3.2));
  CHECK(l.cubic_rate(1.0) == Approx(0.4 * std::pow(0.4 - std::cbrt(6.0), 3) + 8));
  CHECK(l.limit() == Approx(6.4));
  // A second throttle while on uses min(measured, limit) = min(3.2, 6.4) = 3.2: 0.7 x 3.2.
  l.on_response(at(1.2), true);
  CHECK(l.limit() == Approx(0.7 * 3.2));
  CHECK(l.cubic_rate(1.2 + std::cbrt(3.2 * 0.3 / 0.4)) == Approx(3.2));
}

namespace {

// A Lambda function of reserved concurrency 10 whose invocations take 0.1 s of CPU at 1 vCPU
// (1,769 MB): at most 10 / 0.1 = 100 invocations/s. Clients offer 150/s with the SDK's 3 attempts
// and no retry quota (so only the rate limiter differs).
json throttled_function(const std::string& retry) {
  return {{"schema_version", 1},
          {"duration", "10m"},
          {"services", {{{"name", "fn"}, {"platform", "lambda"},
                         {"lambda", {{"memory", 1769}, {"init", "constant(value=0.2)"}, {"placement", "constant(value=0.05)"},
                                     {"timeout", "60s"}, {"reserved_concurrency", 10}}}}}},
          {"workloads", {{{"name", "w"}, {"target", "fn"}, {"arrival", "poisson(rate=150)"},
                          {"request", {{"cpu_time", "constant(value=0.1)"}, {"timeout", "30s"}}}, {"retry", retry}}}},
          {"output", {{"event_log", false}}}};
}

json retry_of(const RunResult& r) { return summary_json(r).at("results").at("workloads").at("w").at("retries"); }
json fn_of(const RunResult& r) { return summary_json(r).at("results").at("services").at("fn"); }

}  // namespace

TEST_CASE("adaptive retry: throttled clients pace themselves to the function's concurrency", "[retry][adaptive]") {
  const RunResult standard = run(Scenario::from_json(throttled_function("standard(quota=false)")));
  const RunResult adaptive = run(Scenario::from_json(throttled_function("adaptive(quota=false)")));
  const double seconds = 600, capacity = 10 / 0.1;
  // Standard retries fire whatever the answer: the 50/s above capacity come back as 429s and are
  // sent again, more than doubling the attempts (amplification > 2), and the function stays
  // saturated.
  CHECK(retry_of(standard).at("amplification").get<double>() > 2);
  CHECK(fn_of(standard).at("ok").get<double>() / seconds <= capacity);
  CHECK(retry_of(standard).at("rate_limited") == 0);
  // Adaptive: each throttle cuts the limit to beta = 0.7 of the rate that got through, w, and
  // CUBIC climbs back to w in K = cbrt(w (1 - beta) / C) seconds; the curve's mean over [0, K]
  // is w - C K^3 / 4 = w (1 - (1 - beta) / 4) = 0.925 w. With w at the function's 100/s the
  // clients send, and the function serves, 92.5/s.
  CHECK(fn_of(adaptive).at("ok").get<double>() / seconds == Approx(0.925 * capacity).epsilon(0.03));
  // Hardly any attempt is throttled (a 429 is what turns the rate down), so hardly any retry.
  CHECK(fn_of(adaptive).at("errors").at("throttled").get<double>() < 0.01 * fn_of(standard).at("errors").at("throttled").get<double>());
  CHECK(retry_of(adaptive).at("amplification").get<double>() == Approx(1).margin(0.01));
  // The 150/s offered wait at the client instead: nearly every request waited for a token.
  CHECK(retry_of(adaptive).at("rate_limited").get<double>() > 0.9 * 150 * seconds);
  CHECK(retry_of(adaptive).at("rate_limit_wait_s").get<double>() > 0);
}

TEST_CASE("adaptive retry: a task's call cannot take it yet, by pointer", "[retry][adaptive]") {
  json s = {{"schema_version", 1},
            {"duration", "1m"},
            {"services", {{{"name", "api"}, {"calls", {{{"service", "db"}, {"retry", "adaptive(max_attempts=3)"}}}}},
                          {{"name", "db"}, {"load_balancer", "none"}}}},
            {"workloads", {{{"name", "w"}, {"target", "api"}, {"arrival", "poisson(rate=1)"}}}}};
  try {
    (void)Scenario::from_json(s);
    FAIL("adaptive on a call was accepted");
  } catch (const ScenarioError& e) {
    bool found = false;
    for (const auto& d : e.diagnostics())
      if (d.pointer == "/services/0/calls/0/retry") found = d.message.find("standard(...)") != std::string::npos;
    CHECK(found);
  }
}
