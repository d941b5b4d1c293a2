// A revision that leaks memory (behavior.memory_leak_mib_per_hour): its tasks' memory grows from
// RUNNING until the task's memory is used up, then the essential container is killed
// (EssentialContainerExited, OutOfMemoryError, exit code 137) and the service replaces it, which
// leaks the same way. Times by hand from the fixed launch phases of deterministic_fargate.hpp.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "deployment_fixture.hpp"
#include "deterministic_fargate.hpp"
#include "fargatelab/diagnostics.hpp"
#include "fargatelab/run.hpp"

using namespace fargatelab;
using nlohmann::json;
using deployment_fixture::left_running;

namespace {

// 2 warm tasks of 1 vCPU and 2048 MiB with a 512 MiB serving baseline, no load balancer; v2,
// leaking 768 MiB/h, rolls out at 60 s. A task launched at L is RUNNING at L + 3 (provisioning)
// + 0.1 (microVM) + 0.3 (empty image) + 2 (container start 1 s + 1 CPU-s of init) + 1
// (ACTIVATING) = L + 6.4 s. The leak fills 2048 - 512 = 1536 MiB in 1536 / 768 = 2 h.
json leak_scenario(double leak_mib_per_hour) {
  return {{"schema_version", 1},
          {"duration", "3h"},
          {"fargate", deterministic_fargate()},
          {"services",
           {{{"name", "api"},
             {"desired_count", 2},
             {"load_balancer", "none"},
             {"serving", {{"memory_baseline_mib", 512}}},
             {"task", deterministic_task()},
             {"revisions", {{{"name", "v2"}, {"behavior", {{"memory_leak_mib_per_hour", leak_mib_per_hour}}}}}},
             {"deployments", {{{"at", "60s"}, {"revision", "v2"}}}}}}},
          {"workloads", {{{"name", "w"}, {"target", "api"}, {"arrival", "poisson(rate=1e-9)"}}}},
          {"output", {{"event_log", true}, {"cloudwatch_metrics", true}}}};
}

const TaskRecord& task(const RunResult& r, const std::string& name) {
  for (const auto& t : r.tasks)
    if (t.task == name) return t;
  FAIL("no task " << name);
  throw;
}

}  // namespace

TEST_CASE("memory leak: a leaking revision's tasks are killed at their memory, then replaced", "[deployment][memory_leak]") {
  const RunResult r = run(Scenario::from_json(leak_scenario(768)));
  // v2's first tasks: launched at 60 s, RUNNING at 66.4 s, killed 2 h later at 7266.4 s.
  const auto left = left_running(r);
  for (const char* name : {"api/3", "api/4"}) {
    INFO(name);
    const TaskRecord& t = task(r, name);
    CHECK(t.created_s == Approx(60.0));
    CHECK(t.started_s == Approx(66.4));
    CHECK(left.at(name) == Approx(66.4 + 7200.0));
    CHECK(t.stop_code == "EssentialContainerExited");
    CHECK(t.stopped_reason == "OutOfMemoryError: Container killed due to memory usage (exit code 137)");
  }
  // Their replacements run v2 too: launched at the kill, they leak again (killed 2 h after their
  // own RUNNING, after the 3 h run).
  int replacements = 0;
  for (const auto& t : r.tasks)
    if (t.created_s >= 7266.4 - 1e-6) {
      ++replacements;
      CHECK(t.last_state == "RUNNING");
    }
  CHECK(replacements == 2);
  // MemoryUtilization (sampled at the period's end) counts the leak: for [3600, 3660) both v2
  // tasks hold 512 + 768 x (3660 - 66.4) / 3600 MiB of 2048.
  const double expected = 100.0 * (512 + 768 * (3660 - 66.4) / 3600) / 2048;
  bool found = false;
  for (const auto& row : r.cloudwatch)
    if (row.metric == "MemoryUtilization" && row.time_s == 3600) {
      found = true;
      CHECK(row.value == Approx(expected).epsilon(1e-9));
    }
  CHECK(found);
  // explain names the leak and the arithmetic behind the kill.
  const std::string text = explain_text(r);
  INFO(text);
  CHECK(text.find("OutOfMemoryError: Container killed due to memory usage (exit code 137)") != std::string::npos);
  CHECK(text.find("revision v2 leaks 768 MiB/h from RUNNING: the 1536 MiB its 2048 MiB leave above the 512 MiB baseline fill in 2 h") !=
        std::string::npos);
  CHECK(text.find("\u2192 the kernel's OOM killer stops its essential container (exit code 137)\n"
                  "   \u2192 EssentialContainerExited\n   \u2192 2 tasks") != std::string::npos);
  CHECK(text.find("each replacement leaks the same way: a crash loop") != std::string::npos);
}

TEST_CASE("memory leak: a negative rate is refused by pointer", "[deployment][memory_leak]") {
  try {
    (void)Scenario::from_json(leak_scenario(-1));
    FAIL("a negative leak was accepted");
  } catch (const ScenarioError& e) {
    bool found = false;
    for (const auto& d : e.diagnostics())
      if (d.pointer == "/services/0/revisions/0/behavior/memory_leak_mib_per_hour") found = true;
    CHECK(found);
  }
}
