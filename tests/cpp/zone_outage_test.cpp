// Availability zone outages (faults/zone_outage.hpp): the tasks and hosts in the zone are lost
// at once, the service restores its count in the zones still up at the launch pipeline's
// computed times, nothing is placed in the dark zone, and AZ rebalancing moves tasks back
// once it returns. Times by hand from the fixed launch phases of deterministic_fargate.hpp.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "deployment_fixture.hpp"
#include "deterministic_fargate.hpp"
#include "fargatelab/diagnostics.hpp"
#include "fargatelab/run.hpp"

using namespace fargatelab;
using nlohmann::json;

namespace {

// 6 warm tasks over the default subnets' zones a, b, c (2 each: the scheduler fills the zone
// with fewest tasks, in subnet order, so api/1 a, api/2 b, api/3 c, api/4 a, api/5 b, api/6 c).
// Zone b is dark from 60 s to 300 s. A Fargate task launched at L is RUNNING at
// L + 3 (provisioning: max(2, 3)) + 0.1 (microVM) + 0.3 (empty image pull) + 2 (container start
// 1 s + 1 CPU-s of init at 1 vCPU) + 1 (ACTIVATING) = L + 6.4 s; without a load balancer it is
// healthy (and in the count) at RUNNING.
json outage_scenario(json faults) {
  return {{"schema_version", 1},
          {"duration", "10m"},
          {"fargate", deterministic_fargate()},
          {"services",
           {{{"name", "api"},
             {"desired_count", 6},
             {"load_balancer", "none"},
             {"task", deterministic_task()}}}},
          {"workloads", {{{"name", "w"}, {"target", "api"}, {"arrival", "poisson(rate=1e-9)"}}}},
          {"faults", std::move(faults)},
          {"output", {{"event_log", true}}}};
}

const TaskRecord& task(const RunResult& r, const std::string& name) {
  for (const auto& t : r.tasks)
    if (t.task == name) return t;
  FAIL("no task " << name);
  throw;
}

// Tasks RUNNING (or on their way) at time `at`, per zone.
std::map<std::string, int> running_at(const RunResult& r, double at) {
  std::map<std::string, int> out;
  for (const auto& t : r.tasks)
    if (t.started_s <= at && !(t.stopped_s <= at)) ++out[t.az];
  return out;
}

std::vector<json> service_events(const RunResult& r) { return deployment_fixture::events_of(r, "service"); }

}  // namespace

TEST_CASE("az outage: one of three zones lost leaves 2/3 of the tasks; the service restores its count in the others",
          "[faults][az_outage]") {
  const RunResult r = run(Scenario::from_json(outage_scenario({{{"type", "az_outage"}, {"az", "b"}, {"start", "60s"}, {"end", "300s"}}})));
  REQUIRE(r.tasks.size() == 10);  // 6 warm, 2 replacements, 2 rebalancing moves
  // Lost at 60 s: no draining, no shutdown; STOPPED after the ENI's detach (4 s).
  for (const char* lost : {"api/2", "api/5"}) {
    const TaskRecord& t = task(r, lost);
    INFO(lost);
    CHECK(t.az == "b");
    CHECK(t.stop_code == "EssentialContainerExited");
    CHECK(t.stopped_reason ==
          "Task stopped: availability zone us-east-1b became unavailable (01:00\u201305:00 outage); its host and containers were lost");
    CHECK(t.started_s == 0.0);  // warm at the start: it did run
    CHECK(t.stopped_s == Approx(64.0));
  }
  // Once the lost ones are STOPPED, and before the replacements run, 4 of 6 run: 2/3.
  CHECK(running_at(r, 65.0) == std::map<std::string, int>{{"a", 2}, {"c", 2}});
  // The replacements are launched at 60 s, one in each zone still up (a first: subnet order on a
  // tie), and RUNNING at 60 + 6.4 = 66.4 s: the count is restored.
  const TaskRecord& r7 = task(r, "api/7");
  const TaskRecord& r8 = task(r, "api/8");
  CHECK(r7.created_s == Approx(60.0));
  CHECK(r8.created_s == Approx(60.0));
  CHECK(r7.az == "a");
  CHECK(r8.az == "c");
  CHECK(r7.started_s == Approx(66.4));
  CHECK(r8.started_s == Approx(66.4));
  CHECK(running_at(r, 66.5) == std::map<std::string, int>{{"a", 3}, {"c", 3}});
  // Nothing is placed in zone b while it is dark.
  for (const auto& t : r.tasks)
    if (t.created_s >= 60 && t.created_s < 300) CHECK(t.az != "b");

  // At 300 s b is back: 3/0/3 is not balanced. maximumPercent 200 % leaves 12 - 6 = 6 tasks of
  // headroom, and 2 moves balance it (3/0/3 -> 2/2/2): api/9 and api/10 start in b at 300 s,
  // RUNNING at 306.4 s, and each then stops the newest running task of the fullest zone (a then
  // c: api/7, api/8), which stop at 306.4 + 4 s (ENI detach).
  for (const char* moved : {"api/9", "api/10"}) {
    const TaskRecord& t = task(r, moved);
    INFO(moved);
    CHECK(t.az == "b");
    CHECK(t.created_s == Approx(300.0));
    CHECK(t.started_s == Approx(306.4));
    CHECK(t.last_state == "RUNNING");
  }
  for (const TaskRecord* t : {&r7, &r8}) {
    CHECK(t->stop_code == "ServiceSchedulerInitiated");
    CHECK(t->stopped_reason == "AZ Rebalancing initiated by the service scheduler");
    CHECK(t->stopped_s == Approx(310.4));
  }
  CHECK(running_at(r, 400) == std::map<std::string, int>{{"a", 2}, {"b", 2}, {"c", 2}});

  // `fargatelab explain` names the outage and what the scheduler did.
  const std::string text = explain_text(r);
  INFO(text);
  CHECK(text.find("availability zone us-east-1b unavailable 01:00–05:00 (faults/0)\n"
                  "   → its hosts and containers lost at once (no draining, requests in flight reset)\n"
                  "   → EssentialContainerExited\n"
                  "   → 2 tasks\n"
                  "   → the service replaces them in the zones still up (not counted by the circuit breaker or the throttle)") !=
        std::string::npos);

  // The service events, in ECS's words.
  const auto ev = service_events(r);
  REQUIRE(ev.size() == 5);
  CHECK(ev[0]["event"] == "service_rebalancing_started");
  CHECK(ev[0]["t"] == 300.0);
  CHECK(ev[0]["message"] ==
        "service (api) is not AZ balanced with 3 tasks in us-east-1a, 0 tasks in us-east-1b, and 3 tasks in us-east-1c. AZ "
        "Rebalancing in progress.");
  CHECK(ev[1]["event"] == "tasks_started");
  CHECK(ev[1]["message"] == "service (api) has started 2 tasks in us-east-1b to AZ Rebalance: api/9, api/10.");
  CHECK(ev[2]["event"] == "tasks_stopped");
  CHECK(ev[2]["t"].get<double>() == Approx(306.4));
  CHECK(ev[2]["message"] == "service (api) has stopped 1 running tasks in us-east-1a to AZ Rebalance: api/7.");
  CHECK(ev[3]["event"] == "tasks_stopped");
  CHECK(ev[3]["message"] == "service (api) has stopped 1 running tasks in us-east-1c to AZ Rebalance: api/8.");
  // The second stop makes it balanced: completion is noted in the same instant.
  CHECK(ev[4]["event"] == "service_rebalancing_completed");
  CHECK(ev[4]["t"].get<double>() == Approx(306.4));
  CHECK(ev[4]["message"] ==
        "service (api) is AZ balanced with 2 tasks in us-east-1a, 2 tasks in us-east-1b, and 2 tasks in us-east-1c.");
}

TEST_CASE("az outage: without AZ rebalancing the tasks stay where they were replaced", "[faults][az_outage]") {
  json doc = outage_scenario({{{"type", "az_outage"}, {"az", "b"}, {"start", "60s"}, {"end", "300s"}}});
  doc["services"][0]["availability_zone_rebalancing"] = false;
  const RunResult r = run(Scenario::from_json(doc));
  CHECK(r.tasks.size() == 8);
  CHECK(running_at(r, 599) == std::map<std::string, int>{{"a", 3}, {"c", 3}});
  CHECK(service_events(r).empty());
}

TEST_CASE("az outage: the circuit breaker and the service throttle do not count tasks lost with their zone",
          "[faults][az_outage][deployment]") {
  // Zone b goes dark at 60 s while tasks of a rolling deployment (v2 at 58 s: 6 new tasks at
  // once, min 100 % / max 200 %) are provisioning there (their addresses are in b from 58 s): 2
  // are lost before RUNNING (TaskFailedToStart), as are the 2 old tasks in b. The rollout
  // launches 2 new tasks in a and c at once (no service throttle backoff), the breaker counts
  // nothing, and the deployment completes.
  json doc = outage_scenario({{{"type", "az_outage"}, {"az", "b"}, {"start", "60s"}, {"end", "10m"}}});
  doc["services"][0]["revisions"] = {{{"name", "v2"}, {"task", {{"image", {{"size_mb", 0}}}}}}};
  doc["services"][0]["deployments"] = {
      {{"at", "58s"}, {"revision", "v2"}, {"strategy", "rolling(minimum_healthy_percent=100, maximum_percent=200)"}}};
  const RunResult r = run(Scenario::from_json(doc));
  int lost_starting = 0, relaunched_at_60 = 0;
  for (const auto& t : r.tasks) {
    if (t.created_s == Approx(58.0) && t.az == "b") {
      ++lost_starting;
      CHECK(t.stop_code == "TaskFailedToStart");
    }
    if (t.created_s == Approx(60.0)) {
      ++relaunched_at_60;
      CHECK(t.az != "b");
    }
  }
  CHECK(lost_starting == 2);
  CHECK(relaunched_at_60 == 2);
  for (const auto& s : r.stopped_tasks)
    if (s.created_s == Approx(58.0)) CHECK(s.restart_delay_s == 0);  // no backoff after them
  bool completed = false;
  for (const auto& e : r.events)
    if (e.kind == "deployment" && e.fields.at("event") == "deployment_completed") {
      completed = true;
      CHECK(e.fields.at("failed_tasks") == 0);
    }
  CHECK(completed);
}

TEST_CASE("az outage on EC2: the group's instances in the zone terminate and are replaced in the others", "[faults][az_outage][ecs_ec2]") {
  // 6 m5.large (2 per zone), one task each (distinctInstance), instance launch 30 s, ENI attach
  // 2 s, ACTIVATING 1 s, cached image 1 s. Zone b dark from 100 s: its 2 instances and 2 tasks are
  // lost; the group launches 2 instances in a and c at 100 s, registered at 130 s; the 2
  // replacement tasks wait for them, so their provisioning phase is 30 + 2 = 32 s.
  json provider = {{"name", "cp"}, {"instance_type", "m5.large"}, {"desired_capacity", 6}, {"managed_scaling", {{"status", "DISABLED"}}}};
  json service = {{"name", "api"},
                  {"platform", "ecs_ec2"},
                  {"desired_count", 6},
                  {"load_balancer", "none"},
                  {"ec2", {{"placement_constraints", {{{"type", "distinctInstance"}}}}}},
                  {"task", {{"cpu", 1024}, {"memory", 2048}, {"shutdown_time", "constant(value=0)"}, {"init_cpu_seconds", "constant(value=0)"}}}};
  json doc = {{"schema_version", 1},
              {"duration", 300},
              {"services", {service}},
              {"workloads", {{{"name", "idle"}, {"target", "api"}, {"arrival", "poisson(rate=1e-12)"}}}},
              {"fargate", {{"eni_attach", "constant(value=2)"}, {"activating", "constant(value=1)"}, {"eni_detach", "constant(value=1)"}}},
              {"ec2", {{"capacity_providers", {provider}}, {"instance_launch", "constant(value=30)"}, {"cached_pull", "constant(value=1)"}}},
              {"faults", {{{"type", "az_outage"}, {"az", "b"}, {"start", "100s"}, {"end", "10m"}}}}};
  const RunResult r = run(Scenario::from_json(doc));
  const json cp = summary_json(r).at("per_replication").at(0).at("ec2").at("capacity_providers").at("cp");
  CHECK(cp.at("instances_launched") == 2);
  CHECK(cp.at("instances_at_end") == 6);
  int lost = 0, replaced = 0;
  for (const auto& t : r.tasks) {
    if (t.az == "b") {
      ++lost;
      CHECK(t.stop_code == "EssentialContainerExited");
      CHECK(t.stopped_s == Approx(101.0));  // ENI detach 1 s
    }
    if (t.created_s == Approx(100.0)) {
      ++replaced;
      CHECK(t.az != "b");
      CHECK(t.last_state == "RUNNING");
      for (std::size_t i = 0; i < r.task_phase_columns.size(); ++i)
        if (r.task_phase_columns[i] == "provisioning_s") CHECK(t.phase_seconds[i] == Approx(32.0));
    }
  }
  CHECK(lost == 2);
  CHECK(replaced == 2);
}

TEST_CASE("az outage: a zone no subnet is in and a window that ends before it starts are reported at their pointers",
          "[faults][az_outage][scenario]") {
  json doc = outage_scenario({{{"type", "az_outage"}, {"az", "d"}, {"start", "60s"}, {"end", "300s"}},
                              {{"type", "az_outage"}, {"az", "a"}, {"start", "5m"}, {"end", "1m"}}});
  try {
    (void)Scenario::from_json(doc);
    FAIL("no error");
  } catch (const ScenarioError& e) {
    std::vector<std::string> pointers;
    for (const auto& d : e.diagnostics()) pointers.push_back(d.pointer);
    INFO(e.what());
    CHECK(pointers == std::vector<std::string>{"/faults/0/az", "/faults/1/end"});
    CHECK(std::string(e.what()).find("no subnet is in zone \"d\" (the scenario's zones: a, b, c)") != std::string::npos);
  }
}
