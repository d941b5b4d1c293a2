// Kubernetes HPA and the KEDA-style SQS scaler: HPA's formula and 10 % tolerance, its default
// rate limits, the 5-minute scale-down stabilisation window on a timeline, missing metrics;
// KEDA's ceil(messages / queueLength), 0 -> 1 activation and scale to zero after the cooldown;
// the registry's entries. Expected values are worked out by hand beside each assertion.
#include <catch2/catch.hpp>

#include <vector>

#include "fargatelab/engine.hpp"
#include "scaling/hpa_policy.hpp"
#include "scaling/keda_policy.hpp"
#include "scaling/metric_keys.hpp"
#include "scaling/policy_evaluator.hpp"
#include "scaling/scaling_registry.hpp"

using namespace fargatelab;
using namespace fargatelab::detail;

namespace {

MetricKey cpu() { return metric_keys::ecs_service("CPUUtilization", "api"); }

TargetState state_at(SimTime now, int desired, int current) {
  TargetState s;
  s.now = now;
  s.desired = desired;
  s.current = current;
  s.limits = {0, 100};
  return s;
}

HpaSettings hpa_cpu(double target) {
  HpaSettings s;
  s.metric = HpaMetric::cpu;
  s.target = target;
  return s;
}

// A fresh HPA's answer for one CPU datapoint on `current` running tasks (desired 4).
Recommendation hpa_once(double cpu_pct, int current, double target = 60) {
  MetricStore store;
  store.series(cpu(), MetricUnit::percent).publish({seconds(0), cpu_pct});
  HpaPolicy hpa(hpa_cpu(target), "api");
  return hpa.evaluate(store, state_at(seconds(60), 4, current));
}

KedaSqsSettings keda_30s() {
  KedaSqsSettings s;
  s.metric_period = seconds(30);
  return s;
}

}  // namespace

TEST_CASE("hpa: desired = ceil(current x metric / target), no change within the 10 % tolerance", "[scaling][hpa]") {
  // 66 vs 60: ratio 1.1, |1.1 - 1| <= 0.1: no change.
  REQUIRE_FALSE(hpa_once(66, 4).desired);
  // 54 vs 60: ratio 0.9: no change either (the band includes both edges).
  REQUIRE_FALSE(hpa_once(54, 4).desired);
  // 90 vs 60: ratio 1.5 -> ceil(4 x 1.5) = 6.
  const Recommendation up = hpa_once(90, 4);
  REQUIRE(up.desired == 6);
  REQUIRE(up.cause == "New size: 6; reason: cpu resource utilization (percentage of request) above target");
  // 67 vs 60: ratio 1.1167 -> ceil(4 x 1.1167) = ceil(4.47) = 5.
  REQUIRE(hpa_once(67, 4).desired == 5);
  // HPA multiplies by the running tasks, not the desired count: 3 running of 4 desired at 90 %
  // -> ceil(3 x 1.5) = ceil(4.5) = 5.
  REQUIRE(hpa_once(90, 3).desired == 5);
}

TEST_CASE("hpa: the default scale-up limit is the larger of +100 % and +4 pods per 15 s", "[scaling][hpa]") {
  MetricStore store;
  store.series(cpu(), MetricUnit::percent).publish({seconds(0), 600});
  HpaPolicy hpa(hpa_cpu(60), "api");
  // 600 vs 60: ratio 10 -> ceil(2 x 10) = 20; limit max(2 x 2, 2 + 4) = 6.
  REQUIRE(hpa.evaluate(store, state_at(seconds(60), 2, 2)).desired == 6);
  // From 10 tasks: ceil(10 x 10) = 100; limit max(20, 14) = 20.
  HpaPolicy big(hpa_cpu(60), "api");
  REQUIRE(big.evaluate(store, state_at(seconds(60), 10, 10)).desired == 20);
}

TEST_CASE("hpa: a missing or stale metric, or no running task, means no scaling", "[scaling][hpa]") {
  MetricStore store;
  HpaPolicy hpa(hpa_cpu(60), "api");
  // No series at all.
  Recommendation r = hpa.evaluate(store, state_at(seconds(60), 4, 4));
  REQUIRE_FALSE(r.desired);
  REQUIRE(r.votes_on_scale_in);  // hold(): it never lets others scale in on missing data
  // A datapoint older than 3 periods (at 0 s, read at 300 s) is stale.
  store.series(cpu(), MetricUnit::percent).publish({seconds(0), 10});
  HpaPolicy late(hpa_cpu(60), "api");
  REQUIRE_FALSE(late.evaluate(store, state_at(seconds(300), 4, 4)).desired);
  HpaPolicy none_running(hpa_cpu(60), "api");
  REQUIRE_FALSE(none_running.evaluate(store, state_at(seconds(60), 4, 0)).desired);
}

TEST_CASE("hpa: scale-down waits for the 5-minute stabilisation window's highest recommendation", "[scaling][hpa]") {
  Simulation sim;
  MetricStore store;
  MetricSeries& series = store.series(cpu(), MetricUnit::percent);
  IntegerTarget target("service/default/api", "ecs:service:DesiredCount", 4, {1, 20});
  PolicyEvaluator ev(sim, target, store, seconds(60));
  ev.add("hpa", std::make_unique<HpaPolicy>(hpa_cpu(60), "api"));
  std::vector<ScalingActivity> log;
  ev.scaled.connect([&](const ScalingActivity& a) {
    log.push_back(a);
    target.set_current(a.to);  // tasks start at once here
  });
  // CPU 90 % in the first minute, then 30 %; each minute's datapoint published at its end.
  struct Publisher {
    MetricSeries* s;
    Simulation* sim;
    void run() {
      const SimTime start = sim->now() - seconds(60);
      s->publish({start, start < seconds(60) ? 90.0 : 30.0});
    }
  } pub{&series, &sim};
  sim.every(seconds(60), bind<&Publisher::run>(&pub), seconds(60));
  ev.start(seconds(60));
  sim.run(seconds(700));
  // t = 60: 90 % on 4 -> ceil(4 x 1.5) = 6 (limit max(8, 8) = 8).
  // t = 120..300: 30 % on 6 -> proposal ceil(6 x 0.5) = 3, but the window (now - 300, now]
  //   still holds the 6 proposed at 60 s: stays 6.
  // t = 360: the window (60, 360] holds only 3s: 6 -> 3 (the scale-down limit, 100 %, is 0).
  // t = 420..600: 30 % on 3 -> ceil(1.5) = 2, held by the 3s proposed up to 360 s.
  // t = 660: the window (360, 660] holds only 2s: 3 -> 2.
  REQUIRE(log.size() == 3);
  REQUIRE(log[0].at == seconds(60));
  REQUIRE(log[0].from == 4);
  REQUIRE(log[0].to == 6);
  REQUIRE(log[1].at == seconds(360));
  REQUIRE(log[1].from == 6);
  REQUIRE(log[1].to == 3);
  REQUIRE(log[1].cause == "New size: 3; reason: cpu resource utilization (percentage of request) below target");
  REQUIRE(log[2].at == seconds(660));
  REQUIRE(log[2].to == 2);
}

TEST_CASE("hpa: between syncs the policy abstains; a datapoint is used once", "[scaling][hpa]") {
  MetricStore store;
  MetricSeries& s = store.series(cpu(), MetricUnit::percent);
  s.publish({seconds(0), 90});
  HpaPolicy hpa(hpa_cpu(60), "api");
  REQUIRE(hpa.evaluate(store, state_at(seconds(60), 4, 4)).desired == 6);
  // 10 s later: inside the 15 s sync period, no answer and no vote.
  const Recommendation between = hpa.evaluate(store, state_at(seconds(70), 6, 6));
  REQUIRE_FALSE(between.desired);
  REQUIRE_FALSE(between.votes_on_scale_in);
  // At 75 s, the same datapoint again with 6 running: the proposal stays 6 (not ceil(6 x 1.5) = 9).
  REQUIRE_FALSE(hpa.evaluate(store, state_at(seconds(75), 6, 6)).desired);
}

TEST_CASE("keda: desired = ceil(messages / queueLength) through the HPA, never below 1", "[scaling][keda]") {
  MetricStore store;
  MetricSeries& q = store.series(metric_keys::sqs("ApproximateNumberOfMessagesVisible", "api", Statistic::average, seconds(30)),
                                 MetricUnit::count);
  q.publish({seconds(0), 23});
  KedaSqsPolicy keda(keda_30s(), "api");
  // 23 messages / 5 per task: ratio 23 / (5 x 2) = 2.3 -> ceil(4.6) = 5; limit max(4, 6) = 6.
  REQUIRE(keda.evaluate(store, state_at(seconds(30), 2, 2)).desired == 5);
  // 2 messages on 5 tasks: ceil(0.4) = 1 proposed, held for the 300 s window by the 5.
  q.publish({seconds(30), 2});
  REQUIRE_FALSE(keda.evaluate(store, state_at(seconds(60), 5, 5)).desired);
}

TEST_CASE("keda: activation from zero, and scale to zero after cooldownPeriod without messages", "[scaling][keda]") {
  MetricStore store;
  MetricSeries& q = store.series(metric_keys::sqs("ApproximateNumberOfMessagesVisible", "api", Statistic::average, seconds(30)),
                                 MetricUnit::count);
  KedaSqsPolicy keda(keda_30s(), "api");
  // At 0 tasks and 0 messages: inactive (0 is not > activationQueueLength 0): stays at 0.
  q.publish({seconds(0), 0});
  REQUIRE_FALSE(keda.evaluate(store, state_at(seconds(30), 0, 0)).desired);
  // 10 messages at 0 tasks: active, KEDA scales 0 -> 1.
  q.publish({seconds(30), 10});
  REQUIRE(keda.evaluate(store, state_at(seconds(60), 0, 0)).desired == 1);
  // At 1 task the HPA takes over: ratio 10 / 5 = 2 -> ceil(10 / 5) = 2.
  q.publish({seconds(60), 10});
  REQUIRE(keda.evaluate(store, state_at(seconds(90), 1, 1)).desired == 2);
  // The queue empties; last active at 90 s. Until 90 + 300 = 390 s the HPA holds 2 (its window
  // still has the 2 proposed at 90 s, up to 390 s exclusive); at 390 s KEDA scales to 0.
  for (int t = 120; t < 390; t += 30) {
    q.publish({seconds(t - 30), 0});
    INFO("t = " << t);
    REQUIRE_FALSE(keda.evaluate(store, state_at(seconds(t), 2, 2)).desired);
  }
  q.publish({seconds(360), 0});
  const Recommendation zero = keda.evaluate(store, state_at(seconds(390), 2, 2));
  REQUIRE(zero.desired == 0);
  REQUIRE(zero.cause == "KEDA: scaler inactive for cooldownPeriod 300 s, scaling to minReplicaCount 0");
}

TEST_CASE("registry: hpa and keda_sqs check their parameters and ask for their own periods", "[scaling][hpa][keda][registry]") {
  std::vector<Diagnostic> out;
  const auto hpa = scaling_registry().build(parse_model_call("hpa(metric=cpu, target=60)"), "/s", out);
  REQUIRE(out.empty());
  REQUIRE(hpa);
  REQUIRE(hpa->evaluation_period == seconds(15));  // the HPA sync period
  REQUIRE(hpa->instantiate({"api", 0}));
  const auto keda = scaling_registry().build(parse_model_call("keda_sqs(queue_length=10)"), "/s", out);
  REQUIRE(out.empty());
  REQUIRE(keda->evaluation_period == seconds(30));  // KEDA's pollingInterval
  REQUIRE_FALSE(scaling_registry().build(parse_model_call("hpa(metric=gpu, target=60)"), "/services/0/scaling/0", out));
  REQUIRE(out.size() == 1);
  REQUIRE(out[0].pointer == "/services/0/scaling/0");
  REQUIRE(out[0].message == "hpa: metric: expected cpu, memory or alb_requests_per_target, got \"gpu\"");
}
