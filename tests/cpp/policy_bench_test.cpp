// The policy bench: the same scenario under each policy, with figures checked by hand on the
// embedded default (api: 3 tasks of 1 vCPU, 40 requests/s x 0.05 CPU s = 2 vCPU of work, 66.7 %).
#include <catch2/catch.hpp>

#include "fargatelab/policy_bench.hpp"

using namespace fargatelab;

namespace {
Scenario six_hours() { return Scenario::builtin_default({"duration=6h"}); }
}  // namespace

TEST_CASE("policy bench: fixed capacity pays for every task-hour", "[bench][scaling]") {
  const Scenario s = scenario_for_policy(six_hours(), kFixedCapacity);
  const PolicyBenchRow row = policy_bench_row(run(s), s, kFixedCapacity);
  CHECK(row.task_hours_paid == Approx(3 * 6.0));                  // 3 tasks x 6 h
  CHECK(row.task_hours_needed == Approx(6.0 * 2.0).epsilon(0.02));  // 2 vCPU of work x 6 h
  CHECK(row.scaling_actions == 0);
  CHECK(std::isnan(row.first_scale_out_s));
}

TEST_CASE("policy bench: target tracking adds a task after AlarmHigh's third datapoint", "[bench][scaling]") {
  // CPU 66.7 % > 60 from the start: datapoints [0,60), [60,120), [120,180) are readable at 120,
  // 180 and 240 s (60 s publication delay), so AlarmHigh (3 of 3) fires at 240 s and desired
  // becomes ceil(3 x 66.7 / 60) = 4. At 4 tasks the CPU is 50 %: below 0.9 x 60 = 54, but a
  // scale-in would remove floor(4 - 4 x 50 / 60) = 0 tasks, so it stays at 4.
  const std::string p = "target_tracking(metric=cpu, target=60)";
  const Scenario s = scenario_for_policy(six_hours(), p);
  const PolicyBenchRow row = policy_bench_row(run(s), s, p);
  CHECK(row.first_scale_out_s == 240);
  CHECK(row.scaling_actions == 1);
  CHECK(row.task_hours_paid == Approx(3 * 240 / 3600.0 + 4 * (6.0 - 240 / 3600.0)).epsilon(0.01));
}

TEST_CASE("policy bench: a bad policy or an unknown service is reported before anything runs", "[bench][scaling]") {
  CHECK_THROWS_AS(scenario_for_policy(six_hours(), "target_tracking(metric=disk, target=60)"), ScenarioError);
  try {
    scenario_for_policy(six_hours(), "hpa(metric=cpu, target=60)", {"nope"});
    FAIL("an unknown service was accepted");
  } catch (const ScenarioError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].message == "no service \"nope\" to scale (services: api)");
  }
}
