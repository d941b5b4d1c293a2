// The CloudWatch metric pipeline: periods aligned on t = 0, datapoints stamped with their
// period's start and readable only a publication delay after the period ends; missing periods
// stay missing; each metric computed as AWS defines it (hand arithmetic in each test).
#include <catch2/catch.hpp>

#include <map>

#include "fargatelab/run.hpp"
#include "scaling/cloudwatch.hpp"
#include "scaling/metric_keys.hpp"

using namespace fargatelab;
using namespace fargatelab::detail;
using nlohmann::json;

namespace {

constexpr Duration kMinute = SimTime::from_ns(60'000'000'000);

// Returns the period's start in seconds, except for the periods listed as missing.
class StartSource final : public DatapointSource {
 public:
  explicit StartSource(std::vector<double> missing = {}) : missing_(std::move(missing)) {}
  std::optional<double> close(SimTime start, SimTime) override {
    const double s = start.to_seconds();
    for (double m : missing_)
      if (m == s) return std::nullopt;
    return s;
  }

 private:
  std::vector<double> missing_;
};

// Records how many datapoints a series holds at given instants, at Priority::late (where
// alarms and policies evaluate).
struct Probe {
  Simulation& sim;
  const MetricSeries& series;
  std::map<double, std::size_t> seen;
  void look() { seen[sim.now().to_seconds()] = series.datapoints().size(); }
};

}  // namespace

TEST_CASE("cloudwatch: a datapoint is readable one publication delay after its period ends", "[cloudwatch]") {
  Simulation sim;
  MetricStore store;
  CloudWatch cw(sim, store, CloudWatchSettings{kMinute});
  const MetricKey key = metric_keys::ecs_service("CPUUtilization", "api");
  cw.add(key, MetricUnit::percent, std::make_unique<StartSource>(std::vector<double>{120}));
  cw.start();
  Probe probe{sim, *store.find(key), {}};
  for (double t : {60.0, 119.999, 120.0, 179.999, 180.0, 240.0, 300.0})
    sim.schedule_at(SimTime::from_seconds(t), bind<&Probe::look>(&probe), Priority::late);
  sim.run(SimTime::from_seconds(300));
  // [0, 60) closes at 60 and is readable from 60 + 60 = 120; [60, 120) from 180; [120, 180) has
  // no datapoint; [180, 240) from 300.
  CHECK(probe.seen[60.0] == 0);
  CHECK(probe.seen[119.999] == 0);
  CHECK(probe.seen[120.0] == 1);
  CHECK(probe.seen[179.999] == 1);
  CHECK(probe.seen[180.0] == 2);
  CHECK(probe.seen[240.0] == 2);
  CHECK(probe.seen[300.0] == 3);
  const auto& points = store.find(key)->datapoints();
  REQUIRE(points.size() == 3);
  CHECK(points[0].timestamp.to_seconds() == 0);
  CHECK(points[1].timestamp.to_seconds() == 60);
  CHECK(points[2].timestamp.to_seconds() == 180);  // 120 is missing, not zero
  CHECK(points[2].value == 180);
  const auto last = store.find(key)->last(3, SimTime::from_seconds(240));
  CHECK(last[0] == 60.0);
  CHECK_FALSE(last[1].has_value());
  CHECK(last[2] == 180.0);
  CHECK(cw.datapoints_published() == 3);
}

TEST_CASE("cloudwatch: with no delay a period is readable at its end, by evaluations at that instant", "[cloudwatch]") {
  Simulation sim;
  MetricStore store;
  CloudWatch cw(sim, store, CloudWatchSettings{Duration::zero()});
  const MetricKey key = metric_keys::running_task_count("api", Statistic::average, SimTime::from_seconds(20));
  cw.add(key, MetricUnit::count, std::make_unique<StartSource>());
  cw.start();  // before the probe, as AutoScaling starts the pipeline before the evaluators
  Probe probe{sim, *store.find(key), {}};
  sim.schedule_at(SimTime::from_seconds(20), bind<&Probe::look>(&probe), Priority::late);
  sim.schedule_at(SimTime::from_seconds(59.9), bind<&Probe::look>(&probe), Priority::late);
  sim.run(SimTime::from_seconds(60));
  CHECK(probe.seen[20.0] == 1);
  CHECK(probe.seen[59.9] == 2);  // [0, 20) and [20, 40): 20-second periods
  CHECK(store.find(key)->datapoints().size() == 3);
}

TEST_CASE("cloudwatch: one source per metric", "[cloudwatch]") {
  Simulation sim;
  MetricStore store;
  CloudWatch cw(sim, store);
  const MetricKey key = metric_keys::sqs("ApproximateNumberOfMessagesVisible", "jobs");
  cw.add(key, MetricUnit::count, std::make_unique<StartSource>());
  CHECK(cw.publishes(key));
  CHECK_THROWS_AS(cw.add(key, MetricUnit::count, std::make_unique<StartSource>()), std::logic_error);
}

namespace {

// api: `tasks` tasks of 1 vCPU and 2 GiB behind an ALB; 10 requests/s evenly spaced, 0.1 CPU s
// each; 600 s; every datapoint kept.
json one_service(int tasks, json extra = json::object()) {
  json service = {{"name", "api"}, {"desired_count", tasks}, {"task", {{"cpu", 1024}, {"memory", 2048}}}};
  service.update(extra);
  return {{"schema_version", 1},
          {"duration", 600},
          {"services", {service}},
          {"workloads",
           {{{"name", "w"}, {"target", "api"}, {"arrival", "deterministic(rate=10)"},
             {"request", {{"cpu_time", "constant(value=0.1)"}, {"timeout", "30s"}}}}}},
          {"output", {{"event_log", false}, {"cloudwatch_metrics", true}}}};
}

std::vector<MetricDatapointRow> rows_of(const RunResult& r, const std::string& metric) {
  std::vector<MetricDatapointRow> out;
  for (const auto& row : r.cloudwatch)
    if (row.metric == metric) out.push_back(row);
  return out;
}

}  // namespace

TEST_CASE("cloudwatch: an ECS service's CPU, memory, running tasks and ALB request counts", "[cloudwatch]") {
  const RunResult r = run(Scenario::from_json(one_service(2)));
  // Periods [0, 60) ... [480, 540) are readable by t = 600 (the last one at 540 + 60 = 600).
  for (const char* m : {"CPUUtilization", "MemoryUtilization", "RunningTaskCount", "RequestCount", "RequestCountPerTarget"}) {
    INFO(m);
    const auto rows = rows_of(r, m);
    REQUIRE(rows.size() == 9);
    for (std::size_t k = 0; k < rows.size(); ++k) {
      CHECK(rows[k].time_s == 60.0 * k);
      CHECK(rows[k].published_s == 60.0 * k + 120);  // period end + the 60 s publication delay
      CHECK(rows[k].period_s == 60);
    }
  }
  for (const auto& row : rows_of(r, "CPUUtilization")) {
    // 10/s x 0.1 CPU s over 2 tasks of 1 vCPU: 50 % (health checks add a little CPU).
    CHECK(row.value == Approx(50).margin(1.0));
    CHECK(row.ns == "AWS/ECS");
    CHECK(row.dimensions == "ClusterName=default,ServiceName=api");
    CHECK(row.statistic == "Average");
  }
  // 25 % of 2048 MiB per idle task (the default baseline), nothing per request.
  for (const auto& row : rows_of(r, "MemoryUtilization")) CHECK(row.value == Approx(25));
  for (const auto& row : rows_of(r, "RunningTaskCount")) CHECK(row.value == Approx(2));
  // 600 requests a minute (one either side at the period edges), 300 per healthy target.
  for (const auto& row : rows_of(r, "RequestCount")) CHECK(row.value == Approx(600).margin(1));
  for (const auto& row : rows_of(r, "RequestCountPerTarget")) {
    CHECK(row.value == Approx(300).margin(0.5));
    CHECK(row.statistic == "Sum");
    CHECK(row.dimensions == "TargetGroup=targetgroup/api");
  }
}

TEST_CASE("cloudwatch: a service with no task has no CPU datapoints but counts requests per target", "[cloudwatch]") {
  const RunResult r = run(Scenario::from_json(one_service(0)));
  CHECK(rows_of(r, "CPUUtilization").empty());     // no task, no datapoint (INSUFFICIENT_DATA)
  CHECK(rows_of(r, "MemoryUtilization").empty());
  for (const auto& row : rows_of(r, "RunningTaskCount")) CHECK(row.value == 0);  // 0 is a datapoint
  // No target to divide by: the request count itself, so a policy can scale out from zero.
  const auto per_target = rows_of(r, "RequestCountPerTarget");
  REQUIRE(per_target.size() == 9);
  for (const auto& row : per_target) CHECK(row.value == Approx(600).margin(1));
}

TEST_CASE("cloudwatch: an SQS queue's visible messages and oldest age at each minute", "[cloudwatch]") {
  // No task consumes: at t = 60 k the queue holds every message sent so far (10/s) and the oldest
  // is as old as the run (the first arrives at 0.1 s).
  json doc = one_service(0, {{"queue", json::object()}, {"load_balancer", "none"}});
  const RunResult r = run(Scenario::from_json(doc));
  const auto visible = rows_of(r, "ApproximateNumberOfMessagesVisible");
  const auto age = rows_of(r, "ApproximateAgeOfOldestMessage");
  REQUIRE(visible.size() == 9);
  REQUIRE(age.size() == 9);
  for (std::size_t k = 0; k < visible.size(); ++k) {
    const double end = 60.0 * (k + 1);
    CHECK(visible[k].value == Approx(10 * end).margin(1));
    CHECK(age[k].value == Approx(end).margin(0.2));
    CHECK(visible[k].dimensions == "QueueName=api");
  }
  CHECK(rows_of(r, "RequestCount").empty());  // no load balancer
}
