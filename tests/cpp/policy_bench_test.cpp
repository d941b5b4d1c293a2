// The policy bench: the same scenario under each policy, with figures checked by hand on the
// embedded default (api: 3 tasks of 1 vCPU, 40 requests/s x 0.05 CPU s = 2 vCPU of work, 66.7 %).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "fargatelab/policy_bench.hpp"
#include "metrics/service_metrics.hpp"

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

TEST_CASE("policy bench: CI half-widths are Student t across replications", "[bench]") {
  // Three replications of two 60 s intervals of service api (the default scenario's client-facing
  // service; SLO 500 ms, no warm-up), every figure chosen per replication:
  //   tasks running   3,3 | 3,6 | 6,6  -> task-hours paid 6/60, 9/60, 12/60 = 0.10, 0.15, 0.20
  //   p99 (ms)  600,100 | 100,100 | 600,100 + a timeout -> minutes in breach 1, 0, 2
  //   CPU 50 % throughout                 -> task-hours needed 0.05, 0.075, 0.10
  // Means 0.15, 1 and 0.075; sample sds 0.05, 1 and 0.025; t(0.975, 2) = 4.303 (n - 1 = 2, the
  // table of student_t_critical, 4.3027 to four places),
  // so the half-widths are 4.302653 x sd / sqrt(3).
  const Scenario s = Scenario::builtin_default({"duration=2m"});
  RunResult r;
  r.info.replications = 3;
  r.timeseries_columns = detail::timeseries_columns();
  auto at = [&](const char* name) {
    return static_cast<std::size_t>(std::find(r.timeseries_columns.begin(), r.timeseries_columns.end(), name) - r.timeseries_columns.begin());
  };
  auto add = [&](int rep, double t, double tasks, double p99, double timeouts) {
    TimeSeriesRow row{rep, t, "api", std::vector<double>(r.timeseries_columns.size(), 0.0)};
    row.values[at("tasks_running")] = tasks;
    row.values[at("cpu_utilization_pct")] = 50;
    row.values[at("latency_p99_ms")] = p99;
    row.values[at("timeouts")] = timeouts;
    r.timeseries.push_back(row);
  };
  add(0, 60, 3, 600, 0), add(0, 120, 3, 100, 0);
  add(1, 60, 3, 100, 0), add(1, 120, 6, 100, 0);
  add(2, 60, 6, 600, 0), add(2, 120, 6, 100, 1);
  // Scale from zero: replication 0 waited 120 s, 1 never sat at zero, 2 waited 140 s in api and
  // 200 s in a second service: the longest per replication, then the mean, (120 + 200) / 2 = 160.
  r.per_replication.resize(3);
  r.per_replication[0].results.services["api"].first_response_after_zero_s = Number(120.0);
  r.per_replication[1].results.services["api"];
  r.per_replication[2].results.services["api"].first_response_after_zero_s = Number(140.0);
  r.per_replication[2].results.services["worker"].first_response_after_zero_s = Number(200.0);

  const PolicyBenchRow row = policy_bench_row(r, s, kFixedCapacity);
  const double t = 4.303;
  CHECK(row.task_hours_paid == Approx(0.15));
  CHECK(row.task_hours_paid_ci == Approx(t * 0.05 / std::sqrt(3.0)));
  CHECK(row.minutes_in_breach == Approx(1.0));
  CHECK(row.minutes_in_breach_ci == Approx(t * 1.0 / std::sqrt(3.0)));
  CHECK(row.task_hours_needed == Approx(0.075));
  CHECK(row.task_hours_needed_ci == Approx(t * 0.025 / std::sqrt(3.0)));
  CHECK(row.first_response_after_zero_s == Approx(160.0));

  // The table carries each "_ci" right after its figure.
  const Table table = policy_bench_table({row});
  std::vector<std::string> names;
  for (const auto& c : table.columns) names.push_back(c.name);
  const auto paid = std::find(names.begin(), names.end(), "task_hours_paid");
  REQUIRE(paid != names.end());
  CHECK(*(paid + 1) == "task_hours_paid_ci");
  CHECK(std::find(names.begin(), names.end(), "minutes_in_breach_ci") != names.end());
  CHECK(std::find(names.begin(), names.end(), "first_response_after_zero_s") != names.end());

  // With one replication there is no interval.
  r.info.replications = 1;
  CHECK(std::isnan(policy_bench_row(r, s, kFixedCapacity).task_hours_paid_ci));
}

TEST_CASE("policy bench: a queue worker scaled from zero answers its first job after KEDA's poll and a launch", "[bench][scaling]") {
  // One job (1 CPU s, constant) at 1800 s (EventBridge rate(30 minutes)) on a worker at 0 tasks
  // scaled by KEDA's SQS scaler (activation on the first visible message). The queue's
  // ApproximateNumberOfMessagesVisible is a gauge read when its one-minute period closes: the
  // minute [1740, 1800) closes at 1800 s, after the job's arrival in that instant, and reads 1
  // message. It is readable 60 s later (publication delay), at 1860 s; KEDA polls every 30 s and
  // 1860 = 62 x 30, so it asks for max(1, ceil(1 / 5)) = 1 task at 1860 s. The Fargate launch is
  // fixed (fargate_launch_test's phases): provisioning max(2, 3) = 3 s + microVM boot 0.1 s +
  // the image pull P (its own noise; read from the task record) + container start 1 s + init
  // 1 CPU s / 1 vCPU = 2 s + activating 1 s = 6.1 s + P. The task receives the message at once
  // and works 1 s: the first answer comes 60 + 6.1 + P + 1 s after the job.
  nlohmann::json doc = {
      {"schema_version", 1},
      {"name", "jobs"},
      {"duration", "45m"},
      {"fargate", {{"isolation", "firecracker(boot=0.1, boot_sd=0, rate=1000000)"}, {"provisioning", "constant(value=2)"},
                   {"eni_attach", "constant(value=3)"}, {"activating", "constant(value=1)"}, {"eni_detach", "constant(value=4)"}}},
      {"services",
       {{{"name", "worker"},
         {"desired_count", 0},
         {"load_balancer", "none"},
         {"queue", {{"visibility_timeout", "10m"}}},
         {"serving", {{"concurrency", 1}}},
         {"task", {{"cpu", 1024}, {"memory", 2048}, {"init_cpu_seconds", "constant(value=1)"}, {"image", {{"size_mb", 0}, {"layers", 1}}}}},
         {"scaling", {{"min_capacity", 0}, {"max_capacity", 10}, {"policies", {"keda_sqs(queue_length=5)"}}}}}}},
      {"workloads",
       {{{"name", "jobs"}, {"target", "worker"}, {"arrival", "schedule(expression=\"rate(30 minutes)\")"},
         {"request", {{"cpu_time", "constant(value=1)"}}}}}}};
  const Scenario s = Scenario::from_json(doc);
  const RunResult r = run(s);
  const PolicyBenchRow row = policy_bench_row(r, s, "keda_sqs(queue_length=5)");
  CHECK(row.first_scale_out_s == 1860);
  REQUIRE(r.tasks.size() >= 1);
  const double pull = r.tasks[0].phase_seconds[3];
  CHECK(r.tasks[0].created_s == Approx(1860));
  CHECK(row.first_response_after_zero_s == Approx(60 + 6.1 + pull + 1).margin(1e-6));

  // A service that never sits at zero with a request has none: the default's api keeps 3 tasks.
  const Scenario fixed = scenario_for_policy(Scenario::builtin_default({"duration=10m"}), "target_tracking(metric=cpu, target=60)");
  CHECK(std::isnan(policy_bench_row(run(fixed), fixed, "tt").first_response_after_zero_s));
}
