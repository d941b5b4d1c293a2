// Comparison rows (fargatelab/compare.hpp) from hand-written typed results, their JSON, text and tables.
#include <catch2/catch.hpp>

#include <cmath>
#include <regex>
#include <sstream>

#include "fargatelab/compare.hpp"
#include "platforms/ecs_ec2/ec2_results.hpp"
#include "platforms/lambda/lambda_results.hpp"

using namespace fargatelab;
using fargatelab::detail::Ec2Results;
using fargatelab::detail::LambdaResults;
using nlohmann::json;

namespace {

LatencySummary latency(Number p50, Number p95, Number p99) {
  LatencySummary l;
  l.p50 = p50;
  l.p95 = p95;
  l.p99 = p99;
  return l;
}

ServiceResults service(Number requests, Number errors, double error_rate, double cpu_pct, double vcpu, double tasks,
                       const LatencySummary& latency_ms) {
  ServiceResults s;
  s.requests = requests;
  s.errors_total = errors;
  s.error_rate = error_rate;
  s.cpu_utilization_pct = cpu_pct;
  s.vcpu_mean = vcpu;
  s.tasks = tasks;
  s.latency_ms = latency_ms;
  return s;
}

// The clients' figures: arrivals, errors (of them throttled and rejected), latency, SLO 250 ms.
ClientResults clients(Number arrivals, Number errors, Number throttled, Number rejected, const LatencySummary& latency_ms,
                      double within_slo) {
  ClientResults c;
  c.arrivals = arrivals;
  c.errors_total = errors;
  c.errors.throttled = throttled;
  c.errors.rejected = rejected;
  c.latency_ms = latency_ms;
  c.within_slo = within_slo;
  c.slo_ms = 250.0;
  return c;
}

// Two services on ECS on EC2 (or, read as a Fargate option, on Fargate), two replications: the
// typed results as run() leaves them.
RunResult two_services() {
  RunResult r;
  r.info.replications = 2;
  r.info.duration_s = 7200.0;
  r.info.warmup_s = 60.0;
  r.info.seed = 7;
  Results& m = r.results;
  m.cost.monthly_usd = 300.0;
  m.clients = clients(1000, 25, 4, 6, latency(20.0, 80.0, 150.0), 0.97);
  m.clients.errors.timeout = 15;
  m.services["api"] = service(1000, 25, 0.025, 50.0, 3.0, 3.0, latency(20.0, 80.0, 150.0));
  m.services["api"].tasks_launch.launched = 4;
  m.services["worker"] = service(400, 0, 0.0, 25.0, 2.0, 4.0, latency(5.0, 9.0, Number()));
  m.services["worker"].tasks_launch.launched = 5;
  auto ec2 = std::make_shared<Ec2Results>();
  ec2->capacity_providers["a"].instances_mean = 2.0;
  ec2->capacity_providers["a"].vcpu_per_instance = 2;
  ec2->capacity_providers["b"].instances_mean = 1.5;
  ec2->capacity_providers["b"].vcpu_per_instance = 4;
  m.platforms.push_back(ec2);
  r.ci95.cost.monthly_usd = 12.5;
  r.ci95.clients.latency_ms = latency(1.0, 2.0, 9.0);
  r.ci95.clients.within_slo = 0.01;
  Bill bill;
  bill.period_hours = 2.0;
  bill.items.push_back({"Amazon EC2", "m6i.large (a)", 4.0, "instance-h", 0.096, 0.384, "2 instances x 2 h"});
  r.per_replication.push_back({m, 0, 0, "", bill});
  r.per_replication.push_back({m, 1, 0, "", std::nullopt});
  return r;
}

// One Lambda function, one replication, not billed.
RunResult one_function() {
  RunResult r;
  r.info.replications = 1;
  r.info.duration_s = 600.0;
  r.info.seed = 7;
  Results& m = r.results;
  m.cost.error = Text{"no catalog for region xx-east-1"};
  m.clients = clients(200, 0, 0, 0, latency(30.0, 60.0, 90.0), 1.0);
  m.services["fn"] = service(200, 0, 0.0, 50.0, 0.6, 1.2, latency(30.0, 60.0, 90.0));
  auto fn = std::make_shared<LambdaResults>();
  fn->invocations = 200;
  fn->cold_starts = 10;
  fn->environments_mean = 2.5;
  m.services["fn"].platform.push_back(fn);
  r.ci95 = aggregate({&m}).ci95;  // one replication: every half-width none
  r.per_replication.push_back({m, 0, 0, "", std::nullopt});
  return r;
}

// The cells of a text-table line (columns are two or more spaces apart).
std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::regex gap("  +");
  for (std::sregex_token_iterator it(line.begin(), line.end(), gap, -1), end; it != end; ++it)
    if (!it->str().empty()) out.push_back(it->str());
  return out;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

}  // namespace

TEST_CASE("compare: a row on EC2 pays for the instances' vCPU", "[compare]") {
  const ComparisonRow r = comparison_row(two_services(), "ecs_ec2");
  CHECK(r.option == "ecs_ec2");
  CHECK(r.replications == 2);
  CHECK(r.duration_s == 7200.0);
  CHECK(r.seed == 7);
  CHECK(r.monthly_cost_usd == 300.0);
  CHECK(r.monthly_cost_usd_ci == 12.5);
  CHECK(r.latency_p99_ms == 150.0);
  CHECK(r.latency_p99_ms_ci == 9.0);
  CHECK(r.slo_attainment == 0.97);
  CHECK(r.slo_ms == 250.0);
  CHECK(r.requests == 1000);
  CHECK(r.errors == 25);
  CHECK(r.error_rate == 0.025);  // 25 / 1000
  CHECK(r.throttles == 10);      // 4 throttled + 6 rejected
  // Paid: 2 instances x 2 vCPU + 1.5 x 4 = 10 vCPU; used: 3 x 50 % + 2 x 25 % = 2 vCPU.
  CHECK(r.utilization_pct == Approx(20.0));
  CHECK(r.idle_paid_pct == Approx(80.0));
  CHECK(r.instances == 3.5);
  CHECK(r.mean_capacity == 7.0);  // 3 + 4 tasks
  CHECK(r.tasks_launched == 9);   // 4 + 5
  CHECK(std::isnan(r.cold_starts));
  CHECK(std::isnan(r.cold_start_share));
  REQUIRE(r.services.size() == 2);
  CHECK(r.services[1].service == "worker");
  CHECK(r.services[1].tasks_launched == 5);
  CHECK(std::isnan(r.services[1].latency_p99_ms));  // none in the results
  // Replication 0's bill, 2 h scaled to 730 h: x 365.
  REQUIRE(r.monthly_bill);
  CHECK(r.monthly_bill->period_hours == 2.0);
  REQUIRE(r.monthly_bill->items.size() == 1);
  CHECK(r.monthly_bill->items[0].quantity == Approx(1460.0));
  CHECK(r.monthly_bill->items[0].amount_usd == Approx(140.16));
  CHECK(r.monthly_bill->items[0].rate_usd == 0.096);
  CHECK(r.monthly_bill->items[0].arithmetic == "2 instances x 2 h");

  // The same run as a Fargate option: the tasks' 5 vCPU are what is paid for, no instances.
  const ComparisonRow f = comparison_row(two_services(), "fargate");
  CHECK(f.utilization_pct == Approx(40.0));
  CHECK(f.idle_paid_pct == Approx(60.0));
  CHECK(std::isnan(f.instances));
}

TEST_CASE("compare: a function's cold-start share and environments", "[compare]") {
  const ComparisonRow r = comparison_row(one_function(), "lambda");
  CHECK(r.cold_starts == 10);
  CHECK(r.cold_start_share == 0.05);  // 10 of 200 invocations
  CHECK(std::isnan(r.tasks_launched));
  CHECK(r.mean_capacity == 1.2);              // the clients' table: time-averaged "tasks"
  CHECK(r.services[0].mean_capacity == 2.5);  // per service: execution environments
  CHECK(std::isnan(r.services[0].tasks_launched));
  CHECK(r.utilization_pct == Approx(50.0));
  CHECK(std::isnan(r.monthly_cost_usd));
  CHECK(std::isnan(r.latency_p50_ms_ci));
  CHECK_FALSE(r.monthly_bill);
}

TEST_CASE("compare: comparison.json gives the rows back", "[compare]") {
  const std::vector<ComparisonRow> rows = {comparison_row(two_services(), "ecs_ec2"), comparison_row(one_function(), "lambda")};
  const auto doc = comparison_json("shop", rows);
  CHECK(doc.at("scenario") == "shop");
  CHECK(doc.at("options") == json::array({"ecs_ec2", "lambda"}));
  CHECK(doc.at("rows").at(1).at("tasks_launched").is_null());  // NaN is null
  const auto back = comparison_rows_from_json(json::parse(doc.dump()));
  REQUIRE(back.size() == 2);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CHECK(back[i].option == rows[i].option);
    CHECK(back[i].replications == rows[i].replications);
    CHECK(back[i].seed == rows[i].seed);
    CHECK(back[i].slo_ms == rows[i].slo_ms);
    for (const auto& f : comparison_fields()) CHECK(same(back[i].*f.value, rows[i].*f.value));
    REQUIRE(back[i].services.size() == rows[i].services.size());
    CHECK(same(back[i].services[0].latency_p95_ms, rows[i].services[0].latency_p95_ms));
    CHECK(back[i].monthly_bill.has_value() == rows[i].monthly_bill.has_value());
  }
  CHECK(back[0].monthly_bill->items[0].amount_usd == rows[0].monthly_bill->items[0].amount_usd);
  CHECK(back[0].monthly_bill->items[0].unit == "instance-h");
}

TEST_CASE("compare: one text table for compare and run --platforms", "[compare]") {
  const std::vector<ComparisonRow> rows = {comparison_row(two_services(), "ecs_ec2"), comparison_row(one_function(), "lambda")};
  const auto text = lines(comparison_text("shop", rows, true));
  CHECK(text[0] == "shop — 2 option(s), 2 replication(s) of 7200 s after 60 s warm-up, seed 7");
  CHECK(cells(text[2]) == std::vector<std::string>{"option", "$/month", "p50 ms", "p95 ms", "p99 ms", "in SLO %", "errors",
                                                   "throttled", "cold %", "CPU used %", "paid idle %", "tasks/envs",
                                                   "instances"});
  CHECK(cells(text[4]) == std::vector<std::string>{"ecs_ec2", "300.00 ±12.50", "20.0 ±1.0", "80.0 ±2.0", "150.0 ±9.0",
                                                   "97.00 ±1.00", "25", "10", "-", "20.0", "80.0", "7.0", "3.5"});
  CHECK(cells(text[5]) == std::vector<std::string>{"lambda", "-", "30.0", "60.0", "90.0", "100.00", "0", "0", "5.00",
                                                   "50.0", "50.0", "1.2", "-"});
  // --itemised: the bills that exist, scaled to the month.
  const auto bill = std::find(text.begin(), text.end(), "ecs_ec2 — monthly bill (replication 0, 2 h simulated x 365)");
  REQUIRE(bill != text.end());
  CHECK(cells(*(bill + 1)) == std::vector<std::string>{"Amazon EC2", "m6i.large (a)", "$140.16"});
  CHECK(std::none_of(text.begin(), text.end(), [](const std::string& l) { return l.rfind("lambda — monthly bill", 0) == 0; }));
}

TEST_CASE("compare: the rows as tables", "[compare]") {
  const std::vector<ComparisonRow> rows = {comparison_row(two_services(), "ecs_ec2"), comparison_row(one_function(), "lambda")};
  const Table t = comparison_table(rows);
  REQUIRE(t.columns.size() == 1 + comparison_fields().size());
  CHECK(t.columns[0].name == "option");
  CHECK(t.columns[1].name == "monthly_cost_usd");
  CHECK(t.at("instances").reals[0] == 3.5);
  CHECK(std::isnan(t.at("instances").reals[1]));
  const Table s = service_comparison_table(rows);
  REQUIRE(s.rows() == 3);  // api and worker, then fn
  const TableColumn& option = s.at("option");
  CHECK(option.dictionary[option.codes[2]] == "lambda");
  CHECK(s.at("service").dictionary[s.at("service").codes[1]] == "worker");
  CHECK(s.at("requests").reals == std::vector<double>{1000, 400, 200});
  const Table b = bill_table(rows[0]);
  REQUIRE(b.rows() == 1);
  CHECK(b.columns[2].name == "quantity");
  CHECK(bill_table(rows[1]).rows() == 0);
  CHECK(bill_table(rows[1]).columns.size() == 7);
}
