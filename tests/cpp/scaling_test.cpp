// Scaling extension points: metric series with missing data, scalable targets (a plain integer
// and an ECS service), the combination rule for several policies on one target, the policy
// evaluator's timeline on the simulation clock, and the registry's product type. The policies
// here are test policies defined in this file (no real policy exists yet); every expected value
// is worked out by hand in the comment beside it.
#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <type_traits>
#include <vector>

#include "scaling/metric_view.hpp"

using namespace fargatelab;
using namespace fargatelab::detail;

namespace {

MetricKey cpu_key() { return {"AWS/ECS", "CPUUtilization", "ClusterName=default,ServiceName=api", Statistic::average, seconds(60)}; }

}  // namespace

// ---- metric series ----------------------------------------------------------------------------

TEST_CASE("metric series: a period without a datapoint is missing, not zero", "[scaling][metrics]") {
  MetricSeries s(cpu_key(), MetricUnit::percent);
  s.publish({seconds(0), 40.0});    // [0, 60)
  s.publish({seconds(60), 80.0});   // [60, 120)
  s.publish({seconds(180), 90.0});  // [180, 240); [120, 180) has none
  // Three periods ending at 240 s: [60,120) = 80, [120,180) missing, [180,240) = 90.
  REQUIRE(s.last(3, seconds(240)) == std::vector<std::optional<double>>{80.0, std::nullopt, 90.0});
  // Ending at 180 s: [0,60) = 40, [60,120) = 80, [120,180) missing.
  REQUIRE(s.last(3, seconds(180)) == std::vector<std::optional<double>>{40.0, 80.0, std::nullopt});
  // An end inside a period rounds down to its start: 239 s -> 180 s, the same three periods.
  REQUIRE(s.last(3, seconds(239)) == s.last(3, seconds(180)));
  // Before anything was published every period is missing (INSUFFICIENT_DATA).
  REQUIRE(s.last(2, seconds(0)) == std::vector<std::optional<double>>{std::nullopt, std::nullopt});
  REQUIRE(s.latest()->timestamp == seconds(180));
  REQUIRE(s.latest()->value == 90.0);
}

TEST_CASE("metric series: datapoints must be on period boundaries and in time order", "[scaling][metrics]") {
  MetricSeries s(cpu_key(), MetricUnit::percent);
  s.publish({seconds(60), 50.0});
  REQUIRE_THROWS_AS(s.publish({seconds(90), 50.0}), std::logic_error);  // 90 is not a multiple of 60
  REQUIRE_THROWS_AS(s.publish({seconds(60), 55.0}), std::logic_error);  // not after the newest
  REQUIRE_THROWS_AS(s.publish({seconds(0), 55.0}), std::logic_error);
  REQUIRE(s.datapoints().size() == 1);
}

TEST_CASE("metric series: datapoints older than the retention are dropped", "[scaling][metrics]") {
  // Retention 180 s: after the datapoint at 240 s, those at or before 240 - 180 = 60 s go,
  // leaving 120, 180, 240.
  MetricSeries s(cpu_key(), MetricUnit::percent, seconds(180));
  for (int t = 0; t <= 240; t += 60) s.publish({seconds(t), double(t)});
  REQUIRE(s.datapoints().size() == 3);
  REQUIRE(s.datapoints().front().timestamp == seconds(120));
  REQUIRE(s.last(5, seconds(300)) == std::vector<std::optional<double>>{std::nullopt, std::nullopt, 120.0, 180.0, 240.0});
  REQUIRE(MetricSeries::kDefaultRetention == days(15));
}

TEST_CASE("metric store: one series per key, one unit per series; unknown keys are absent", "[scaling][metrics]") {
  MetricStore store;
  MetricSeries& cpu = store.series(cpu_key(), MetricUnit::percent);
  cpu.publish({seconds(0), 42.0});
  REQUIRE(&store.series(cpu_key(), MetricUnit::percent) == &cpu);
  REQUIRE_THROWS_AS(store.series(cpu_key(), MetricUnit::count), std::logic_error);
  MetricKey sum = cpu_key();
  sum.statistic = Statistic::maximum;  // another statistic is another series
  REQUIRE(store.find(sum) == nullptr);
  const MetricView& view = store;
  REQUIRE(view.find(cpu_key())->latest()->value == 42.0);
  REQUIRE(to_string(cpu_key()) == "AWS/ECS CPUUtilization {ClusterName=default,ServiceName=api} Average 60s");
}
