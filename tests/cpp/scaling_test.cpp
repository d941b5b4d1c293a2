// Scaling extension points: metric series with missing data, scalable targets (a plain integer
// and an ECS service), the combination rule for several policies on one target, the policy
// evaluator's timeline on the simulation clock, and the registry's product type. The policies
// here are test policies defined in this file (the real ones have their own tests); every expected value
// is worked out by hand in the comment beside it.
#include <catch2/catch.hpp>

#include <algorithm>

#include <map>
#include <memory>
#include <type_traits>
#include <vector>

#include "ecs/service_scheduler.hpp"
#include "fargatelab/engine.hpp"
#include "fargatelab/random.hpp"
#include "fargatelab/scenario.hpp"
#include "network/subnet_pool.hpp"
#include "platforms/fargate/fargate_platform.hpp"
#include "scaling/ecs_service_target.hpp"
#include "scaling/metric_view.hpp"
#include "scaling/policy_combination.hpp"
#include "scaling/policy_evaluator.hpp"
#include "scaling/scaling_registry.hpp"
#include "serving/request.hpp"
#include "serving/service.hpp"

using namespace fargatelab;
using namespace fargatelab::detail;

namespace {

MetricKey cpu_key() { return {"AWS/ECS", "CPUUtilization", "ClusterName=default,ServiceName=api", Statistic::average, seconds(60)}; }

std::optional<int> desired_of(const std::optional<CombinedDecision>& d) { return d ? std::optional<int>(d->desired) : std::nullopt; }

// A policy that answers from a script: the recommendation for an evaluation at t seconds, or
// hold() for times not in the script. It records what it saw at every evaluation.
class ScriptedPolicy final : public ScalingPolicy {
 public:
  struct Seen {
    double t_s;
    TargetState target;
    std::vector<std::optional<double>> cpu;  // the last two CPU periods
  };
  explicit ScriptedPolicy(std::map<int, Recommendation> script, std::vector<Seen>* seen = nullptr)
      : script_(std::move(script)), seen_(seen) {}
  Recommendation evaluate(const MetricView& metrics, const TargetState& target) override {
    if (seen_) {
      const MetricSeries* s = metrics.find(cpu_key());
      seen_->push_back({target.now.to_seconds(), target, s ? s->last(2, target.now) : std::vector<std::optional<double>>{}});
    }
    const auto it = script_.find(static_cast<int>(target.now.to_seconds()));
    return it == script_.end() ? Recommendation::hold() : it->second;
  }

 private:
  std::map<int, Recommendation> script_;
  std::vector<Seen>* seen_;
};

Recommendation to(int n) { return Recommendation::to(n, "scripted " + std::to_string(n)); }

// One Fargate service "api" with 2 warm tasks and no load balancer (no deregistration delay),
// its scheduler following the platform's task transitions, as a replication wires them, and
// its desired count as a scalable target.
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
  std::vector<SubnetPool> subnets = make_subnet_pools(spec.network);
  FargatePlatform platform{sim, spec, streams, subnets};
  Service service{sim, pool, spec.services[0], 0, streams};
  ServiceScheduler scheduler{sim, platform, service, spec.services[0], 0, ecs_settings(spec)};
  EcsServiceTarget target;
  explicit EcsService(CapacityLimits limits) : target(scheduler, 0, "api", limits) {
    platform.state_changed.connect([this](Task& t, TaskState previous) { scheduler.on_state(t, previous); });
    target.follow(platform);
  }
};

// A simulation, an empty metric store, an integer target of `initial` within `limits`, and an
// evaluator for it every 60 s (not started).
struct Bench {
  Simulation sim;
  MetricStore metrics;
  IntegerTarget target;
  PolicyEvaluator ev{sim, target, metrics, seconds(60)};
  Bench(int initial, CapacityLimits limits) : target("service/default/api", "ecs:service:DesiredCount", initial, limits) {}
};

struct Activities {
  std::vector<ScalingActivity> log;
  void listen(PolicyEvaluator& e) {
    e.scaled.connect([this](const ScalingActivity& a) { log.push_back(a); });
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
  EcsService ecs({1, 6});
  Simulation& sim = ecs.sim;
  EcsServiceTarget& target = ecs.target;
  REQUIRE(target.resource_id() == "service/default/api");
  REQUIRE(target.scalable_dimension() == "ecs:service:DesiredCount");

  // The oracle: tasks of the service whose state is RUNNING, by enumeration.
  auto running = [&] {
    int n = 0;
    for (const Task& t : ecs.platform.tasks()) n += t.service == 0 && t.state == TaskState::running;
    return n;
  };
  ecs.scheduler.start();
  REQUIRE(target.desired_capacity() == 2);
  REQUIRE(target.current_capacity() == 2);  // warm: adopted RUNNING at t = 0

  REQUIRE(target.set_desired_capacity(9) == 6);  // max 6
  REQUIRE(ecs.scheduler.desired() == 6);
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

// ---- the evaluator ----------------------------------------------------------------------------

TEST_CASE("policy evaluator: policies are evaluated once per period, at k x period", "[scaling][evaluator]") {
  Bench b(4, {1, 10});
  std::vector<ScriptedPolicy::Seen> seen;
  b.ev.add("scripted", std::make_unique<ScriptedPolicy>(std::map<int, Recommendation>{}, &seen));
  b.ev.start();  // first evaluation one period from now: 60 s
  b.sim.run(seconds(299));
  // 60, 120, 180, 240; not 300 (after the end) and not 0.
  REQUIRE(b.ev.evaluations() == 4);
  std::vector<double> times;
  for (const auto& s : seen) times.push_back(s.t_s);
  REQUIRE(times == std::vector<double>{60, 120, 180, 240});
  b.sim.run(seconds(300));
  REQUIRE(b.ev.evaluations() == 5);
  b.ev.stop();
  b.sim.run(seconds(600));
  REQUIRE(b.ev.evaluations() == 5);  // stopped: no more evaluations
  REQUIRE(b.target.desired_capacity() == 4);  // hold every time: nothing changed
}

TEST_CASE("policy evaluator: decisions are combined, clamped to the limits and recorded", "[scaling][evaluator]") {
  Bench b(4, {1, 10});
  std::vector<ScriptedPolicy::Seen> seen_a;
  // Policy A and B's answers at each evaluation, and the desired capacity that must follow:
  //   60 s: A 6, B hold   -> out to 6 (any may scale out)                       A
  //  120 s: A 3, B hold   -> no change (B has not agreed to scale in)           -
  //  180 s: A 3, B 5      -> in to 5 (both agree; the larger)                   B
  //  240 s: A 12, B 8     -> out, 12 clamped to max 10                           A
  //  300 s: A 0, B 0      -> in, 0 clamped to min 1                              A (tie: first)
  //  360 s: A 0, B 0      -> already at min 1: no change, no activity            -
  b.ev.add("A", std::make_unique<ScriptedPolicy>(
                  std::map<int, Recommendation>{{60, to(6)}, {120, to(3)}, {180, to(3)}, {240, to(12)}, {300, to(0)}, {360, to(0)}},
                  &seen_a));
  b.ev.add("B", std::make_unique<ScriptedPolicy>(std::map<int, Recommendation>{{180, to(5)}, {240, to(8)}, {300, to(0)}, {360, to(0)}}));
  Activities acts;
  acts.listen(b.ev);
  b.ev.start();
  b.sim.run(seconds(360));

  REQUIRE(acts.log.size() == 4);
  struct Expected {
    double t;
    int from, to, requested;
    const char* policy;
  };
  const std::vector<Expected> expected = {{60, 4, 6, 6, "A"}, {180, 6, 5, 5, "B"}, {240, 5, 10, 12, "A"}, {300, 10, 1, 0, "A"}};
  for (std::size_t k = 0; k < expected.size(); ++k) {
    INFO("activity " << k);
    CHECK(acts.log[k].at.to_seconds() == expected[k].t);
    CHECK(acts.log[k].from == expected[k].from);
    CHECK(acts.log[k].to == expected[k].to);
    CHECK(acts.log[k].requested == expected[k].requested);
    CHECK(acts.log[k].policy == expected[k].policy);
  }
  REQUIRE(acts.log[0].cause == "scripted 6");
  REQUIRE(b.target.desired_capacity() == 1);

  // What policy A saw: the desired capacity before each evaluation, and the last activities.
  REQUIRE(seen_a.size() == 6);
  std::vector<int> desired_seen;
  for (const auto& s : seen_a) desired_seen.push_back(s.target.desired);
  REQUIRE(desired_seen == std::vector<int>{4, 6, 6, 5, 10, 1});
  REQUIRE_FALSE(seen_a[0].target.last_scale_out);
  REQUIRE(seen_a[1].target.last_scale_out->at == seconds(60));   // the scale-out at 60 s
  REQUIRE(seen_a[3].target.last_scale_out->at == seconds(60));   // at 240 s, before its own decision
  REQUIRE(seen_a[3].target.last_scale_in->to == 5);               // the scale-in at 180 s
  REQUIRE(seen_a[5].target.last_scale_out->to == 10);             // 240 s
  REQUIRE(seen_a[5].target.last_scale_in->at == seconds(300));
  REQUIRE(seen_a[5].target.limits.min == 1);
  REQUIRE(seen_a[5].target.limits.max == 10);
  REQUIRE(b.ev.last_scale_in()->to == 1);
}

TEST_CASE("policy evaluator: suspended scaling in or out stops that direction only", "[scaling][evaluator]") {
  Bench b(4, {0, 10});
  b.target.set_suspended({.dynamic_scaling_in = true});
  //  60 s: 2 -> scale-in suspended: stays 4;  120 s: 7 -> out to 7;
  // then scale-out suspended at 150 s and scale-in resumed:
  // 180 s: 9 -> stays 7;  240 s: 3 -> in to 3.
  b.ev.add("A", std::make_unique<ScriptedPolicy>(std::map<int, Recommendation>{{60, to(2)}, {120, to(7)}, {180, to(9)}, {240, to(3)}}));
  Activities acts;
  acts.listen(b.ev);
  b.ev.start();
  b.sim.run(seconds(150));
  REQUIRE(b.target.desired_capacity() == 7);
  REQUIRE(acts.log.size() == 1);
  b.target.set_suspended({.dynamic_scaling_out = true});
  b.sim.run(seconds(180));
  REQUIRE(b.target.desired_capacity() == 7);
  b.sim.run(seconds(240));
  REQUIRE(b.target.desired_capacity() == 3);
  REQUIRE(acts.log.size() == 2);
  REQUIRE(acts.log[1].at == seconds(240));
}

TEST_CASE("policy evaluator: a policy sees the datapoints published before its evaluation, gaps as missing",
          "[scaling][evaluator]") {
  // The pipeline's role played by a timer started first: at 60 s it publishes [0,60) = 30 %, at
  // 120 s nothing (no task reported), at 180 s [120,180) = 70 %. The evaluator, started after it,
  // sees at each k x 60 s the last two periods:
  //    60 s: [-60,0) missing, [0,60) 30        120 s: [0,60) 30, [60,120) missing
  //   180 s: [60,120) missing, [120,180) 70
  struct Publisher {
    MetricSeries* cpu;
    Simulation* sim;
    void fire() {
      const double t = sim->now().to_seconds();
      if (t == 60) cpu->publish({seconds(0), 30.0});
      if (t == 180) cpu->publish({seconds(120), 70.0});
    }
  };
  Bench b(2, {});
  Publisher pub{&b.metrics.series(cpu_key(), MetricUnit::percent), &b.sim};
  b.sim.every(seconds(60), bind<&Publisher::fire>(&pub), seconds(60), Priority::late);
  std::vector<ScriptedPolicy::Seen> seen;
  b.ev.add("observer", std::make_unique<ScriptedPolicy>(std::map<int, Recommendation>{}, &seen));
  b.ev.start();
  b.sim.run(seconds(180));
  using V = std::vector<std::optional<double>>;
  REQUIRE(seen.size() == 3);
  REQUIRE(seen[0].cpu == V{std::nullopt, 30.0});
  REQUIRE(seen[1].cpu == V{30.0, std::nullopt});
  REQUIRE(seen[2].cpu == V{std::nullopt, 70.0});
}

TEST_CASE("policy evaluator: an ECS service scaled by a policy launches the tasks", "[scaling][evaluator][ecs]") {
  // The whole path on a real service: a policy asks 2 -> 5 at 60 s; the scheduler launches 3
  // tasks, and by 5 min all 5 run.
  EcsService ecs({1, 10});
  Simulation& sim = ecs.sim;
  EcsServiceTarget& target = ecs.target;
  MetricStore metrics;
  PolicyEvaluator ev(sim, target, metrics, seconds(60));
  ev.add("A", std::make_unique<ScriptedPolicy>(std::map<int, Recommendation>{{60, to(5)}}));
  ecs.scheduler.start();
  ev.start();
  sim.run(seconds(59));
  REQUIRE(ecs.scheduler.desired() == 2);
  sim.run(seconds(60));
  REQUIRE(ecs.scheduler.desired() == 5);
  REQUIRE(target.current_capacity() == 2);
  sim.run(minutes(5));
  REQUIRE(target.current_capacity() == 5);
  REQUIRE(ev.last_scale_out()->from == 2);
}

// ---- the registry -----------------------------------------------------------------------------

TEST_CASE("scaling registry: an entry's factory checks parameters and instantiates a policy per target",
          "[scaling][registry]") {
  static_assert(std::is_same_v<decltype(scaling_registry()), const Registry<ScalingPolicySpec>&>);
  // A registry of the same type as scaling_registry(), with a test entry: fixed(capacity).
  Registry<ScalingPolicySpec> r("scaling policy");
  ParamSpec capacity;
  capacity.name = "capacity";
  capacity.type = ParamType::integer;
  capacity.required = true;
  capacity.min = 0;
  capacity.doc = "desired capacity, tasks";
  r.add({"fixed", "Always asks for the same capacity.", {capacity}},
        [](const Params& p, Problems&) -> std::optional<ScalingPolicySpec> {
          const int n = static_cast<int>(p.integer("capacity"));
          return ScalingPolicySpec{[n](const PolicyContext& ctx) -> std::unique_ptr<ScalingPolicy> {
            return std::make_unique<ScriptedPolicy>(
                std::map<int, Recommendation>{{60, Recommendation::to(n, "fixed for " + ctx.service)}});
          }};
        });
  std::vector<Diagnostic> errors;
  REQUIRE_FALSE(r.build(parse_model_call("fixed(capacity=-1)"), "/services/0/scaling/0", errors));
  REQUIRE(errors.size() == 1);
  REQUIRE(errors[0].pointer == "/services/0/scaling/0");
  const ScalingPolicySpec spec = r.build(parse_model_call("fixed(capacity=3)"));
  // Two targets, two independent instances.
  auto p1 = spec.instantiate({"api", 0});
  auto p2 = spec.instantiate({"worker", 1});
  REQUIRE(p1.get() != p2.get());
  MetricStore metrics;
  TargetState at60;
  at60.now = seconds(60);
  const Recommendation rec = p2->evaluate(metrics, at60);
  REQUIRE(rec.desired == 3);
  REQUIRE(rec.cause == "fixed for worker");
}

TEST_CASE("scaling registry: every policy is registered and validates in a scenario; an unknown one is told the nearest",
          "[scaling][registry]") {
  std::vector<std::string> names;
  for (const auto& info : scaling_registry().list()) names.push_back(info.name);
  std::sort(names.begin(), names.end());
  REQUIRE(names == std::vector<std::string>{"hpa", "keda_sqs", "predictive", "step", "target_tracking"});
  auto scenario = [](const nlohmann::json& policy) {
    return nlohmann::json{{"schema_version", 1},
                          {"services", {{{"name", "api"}, {"scaling", {policy}}}}},
                          {"workloads", {{{"name", "w"}, {"target", "api"}, {"arrival", "poisson(rate=1)"}}}}};
  };
  REQUIRE_NOTHROW(Scenario::from_json(scenario("target_tracking(metric=cpu, target=60)")));
  REQUIRE_NOTHROW(Scenario::from_json(scenario("hpa(metric=cpu, target=60)")));
  REQUIRE_NOTHROW(Scenario::from_json(scenario("predictive(metric=cpu, target=50, mode=forecast_and_scale)")));
  try {
    Scenario::from_json(scenario("target_traking(metric=cpu, target=60)"));
    FAIL("a scenario with an unknown scaling policy was accepted");
  } catch (const ScenarioError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    REQUIRE(e.diagnostics()[0].pointer == "/services/0/scaling/0");
    REQUIRE(e.diagnostics()[0].message == "unknown scaling policy \"target_traking\" (did you mean \"target_tracking\"?)");
  }
}
