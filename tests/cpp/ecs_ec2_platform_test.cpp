// ECS on EC2 end to end: container instances from Auto Scaling groups, tasks placed on them,
// managed scaling on CapacityProviderReservation, daemons, Spot interruptions. Expected values
// by hand arithmetic (each test says how) and, for Spot, against the Spot Instance Advisor band.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <map>

#include "fargatelab/run.hpp"
#include "platforms/ecs_ec2/instance_types.hpp"
#include "platforms/ecs_ec2/ec2_spec.hpp"
#include "platforms/ecs_ec2/managed_scaling.hpp"
#include "platforms/platform.hpp"

using namespace fargatelab;
using namespace fargatelab::detail;
using nlohmann::json;

namespace {

// Every launch phase a constant, so times can be added up by hand: ENI attach 2 s, ACTIVATING
// 1 s, application exit 0 s, instance launch 30 s; no load balancer (no draining).
json ec2_scenario(json provider, json service, double duration) {
  service["platform"] = "ecs_ec2";
  service["load_balancer"] = "none";
  if (!service.contains("task")) service["task"] = {{"cpu", 1024}, {"memory", 2048}};
  service["task"]["shutdown_time"] = "constant(value=0)";
  service["task"]["init_cpu_seconds"] = "constant(value=0)";
  return {{"schema_version", 1},
          {"duration", duration},
          {"services", {service}},
          // The format asks for a workload; this one sends (almost surely) nothing.
          {"workloads", {{{"name", "idle"}, {"target", service["name"]}, {"arrival", "poisson(rate=1e-12)"}}}},
          {"fargate", {{"eni_attach", "constant(value=2)"}, {"activating", "constant(value=1)"}, {"eni_detach", "constant(value=1)"}}},
          {"ec2", {{"capacity_providers", {provider}}, {"instance_launch", "constant(value=30)"}, {"cached_pull", "constant(value=1)"}}},
          {"output", {{"event_log", false}}}};
}

json provider_summary(const RunResult& r, const std::string& name = "cp") {
  return summary_json(r).at("per_replication").at(0).at("ec2").at("capacity_providers").at(name);
}

double phase(const TaskRecord& t, const RunResult& r, const std::string& name) {
  for (std::size_t i = 0; i < r.task_phase_columns.size(); ++i)
    if (r.task_phase_columns[i] == name + "_s") return t.phase_seconds[i];
  return NAN;
}

}  // namespace

TEST_CASE("ecs ec2: managed scaling: CapacityProviderReservation follows the ECS formula", "[ecs_ec2]") {
  // M / N * 100; N = 0 -> 200 with tasks to place, 100 without (Deep Dive on ECS cluster auto scaling).
  CHECK(capacity_provider_reservation(4, 6) == Approx(150));
  CHECK(capacity_provider_reservation(4, 2) == Approx(50));
  CHECK(capacity_provider_reservation(0, 3) == Approx(200));
  CHECK(capacity_provider_reservation(0, 0) == Approx(100));
  // Lower bound for 4 tasks of 1 vCPU / 2 GiB awsvpc on m5.large (2 vCPU, 8 GiB, 2 awsvpc tasks
  // without trunking): CPU 4096 / 2048 = 2, memory 8192 / 8192 = 1, ENIs 4 / 2 = 2 -> 2.
  std::vector<PlacementRequest> four(4, PlacementRequest{0, 1024, 2048, NetworkMode::awsvpc});
  const InstanceType& m5 = *find_instance_type("m5.large");
  CHECK(instances_lower_bound(m5, 0, false, four) == 2);
  // With trunking (10 tasks) the ENIs no longer bind: still CPU, 2.
  CHECK(instances_lower_bound(m5, 0, true, four) == 2);
  // 10 tasks of 0.25 vCPU / 512 MiB: CPU 2560 / 2048 -> 2, memory 5120 / 8192 -> 1, ENIs 10 / 2 -> 5.
  std::vector<PlacementRequest> ten(10, PlacementRequest{0, 256, 512, NetworkMode::awsvpc});
  CHECK(instances_lower_bound(m5, 0, false, ten) == 5);
  // M: running + clamp(lower bound, min step, max step) with tasks waiting, else instances with tasks.
  CHECK(instances_needed(3, 3, 2, true, 1, 10000) == 5);
  CHECK(instances_needed(3, 3, 2, true, 4, 10000) == 7);  // minimumScalingStepSize 4
  CHECK(instances_needed(3, 3, 20, true, 1, 5) == 8);     // maximumScalingStepSize 5
  CHECK(instances_needed(4, 2, 0, false, 1, 10000) == 2);
  // ceil(M * 100 / target): 5 needed at 80 % -> 7 (6.25 rounded up).
  CHECK(target_instances(5, 80) == 7);
  CHECK(target_instances(5, 100) == 5);
}

TEST_CASE("ecs ec2: tasks with no room wait in PROVISIONING until managed scaling adds instances", "[ecs_ec2]") {
  // m5.large holds 2 tasks of 1 vCPU (CPU and, without trunking, 2 ENIs). 2 warm tasks -> auto
  // desired capacity 1. At 10 s the service wants 6: 4 tasks wait. At the first metric period
  // (60 s): N = 1, lower bound 2 (previous test) -> M = 3, CPR = 300 > 100 -> the group goes to
  // ceil(3 * 100 / 100) = 3; the 2 instances register at 60 + 30 = 90 s and the 4 tasks are placed
  // then. Provisioning phase: 10 -> 90 s waiting + 2 s ENI attach = 82 s.
  json provider = {{"name", "cp"}, {"instance_type", "m5.large"}};
  json service = {{"name", "api"}, {"desired_count", 2}, {"schedule", {{{"at", "10s"}, {"desired_count", 6}}}}};
  const RunResult r = run(Scenario::from_json(ec2_scenario(provider, service, 200)));
  const json& cp = provider_summary(r);
  CHECK(cp.at("instances_at_start") == 1);
  CHECK(cp.at("instances_at_end") == 3);
  CHECK(cp.at("instances_launched") == 2);
  CHECK(cp.at("scale_outs") == 1);
  CHECK(cp.at("tasks_waiting_at_end") == 0);
  // Instance time: 1 x 200 s + 2 x (200 - 60) s = 480 s (billed from launch, not registration).
  CHECK(cp.at("instance_hours").get<double>() == Approx(480.0 / 3600));
  int late = 0;
  for (const TaskRecord& t : r.tasks) {
    if (t.created_s != 10.0) continue;
    ++late;
    CHECK(phase(t, r, "provisioning") == Approx(82.0));
    CHECK(t.last_state == "RUNNING");
  }
  CHECK(late == 4);
}

TEST_CASE("ecs ec2: target capacity below 100 keeps spare instances", "[ecs_ec2]") {
  // 2 warm tasks on 1 m5.large, target 50: at 60 s N = 1, M = 1 (instances with tasks), CPR 100 >
  // 50 -> ceil(1 * 100 / 50) = 2 instances, an empty one kept as headroom. At 120 s N = 2, M = 1 ->
  // CPR 50 = target: no action.
  json provider = {{"name", "cp"}, {"instance_type", "m5.large"}, {"managed_scaling", {{"target_capacity", 50}}}};
  const RunResult r = run(Scenario::from_json(ec2_scenario(provider, {{"name", "api"}, {"desired_count", 2}}, 300)));
  CHECK(provider_summary(r).at("instances_at_end") == 2);
  CHECK(provider_summary(r).at("scale_outs") == 1);
  CHECK(provider_summary(r).at("capacity_provider_reservation_last").get<double>() == Approx(50));
}

TEST_CASE("ecs ec2: binpack frees instances that managed scaling then removes, spread keeps them busy", "[ecs_ec2]") {
  // 8 tasks of 0.5 vCPU / 1 GiB in bridge mode on 4 m5.large (2048 units, 8192 MiB each): an
  // instance holds min(2048 / 512, 8192 / 1024) = 4. binpack(memory) fills instance 1, then 2:
  // 2 instances with tasks; spread(instanceId) puts 2 on each of the 4.
  // Managed scaling (target 100): binpack -> N = 4, M = 2, CPR 50 from the first period (60 s);
  // the 15th low period is at 900 s -> 2 empty instances terminated; hours 2 x 1200 + 2 x 900 s.
  // Spread: M = N = 4, CPR 100, nothing to do.
  json provider = {{"name", "cp"}, {"instance_type", "m5.large"}, {"desired_capacity", 4}};
  json task = {{"cpu", 512}, {"memory", 1024}};
  auto service = [&](json strategy) {
    return json{{"name", "api"}, {"desired_count", 8}, {"task", task},
                {"ec2", {{"network_mode", "bridge"}, {"placement_strategy", strategy}}}};
  };
  const RunResult binpack =
      run(Scenario::from_json(ec2_scenario(provider, service({{{"type", "binpack"}, {"field", "memory"}}}), 1200)));
  const RunResult spread =
      run(Scenario::from_json(ec2_scenario(provider, service({{{"type", "spread"}, {"field", "instanceId"}}}), 1200)));
  CHECK(provider_summary(binpack).at("instances_at_end") == 2);
  CHECK(provider_summary(binpack).at("scale_ins") == 2);
  CHECK(provider_summary(binpack).at("instance_hours").get<double>() == Approx((2 * 1200 + 2 * 900) / 3600.0));
  CHECK(provider_summary(spread).at("instances_at_end") == 4);
  CHECK(provider_summary(spread).at("scale_ins") == 0);
  CHECK(provider_summary(spread).at("instance_hours").get<double>() == Approx(4 * 1200 / 3600.0));
}

TEST_CASE("ecs ec2: awsvpc ENI limits set the instance count; trunking and bridge mode lift them", "[ecs_ec2]") {
  // 10 tasks of 0.25 vCPU / 512 MiB on m5.large: per instance CPU 2048 / 256 = 8, memory 16,
  // awsvpc ENIs 2 without trunking (10 with) -> auto desired capacity ceil(10 / 2) = 5 in awsvpc,
  // ceil(10 / 8) = 2 with trunking, and 2 in bridge mode (no ENI per task).
  json task = {{"cpu", 256}, {"memory", 512}};
  json provider = {{"name", "cp"}, {"instance_type", "m5.large"}, {"managed_scaling", {{"status", "DISABLED"}}}};
  auto start = [&](json p, std::string mode) {
    json s = {{"name", "api"}, {"desired_count", 10}, {"task", task}, {"ec2", {{"network_mode", mode}}}};
    return platform_settings<Ec2Spec>(Scenario::from_json(ec2_scenario(p, s, 10)).spec()).capacity_providers.at(0).desired_capacity;
  };
  CHECK(start(provider, "awsvpc") == 5);
  json trunked = provider;
  trunked["trunking"] = true;
  CHECK(start(trunked, "awsvpc") == 2);
  CHECK(start(provider, "bridge") == 2);
  // And the run places all 10 on the 5 instances: every task RUNNING, none waiting.
  json s = {{"name", "api"}, {"desired_count", 10}, {"task", task}};
  const RunResult r = run(Scenario::from_json(ec2_scenario(provider, s, 10)));
  int running = 0;
  for (const TaskRecord& t : r.tasks) running += t.last_state == "RUNNING";
  CHECK(running == 10);
  CHECK(provider_summary(r).at("instances_at_end") == 5);
}

TEST_CASE("ecs ec2: a task that never finds room is stopped after the provisioning timeout with the ECS reason",
          "[ecs_ec2]") {
  // One m5.large (max_size 1) holds 2 tasks of 1 vCPU; the third waits, and at 30 + 120 s the
  // timeout stops it with the placement failure: RESOURCE:CPU on the closest instance.
  json provider = {{"name", "cp"}, {"instance_type", "m5.large"}, {"max_size", 1}};
  json service = {{"name", "api"}, {"desired_count", 2}, {"schedule", {{{"at", "30s"}, {"desired_count", 3}}}},
                  {"ec2", {{"network_mode", "bridge"}}}};
  json doc = ec2_scenario(provider, service, 200);
  doc["ec2"]["provisioning_timeout"] = "120s";
  const RunResult r = run(Scenario::from_json(doc));
  int stopped = 0;
  for (const TaskRecord& t : r.tasks)
    if (t.stop_code == "TaskFailedToStart") {
      ++stopped;
      CHECK(t.created_s == 30.0);
      CHECK(t.stopped_s == Approx(150.0));
      CHECK_THAT(t.stopped_reason, Catch::Contains("CPU"));
    }
  CHECK(stopped >= 1);
}

TEST_CASE("ecs ec2: a daemon service runs one task on every instance, new instances included", "[ecs_ec2]") {
  // A daemon (0.25 vCPU / 256 MiB, bridge) next to the api service (1 vCPU / 2 GiB, awsvpc) on
  // m5.large: the daemon leaves 2048 - 256 = 1792 units, so 1 api task per instance. Desired
  // capacity 2 -> 2 daemon + 2 api tasks at t = 0. At 10 s the api wants 6: 4 wait.
  // The lower bound ECS computes ignores the daemons' reservations, so it takes several steps:
  //   60 s: N = 2, bound ceil(4 x 1024 / 2048) = 2 -> M = 4; instances 3, 4 register at 90 s,
  //         each takes its daemon first, then 1 api task: 2 still wait;
  //  120 s: bound ceil(2 x 1024 / 2048) = 1 -> M = 5; registers at 150 s: 1 waits;
  //  180 s: M = 6; registers at 210 s. End: 6 instances, 6 daemon tasks, 6 api tasks, 3 scale-outs.
  json provider = {{"name", "cp"}, {"instance_type", "m5.large"}, {"desired_capacity", 2}};
  json api = {{"name", "api"}, {"platform", "ecs_ec2"}, {"load_balancer", "none"}, {"desired_count", 2},
              {"schedule", {{{"at", "10s"}, {"desired_count", 6}}}},
              {"task", {{"cpu", 1024}, {"memory", 2048}, {"shutdown_time", "constant(value=0)"}}}};
  json agent = {{"name", "agent"}, {"platform", "ecs_ec2"}, {"load_balancer", "none"}, {"desired_count", 0},
                {"task", {{"cpu", 256}, {"memory", 256}}}, {"ec2", {{"scheduling_strategy", "DAEMON"}, {"network_mode", "bridge"}}}};
  json doc = ec2_scenario(provider, api, 400);
  doc["services"].push_back(agent);
  const RunResult r = run(Scenario::from_json(doc));
  std::map<std::string, int> running;
  for (const TaskRecord& t : r.tasks)
    if (t.last_state == "RUNNING") ++running[t.group];
  CHECK(provider_summary(r).at("instances_at_end") == 6);
  CHECK(provider_summary(r).at("scale_outs") == 3);
  CHECK(running["agent"] == 6);
  CHECK(running["api"] == 6);  // one per instance next to its daemon
}

TEST_CASE("ecs ec2: Spot interruptions reproduce the Spot Instance Advisor band of the instance type", "[ecs_ec2][statistical]") {
  // m5.large, us-east-1 Linux, June 2025: band 3 (15-20 % of Spot capacity interrupted in a month),
  // modelled as p = 0.175 -> hazard -ln(1 - 0.175) / 730 h = 2.635e-4 per hour.
  const InstanceType& m5 = *find_instance_type("m5.large");
  REQUIRE(m5.spot_interruption_band == 3);
  const double hazard = spot_hazard_per_hour(spot_band_monthly_probability(3));
  CHECK(hazard == Approx(-std::log(1 - 0.175) / 730));
  // 2,000 Spot instances (managed scaling off: the group only replaces what is interrupted) for
  // one 730-hour month: expected interruptions = hazard x instance-hours = 2.635e-4 x 1.46e6 =
  // 384.7 (Poisson, sd 19.6). The interruption rate observed, converted back to a monthly
  // share 1 - exp(-rate x 730), must lie in the advisor's band [0.15, 0.20]; the count must be
  // within 3 sd of the expectation (99.7 %). Fixed seed.
  json provider = {{"name", "cp"}, {"instance_type", "m5.large"}, {"spot", true}, {"desired_capacity", 2000},
                   {"max_size", 3000}, {"managed_scaling", {{"status", "DISABLED"}}}};
  json service = {{"name", "api"}, {"desired_count", 0}, {"task", {{"cpu", 256}, {"memory", 512}}}};
  json doc = ec2_scenario(provider, service, 730.0 * 3600);
  doc["output"]["metrics_interval"] = "1h";
  const RunResult r = run(Scenario::from_json(doc));
  const json& cp = provider_summary(r);
  const double interruptions = cp.at("spot_interruptions").get<double>();
  const double hours = cp.at("instance_hours").get<double>();
  CHECK(hours == Approx(2000 * 730.0).epsilon(0.001));  // replacements start within ~30 s
  const double expected = hazard * hours;
  CHECK(std::abs(interruptions - expected) < 3 * std::sqrt(expected));
  const double monthly_share = 1 - std::exp(-interruptions / hours * 730);
  CHECK(monthly_share >= 0.15);
  CHECK(monthly_share <= 0.20);
  CHECK(cp.at("instances_at_end") == 2000);
}

TEST_CASE("ecs ec2: a Spot notice drains the instance and the service replaces its tasks elsewhere", "[ecs_ec2]") {
  // 4 Spot m5.large with a monthly interruption probability near 1 (hazard -ln(1e-9) / 730 h =
  // 0.0284 per hour each) over 48 h: about 4 x 48 x 0.0284 = 5.4 notices. Every interrupted
  // task stops with SpotInterruption within the two-minute notice and the service is back at 4
  // running tasks at the end.
  json provider = {{"name", "cp"}, {"instance_type", "m5.large"}, {"spot", true}, {"spot_interruption", 0.999999999},
                   {"desired_capacity", 4}, {"managed_scaling", {{"status", "DISABLED"}}}};
  json service = {{"name", "api"}, {"desired_count", 4}, {"ec2", {{"placement_constraints", {{{"type", "distinctInstance"}}}}}}};
  const RunResult r = run(Scenario::from_json(ec2_scenario(provider, service, 48 * 3600)));
  const json& cp = provider_summary(r);
  CHECK(cp.at("spot_interruptions").get<int>() >= 1);
  int spot_stops = 0, running = 0;
  for (const TaskRecord& t : r.tasks) {
    if (t.stop_code == "SpotInterruption") {
      ++spot_stops;
      CHECK(t.last_state == "STOPPED");
    }
    running += t.last_state == "RUNNING";
  }
  CHECK(spot_stops >= 1);
  CHECK(running == 4);
  CHECK(cp.at("instances_at_end") == 4);
}

TEST_CASE("ecs ec2: an ecs_ec2 service cannot name FARGATE, and a Fargate service cannot name an EC2 provider",
          "[ecs_ec2][scenario]") {
  json provider = {{"name", "cp"}, {"instance_type", "m5.large"}};
  json doc = ec2_scenario(provider, {{"name", "api"}, {"capacity_provider_strategy", {{{"capacity_provider", "FARGATE_SPOT"}}}}}, 10);
  CHECK_THROWS_WITH(Scenario::from_json(doc), Catch::Contains("cannot mix Fargate and Auto Scaling group"));
  doc = ec2_scenario(provider, {{"name", "api"}, {"capacity_provider_strategy", {{{"capacity_provider", "cpp"}}}}}, 10);
  CHECK_THROWS_WITH(Scenario::from_json(doc), Catch::Contains("did you mean \"cp\""));
  doc["services"][0]["platform"] = "fargate";
  CHECK_THROWS_WITH(Scenario::from_json(doc), Catch::Contains("uses FARGATE or FARGATE_SPOT"));
  // A task larger than the instance type.
  doc = ec2_scenario(provider, {{"name", "api"}, {"task", {{"cpu", 4096}, {"memory", 2048}}}}, 10);
  CHECK_THROWS_WITH(Scenario::from_json(doc), Catch::Contains("does not fit a m5.large"));
  doc = ec2_scenario(json{{"name", "cp"}, {"instance_type", "m5.lrage"}}, {{"name", "api"}}, 10);
  CHECK_THROWS_WITH(Scenario::from_json(doc), Catch::Contains("did you mean \"m5.large\""));
}

TEST_CASE("instance types: Spot columns match the Spot Instance Advisor snapshot", "[ecs_ec2][data]") {
  // The table's band and savings are copied from the Spot Instance Advisor snapshot of June 2025
  // (us-east-1, Linux; scenarios/data/aws-spot-advisor-2025-06/SOURCE.md): re-read it and compare
  // every type.
  std::ifstream in(FARGATELAB_SOURCE_DIR "/scenarios/data/aws-spot-advisor-2025-06/spot-advisor-us-east-1-linux.json");
  REQUIRE(in.good());
  const json advisor = json::parse(in).at("spot_advisor").at("us-east-1").at("Linux");
  for (const InstanceType& t : instance_types()) {
    INFO(t.name);
    const json& e = advisor.at(std::string(t.name));
    CHECK(t.spot_interruption_band == e.at("r").get<int>());
    CHECK(t.spot_savings_pct == e.at("s").get<int>());
  }
  // Band midpoints (the >20 % band's upper end is unpublished: 0.25 is this model's choice).
  CHECK(spot_band_monthly_probability(0) == 0.025);
  CHECK(spot_band_monthly_probability(4) == 0.25);
  CHECK_THROWS_AS(spot_band_monthly_probability(5), std::out_of_range);
}

TEST_CASE("ecs ec2: every instance takes an address of its subnet, so a small subnet caps the cluster", "[ecs_ec2]") {
  // One /28 subnet: 16 - 5 reserved = 11 addresses. Bridge-mode tasks of 1 vCPU take none, 2 fit
  // on an m5.large. The service asks for 28 tasks = 14 instances; only 11 instances get an address
  // (the ASG's other launches fail with InsufficientFreeAddressesInSubnet and are retried each
  // period), so 22 tasks run and 6 wait.
  json provider = {{"name", "cp"}, {"instance_type", "m5.large"}, {"desired_capacity", 1}};
  json service = {{"name", "api"}, {"desired_count", 2}, {"schedule", {{{"at", "10s"}, {"desired_count", 28}}}},
                  {"ec2", {{"network_mode", "bridge"}}}};
  json doc = ec2_scenario(provider, service, 600);
  doc["network"] = {{"subnets", {{{"name", "tiny"}, {"az", "a"}, {"cidr", "10.0.0.0/28"}}}}};
  const RunResult r = run(Scenario::from_json(doc));
  const json& cp = provider_summary(r);
  CHECK(cp.at("instances_at_end") == 11);
  CHECK(cp.at("instance_launch_failures").get<int>() >= 1);
  CHECK(summary_json(r).at("results").at("network").at("subnets").at("tiny").at("peak_in_use") == 11);
  int running = 0;
  for (const TaskRecord& t : r.tasks) running += t.last_state == "RUNNING";
  CHECK(running == 22);
  CHECK(cp.at("tasks_waiting_at_end") == 6);
}

TEST_CASE("ecs ec2: two loops: service target tracking asks for tasks, managed scaling then adds the instance they need",
          "[ecs_ec2][scaling]") {
  // As in AWS, service auto scaling sets the desired count and capacity-provider managed scaling,
  // underneath, adds instances for tasks that do not fit. api: 2 tasks of 1 vCPU on one m5.large
  // (it holds 2), target tracking on CPU 50 %. Requests of 0.1 CPU s at 8/s (0.8 vCPU of 2: 40 %),
  // 16/s from 600 s (1.6 of 2: 80 %, not saturated, so the health checks keep passing).
  //  * High alarm (> 50 for 3 of 3 one-minute datapoints): datapoints [600,660), [660,720),
  //    [720,780), the third readable at 780 + 60 s publication delay = 840 s. Desired =
  //    ceil(2 x ~80 / 50) = 4 (any value in (75, 100] gives 4).
  //  * The 2 new tasks find no room and wait in PROVISIONING. Managed scaling's next period is
  //    900 s: N = 1, M = 1 + 1 (2 tasks of 1 vCPU fit one m5.large) = 2, CPR 200 -> 2 instances;
  //    the new one registers at 900 + 30 = 930 s and both tasks are placed: provisioning phase
  //    930 - 840 + 2 s ENI attach = 92 s.
  //  * Instance time: 1 x 1000 s + 1 x (1000 - 900) s = 1100 s.
  //  * With 4 tasks the CPU is ~40 %: the low alarm (< 45) may fire, but ceil(4 x 40 / 50) = 4:
  //    no scale-in by 1000 s.
  json provider = {{"name", "cp"}, {"instance_type", "m5.large"}};
  json service = {{"name", "api"}, {"desired_count", 2}, {"load_balancer", "alb"},
                  {"scaling", json::array({"target_tracking(metric=cpu, target=50)"})}};
  json s = ec2_scenario(provider, service, 1000);
  s["workloads"] = {{{"name", "w"}, {"target", "api"}, {"arrival", "step(base=8, at=600s, to=16)"},
                     {"request", {{"cpu_time", "exponential(mean=0.1)"}, {"timeout", "30s"}}}}};
  s["output"]["event_log"] = true;
  const RunResult r = run(Scenario::from_json(s));
  std::vector<std::pair<double, int>> scaled;  // (time, to)
  for (const auto& e : r.events)
    if (e.kind == "scaling_activity") scaled.emplace_back(e.time_s, e.fields.at("to").get<int>());
  REQUIRE(scaled.size() == 1);
  CHECK(scaled[0].first == 840.0);
  CHECK(scaled[0].second == 4);
  const json& cp = provider_summary(r);
  CHECK(cp.at("scale_outs") == 1);
  CHECK(cp.at("instances_launched") == 1);
  CHECK(cp.at("instances_at_end") == 2);
  CHECK(cp.at("tasks_waiting_at_end") == 0);
  CHECK(cp.at("instance_hours").get<double>() == Approx(1100.0 / 3600));
  int added = 0;
  for (const TaskRecord& t : r.tasks) {
    if (t.created_s == 0.0) continue;
    ++added;
    CHECK(t.created_s == 840.0);
    CHECK(phase(t, r, "provisioning") == Approx(92.0));
    CHECK(t.last_state == "RUNNING");
  }
  CHECK(added == 2);
}
