// The Fargate launch pipeline end to end, against hand-computed expectations: subnet address
// exhaustion, the launch token bucket, Spot interruptions and replacement, batch tasks.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "fargatelab/run.hpp"

using namespace fargatelab;
using nlohmann::json;

namespace {

// Every phase duration fixed, so launch times can be computed by hand:
//   provisioning max(2, 3) = 3 s (capacity and ENI in parallel), microVM boot 0.1 s,
//   image pull: see pull_seconds, container start 1 s + init 1 CPU s at 1 vCPU = 2 s,
//   activating 1 s.
json deterministic_fargate() {
  // boot_sd=0: a constant 0.1 s boot; rate=1e6: the host creation rate never delays a VM.
  return {{"isolation", "firecracker(boot=0.1, boot_sd=0, rate=1000000)"},
          {"provisioning", "constant(value=2)"},
          {"eni_attach", "constant(value=3)"},
          {"activating", "constant(value=1)"},
          {"eni_detach", "constant(value=4)"}};
}

json base_scenario() {
  return {{"schema_version", 1},
          {"duration", "30m"},
          {"fargate", deterministic_fargate()},
          {"services", {{{"name", "api"}, {"desired_count", 0}}}},
          {"workloads", {{{"name", "w"}, {"target", "api"}, {"arrival", "poisson(rate=0.001)"}}}}};
}

std::string fmt_constant(double v);

json task_of(double init_cpu = 1.0) {
  return {{"cpu", 1024}, {"memory", 2048}, {"init_cpu_seconds", fmt_constant(init_cpu)}, {"image", {{"size_mb", 0}, {"layers", 1}}}};
}

std::string fmt_constant(double v) { return "constant(value=" + std::to_string(v) + ")"; }


}  // namespace

TEST_CASE("fargate: 300 tasks on one /24 subnet: 251 run, 49 fail for want of an address", "[fargate][launch]") {
  // A /24 has 256 addresses; AWS reserves 5 in every subnet: 251 usable.
  json doc = base_scenario();
  doc["network"] = {{"subnets", {{{"name", "tiny"}, {"az", "a"}, {"cidr", "10.0.0.0/24"}}}}};
  doc["tasks"] = {{{"name", "fleet"}, {"count", 300}, {"task", task_of()}}};
  const RunResult r = run(Scenario::from_json(doc));
  int running = 0, failed = 0;
  for (const auto& t : r.tasks) {
    if (t.last_state == "RUNNING") ++running;
    if (t.stop_code == "TaskFailedToStart") {
      ++failed;
      REQUIRE(t.stopped_reason.rfind("InsufficientFreeAddressesInSubnet", 0) == 0);
      REQUIRE(std::isnan(t.started_s));
    }
  }
  REQUIRE(running == 251);
  REQUIRE(failed == 49);
  const auto sub = summary_json(r).at("results").at("network").at("subnets").at("tiny");
  REQUIRE(sub.at("capacity") == 251);
  REQUIRE(sub.at("peak_in_use") == 251);
  REQUIRE(summary_json(r).at("results").at("standalone_tasks").at("fleet").at("failure_reasons").size() == 1);
}

TEST_CASE("fargate: the account launch bucket releases tasks at the computed times", "[fargate][launch]") {
  // Burst 100 refilled at 20/s, 300 RunTask launches at t = 0: task k (1-based, in launch
  // order) leaves the bucket at max(0, (k - 100) / 20) s, so the 101st at 0.05 s and the
  // 300th at 10 s. With every later phase fixed, each reaches RUNNING a constant C later:
  //   C = provisioning 3 + boot 0.1 + pull P + start 2 + activating 1.
  json doc = base_scenario();
  doc["tasks"] = {{{"name", "fleet"}, {"count", 300}, {"task", task_of()}}};
  doc["fargate"]["service_launch_rate"] = {{"burst", 1000}};  // standalone tasks do not use it anyway
  const RunResult r = run(Scenario::from_json(doc));
  REQUIRE(r.tasks.size() == 300);
  std::vector<double> throttled;
  for (const auto& t : r.tasks) throttled.push_back(t.phase_seconds[0]);
  for (std::size_t k = 1; k <= 300; ++k) {
    const double expected = std::max(0.0, (static_cast<double>(k) - 100.0) / 20.0);
    INFO("task " << k);
    REQUIRE(throttled[k - 1] == Approx(expected).margin(1e-9));
  }
  // After the bucket every task takes the same fixed phases plus its own image pull (which has
  // measurement-like noise): started - created - throttled - pull is the same constant.
  const double c0 = r.tasks[0].started_s - r.tasks[0].created_s - r.tasks[0].phase_seconds[3];
  for (std::size_t k = 0; k < 300; ++k)
    REQUIRE(r.tasks[k].started_s - r.tasks[k].created_s - throttled[k] - r.tasks[k].phase_seconds[3] ==
            Approx(c0).margin(1e-6));
  // ... and the constant is the sum of the fixed phases (the pull of an empty image is its
  // per-layer overhead and the SOCI-free transfer of 0 MB).
  const auto& t0 = r.tasks[0];
  REQUIRE(t0.phase_seconds[1] == Approx(3.0));  // provisioning: max(2, 3)
  REQUIRE(t0.phase_seconds[2] == Approx(0.1));  // microVM boot
  REQUIRE(t0.phase_seconds[4] == Approx(2.0));  // container start 1 (kContainerStartSeconds) + init 1 CPU s / 1 vCPU
  REQUIRE(t0.phase_seconds[5] == Approx(1.0));  // activating
  REQUIRE(c0 == Approx(3.0 + 0.1 + 2.0 + 1.0));
}

TEST_CASE("fargate: a Spot interruption stops the task at warning + min(stopTimeout, 120 s) and it is replaced", "[fargate][spot]") {
  // One Spot task in service, its application ignores SIGTERM (shutdown 1 h). A wave at 10 min
  // interrupts it: SIGTERM at 600 s, SIGKILL at stopTimeout.
  for (int stop_timeout : {30, 120}) {
    json doc = base_scenario();
    doc["services"][0]["desired_count"] = 1;
    doc["services"][0]["capacity_provider_strategy"] = {{{"capacity_provider", "FARGATE_SPOT"}}};
    doc["services"][0]["task"] = task_of();
    doc["services"][0]["task"]["stop_timeout"] = stop_timeout;
    doc["services"][0]["task"]["shutdown_time"] = "constant(value=3600)";
    doc["fargate"]["spot"] = {{"waves", {{{"at", "10m"}, {"fraction", 1.0}}}}, {"interruptions_per_task_hour", 0}};
    const RunResult r = run(Scenario::from_json(doc));
    REQUIRE(r.tasks.size() == 2);  // the original and exactly one replacement
    const TaskRecord& first = r.tasks[0].task == "api/1" ? r.tasks[0] : r.tasks[1];
    const TaskRecord& second = r.tasks[0].task == "api/1" ? r.tasks[1] : r.tasks[0];
    REQUIRE(first.stop_code == "SpotInterruption");
    REQUIRE(first.stopped_reason == "Your Spot Task was interrupted.");
    // Killed at 600 + min(stopTimeout, 120); then DEPROVISIONING takes the ENI detach (4 s).
    const double killed = 600.0 + std::min(stop_timeout, 120);
    REQUIRE(first.stopped_s == Approx(killed + 4.0));
    // The replacement was launched at the warning (the interrupted task no longer counts).
    REQUIRE(second.created_s == Approx(600.0));
    REQUIRE(second.last_state == "RUNNING");
    const auto launch = summary_json(r).at("results").at("services").at("api").at("tasks_launch");
    REQUIRE(launch.at("spot_interruptions") == 1);
    REQUIRE(launch.at("launched") == 2);
  }
}

TEST_CASE("fargate: a service replaces a batch task whose essential container exits", "[fargate][launch]") {
  // Tasks that exit 5 min after start: each is replaced; with a 30 min run the service keeps
  // cycling and every stop code is EssentialContainerExited.
  json doc = base_scenario();
  doc["services"][0]["desired_count"] = 2;
  doc["services"][0]["load_balancer"] = "none";
  doc["services"][0]["task"] = task_of();
  doc["services"][0]["task"]["run_time"] = "constant(value=300)";
  const RunResult r = run(Scenario::from_json(doc));
  const auto launch = summary_json(r).at("results").at("services").at("api").at("tasks_launch");
  REQUIRE(launch.at("stop_codes").at("EssentialContainerExited").get<int>() >= 8);
  for (const auto& t : r.tasks)
    if (!std::isnan(t.stopped_s)) REQUIRE(t.stop_code == "EssentialContainerExited");
}

TEST_CASE("fargate: tasks in private subnets without NAT or endpoints cannot pull", "[fargate][launch]") {
  json doc = base_scenario();
  doc["network"] = {{"nat_gateways", 0}};
  doc["tasks"] = {{{"name", "job"}, {"count", 3}, {"task", task_of()}}};
  const RunResult r = run(Scenario::from_json(doc));
  for (const auto& t : r.tasks) {
    REQUIRE(t.stop_code == "TaskFailedToStart");
    REQUIRE(t.stopped_reason.rfind("ResourceInitializationError", 0) == 0);
  }
  // With the ECR interface endpoint and the S3 gateway endpoint, the same tasks start.
  doc["network"]["vpc_endpoints"] = {"ecr.dkr", "ecr.api", "s3"};
  const RunResult ok = run(Scenario::from_json(doc));
  for (const auto& t : ok.tasks) REQUIRE(t.last_state == "RUNNING");
}

TEST_CASE("fargate: the capacity provider strategy splits tasks by base and weight", "[fargate][spot]") {
  // base 2 on FARGATE, then weights 1 : 3 -> of 10 tasks, 2 base + 8 split 2 : 6.
  json doc = base_scenario();
  doc["services"][0]["desired_count"] = 10;
  doc["services"][0]["task"] = task_of();
  doc["services"][0]["capacity_provider_strategy"] = {
      {{"capacity_provider", "FARGATE"}, {"base", 2}, {"weight", 1}},
      {{"capacity_provider", "FARGATE_SPOT"}, {"weight", 3}}};
  const RunResult r = run(Scenario::from_json(doc));
  int on_demand = 0, spot = 0;
  for (const auto& t : r.tasks) (t.provider == "FARGATE" ? on_demand : spot)++;
  REQUIRE(on_demand == 4);
  REQUIRE(spot == 6);
}

TEST_CASE("fargate: a service spreads its tasks across availability zones", "[fargate][launch]") {
  json doc = base_scenario();
  doc["services"][0]["desired_count"] = 9;
  doc["services"][0]["task"] = task_of();
  const RunResult r = run(Scenario::from_json(doc));
  std::map<std::string, int> per_zone;
  for (const auto& t : r.tasks) ++per_zone[t.az];
  REQUIRE(per_zone == std::map<std::string, int>{{"a", 3}, {"b", 3}, {"c", 3}});
}

TEST_CASE("fargate: scaling in drains then stops the newest tasks of the fullest zone", "[fargate][launch]") {
  // 6 warm tasks, desired 3 at 5 min: three stop with ServiceSchedulerInitiated after the
  // deregistration delay (300 s) plus the application's shutdown (1 s) and ENI detach (4 s).
  json doc = base_scenario();
  doc["services"][0]["desired_count"] = 6;
  doc["services"][0]["task"] = task_of();
  doc["services"][0]["schedule"] = {{{"at", "5m"}, {"desired_count", 3}}};
  const RunResult r = run(Scenario::from_json(doc));
  int stopped = 0;
  std::map<std::string, int> zones_left;
  for (const auto& t : r.tasks) {
    if (t.stop_code == "ServiceSchedulerInitiated") {
      ++stopped;
      REQUIRE(t.stopped_s == Approx(300.0 + 300.0 + 1.0 + 4.0));
    } else {
      ++zones_left[t.az];
    }
  }
  REQUIRE(stopped == 3);
  REQUIRE(zones_left == std::map<std::string, int>{{"a", 1}, {"b", 1}, {"c", 1}});
}

TEST_CASE("fargate: an EKS pod gets 256 MiB more, rounded up, and waits for its node", "[fargate][launch]") {
  // Requests 1 vCPU / 2048 MiB -> 2304 MiB -> the next valid size with 1 vCPU is 3072 MiB
  // (1 vCPU takes 2-8 GB in 1 GB steps).
  json doc = base_scenario();
  doc["services"][0]["orchestrator"] = "eks";
  doc["services"][0]["desired_count"] = 1;
  doc["services"][0]["start"] = "cold";
  doc["services"][0]["load_balancer"] = "none";
  doc["services"][0]["task"] = task_of();
  doc["fargate"]["eks_node_registration"] = "constant(value=25)";
  const Scenario s = Scenario::from_json(doc);
  REQUIRE(s.spec().services[0].task.cpu_units == 1024);
  REQUIRE(s.spec().services[0].task.memory_mib == 3072);
  REQUIRE(s.spec().notes.size() == 1);
  const RunResult r = run(s);
  REQUIRE(r.tasks.size() == 1);
  // Provisioning: max(2, 3) + the node's 25 s.
  REQUIRE(r.tasks[0].phase_seconds[1] == Approx(28.0));
}

TEST_CASE("fargate: a multi-container task from an ECS task definition starts in dependsOn order", "[fargate][launch]") {
  // init (exits 0 after 4 s of work) -> app (SUCCESS of init, 1 s start + 2 CPU s at 1 vCPU);
  // the log router starts first (START). ECS RUNNING = all essential containers started:
  //   router starts at 1 s; init starts at 1 s, exits at 1 + 4 = 5 s; app starts at 5 + 1 = 6 s.
  json def = json::parse(R"JSON({
    "family": "shop", "cpu": "1024", "memory": "2048", "requiresCompatibilities": ["FARGATE"],
    "containerDefinitions": [
      {"name": "log-router", "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable", "essential": true,
       "x-fargatelab": {"image_size_mb": 1, "layers": 1, "start_time": 1}},
      {"name": "migrate", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1", "essential": false,
       "x-fargatelab": {"image_size_mb": 1, "layers": 1, "start_time": 1, "run_time": 4}},
      {"name": "app", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1", "essential": true,
       "portMappings": [{"containerPort": 8080}],
       "dependsOn": [{"containerName": "migrate", "condition": "SUCCESS"}, {"containerName": "log-router", "condition": "START"}],
       "x-fargatelab": {"image_size_mb": 1, "layers": 1, "start_time": 1, "init_cpu_seconds": 2}}
    ]})JSON");
  json doc = base_scenario();
  doc["tasks"] = {{{"name", "shop"}, {"task", {{"ecs_task_definition", def}}}}};
  const Scenario s = Scenario::from_json(doc);
  REQUIRE(s.spec().tasks[0].task.cpu_units == 1024);
  REQUIRE(s.spec().tasks[0].task.memory_mib == 2048);
  REQUIRE(s.spec().notes.size() == 1);  // portMappings and others are listed as ignored
  REQUIRE(s.spec().notes[0].find("/containerDefinitions/2/portMappings") != std::string::npos);
  const RunResult r = run(s);
  REQUIRE(r.tasks.size() == 1);
  REQUIRE(r.tasks[0].last_state == "RUNNING");
  REQUIRE(r.tasks[0].phase_seconds[4] == Approx(6.0));  // container start phase: app started at 6 s
}

TEST_CASE("fargate: a failed dependency stops the task with the ECS reason", "[fargate][launch]") {
  json def = json::parse(R"JSON({
    "family": "shop", "cpu": "512", "memory": "1024",
    "containerDefinitions": [
      {"name": "migrate", "image": "x", "essential": false, "x-fargatelab": {"image_size_mb": 1, "run_time": 3, "exit_code": 1}},
      {"name": "app", "image": "x", "dependsOn": [{"containerName": "migrate", "condition": "SUCCESS"}],
       "x-fargatelab": {"image_size_mb": 1}}
    ]})JSON");
  json doc = base_scenario();
  doc["tasks"] = {{{"name", "shop"}, {"task", {{"ecs_task_definition", def}}}}};
  const RunResult r = run(Scenario::from_json(doc));
  REQUIRE(r.tasks[0].stop_code == "TaskFailedToStart");
  REQUIRE(r.tasks[0].stopped_reason.find("dependency 'migrate' exited with code 1") != std::string::npos);
}

TEST_CASE("fargate: errors inside an embedded ECS task definition point into it", "[fargate][launch]") {
  json doc = base_scenario();
  doc["tasks"] = {{{"name", "bad"},
                   {"task", {{"ecs_task_definition",
                              {{"family", "x"}, {"cpu", "300"}, {"memory", "512"},
                               {"containerDefinitions", {{{"name", "a"}, {"image", "x"}, {"essential", false}}}}}}}}}};
  try {
    Scenario::from_json(doc);
    FAIL("expected a ScenarioError");
  } catch (const ScenarioError& e) {
    bool cpu = false, essential = false;
    for (const auto& d : e.diagnostics()) {
      cpu |= d.pointer.rfind("/tasks/0/task/ecs_task_definition/cpu", 0) == 0;
      essential |= d.message.find("essential") != std::string::npos;
    }
    INFO(e.what());
    REQUIRE(cpu);
    REQUIRE(essential);
  }
}

TEST_CASE("fargate: scheduled tasks run on EventBridge rate and cron schedules", "[fargate][schedule]") {
  // start_time is Monday 2026-01-05 00:00Z. cron(0/15 * * * ? *) from t = 0 fires at 0, 15, 30
  // and 45 min within a 59-minute run; rate(10 minutes) anchored at 5 min fires at 5, 15, 25,
  // 35, 45 and 55 min. RunTask is throttled by the launch bucket, so each run's tasks are
  // created when called (a bucket of 100 is never short here).
  json doc = base_scenario();
  doc["duration"] = "59m";
  doc["tasks"] = {{{"name", "cron"}, {"schedule", "cron(0/15 * * * ? *)"}, {"task", task_of()}},
                  {{"name", "rate"}, {"at", "5m"}, {"count", 2}, {"schedule", "rate(10 minutes)"}, {"task", task_of()}}};
  const RunResult r = run(Scenario::from_json(doc));
  std::vector<double> cron, rate;
  for (const auto& t : r.tasks) (t.group == "cron" ? cron : rate).push_back(t.created_s);
  std::sort(cron.begin(), cron.end());
  std::sort(rate.begin(), rate.end());
  REQUIRE(cron == std::vector<double>{0, 900, 1800, 2700});
  REQUIRE(rate == std::vector<double>{300, 300, 900, 900, 1500, 1500, 2100, 2100, 2700, 2700, 3300, 3300});
  // A bad expression is a scenario error at its pointer.
  doc["tasks"][0]["schedule"] = "cron(0 10 * * * *)";  // both day fields set
  REQUIRE_THROWS_AS(Scenario::from_json(doc), ScenarioError);
}

TEST_CASE("fargate: a sidecar keeps its CPU share and requests get the app container's", "[fargate][launch]") {
  // Task 1024 units: app 768, log router 256. A lone request of 0.3 CPU s on the app's
  // 0.75 vCPU takes 0.3 / 0.75 = 0.4 s (one request cannot use more than its container has).
  json def = json::parse(R"JSON({
    "family": "api", "cpu": "1024", "memory": "2048",
    "containerDefinitions": [
      {"name": "log-router", "image": "x", "cpu": 256, "x-fargatelab": {"image_size_mb": 1}},
      {"name": "app", "image": "x", "cpu": 768, "x-fargatelab": {"image_size_mb": 1}}
    ]})JSON");
  json doc = base_scenario();
  doc["services"][0]["desired_count"] = 1;
  doc["services"][0]["task"] = {{"ecs_task_definition", def}};
  doc["workloads"][0]["arrival"] = "deterministic(rate=0.1)";  // 10 s apart: never two at once
  doc["workloads"][0]["request"] = {{"cpu_time", "constant(value=0.3)"}};
  const Scenario s = Scenario::from_json(doc);
  REQUIRE(s.spec().services[0].serving.container == "app");  // the larger essential share
  REQUIRE(s.spec().services[0].serving.vcpu == Approx(0.75));
  const RunResult r = run(s);
  const auto lat = summary_json(r).at("results").at("services").at("api").at("latency_ms");
  REQUIRE(lat.at("mean").get<double>() == Approx(400.0));
  doc["services"][0]["serving"] = {{"container", "ap"}};
  try {
    Scenario::from_json(doc);
    FAIL("expected a ScenarioError");
  } catch (const ScenarioError& e) {
    REQUIRE(std::string(e.what()).find("no container \"ap\" (did you mean \"app\"?)") != std::string::npos);
  }
}

TEST_CASE("fargate: the event log lists every transition in order, with stop codes and reasons", "[fargate][launch]") {
  // One cold task stopped by a scale-in to 0 at 10 min: run_start, its 7 transitions up to
  // STOPPED (PROVISIONING, PENDING, ACTIVATING, RUNNING, DEACTIVATING, STOPPING,
  // DEPROVISIONING, STOPPED = 8 records), run_end.
  json doc = base_scenario();
  doc["services"][0]["desired_count"] = 1;
  doc["services"][0]["start"] = "cold";
  doc["services"][0]["task"] = task_of();
  doc["services"][0]["schedule"] = {{{"at", "10m"}, {"desired_count", 0}}};
  const RunResult r = run(Scenario::from_json(doc));
  std::vector<json> lines;
  std::istringstream in(events_jsonl_text(r));
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  REQUIRE(lines.size() == 10);
  REQUIRE(lines.front().at("kind") == "run_start");
  REQUIRE(lines.back().at("kind") == "run_end");
  const std::vector<std::string> states = {"PROVISIONING", "PENDING", "ACTIVATING", "RUNNING",
                                           "DEACTIVATING", "STOPPING", "DEPROVISIONING", "STOPPED"};
  for (std::size_t i = 0; i < states.size(); ++i) {
    const json& e = lines[i + 1];
    REQUIRE(e.at("entity") == "api/1");
    REQUIRE(e.at("state") == states[i]);
    REQUIRE(e.at("from") == (i == 0 ? "" : states[i - 1]));
    if (i > 0) REQUIRE(e.at("t").get<double>() >= lines[i].at("t").get<double>());
  }
  REQUIRE(lines[8].at("stop_code") == "ServiceSchedulerInitiated");
  REQUIRE(lines[8].at("stopped_reason") == "Scaling activity initiated by the service scheduler");
}

TEST_CASE("fargate: image pull time follows size, layers, path bandwidth and extraction", "[fargate][launch]") {
  // 100 MB, 4 layers, gzip, through NAT at 10 MB/s, extraction 50 MB/s per vCPU on 1 vCPU,
  // expansion 2.5, no noise: 4 x 0.3 + 100 / 10 + 100 x 2.5 / 50 = 1.2 + 10 + 5 = 16.2 s.
  // Through the ECR endpoints at 25 MB/s: 1.2 + 4 + 5 = 10.2 s.
  json doc = base_scenario();
  doc["fargate"]["image_pull"] = {{"nat_mb_per_s", 10}, {"vpc_endpoint_mb_per_s", 25}, {"extract_mb_per_s_per_vcpu", 50},
                                  {"noise_sd", 0}, {"per_layer_overhead_s", 0.3}};
  json task = task_of();
  task["image"] = {{"size_mb", 100}, {"layers", 4}};
  doc["tasks"] = {{{"name", "job"}, {"task", task}}};
  REQUIRE(run(Scenario::from_json(doc)).tasks[0].phase_seconds[3] == Approx(16.2));
  doc["network"] = {{"vpc_endpoints", {"ecr.dkr", "ecr.api", "s3"}}};
  REQUIRE(run(Scenario::from_json(doc)).tasks[0].phase_seconds[3] == Approx(10.2));
}

TEST_CASE("ECS scheduler: a batch of new tasks spreads across zones before any is placed", "[ecs][spread]") {
  // 0 -> 9 tasks at once over the default three zones: the spread counts tasks still waiting for
  // placement in the zone they were asked for, so 9 / 3 = 3 per zone (not 9 in the first).
  const RunResult r = run(Scenario::builtin_default(
      {"duration=5m", "replications=1", "services.api.desired_count=0", "services.api.schedule.-={\"at\": 60, \"desired_count\": 9}"}));
  std::map<std::string, int> per_zone;
  for (const TaskRecord& t : r.tasks) ++per_zone[t.az];
  REQUIRE(per_zone.size() == 3);
  for (const auto& [zone, n] : per_zone) CHECK(n == 3);
}
