// The typed results (fargatelab/results.hpp): their JSON against the committed golden summaries,
// the aggregation across replications by hand, and the consumers that read them (the summary
// table, the results tables; comparison rows: compare_test.cpp).
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <regex>
#include <sstream>

#include "fargatelab/results.hpp"
#include "fargatelab/run.hpp"
#include "fargatelab/table.hpp"
#include "platforms/lambda/lambda_results.hpp"
#include "results/result_fields.hpp"
#include "serving/service.hpp"

using namespace fargatelab;
using nlohmann::json;

namespace {

Results with_requests(Number requests) {
  Results r;
  r.services["api"].requests = requests;
  return r;
}

// The cells of the line of `text` that starts with `first` after the line starting with
// `heading` (columns of a text table are two or more spaces apart).
std::vector<std::string> row_of(const std::string& text, const std::string& heading, const std::string& first) {
  std::istringstream in(text);
  bool in_table = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(heading, 0) == 0) in_table = true;
    if (line.empty()) in_table = false;
    if (!in_table || line.rfind(first + " ", 0) != 0) continue;
    std::vector<std::string> out;
    std::regex gap("  +");
    for (std::sregex_token_iterator it(line.begin(), line.end(), gap, -1), end; it != end; ++it)
      if (!it->str().empty()) out.push_back(it->str());
    return out;
  }
  return {};
}

AggregatedResults aggregate_of(const std::vector<Results>& reps) {
  std::vector<const Results*> ptrs;
  for (const auto& r : reps) ptrs.push_back(&r);
  return aggregate(ptrs);
}

}  // namespace

TEST_CASE("results: the golden runs' summaries, byte for byte from the typed results", "[results]") {
  // tests/golden/golden.py's cases (name, scenario, overrides): the committed summary is the
  // document Python wrote from summary_json_text, keys sorted, without fargatelab_version.
  struct Case {
    const char* name;
    const char* scenario;
    std::vector<std::string> overrides;
  };
  const std::vector<Case> cases = {
      {"mm1_queue", "mm1_queue.json", {"duration=\"2h\"", "warmup=\"10m\"", "replications=2"}},
      {"small_subnet", "fargate/small_subnet.json", {"duration=\"15m\""}},
      {"spot_heavy", "fargate/spot_heavy.json", {"duration=\"1h\"", "replications=2"}},
      {"ec2_cluster", "ecs_ec2/cluster_autoscaling.json", {"duration=\"1h\""}},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    const RunResult r = run(Scenario::from_file(FARGATELAB_SOURCE_DIR "/scenarios/examples/" + std::string(c.scenario), c.overrides));
    json made = summary_json(r);
    made.erase("fargatelab_version");
    std::ifstream in(FARGATELAB_SOURCE_DIR "/tests/golden/" + std::string(c.name) + ".summary.json");
    REQUIRE(in);
    // Dumped, not compared with ==: nlohmann's == finds 1 and 1.0 equal; the text does not.
    CHECK(json::parse(in).dump() == made.dump());
    // The text writer is the same document.
    CHECK(json::parse(summary_json_text(r)) == summary_json(r));
  }
}

TEST_CASE("results: a count over 3 replications, its mean and t-based 95% half-width", "[results]") {
  const AggregatedResults a = aggregate_of({with_requests(10), with_requests(12), with_requests(17)});
  const Number& mean = a.mean.services.at("api").requests;
  const Number& ci = a.ci95.services.at("api").requests;
  // Mean (10 + 12 + 17) / 3 = 13, a measure now. Sample variance ((-3)^2 + (-1)^2 + 4^2) / 2 = 13;
  // half-width t(0.975, 2 df) x s / sqrt(3) = 4.303 x 3.605551 / 1.732051 = 8.957409 (t from the
  // three-decimal table of student_t_critical).
  CHECK_FALSE(mean.is_count());
  CHECK(mean.value() == Approx(13.0));
  CHECK(ci.value() == Approx(8.957409).epsilon(1e-6));
  CHECK(to_json(a.mean).at("services").at("api").at("requests").is_number_float());
  // A figure none in every replication (no latency): none, and null in JSON.
  CHECK_FALSE(a.mean.services.at("api").latency_ms.p99.has_value());
  CHECK(to_json(a.ci95).at("services").at("api").at("latency_ms").at("p99").is_null());
}

TEST_CASE("results: one replication keeps its values as they are", "[results]") {
  const AggregatedResults a = aggregate_of({with_requests(10)});
  CHECK(a.mean.services.at("api").requests == Number(10));
  CHECK(a.mean.services.at("api").requests.is_count());
  CHECK_FALSE(a.ci95.services.at("api").requests.has_value());
  CHECK(to_json(a.mean).at("services").at("api").at("requests").dump() == "10");
}

TEST_CASE("results: keys some replications lack, text, and platform blocks across replications", "[results]") {
  std::vector<Results> reps(2);
  // A failure reason only in replication 1: its mean is of the replications that have it.
  reps[1].services["api"].tasks_launch.failure_reasons["ResourceInitializationError"] = 4;
  // A launch phase only in replication 1: null (the first replication has none).
  reps[1].services["api"].tasks_launch.launch_phases_s["throttled"] = SecondsSummary{3, 1.5, 1.0, 2.0, 2.0, 2.0};
  // A phase in both: aggregated field by field.
  reps[0].services["api"].tasks_launch.launch_phases_s["provisioning"] = SecondsSummary{2, 10.0, 10.0, 12.0, 12.0, 12.0};
  reps[1].services["api"].tasks_launch.launch_phases_s["provisioning"] = SecondsSummary{4, 20.0, 20.0, 22.0, 22.0, 22.0};
  reps[0].cost.error = Text{"first"};
  reps[1].cost.error = Text{"second"};
  for (int r = 0; r < 2; ++r) {
    auto fn = std::make_shared<detail::LambdaResults>();
    fn->cold_starts = 10 + 4 * r;  // 10, 14
    reps[r].services["api"].platform.push_back(fn);
  }
  const AggregatedResults a = aggregate_of(reps);
  const TaskLaunches& l = a.mean.services.at("api").tasks_launch;
  CHECK(l.failure_reasons.at("ResourceInitializationError").value() == 4.0);
  CHECK_FALSE(a.ci95.services.at("api").tasks_launch.failure_reasons.at("ResourceInitializationError").has_value());  // one value
  CHECK_FALSE(l.launch_phases_s.at("throttled").has_value());
  CHECK(to_json(a.mean).at("services").at("api").at("tasks_launch").at("launch_phases_s").at("throttled").is_null());
  REQUIRE(l.launch_phases_s.at("provisioning"));
  CHECK(l.launch_phases_s.at("provisioning")->count.value() == 3.0);  // (2 + 4) / 2
  CHECK(l.launch_phases_s.at("provisioning")->mean.value() == 15.0);
  CHECK(a.mean.cost.error->value == "first");
  CHECK_FALSE(a.ci95.cost.error->value);
  // The Lambda block, aggregated as its own type: cold starts (10 + 14) / 2 = 12; half-width
  // t(0.975, 1 df) x s / sqrt(2) = 12.706 x 2.828427 / 1.414214 = 25.412.
  const auto fn = function_figures(a.mean.services.at("api").platform);
  REQUIRE(fn);
  CHECK(fn->cold_starts.value() == 12.0);
  const auto fn_ci = function_figures(a.ci95.services.at("api").platform);
  REQUIRE(fn_ci);
  CHECK(fn_ci->cold_starts.value() == Approx(25.412).epsilon(1e-9));
  CHECK(to_json(a.mean).at("services").at("api").at("lambda").at("cold_starts") == 12.0);
}

TEST_CASE("results: every error outcome has its field in Errors, under its outcome's name", "[results]") {
  Errors all;
  all.app_error = Number(0);  // present in scenarios that can answer application errors
  const json errors = detail::result_fields::to_json(all);
  CHECK(errors.size() == detail::kOutcomeCount);  // timeout, then every outcome but ok
  CHECK_FALSE(detail::result_fields::to_json(Errors{}).contains("app_error"));  // absent otherwise
  CHECK(errors.contains("timeout"));
  for (std::size_t o = 1; o < detail::kOutcomeCount; ++o) CHECK(errors.contains(detail::outcome_name(static_cast<detail::Outcome>(o))));
}

TEST_CASE("results: the summary table and the results tables read the typed results", "[results]") {
  RunResult r;
  r.info = {"hand", "", 7, 1, 600.0, 0.0, 60.0, "", {}, {}};
  ServiceResults& api = r.results.services["api"];
  api.requests = 120;
  api.ok = 118;
  api.errors_total = 2;
  api.errors.timeout = 2;
  api.throughput_rps = 0.19666666;
  api.latency_ms.p50 = 12.34;
  api.tasks_launch.launched = 3;
  ServiceResults& fn = r.results.services["fn"];
  fn.requests = 40;
  auto block = std::make_shared<detail::LambdaResults>();
  block->invocations = 40;
  block->cold_starts = 4;
  block->cold_start_pct = 10.0;
  fn.platform.push_back(block);
  r.results.workloads["users"].classes["browse"].requests = 160;
  r.ci95 = aggregate({&r.results}).ci95;
  const std::string text = summary_table(r);
  CHECK(text.find("hand — 1 replication, 600 s simulated after 0 s warm-up, seed 7") == 0);
  // The service table: 120 requests, 118 ok, 2 errors, 2 timeouts, 0.20 req/s, p50 12.3 ms, the rest none.
  CHECK(row_of(text, "service", "api") ==
        std::vector<std::string>{"api", "120", "118", "2", "2", "0.20", "12.3", "-", "-", "-", "-", "-"});
  CHECK(row_of(text, "workload", "users").at(1) == "-");  // arrivals: none set
  // ECS services' launches; the function goes to its block's table instead.
  CHECK(row_of(text, "tasks of", "api").at(1) == "3");
  CHECK(row_of(text, "tasks of", "fn").empty());
  CHECK(row_of(text, "function", "fn") == std::vector<std::string>{"fn", "40", "4", "10.00", "-", "-", "-"});
  const Table services = service_results_table(r);
  CHECK(services.at("service").dictionary == std::vector<std::string>{"api", "fn"});
  CHECK(services.at("requests").type == TableColumn::Type::integer);  // counts, one replication
  CHECK(services.at("requests").integers == std::vector<std::int64_t>{120, 40});
  CHECK(services.at("latency_p50_ms").type == TableColumn::Type::real);
  CHECK(services.at("latency_p50_ms").reals[0] == 12.34);
  CHECK(std::isnan(services.at("latency_p50_ms").reals[1]));  // none
  const Table workloads = workload_results_table(r);
  CHECK(workloads.rows() == 1);
  CHECK(workloads.at("requests").integers == std::vector<std::int64_t>{160});
  CHECK(workloads.columns[4].name == "errors_dead_letter");  // after the keys, requests and ok: by name
}
