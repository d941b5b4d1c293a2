// The billing observer: simulated runs billed by AWS's rules, checked against hand arithmetic
// with the us-east-1 catalog (Fargate $0.04048/vCPU-h and $0.004445/GB-h; m5.large $0.096/h,
// Spot saving 66 %; Lambda $0.20 per million requests and $0.0000166667/GB-s; App Runner
// $0.064/vCPU-h active and $0.007/GB-h provisioned; NAT $0.045/h and $0.045/GB).
#include <catch2/catch.hpp>

#include <string>

#include "fargatelab/run.hpp"

using namespace fargatelab;
using nlohmann::json;

namespace {

json base(json service, double duration_s, json workload = nullptr) {
  if (workload.is_null())
    workload = {{"name", "idle"}, {"target", service["name"]}, {"arrival", "poisson(rate=1e-12)"}};
  return {{"schema_version", 1},
          {"duration", duration_s},
          {"services", {service}},
          {"workloads", {workload}},
          {"network", {{"nat_gateways", 0}}},
          {"output", {{"event_log", false}}}};
}

json bill_of(const RunResult& r) { return summary_json(r).at("per_replication").at(0).at("bill"); }

// The amount of the line item whose item text contains `what` (0 if none).
double amount(const RunResult& r, const std::string& what) {
  double total = 0;
  for (const json& it : json(bill_of(r).at("items")))
    if (it.at("item").get<std::string>().find(what) != std::string::npos) total += it.at("amount_usd").get<double>();
  return total;
}

double quantity(const RunResult& r, const std::string& what) {
  for (const json& it : json(bill_of(r).at("items")))
    if (it.at("item").get<std::string>().find(what) != std::string::npos) return it.at("quantity").get<double>();
  return -1;
}

}  // namespace

TEST_CASE("billing: Fargate tasks running the whole hour are billed vCPU-hours and GB-hours", "[billing]") {
  // 2 warm tasks of 0.5 vCPU / 1 GB for 1 h: 2 x 0.5 x 0.04048 = $0.04048 vCPU and
  // 2 x 1 x 0.004445 = $0.00889 memory; no NAT, no load balancer here.
  json svc = {{"name", "api"}, {"desired_count", 2}, {"load_balancer", "none"}, {"task", {{"cpu", 512}, {"memory", 1024}}}};
  const RunResult r = run(Scenario::from_json(base(svc, 3600)));
  CHECK(amount(r, "vCPU (api)") == Approx(2 * 0.5 * 0.04048));
  CHECK(amount(r, "memory (api)") == Approx(2 * 1 * 0.004445));
  const json cost = summary_json(r).at("results").at("cost");
  CHECK(cost.at("total_usd").get<double>() == Approx(0.04048 + 0.00889));
  // The month: 730 h / 1 h of the same.
  CHECK(cost.at("monthly_usd").get<double>() == Approx((0.04048 + 0.00889) * 730));
}

TEST_CASE("billing: a Fargate task is billed from the start of its image pull, with a one-minute minimum", "[billing]") {
  // A cold-started task (launched at t = 0) is billed from its pull start, not its creation: the
  // vCPU-hours equal (end - pull start) summed over tasks, with pull start = created + the
  // throttled, provisioning and microVM phases.
  json svc = {{"name", "api"}, {"desired_count", 1}, {"start", "cold"}, {"load_balancer", "none"}};
  json doc = base(svc, 600);
  doc["network"]["nat_gateways"] = 1;  // the image needs a way in
  const RunResult r = run(Scenario::from_json(doc));
  double seconds = 0;
  for (const TaskRecord& t : r.tasks) {
    double before_pull = 0;
    for (std::size_t i = 0; i < r.task_phase_columns.size(); ++i)
      if (r.task_phase_columns[i] == "throttled_s" || r.task_phase_columns[i] == "provisioning_s" || r.task_phase_columns[i] == "vm_boot_s")
        before_pull += t.phase_seconds[i];
    seconds += 600 - (t.created_s + before_pull);
  }
  REQUIRE(r.tasks.size() == 1);
  CHECK(seconds < 600 - 1);  // provisioning took time that is not billed
  // Rounded up to the second: the billed vCPU-h (0.25 vCPU) are ceil(seconds) x 0.25 / 3600.
  CHECK(quantity(r, "vCPU (api)") == Approx(std::ceil(seconds) * 0.25 / 3600));
  // Batch tasks of 20 s (run_time) are each billed 60 s: in 300 s, tasks run back to back.
  json batch = {{"name", "job"}, {"desired_count", 1}, {"start", "cold"}, {"load_balancer", "none"},
                {"task", {{"cpu", 256}, {"memory", 512}, {"run_time", "constant(value=20)"}, {"init_cpu_seconds", "constant(value=0)"},
                          {"image", {{"size_mb", 10}, {"layers", 1}}}}}};
  json batch_doc = base(batch, 300);
  batch_doc["network"]["nat_gateways"] = 1;
  const RunResult b = run(Scenario::from_json(batch_doc));
  int finished = 0;
  for (const TaskRecord& t : b.tasks) finished += t.stop_code == "EssentialContainerExited";
  REQUIRE(finished >= 2);
  // Each task: pull of a 10 MB image (~2 s) + start (1 s) + ACTIVATING + 20 s + ENI detach < 60 s,
  // billed 60 s; the one still running at the end also ran under a minute and is raised to it.
  CHECK(quantity(b, "vCPU (job)") == Approx(static_cast<double>(b.tasks.size()) * 60 * 0.25 / 3600));
}

TEST_CASE("billing: EC2 instances are billed per instance-hour, Spot at the advisor's saving", "[billing]") {
  // 2 m5.large for 1 h: 2 x $0.096 = $0.192 On-Demand; Spot: x (1 - 0.66) = $0.06528.
  json svc = {{"name", "api"}, {"platform", "ecs_ec2"}, {"desired_count", 4}, {"load_balancer", "none"},
              {"task", {{"cpu", 1024}, {"memory", 2048}}}};
  json doc = base(svc, 3600);
  doc["ec2"] = {{"capacity_providers", {{{"name", "cp"}, {"instance_type", "m5.large"}, {"managed_scaling", {{"status", "DISABLED"}}}}}}};
  const RunResult od = run(Scenario::from_json(doc));
  CHECK(amount(od, "m5.large On-Demand") == Approx(0.192));
  doc["ec2"]["capacity_providers"][0]["spot"] = true;
  doc["ec2"]["capacity_providers"][0]["spot_interruption"] = 0.0;
  const RunResult spot = run(Scenario::from_json(doc));
  CHECK(amount(spot, "m5.large") == Approx(0.192 * (1 - 0.66)));
  CHECK(amount(spot, "On-Demand") == 0);
}

TEST_CASE("billing: Lambda is billed per request and per millisecond of duration at the memory size", "[billing]") {
  // 1,769 MB = 1 vCPU: a request of 0.1 CPU s runs 100 ms. 600 requests (one a second for
  // 600 s): 600 x $0.0000002 = $0.00012 requests. Duration: the 600 invocations' 60,000 ms plus the
  // one cold start's Init (a constant 200 ms here; billed since the catalog date for ZIP functions
  // on managed runtimes; the 50 ms placement is not billed) = 60,200 ms x 1769 / 1024 GB
  // = 103.997 GB-s x $0.0000166667.
  json svc = {{"name", "fn"}, {"platform", "lambda"},
              {"lambda", {{"memory", 1769}, {"idle_expiry", "constant(value=3600)"}, {"init", "constant(value=0.2)"}}}};
  json w = {{"name", "w"}, {"target", "fn"}, {"arrival", "deterministic(rate=1)"},
            {"request", {{"cpu_time", "constant(value=0.1)"}, {"timeout", "10s"}}}};
  const RunResult r = run(Scenario::from_json(base(svc, 600.5, w)));
  CHECK(amount(r, "Requests") == Approx(600 * 0.2e-6));
  const double gb_s = 60200.0 / 1000 * 1769.0 / 1024;
  CHECK(quantity(r, "Duration") == Approx(gb_s));
  CHECK(amount(r, "Duration") == Approx(gb_s * 0.0000166667));
}

TEST_CASE("billing: App Runner bills active vCPU at least a minute per activation and memory while provisioned",
          "[billing]") {
  // One 1 vCPU / 2 GB instance (min = max = 1) for 1 h: provisioned memory 1 h x 2 GB x $0.007 =
  // $0.014. A 0.1 s request every 120 s (t = 0, 120, ..., 3480): 30 activations, each billed the
  // one-minute minimum -> 30 min = 0.5 vCPU-h. A request every 10 s: an activation lasts its minute
  // (requests inside it do not start another) and the next request after the minute starts the
  // next one: activations at 0, 60, ..., 3540 s -> 60 x 60 s = 1 vCPU-h, where the requests'
  // CPU is only 360 x 0.1 s = 36 s.
  json svc = {{"name", "app"}, {"platform", "app_runner"}, {"task", {{"cpu", 1024}, {"memory", 2048}}},
              {"app_runner", {{"min_size", 1}, {"max_size", 1}}}};
  auto w = [](const std::string& rate) {
    return json{{"name", "w"}, {"target", "app"}, {"arrival", "deterministic(rate=" + rate + ")"},
                {"request", {{"cpu_time", "constant(value=0.1)"}, {"timeout", "10s"}}}};
  };
  const RunResult sparse = run(Scenario::from_json(base(svc, 3600, w("0.008333333333333333"))));
  CHECK(summary_json(sparse).at("results").at("services").at("app").at("requests") == 30);
  CHECK(amount(sparse, "Provisioned memory") == Approx(1 * 2 * 0.007).epsilon(0.001));
  CHECK(quantity(sparse, "Active vCPU") == Approx(30 * 60 / 3600.0));
  const RunResult busy = run(Scenario::from_json(base(svc, 3600, w("0.1"))));
  CHECK(quantity(busy, "Active vCPU") == Approx(1.0));
}
TEST_CASE("billing: image pulls through a NAT gateway are billed as data processed", "[billing]") {
  // One cold Fargate task pulling a 512 MB image through the scenario's one NAT gateway in a
  // 1-hour run: 512 / 1024 = 0.5 GB x $0.045 = $0.0225 processed, plus 1 gateway-hour $0.045.
  json svc = {{"name", "api"}, {"desired_count", 1}, {"start", "cold"}, {"load_balancer", "none"},
              {"task", {{"cpu", 256}, {"memory", 512}, {"image", {{"size_mb", 512}, {"layers", 4}}}}}};
  json doc = base(svc, 3600);
  doc["network"]["nat_gateways"] = 1;
  const RunResult r = run(Scenario::from_json(doc));
  CHECK(amount(r, "NAT gateway data processed") == Approx(0.5 * 0.045));
  CHECK(amount(r, "NAT gateway hours") == Approx(0.045));
}

TEST_CASE("billing: auto scaling pays CloudWatch for its alarms and its 20-second metrics", "[billing][scaling]") {
  // CloudWatch: $0.10 per alarm metric-month (standard), $0.30 high resolution (period under
  // 60 s), 20 s ECS metrics as custom metrics at $0.30 a metric-month. A 1-hour run is 1/730 of
  // a month.
  auto scaled = [](json policies) {
    json svc = {{"name", "api"}, {"desired_count", 2}, {"load_balancer", "none"}, {"scaling", policies}};
    return run(Scenario::from_json(base(svc, 3600)));
  };
  // Target tracking creates two alarms (AlarmHigh, AlarmLow) on one 60 s metric each.
  const RunResult tt = scaled(json::array({"target_tracking(metric=cpu, target=50)"}));
  CHECK(quantity(tt, "Alarm metrics (api)") == Approx(2.0 / 730));
  CHECK(amount(tt, "Alarm metrics (api)") == Approx(2 * 0.10 / 730));
  CHECK(amount(tt, "High-resolution") == 0);
  CHECK(amount(tt, "ECS 20 s service metrics") == 0);
  // On the 20 s metric: both alarms are high resolution, and the service publishes CPU and
  // memory at 20 s (2 metrics).
  const RunResult hr = scaled(json::array({"target_tracking(metric=cpu_high_resolution, target=50)"}));
  CHECK(amount(hr, "High-resolution alarm metrics (api)") == Approx(2 * 0.30 / 730));
  CHECK(quantity(hr, "ECS 20 s service metrics (api)") == Approx(2.0 / 730));
  CHECK(amount(hr, "ECS 20 s service metrics (api)") == Approx(2 * 0.30 / 730));
  CHECK(amount(hr, "Alarm metrics (api)") == 0);
  // A step policy adds its one alarm; the HPA and a service without scaling keep none in CloudWatch.
  const RunResult both = scaled(json::array({"target_tracking(metric=cpu, target=50)",
                                             "step(metric=cpu, threshold=70, bounds=[0, 20], adjustments=[1, 3])"}));
  CHECK(quantity(both, "Alarm metrics (api)") == Approx(3.0 / 730));
  CHECK(amount(scaled(json::array({"hpa(metric=cpu, target=50)"})), "Alarm metrics") == 0);
  CHECK(amount(run(Scenario::from_json(base({{"name", "api"}, {"desired_count", 2}, {"load_balancer", "none"}}, 3600))),
               "Alarm metrics") == 0);
}
