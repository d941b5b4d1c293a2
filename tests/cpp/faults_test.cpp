// Start-time faults (the scenario's "faults"): a failing or throttling registry and Secrets
// Manager unavailable, against hand-computed timelines; the scheduler's restart backoff after
// them; every bad fault field at its pointer; the explanation's chain of causes.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "deterministic_fargate.hpp"
#include "fargatelab/diagnostics.hpp"
#include "fargatelab/run.hpp"
#include "fargatelab/table.hpp"
#include "faults/registry_fault.hpp"

using namespace fargatelab;
using nlohmann::json;

namespace {

// Every phase fixed (deterministic_fargate.hpp): provisioning 3 s, microVM boot 0.1 s, an empty
// image's pull 0.3 s, container start 1 s + init 1 CPU s at 1 vCPU = 2 s, activating 1 s, ENI
// detach 4 s. A service task launched at L is thus PENDING at L + 3.1 and RUNNING at
// L + 3.1 + 0.3 + 2 + 1 = L + 6.4 when its pull is accepted at once.
json deterministic_scenario() {
  return {{"schema_version", 1},
          {"duration", "10m"},
          {"fargate", deterministic_fargate()},
          {"services",
           {{{"name", "api"},
             {"desired_count", 0},
             {"load_balancer", "none"},
             {"task", {{"cpu", 1024}, {"memory", 2048}, {"init_cpu_seconds", "constant(value=1)"}, {"image", {{"size_mb", 0}, {"layers", 1}}}}},
             {"schedule", {{{"at", "1m"}, {"desired_count", 1}}}}}}},
          {"workloads", {{{"name", "w"}, {"target", "api"}, {"arrival", "poisson(rate=0.001)"}}}}};
}

std::vector<const TaskRecord*> tasks_of(const RunResult& r, const std::string& group) {
  std::vector<const TaskRecord*> out;
  for (const auto& t : r.tasks)
    if (t.group == group) out.push_back(&t);
  std::sort(out.begin(), out.end(), [](const TaskRecord* a, const TaskRecord* b) { return a->created_s < b->created_s; });
  return out;
}

}  // namespace

TEST_CASE("registry fault: the agent's retry delays are 1.1 s x 2^(k-1) up to 5 s", "[faults][registry]") {
  detail::RegistryFault f;  // the ECS agent's defaults
  CHECK(f.delay_after(1).to_seconds() == Approx(1.1));
  CHECK(f.delay_after(2).to_seconds() == Approx(2.2));
  CHECK(f.delay_after(3).to_seconds() == Approx(4.4));
  CHECK(f.delay_after(4).to_seconds() == Approx(5.0));  // 8.8 capped
}

TEST_CASE("registry fault: every launch in the outage fails and the first after it runs at the computed time",
          "[faults][registry]") {
  // Registry failing from 60 s to 190 s. A pull refused throughout fails after its 5 attempts:
  // 5 x 0.5 s (refused_after) + 1.1 + 2.2 + 4.4 + 5 = 15.2 s after it started, and the task,
  // having no container, is STOPPED 4 s (ENI detach) later. The scheduler then waits
  // 10 s x 2^(n-1) after the n-th consecutive failure:
  //   launch 1 at  60.0: PENDING  63.1, fails  78.3, STOPPED  82.3, backoff 10 s
  //   launch 2 at  92.3: PENDING  95.4, fails 110.6, STOPPED 114.6, backoff 20 s
  //   launch 3 at 134.6: PENDING 137.7, fails 152.9, STOPPED 156.9, backoff 40 s
  //   launch 4 at 196.9: PENDING 200.0 (after the outage): pulled at once, RUNNING 203.3.
  json doc = deterministic_scenario();
  doc["faults"] = {{{"type", "registry"}, {"start", "60s"}, {"end", "190s"}}};
  const RunResult r = run(Scenario::from_json(doc));
  const auto t = tasks_of(r, "api");
  REQUIRE(t.size() == 4);
  const double created[] = {60.0, 92.3, 134.6, 196.9}, stopped[] = {82.3, 114.6, 156.9};
  for (int k = 0; k < 3; ++k) {
    INFO("launch " << k + 1);
    CHECK(t[k]->created_s == Approx(created[k]).margin(1e-6));
    CHECK(t[k]->stop_code == "TaskFailedToStart");
    CHECK(t[k]->stopped_reason.rfind("CannotPullContainerError: inspect image has been retried 5 time(s)", 0) == 0);
    CHECK(t[k]->phase_seconds[3] == Approx(15.2).margin(1e-6));  // the image_pull phase: the retries
    CHECK(t[k]->stopped_s == Approx(stopped[k]).margin(1e-6));
  }
  CHECK(t[3]->created_s == Approx(196.9).margin(1e-6));
  CHECK(t[3]->last_state == "RUNNING");
  CHECK(t[3]->started_s == Approx(203.3).margin(1e-6));

  // The facts behind the explanation: the fault, the attempts and the backoff after each failure.
  REQUIRE(r.stopped_tasks.size() == 3);
  const double backoff[] = {10, 20, 40};
  for (int k = 0; k < 3; ++k) {
    const StoppedTaskRow& s = r.stopped_tasks[k];
    CHECK(s.cause == "registry");
    CHECK(s.fault == 0);
    CHECK(s.fault_mode == "fail");
    CHECK(s.fault_start_s == 60.0);
    CHECK(s.fault_end_s == 190.0);
    CHECK(s.pull_attempts == 5);
    CHECK(s.consecutive_failures == k + 1);
    CHECK(s.restart_delay_s == Approx(backoff[k]));
  }
  const Table g = stopped_tasks_table(r);
  REQUIRE(g.rows() == 1);
  CHECK(g.at("tasks").integers[0] == 3);
  CHECK(g.at("first_s").reals[0] == Approx(82.3));
  CHECK(g.at("last_s").reals[0] == Approx(156.9));
  const auto& cause = g.at("cause");
  CHECK(cause.dictionary[cause.codes[0]] ==
        "registry failing 01:00\u201303:10 (faults/0: 503 Service Unavailable) \u2192 every pull attempt refused (5 attempts "
        "with the agent's backoff) \u2192 CannotPullContainerError \u2192 TaskFailedToStart \u2192 3 tasks \u2192 the service "
        "backs off (next attempt in 10 s to 40 s, after up to 3 consecutive failures)");
}

TEST_CASE("registry fault: a retry after the outage ends succeeds, slowed by the attempts before it", "[faults][registry]") {
  // Outage 60 s to 145 s: launches 1 and 2 fail as above; launch 3 (134.6, PENDING 137.7) is
  // refused at 137.7, 139.3 (+0.5 +1.1) and 142.0 (+0.5 +2.2), accepted at 146.9 (+0.5 +4.4):
  // pulled at 146.9 + 0.3 = 147.2 (an image_pull phase of 9.5 s), RUNNING at 147.2 + 3 = 150.2.
  json doc = deterministic_scenario();
  doc["faults"] = {{{"type", "registry"}, {"start", "60s"}, {"end", "145s"}}};
  const RunResult r = run(Scenario::from_json(doc));
  const auto t = tasks_of(r, "api");
  REQUIRE(t.size() == 3);
  CHECK(t[1]->stop_code == "TaskFailedToStart");
  CHECK(t[2]->created_s == Approx(134.6).margin(1e-6));
  CHECK(t[2]->phase_seconds[3] == Approx(9.5).margin(1e-6));
  CHECK(t[2]->started_s == Approx(150.2).margin(1e-6));
}

TEST_CASE("registry fault: a throttled registry admits throttle_rate pulls per second and refuses the rest with 429",
          "[faults][registry]") {
  // 3 RunTask tasks at 30 s, all PENDING at 33.1; the registry throttles from 0 to 60 s at
  // 0.1 pulls/s (a bucket of 1 token refilled every 10 s). Attempts at 33.1: the first takes the
  // token, the others get 429 and retry at 34.7 (+1.6) and 37.4 (+2.7), refused, and 42.3
  // (+4.9): the token refilled at 43.1 is not there yet, refused; 47.8 (+5.5): one takes the
  // token of 43.1; the other is refused a 5th time and fails at 48.3.
  json doc = deterministic_scenario();
  doc["faults"] = {{{"type", "registry"}, {"start", "0s"}, {"end", "60s"}, {"mode", "throttle"}, {"throttle_rate", 0.1}}};
  doc["tasks"] = {{{"name", "job"}, {"at", "30s"}, {"count", 3}, {"task", doc["services"][0]["task"]}}};
  const RunResult r = run(Scenario::from_json(doc));
  const auto t = tasks_of(r, "job");
  REQUIRE(t.size() == 3);
  std::vector<double> pulls;
  int failed = 0;
  for (const auto* x : t) {
    if (x->stop_code == "TaskFailedToStart") {
      ++failed;
      CHECK(x->stopped_reason.find("Too Many Requests") != std::string::npos);
      CHECK(x->stopped_s == Approx(48.3 + 4).margin(1e-6));
    } else {
      pulls.push_back(x->phase_seconds[3]);
    }
  }
  CHECK(failed == 1);
  std::sort(pulls.begin(), pulls.end());
  REQUIRE(pulls.size() == 2);
  CHECK(pulls[0] == Approx(0.3).margin(1e-6));                 // accepted at once
  CHECK(pulls[1] == Approx(47.8 - 33.1 + 0.3).margin(1e-6));  // accepted at the 5th attempt
}

TEST_CASE("secrets fault: only tasks with secrets fail to start, with ResourceInitializationError", "[faults][secrets]") {
  // Secrets Manager down from 0 to 60 s; two RunTask tasks at 30 s, PENDING at 33.1: the one
  // with 2 secrets fails there and is STOPPED at 37.1 (ENI detach); the one without runs at 36.4.
  json doc = deterministic_scenario();
  doc["faults"] = {{{"type", "secrets"}, {"start", "0s"}, {"end", "1m"}}};
  json with = doc["services"][0]["task"];
  with["secrets"] = 2;
  doc["tasks"] = {{{"name", "with-secrets"}, {"at", "30s"}, {"task", with}},
                  {{"name", "without"}, {"at", "30s"}, {"task", doc["services"][0]["task"]}}};
  const RunResult r = run(Scenario::from_json(doc));
  const auto a = tasks_of(r, "with-secrets"), b = tasks_of(r, "without");
  REQUIRE(a.size() == 1);
  REQUIRE(b.size() == 1);
  CHECK(a[0]->stop_code == "TaskFailedToStart");
  CHECK(a[0]->stopped_reason.rfind("ResourceInitializationError: unable to pull secrets or registry auth", 0) == 0);
  CHECK(a[0]->stopped_s == Approx(37.1).margin(1e-6));
  CHECK(b[0]->last_state == "RUNNING");
  CHECK(b[0]->started_s == Approx(36.4).margin(1e-6));
  // The service (no secrets) scaled out at 1 m is unaffected, and the chain names the window.
  CHECK(tasks_of(r, "api").at(0)->last_state == "RUNNING");
  const Table g = stopped_tasks_table(r);
  REQUIRE(g.rows() == 1);
  const auto& cause = g.at("cause");
  CHECK(cause.dictionary[cause.codes[0]] ==
        "Secrets Manager unavailable 00:00\u201301:00 (faults/0) \u2192 the task's secrets cannot be retrieved at start \u2192 "
        "ResourceInitializationError \u2192 TaskFailedToStart \u2192 1 task \u2192 RunTask does not retry a standalone task");
}

TEST_CASE("secrets fault: an ECS task definition's secrets and repositoryCredentials count", "[faults][secrets]") {
  json doc = deterministic_scenario();
  doc["faults"] = {{{"type", "secrets"}, {"start", "0s"}, {"end", "1m"}}};
  json td = {{"family", "app"},
             {"cpu", "1024"},
             {"memory", "2048"},
             {"containerDefinitions",
              {{{"name", "app"},
                {"image", "ghcr.io/acme/app:1"},
                {"repositoryCredentials", {{"credentialsParameter", "arn:aws:secretsmanager:us-east-1:1:secret:gh"}}},
                {"x-fargatelab", {{"image_size_mb", 1}, {"layers", 1}}}}}}};
  doc["tasks"] = {{{"name", "job"}, {"at", "30s"}, {"task", {{"ecs_task_definition", td}}}}};
  const RunResult r = run(Scenario::from_json(doc));
  CHECK(tasks_of(r, "job").at(0)->stop_code == "TaskFailedToStart");
}

TEST_CASE("faults: every bad field is reported at once at its pointer", "[faults][scenario]") {
  json doc = deterministic_scenario();
  doc["faults"] = {{{"type", "registry"}, {"start", "15m"}, {"end", "5m"}},
                   {{"type", "registry"}, {"start", "1m"}, {"end", "2m"}, {"mode", "flaky"}},
                   {{"type", "secrets"}, {"start", "3m"}, {"end", "3m"}},
                   {{"type", "registry"}, {"start", "1m"}, {"end", "2m"}, {"retry_delay", "10s"}, {"retry_delay_max", "5s"}}};
  try {
    (void)Scenario::from_json(doc);
    FAIL("no error");
  } catch (const ScenarioError& e) {
    std::vector<std::string> pointers;
    for (const auto& d : e.diagnostics()) pointers.push_back(d.pointer);
    INFO(e.what());
    CHECK(std::count(pointers.begin(), pointers.end(), "/faults/0/end") == 1);
    CHECK(std::count(pointers.begin(), pointers.end(), "/faults/1/mode") == 1);
    CHECK(std::count(pointers.begin(), pointers.end(), "/faults/2/end") == 1);
    CHECK(std::count(pointers.begin(), pointers.end(), "/faults/3/retry_delay_max") == 1);
    CHECK(pointers.size() == 4);
  }
}

TEST_CASE("faults: without faults the run is unchanged and there are no stopped tasks", "[faults]") {
  json doc = deterministic_scenario();
  const RunResult a = run(Scenario::from_json(doc));
  doc["faults"] = json::array();
  const RunResult b = run(Scenario::from_json(doc));
  CHECK(summary_json(a).at("fingerprint") == summary_json(b).at("fingerprint"));
  CHECK(a.stopped_tasks.empty());
  CHECK(explain_text(a).find("no task stopped") != std::string::npos);
}

TEST_CASE("registry fault: during a deployment the circuit breaker counts the failed pulls and rolls back",
          "[faults][registry][deployment]") {
  // 2 warm tasks; v2 deployed at 60 s (min 100 %, max 200 %: 2 new tasks at once), the
  // registry failing from 50 s on. The breaker's threshold is max(3, ceil(0.5 x 2)) = 3. Both
  // new tasks fail at 60 + 3.1 + 15.2 = 78.3 s (STOPPED 82.3, backoff 10 then 20 s); relaunched
  // at 102.3 s, both fail at 120.6 s: the third failure fails the deployment there and rolls back
  // to the initial revision, whose 2 tasks still run. 4 tasks failed to start.
  json doc = deterministic_scenario();
  doc["services"][0]["desired_count"] = 2;
  doc["services"][0].erase("schedule");
  doc["services"][0]["revisions"] = {{{"name", "v2"}, {"task", {{"image", {{"size_mb", 0}}}}}}};
  doc["services"][0]["deployments"] = {
      {{"at", "60s"}, {"revision", "v2"},
       {"strategy", "rolling(minimum_healthy_percent=100, maximum_percent=200, circuit_breaker=true, rollback=true)"}}};
  doc["faults"] = {{{"type", "registry"}, {"start", "50s"}, {"end", "10m"}}};
  const RunResult r = run(Scenario::from_json(doc));
  REQUIRE(r.breaker_trips.size() == 1);
  const CircuitBreakerTrip& trip = r.breaker_trips[0];
  CHECK(trip.at_s == Approx(120.6).margin(1e-6));
  CHECK(trip.failed_tasks == 3);
  CHECK(trip.threshold == 3);
  CHECK(trip.revision == "v2");
  CHECK(trip.rolled_back_to == "initial");
  const Table g = stopped_tasks_table(r);
  REQUIRE(g.rows() == 1);
  CHECK(g.at("tasks").integers[0] == 4);
  const auto& rev = g.at("revisions");
  CHECK(rev.dictionary[rev.codes[0]] == "v2");
  const auto& cause = g.at("cause");
  const std::string chain = cause.dictionary[cause.codes[0]];
  INFO(chain);
  CHECK(chain.find("\u2192 TaskFailedToStart \u2192 4 tasks \u2192 the service backs off") != std::string::npos);
  CHECK(chain.find("\u2192 circuit breaker: deployment " + trip.deployment +
                   " of api (v2) failed at 02:01 (3 failed tasks, threshold 3), rolled back to initial") != std::string::npos);
}

TEST_CASE("registry fault on EC2: a cached image is the fallback with pull behavior default, and fails with always",
          "[faults][registry][ecs_ec2]") {
  // One m5.large (room for 2 tasks of 1 vCPU) with the warm task's image cached; at 10 s a second
  // task is placed there and its ENI attached (2 s): PENDING at 12 s, the registry failing
  // throughout. default: 5 refused attempts (15.2 s), then the cached image (1 s), container
  // start 1 s, ACTIVATING 1 s: RUNNING at 30.2 s. once: no pull at all, RUNNING at 14 s.
  // always: fails at 27.2 s, STOPPED at 28.2 s (ENI detach 1 s).
  auto scenario = [](const char* behavior) {
    json doc = {{"schema_version", 1},
                {"duration", 120},
                {"services",
                 {{{"name", "api"},
                   {"platform", "ecs_ec2"},
                   {"load_balancer", "none"},
                   {"desired_count", 1},
                   {"schedule", {{{"at", "10s"}, {"desired_count", 2}}}},
                   {"task",
                    {{"cpu", 1024}, {"memory", 2048}, {"shutdown_time", "constant(value=0)"}, {"init_cpu_seconds", "constant(value=0)"}}}}}},
                {"workloads", {{{"name", "idle"}, {"target", "api"}, {"arrival", "poisson(rate=1e-12)"}}}},
                {"fargate", {{"eni_attach", "constant(value=2)"}, {"activating", "constant(value=1)"}, {"eni_detach", "constant(value=1)"}}},
                {"ec2",
                 {{"capacity_providers", {{{"name", "cp"}, {"instance_type", "m5.large"}}}},
                  {"instance_launch", "constant(value=30)"},
                  {"cached_pull", "constant(value=1)"},
                  {"image_pull_behavior", behavior}}},
                {"faults", {{{"type", "registry"}, {"start", "0s"}, {"end", "10m"}}}}};
    const RunResult r = run(Scenario::from_json(doc));
    const auto t = tasks_of(r, "api");
    REQUIRE(t.size() >= 2);  // with always, the failed task's replacements follow
    return *t[1];            // the task created at 10 s
  };
  const TaskRecord by_default = scenario("default");
  CHECK(by_default.last_state == "RUNNING");
  CHECK(by_default.started_s == Approx(30.2).margin(1e-6));
  const TaskRecord once = scenario("once");
  CHECK(once.started_s == Approx(14.0).margin(1e-6));
  const TaskRecord always = scenario("always");
  CHECK(always.stop_code == "TaskFailedToStart");
  CHECK(always.stopped_reason.rfind("CannotPullContainerError", 0) == 0);
  CHECK(always.stopped_s == Approx(28.2).margin(1e-6));
}
