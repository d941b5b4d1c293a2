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

#include "ecs/service_scheduler.hpp"
#include "fargatelab/engine.hpp"
#include "fargatelab/random.hpp"
#include "fargatelab/scenario.hpp"
#include "platforms/fargate/fargate_platform.hpp"
#include "scaling/ecs_service_target.hpp"
#include "scaling/metric_view.hpp"
#include "scaling/policy_combination.hpp"
#include "serving/request.hpp"
#include "serving/service.hpp"

using namespace fargatelab;
using namespace fargatelab::detail;

namespace {

MetricKey cpu_key() { return {"AWS/ECS", "CPUUtilization", "ClusterName=default,ServiceName=api", Statistic::average, seconds(60)}; }

std::optional<int> desired_of(const std::optional<CombinedDecision>& d) { return d ? std::optional<int>(d->desired) : std::nullopt; }

Recommendation to(int n) { return Recommendation::to(n, "scripted " + std::to_string(n)); }

// One Fargate service "api" with 2 warm tasks and no load balancer (no deregistration delay),
// its scheduler following the platform's task transitions, as a replication wires them.
struct EcsService {
  Scenario scenario = Scenario::from_json(
      {{"schema_version", 1},
       {"duration", "30m"},
       {"services", {{{"name", "api"}, {"desired_count", 2}, {"load_balancer", "none"}}}},
       {"workloads", {{{"name", "w"}, {"target", "api"}, {"arrival", "poisson(rate=0.001)"}}}}});
  const ScenarioSpec& spec = scenario.spec();
  Simulation sim;
  RandomStreams streams{7, 0};
  RequestPool pool;
  FargatePlatform platform{sim, spec, streams};
  Service service{sim, pool, spec.services[0], 0, streams};
  ServiceScheduler scheduler{sim, platform, service, spec.services[0], 0, spec.fargate};
  EcsService() {
    platform.state_changed.connect([this](Task& t, TaskState previous) { scheduler.on_state(t, previous); });
  }
};

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

// ---- scalable targets -------------------------------------------------------------------------

TEST_CASE("scalable target: desired capacity is clamped to min and max", "[scaling][target]") {
  IntegerTarget t("function:f:live", "lambda:function:ProvisionedConcurrency", 4, {2, 10});
  REQUIRE(t.set_desired_capacity(12) == 10);
  REQUIRE(t.desired_capacity() == 10);
  REQUIRE(t.set_desired_capacity(-3) == 2);
  REQUIRE(t.desired_capacity() == 2);
  REQUIRE(t.current_capacity() == 4);  // what runs is the owner's to report
  t.set_current(2);
  REQUIRE(t.current_capacity() == 2);
  REQUIRE_THROWS_AS(t.set_limits({5, 3}), std::invalid_argument);
  REQUIRE_THROWS_AS(t.set_limits({-1, 3}), std::invalid_argument);
  t.set_limits({0, 3});  // limits change; the desired capacity is not touched by this call
  REQUIRE(t.desired_capacity() == 2);
}

TEST_CASE("ECS service target: desired count through the scheduler, current = tasks in RUNNING", "[scaling][target][ecs]") {
  EcsService ecs;
  Simulation& sim = ecs.sim;
  ServiceScheduler& scheduler = ecs.scheduler;
  EcsServiceTarget target(scheduler, 0, "api", {1, 6});
  target.follow(ecs.platform);
  REQUIRE(target.resource_id() == "service/default/api");
  REQUIRE(target.scalable_dimension() == "ecs:service:DesiredCount");

  // The oracle: tasks of the service whose state is RUNNING, by enumeration.
  auto running = [&] {
    int n = 0;
    for (const Task& t : ecs.platform.tasks()) n += t.service == 0 && t.state == TaskState::running;
    return n;
  };
  scheduler.start();
  REQUIRE(target.desired_capacity() == 2);
  REQUIRE(target.current_capacity() == 2);  // warm: adopted RUNNING at t = 0

  REQUIRE(target.set_desired_capacity(9) == 6);  // max 6
  REQUIRE(scheduler.desired() == 6);
  sim.run(seconds(1));
  REQUIRE(target.current_capacity() == 2);  // 4 new tasks are launching (a launch takes tens of seconds)
  for (int t = 5; t <= 300; t += 5) {
    sim.run(seconds(t));
    INFO("t = " << t << " s");
    REQUIRE(target.current_capacity() == running());
  }
  REQUIRE(target.current_capacity() == 6);

  REQUIRE(target.set_desired_capacity(0) == 1);  // min 1
  sim.run(seconds(300));  // the scheduler reconciles at this instant, after the call
  // Scale-in stops 5 tasks: they leave RUNNING at once though none is STOPPED yet.
  REQUIRE(target.current_capacity() == 1);
  REQUIRE(running() == 1);
  int not_stopped = 0;
  for (const Task& t : ecs.platform.tasks()) not_stopped += t.service == 0 && t.state != TaskState::stopped;
  REQUIRE(not_stopped == 6);
}

// ---- the combination rule ---------------------------------------------------------------------

TEST_CASE("combination: scale out if any policy asks, and the largest capacity wins", "[scaling][combine]") {
  using R = Recommendation;
  // desired 4; one asks 6, one holds: out to 6 by policy 0.
  std::vector<R> a = {to(6), R::hold()};
  auto d = combine_recommendations(4, a);
  REQUIRE(d->desired == 6);
  REQUIRE(d->policy == 0);
  // hold, 6, 8: the largest, 8, by policy 2.
  std::vector<R> b = {R::hold(), to(6), to(8)};
  d = combine_recommendations(4, b);
  REQUIRE(d->desired == 8);
  REQUIRE(d->policy == 2);
  // One asks in (3), one out (7): out wins, 7, though not all agree.
  std::vector<R> c = {to(3), to(7)};
  REQUIRE(desired_of(combine_recommendations(4, c)) == 7);
  // A tie: 6 and 6, the first policy's.
  std::vector<R> e = {to(6), to(6)};
  REQUIRE(combine_recommendations(4, e)->policy == 0);
  // A non-voting policy's scale-out counts like any other: 5 from a step policy.
  std::vector<R> f = {R::hold(), R::to(5, "step", false)};
  REQUIRE(desired_of(combine_recommendations(4, f)) == 5);
}

TEST_CASE("combination: scale in only if every voting policy asks, to the largest capacity asked", "[scaling][combine]") {
  using R = Recommendation;
  // desired 8: 3 and hold -> no change (the holder has not agreed).
  std::vector<R> a = {to(3), R::hold()};
  REQUIRE_FALSE(combine_recommendations(8, a));
  // 3 and 5 -> both agree; the larger, 5, by policy 1 (scale in the least).
  std::vector<R> b = {to(3), to(5)};
  auto d = combine_recommendations(8, b);
  REQUIRE(d->desired == 5);
  REQUIRE(d->policy == 1);
  // 3 and 8 (= desired: no change) -> the second is not ready to scale in: no change.
  std::vector<R> c = {to(3), to(8)};
  REQUIRE_FALSE(combine_recommendations(8, c));
  // An abstaining policy (DisableScaleIn at low load) does not hold back the other: 3.
  std::vector<R> e = {R::abstain(), to(3)};
  REQUIRE(desired_of(combine_recommendations(8, e)) == 3);
  // A step policy's scale-in (non-voting) goes ahead while target tracking holds: 2
  // ("step scale-in is not blocked by target tracking").
  std::vector<R> f = {R::hold(), R::to(2, "step", false)};
  d = combine_recommendations(8, f);
  REQUIRE(d->desired == 2);
  REQUIRE(d->policy == 1);
  // Voters agree on 6 and 5, a step policy asks 2: the largest capacity, 6.
  std::vector<R> g = {to(6), to(5), R::to(2, "step", false)};
  REQUIRE(desired_of(combine_recommendations(8, g)) == 6);
  // Nothing asked, or no policy at all: no change.
  std::vector<R> h = {R::abstain(), R::hold()};
  REQUIRE_FALSE(combine_recommendations(8, h));
  REQUIRE_FALSE(combine_recommendations(8, std::vector<R>{}));
  // Every voter asks exactly the desired capacity: no change.
  std::vector<R> i = {to(8), to(8)};
  REQUIRE_FALSE(combine_recommendations(8, i));
}
