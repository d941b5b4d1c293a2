// AWS's own JSON in: the put-scaling-policy examples of the AWS CLI reference (Examples 1 to 3,
// application-autoscaling put-scaling-policy, as --cli-input-json documents), the AAS guide's
// metric math backlog example, a step policy with its put-metric-alarm alarm, and bad fields
// reported all at once at their JSON pointers.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "scaling/metric_keys.hpp"
#include "scaling/policy_input.hpp"
#include "scaling/step_policy.hpp"
#include "scaling/target_tracking_policy.hpp"

using namespace fargatelab;
using namespace fargatelab::detail;
using nlohmann::json;

namespace {

json put_scaling_policy(const std::string& name, const json& config) {
  return {{"PolicyName", name},
          {"ServiceNamespace", "ecs"},
          {"ResourceId", "service/default/web-app"},
          {"ScalableDimension", "ecs:service:DesiredCount"},
          {"PolicyType", "TargetTrackingScaling"},
          {"TargetTrackingScalingPolicyConfiguration", config}};
}

PolicyInputContext web_app() { return {"web-app", "ecs", {}}; }

std::unique_ptr<ScalingPolicy> build(const json& doc, const PolicyInputContext& ctx = web_app()) {
  std::vector<Diagnostic> errors;
  auto spec = build_scaling_policy(doc, "/services/0/scaling/0", ctx, errors);
  INFO((errors.empty() ? std::string() : errors[0].to_string()));
  REQUIRE(errors.empty());
  REQUIRE(spec);
  return spec->instantiate({ctx.service, 0, ctx.service_namespace});
}

std::vector<std::string> problems(const json& doc, const PolicyInputContext& ctx = web_app()) {
  std::vector<Diagnostic> errors;
  CHECK_FALSE(build_scaling_policy(doc, "/services/0/scaling/0", ctx, errors));
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.to_string());
  return out;
}

}  // namespace

TEST_CASE("AWS JSON: put-scaling-policy Example 1, predefined ECSServiceAverageCPUUtilization", "[scaling][input]") {
  const json doc = put_scaling_policy("cpu75-target-tracking-scaling-policy",
                                      json::parse(R"J({"TargetValue": 75.0,
                                                      "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"},
                                                      "ScaleOutCooldown": 60, "ScaleInCooldown": 60})J"));
  auto p = build(doc);
  const auto& tt = dynamic_cast<const TargetTrackingPolicy&>(*p);
  CHECK(tt.scale_out_cooldown() == seconds(60));
  CHECK(tt.scale_in_cooldown() == seconds(60));
  CHECK(tt.alarm_high().name() == "TargetTracking-service/default/web-app-AlarmHigh-cpu75-target-tracking-scaling-policy");
  CHECK(tt.alarm_high().spec().threshold == 75.0);
  CHECK(tt.alarm_low()->spec().threshold == Approx(67.5));  // 0.9 x 75
  CHECK(tt.alarm_high().spec().metric.queries()[0].key == metric_keys::ecs_service("CPUUtilization", "web-app"));
}

TEST_CASE("AWS JSON: Example 2, a customized metric; Example 3, ALBRequestCountPerTarget with DisableScaleIn", "[scaling][input]") {
  auto p2 = build(put_scaling_policy("cms75-target-tracking-scaling-policy", json::parse(R"J({
      "TargetValue": 75.0,
      "CustomizedMetricSpecification": {"MetricName": "MyUtilizationMetric", "Namespace": "MyNamespace",
        "Dimensions": [{"Name": "MyOptionalMetricDimensionName", "Value": "MyOptionalMetricDimensionValue"}],
        "Statistic": "Average", "Unit": "Percent"},
      "ScaleOutCooldown": 60, "ScaleInCooldown": 60})J")));
  const MetricKey custom = dynamic_cast<const TargetTrackingPolicy&>(*p2).alarm_high().spec().metric.queries()[0].key;
  CHECK(custom == MetricKey{"MyNamespace", "MyUtilizationMetric", "MyOptionalMetricDimensionName=MyOptionalMetricDimensionValue",
                            Statistic::average, seconds(60)});
  auto p3 = build(put_scaling_policy("alb-scale-out-target-tracking-scaling-policy", json::parse(R"J({
      "TargetValue": 1000.0,
      "PredefinedMetricSpecification": {"PredefinedMetricType": "ALBRequestCountPerTarget",
        "ResourceLabel": "app/EC2Co-EcsEl-1TKLTMITMM0EO/f37c06a68c1748aa/targetgroup/EC2Co-Defau-LDNM7Q3ZH1ZN/6d4ea56ca2d6a18d"},
      "ScaleOutCooldown": 60, "ScaleInCooldown": 60, "DisableScaleIn": true})J")));
  const auto& alb = dynamic_cast<const TargetTrackingPolicy&>(*p3);
  CHECK(alb.alarm_low() == nullptr);  // AWS creates only AlarmHigh for a scale-out-only policy
  CHECK(alb.alarm_high().spec().metric.queries()[0].key == metric_keys::alb_request_count_per_target("web-app"));
}

TEST_CASE("AWS JSON: metric math backlog per task (AAS guide target-tracking-metric-math)", "[scaling][input]") {
  auto p = build(put_scaling_policy("sqs-backlog-target-tracking-scaling-policy", json::parse(R"J({
      "TargetValue": 100,
      "CustomizedMetricSpecification": {"Metrics": [
        {"Label": "Get the queue size (the number of messages waiting to be processed)", "Id": "m1",
         "MetricStat": {"Metric": {"MetricName": "ApproximateNumberOfMessagesVisible", "Namespace": "AWS/SQS",
                                   "Dimensions": [{"Name": "QueueName", "Value": "web-app"}]}, "Stat": "Average"},
         "ReturnData": false},
        {"Label": "Get the ECS running task count (the number of currently running tasks)", "Id": "m2",
         "MetricStat": {"Metric": {"MetricName": "RunningTaskCount", "Namespace": "ECS/ContainerInsights",
                                   "Dimensions": [{"Name": "ServiceName", "Value": "web-app"}, {"Name": "ClusterName", "Value": "default"}]},
                        "Stat": "Average"},
         "ReturnData": false},
        {"Label": "Calculate the backlog per instance", "Id": "e1", "Expression": "m1 / m2", "ReturnData": true}]}})J")));
  const MetricSource& m = dynamic_cast<const TargetTrackingPolicy&>(*p).alarm_high().spec().metric;
  REQUIRE(m.is_math());
  CHECK(m.expression()->text() == "m1 / m2");
  // Dimensions sorted by name: the pipeline's keys.
  CHECK(m.queries()[0].key == metric_keys::sqs("ApproximateNumberOfMessagesVisible", "web-app"));
  CHECK(m.queries()[1].key == metric_keys::running_task_count("web-app"));
}

TEST_CASE("AWS JSON: a step policy and the put-metric-alarm alarm whose AlarmActions name it", "[scaling][input]") {
  std::vector<Diagnostic> errors;
  const auto alarm = build_alarm(json::parse(R"J({
      "AlarmName": "web-app-cpu-gt-75", "AlarmDescription": "scale out",
      "MetricName": "CPUUtilization", "Namespace": "AWS/ECS", "Statistic": "Average", "Period": 60,
      "EvaluationPeriods": 2, "DatapointsToAlarm": 2, "Threshold": 75, "ComparisonOperator": "GreaterThanThreshold",
      "Dimensions": [{"Name": "ClusterName", "Value": "default"}, {"Name": "ServiceName", "Value": "web-app"}],
      "AlarmActions": ["arn:aws:autoscaling:us-west-2:012345678910:scalingPolicy:ac542982-cbeb-4294-891c-a5a941dfa787:resource/ecs/service/default/web-app:policyName/web-app-cpu-gt-75"]})J"),
                                 "/alarms/0", errors);
  REQUIRE(errors.empty());
  REQUIRE(alarm);
  CHECK(alarm->metric.queries()[0].key == metric_keys::ecs_service("CPUUtilization", "web-app"));
  PolicyInputContext ctx = web_app();
  ctx.alarms.emplace(alarm->name, alarm);
  const json step = json::parse(R"J({
      "PolicyName": "web-app-cpu-gt-75", "ServiceNamespace": "ecs", "ResourceId": "service/default/web-app",
      "ScalableDimension": "ecs:service:DesiredCount", "PolicyType": "StepScaling",
      "StepScalingPolicyConfiguration": {"AdjustmentType": "PercentChangeInCapacity",
        "StepAdjustments": [{"MetricIntervalLowerBound": 0.0, "ScalingAdjustment": 200}], "Cooldown": 60}})J");
  auto p = build(step, ctx);
  const auto& s = dynamic_cast<const StepScalingPolicy&>(*p);
  CHECK(s.cooldown() == seconds(60));
  CHECK(s.alarm().spec().evaluation_periods == 2);
  // 80 % for two periods on 3 tasks: +200 % of 3 = 6 -> 9.
  MetricStore store;
  MetricSeries& cpu = store.series(metric_keys::ecs_service("CPUUtilization", "web-app"), MetricUnit::percent);
  cpu.publish({seconds(0), 80});
  cpu.publish({seconds(60), 80});
  TargetState st;
  st.now = seconds(120);
  st.desired = 3;
  CHECK(p->evaluate(store, st).desired == 9);

  // Without the alarm, the policy is told how to name it.
  const auto missing = problems(step);
  REQUIRE(missing.size() == 1);
  CHECK_THAT(missing[0], Catch::StartsWith("/services/0/scaling/0: no alarm triggers step policy \"web-app-cpu-gt-75\""));
}

TEST_CASE("AWS JSON: every bad field at once, at its pointer, with what was expected", "[scaling][input]") {
  const json doc = json::parse(R"J({
      "PolicyName": "p", "ServiceNamespace": "ecs", "ResourceId": "service/prod/web-app",
      "ScalableDimension": "ecs:service:DesiredCount", "PolicyType": "TargetTrackingScaling",
      "TargetTrackingScalingPolicyConfiguration": {"TargetValue": -5,
        "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilisation"},
        "ScaleOutCooldown": "60", "DisableScaleIn": true, "ScaleInCoolDown": 30}})J");
  CHECK(problems(doc) ==
        std::vector<std::string>{
            "/services/0/scaling/0/ResourceId: \"service/prod/web-app\" is not this service: use "
            "\"service/default/web-app\" (the simulator's cluster is \"default\")",
            "/services/0/scaling/0/TargetTrackingScalingPolicyConfiguration/TargetValue: TargetValue must be > 0, got -5",
            "/services/0/scaling/0/TargetTrackingScalingPolicyConfiguration/ScaleOutCooldown: expected an integer, got a string",
            "/services/0/scaling/0/TargetTrackingScalingPolicyConfiguration/PredefinedMetricSpecification/PredefinedMetricType: "
            "\"ECSServiceAverageCPUUtilisation\" is not one of ECSServiceAverageCPUUtilization, ECSServiceAverageMemoryUtilization, "
            "ECSServiceAverageCPUUtilizationHighResolution, ECSServiceAverageMemoryUtilizationHighResolution, "
            "ALBRequestCountPerTarget, LambdaProvisionedConcurrencyUtilization (did you mean \"ECSServiceAverageCPUUtilization\"?)",
            "/services/0/scaling/0/TargetTrackingScalingPolicyConfiguration/ScaleInCoolDown: "
            "TargetTrackingScalingPolicyConfiguration has no field \"ScaleInCoolDown\" (did you mean \"ScaleInCooldown\"?)"});
  json fixed = doc;
  fixed["ResourceId"] = "service/default/web-app";
  // Lambda: no step scaling; a namespace the service does not have.
  json step = fixed;
  step["PolicyType"] = "StepScaling";
  const auto lambda = problems(step, {"web-app", "lambda", {}});
  CHECK(std::find(lambda.begin(), lambda.end(),
                  "/services/0/scaling/0/PolicyType: step scaling policies are not supported for Lambda (AAS user guide): use "
                  "TargetTrackingScaling") != lambda.end());
  // A short-form string goes to the registry.
  CHECK(problems(json("target_tracking(metric=cpu)")) ==
        std::vector<std::string>{"/services/0/scaling/0: target_tracking: missing parameter \"target\" (TargetValue, in the metric's unit (percent for cpu))"});
}
