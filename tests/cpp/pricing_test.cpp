// Pricing: the catalog, each pricing rule and the calculator, against bills computed by hand.
// Every expected amount has its arithmetic beside it; rates are the us-east-1 catalog's
// (scenarios/data/prices/us-east-1.json) unless a test says otherwise.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fargatelab/constants.hpp"
#include "platforms/ecs_ec2/instance_types.hpp"
#include "pricing/bill.hpp"
#include "pricing/calculator.hpp"
#include "pricing/price_catalog.hpp"
#include "pricing/pricing_rules.hpp"

using namespace fargatelab;
using namespace fargatelab::detail;
using nlohmann::json;

namespace {

const PriceCatalog& us() { return PriceCatalog::load("us-east-1"); }

// The single item whose label starts with `prefix` (fails the test if not exactly one).
const LineItem& item(const Bill& bill, const std::string& prefix) {
  const LineItem* found = nullptr;
  int n = 0;
  for (const auto& i : bill.items)
    if (i.item.rfind(prefix, 0) == 0) found = &i, ++n;
  INFO("item prefix: " << prefix << "\n" << bill.table());
  REQUIRE(n == 1);
  return *found;
}

json us_east_1_json() {
  std::ifstream in(std::string(FARGATELAB_SOURCE_DIR) + "/scenarios/data/prices/us-east-1.json");
  return json::parse(in);
}

std::vector<std::string> pointers(const PricingInputError& e) {
  std::vector<std::string> out;
  for (const auto& d : e.diagnostics()) out.push_back(d.pointer);
  return out;
}

bool contains(const std::vector<std::string>& xs, const std::string& x) { return std::find(xs.begin(), xs.end(), x) != xs.end(); }

FargateUsage fargate(double vcpu, double gb, std::vector<RunGroup> runs) {
  FargateUsage u;
  u.name = "t";
  u.vcpu = vcpu;
  u.memory_gb = gb;
  u.runs = std::move(runs);
  return u;
}

}  // namespace

// ------------------------------------------------------------------------------- catalog

TEST_CASE("pricing: us-east-1 and a second region are embedded, and an unknown region lists the known ones", "[pricing]") {
  const auto regions = PriceCatalog::known_regions();
  CHECK(contains(regions, "us-east-1"));
  CHECK(contains(regions, "ap-northeast-1"));
  CHECK(us().region == "us-east-1");
  CHECK(us().effective_date == "2025-10-01");
  CHECK(PriceCatalog::load("ap-northeast-1").region_name == "Asia Pacific (Tokyo)");
  try {
    PriceCatalog::load("mars-north-1");
    FAIL("expected std::invalid_argument");
  } catch (const std::invalid_argument& e) {
    const std::string msg = e.what();
    CHECK(msg.find("mars-north-1") != std::string::npos);
    CHECK(msg.find("ap-northeast-1, us-east-1") != std::string::npos);
  }
}

TEST_CASE("pricing: every rate of the catalog carries a unit and a source", "[pricing]") {
  const auto& c = us();
  for (const Rate* r : {&c.fargate.linux_x86_64.vcpu_hour, &c.fargate.windows_os_license_vcpu_hour, &c.lambda.x86_64.requests_per_million,
                        &c.networking.nat_gateway_hour, &c.alb.lcu_hour, &c.cloudwatch.logs_ingestion_gb}) {
    CHECK(r->available);
    CHECK_FALSE(r->unit.empty());
    CHECK_FALSE(r->source.empty());
  }
  CHECK(c.lambda.x86_64.duration_gb_s.source.find("Pricing API") != std::string::npos);
  CHECK(c.fargate.linux_x86_64.vcpu_hour.pointer == "/fargate/linux_x86_64/vcpu_hour");
}

TEST_CASE("pricing: a catalog's month must be fargatelab::month_hours, the month bills are extrapolated to", "[pricing]") {
  // 730 h = 365 d x 24 h / 12: the one definition (constants.hpp) that every embedded catalog records.
  CHECK(fargatelab::month_hours == 365.0 * 24 / 12);
  for (const std::string& region : PriceCatalog::known_regions()) {
    INFO(region);
    CHECK(PriceCatalog::load(region).month_hours.get() == fargatelab::month_hours);
  }
  json doc = us_east_1_json();
  doc["month_hours"]["value"] = 720;  // the ELB page's 24 h x 30 d example month
  CHECK_THROWS_WITH(PriceCatalog::from_json(doc),
                    Catch::Contains("/month_hours: expected 730 (fargatelab::month_hours, AWS's pricing month)"));
}

TEST_CASE("pricing: catalog validation names the JSON pointer of every missing or invalid rate", "[pricing]") {
  json doc = us_east_1_json();
  doc["fargate"]["linux_x86_64"].erase("vcpu_hour");
  doc["lambda"]["x86_64"]["requests_per_million"]["value"] = -1;
  doc["networking"]["nat_gateway_gb"].erase("source");
  doc["elb"]["alb"]["lcu_hourz"] = 1;
  doc["lambda"]["init_billing"]["on_demand_zip_billed_since"]["value"] = "August 2025";
  try {
    PriceCatalog::from_json(doc);
    FAIL("expected std::invalid_argument");
  } catch (const std::invalid_argument& e) {
    const std::string msg = e.what();
    INFO(msg);
    CHECK(msg.find("(5 problems)") != std::string::npos);
    CHECK(msg.find("/fargate/linux_x86_64/vcpu_hour: missing") != std::string::npos);
    CHECK(msg.find("/lambda/x86_64/requests_per_million/value: expected a number >= 0") != std::string::npos);
    CHECK(msg.find("/networking/nat_gateway_gb/source: missing") != std::string::npos);
    CHECK(msg.find("/elb/alb/lcu_hourz: unknown key") != std::string::npos);
    CHECK(msg.find("/lambda/init_billing/on_demand_zip_billed_since/value: expected a date") != std::string::npos);
  }
}

TEST_CASE("pricing: the catalog and the simulator's instance table agree on every On-Demand price", "[pricing]") {
  int compared = 0;
  for (const InstanceType& t : instance_types()) {
    INFO(t.name);
    // The catalog is the billing source of truth: it must price every type the simulator places.
    const auto& rates = us().ec2_instance(t.name);
    CHECK(rates.on_demand_hour.get() == Approx(t.on_demand_usd_per_hour).margin(1e-12));
    ++compared;
  }
  CHECK(compared == static_cast<int>(instance_types().size()));
}

TEST_CASE("pricing: a rate a region does not publish is an error that names it", "[pricing]") {
  const auto& tokyo = PriceCatalog::load("ap-northeast-1");
  Bill bill;
  LambdaUsage f;
  f.invocations = 1;
  CHECK_THROWS_AS(lambda_functions(tokyo, {f}, {}, bill), RateUnavailable);
  try {
    ec2_instances(tokyo, Ec2Usage{"x", "m5.large", false, std::nullopt, {{1, 3600}}}, bill);
    FAIL("expected RateUnavailable");
  } catch (const RateUnavailable& e) {
    CHECK(e.pointer() == "/ec2/instances/m5.large");
  }
  // Fargate Linux/x86_64 is sourced for Tokyo: 1 task x 1 vCPU x 10 h x $0.05056 = $0.5056.
  Bill ok;
  fargate_tasks(tokyo, fargate(1, 2, {{1, 36000}}), ok);
  CHECK(item(ok, "Linux/x86_64 vCPU").amount_usd == Approx(0.5056));
  CHECK(item(ok, "Linux/x86_64 memory").amount_usd == Approx(0.11072));  // 10 h x 2 GB x $0.005536
}

// ------------------------------------------------------------------------------- Fargate

TEST_CASE("pricing: fargate bills vCPU and memory per task-hour", "[pricing]") {
  Bill bill;
  fargate_tasks(us(), fargate(0.5, 1, {{2, 730 * 3600}}), bill);
  const auto& vcpu = item(bill, "Linux/x86_64 vCPU");
  CHECK(vcpu.quantity == Approx(730));              // 2 tasks x 730 h x 0.5 vCPU
  CHECK(vcpu.amount_usd == Approx(29.5504));        // 730 vCPU-h x $0.04048
  CHECK(vcpu.arithmetic.find("= $29.55") != std::string::npos);
  CHECK(item(bill, "Linux/x86_64 memory").amount_usd == Approx(6.4897));  // 2 x 730 h x 1 GB x $0.004445
  CHECK(bill.total_usd() == Approx(36.0401));
  CHECK(vcpu.savings_plan_discount == Approx(0.5));
}

TEST_CASE("pricing: a 30 s Linux Fargate task is billed the 1-minute minimum", "[pricing]") {
  Bill bill;
  fargate_tasks(us(), fargate(1, 2, {{1, 30}}), bill);
  CHECK(item(bill, "Linux/x86_64 vCPU").quantity == Approx(60.0 / 3600));
  CHECK(item(bill, "Linux/x86_64 vCPU").amount_usd == Approx(0.04048 / 60));     // 60 s x $0.04048 / 3600
  CHECK(item(bill, "Linux/x86_64 memory").amount_usd == Approx(2 * 0.004445 / 60));  // 60 s x 2 GB x $0.004445 / 3600
  CHECK(item(bill, "Linux/x86_64 vCPU").arithmetic.find("30 s run, 60 s minimum") != std::string::npos);
}

TEST_CASE("pricing: a 61.4 s Fargate task is billed 62 s (per second, rounded up)", "[pricing]") {
  CHECK(billed_seconds(61.4, 1, 60) == 62);
  CHECK(billed_seconds(61.0, 1, 60) == 61);
  CHECK(billed_seconds(0, 1, 60) == 60);
  Bill bill;
  fargate_tasks(us(), fargate(1, 2, {{1, 61.4}}), bill);
  CHECK(item(bill, "Linux/x86_64 vCPU").amount_usd == Approx(62 * 0.04048 / 3600));  // = $0.000697156
}

TEST_CASE("pricing: fargate arm64 uses the Graviton rates", "[pricing]") {
  Bill bill;
  FargateUsage u = fargate(1, 2, {{1, 3600}});
  u.arch = Arch::arm64;
  fargate_tasks(us(), u, bill);
  CHECK(item(bill, "Linux/arm64 vCPU").amount_usd == Approx(0.03238));   // 1 h x 1 vCPU x $0.03238
  CHECK(item(bill, "Linux/arm64 memory").amount_usd == Approx(0.00712));  // 1 h x 2 GB x $0.00356
}

TEST_CASE("pricing: a Windows Fargate task pays the OS licence and the Windows minimum", "[pricing]") {
  Bill bill;
  FargateUsage u = fargate(1, 2, {{1, 120}});
  u.os = Os::Windows;
  fargate_tasks(us(), u, bill);
  // 120 s run, billed the 300 s Windows minimum (current Fargate pricing page; see catalog note).
  CHECK(item(bill, "Windows/x86_64 vCPU").amount_usd == Approx(300 * 0.09148 / 3600));      // $0.00762333
  CHECK(item(bill, "Windows OS licence").amount_usd == Approx(300 * 0.046 / 3600));         // $0.00383333
  CHECK(item(bill, "Windows/x86_64 memory").amount_usd == Approx(300 * 2 * 0.01005 / 3600));  // $0.001675
  FargateUsage spot = u;
  spot.spot = true;
  CHECK_THROWS_AS(fargate_tasks(us(), spot, bill), std::invalid_argument);
}

TEST_CASE("pricing: fargate ephemeral storage is billed above the free 20 GB", "[pricing]") {
  Bill bill;
  FargateUsage u = fargate(1, 2, {{1, 10 * 3600}});
  u.ephemeral_gb = 50;
  fargate_tasks(us(), u, bill);
  CHECK(item(bill, "Ephemeral storage above 20 GB").quantity == Approx(300));       // (50 - 20) GB x 10 h
  CHECK(item(bill, "Ephemeral storage above 20 GB").amount_usd == Approx(0.0333));  // 300 GB-h x $0.000111
  Bill none;
  fargate_tasks(us(), fargate(1, 2, {{1, 3600}}), none);
  CHECK(none.items.size() == 2);  // 20 GB configured: no storage line
}

TEST_CASE("pricing: fargate spot applies the spot discount to vCPU and memory", "[pricing]") {
  Bill bill;
  FargateUsage u = fargate(1, 2, {{1, 10 * 3600}});
  u.spot = true;
  fargate_tasks(us(), u, bill);
  CHECK(item(bill, "Spot Linux/x86_64 vCPU").amount_usd == Approx(0.12144));   // 10 h x $0.04048 x (1 - 0.70)
  CHECK(item(bill, "Spot Linux/x86_64 memory").amount_usd == Approx(0.02667));  // 10 h x 2 GB x $0.004445 x 0.30
  CHECK(item(bill, "Spot Linux/x86_64 vCPU").savings_plan_discount == 0);
  u.spot_discount = 0.5;
  Bill half;
  fargate_tasks(us(), u, half);
  CHECK(item(half, "Spot Linux/x86_64 vCPU").amount_usd == Approx(0.2024));  // 10 h x $0.04048 x 0.5
}

// ------------------------------------------------------------------------------- Lambda

namespace {
LambdaUsage lambda_fn(double memory_mb, double invocations, double billed_ms) {
  LambdaUsage u;
  u.name = "f";
  u.memory_mb = memory_mb;
  u.invocations = invocations;
  u.billed_duration_ms = billed_ms;
  return u;
}
double service_total(const Bill& b, const std::string& s) { return b.service_total_usd(s); }
}  // namespace

TEST_CASE("pricing: lambda requests and duration without the free tier", "[pricing]") {
  // 3,000,000 invocations x 120 ms x 0.5 GB = 180,000 GB-s.
  Bill bill;
  lambda_functions(us(), {lambda_fn(512, 3e6, 3e6 * 120)}, {}, bill);
  CHECK(item(bill, "Requests (x86_64)").amount_usd == Approx(0.60));  // 3 M x $0.20 / 1 M
  CHECK(item(bill, "Duration (x86_64)").quantity == Approx(180000));
  CHECK(item(bill, "Duration (x86_64)").amount_usd == Approx(3.000006));  // 180,000 x $0.0000166667
}

TEST_CASE("pricing: the lambda free tier takes 1 M requests and 400,000 GB-s when on", "[pricing]") {
  LambdaBillingOptions free;
  free.free_tier = true;
  Bill small;
  lambda_functions(us(), {lambda_fn(512, 3e6, 3e6 * 120)}, free, small);
  CHECK(item(small, "Requests (x86_64)").amount_usd == Approx(0.40));  // (3 M - 1 M free) x $0.20 / 1 M
  CHECK(item(small, "Duration (x86_64)").amount_usd == Approx(0));     // 180,000 GB-s < 400,000 free
  // 1 GB x 1,000,000 s = 1,000,000 GB-s: (1,000,000 - 400,000) x $0.0000166667 = $10.00002.
  Bill big;
  lambda_functions(us(), {lambda_fn(1024, 1e6, 1e9)}, free, big);
  CHECK(item(big, "Duration (x86_64)").amount_usd == Approx(10.00002));
  CHECK(item(big, "Requests (x86_64)").amount_usd == Approx(0));  // 1 M - 1 M free
  // Off: the same usage pays for every request and GB-second.
  Bill off;
  lambda_functions(us(), {lambda_fn(1024, 1e6, 1e9)}, {}, off);
  CHECK(item(off, "Duration (x86_64)").amount_usd == Approx(16.6667));  // 1,000,000 x $0.0000166667
  CHECK(item(off, "Requests (x86_64)").amount_usd == Approx(0.20));
}

TEST_CASE("pricing: the lambda free tier is shared by functions, x86_64 first, and scaled to the period", "[pricing]") {
  LambdaBillingOptions free;
  free.free_tier = true;
  LambdaUsage a = lambda_fn(1024, 600000, 300000000);  // 300,000 GB-s
  LambdaUsage b = lambda_fn(1024, 600000, 300000000);
  b.arch = Arch::arm64;
  Bill bill;
  lambda_functions(us(), {a, b}, free, bill);
  CHECK(item(bill, "Requests (x86_64)").amount_usd == Approx(0));                 // 600,000 <= 1 M free
  CHECK(item(bill, "Requests (arm64)").amount_usd == Approx(0.04));               // (600,000 - 400,000 left) x $0.20 / 1 M
  CHECK(item(bill, "Duration (x86_64)").amount_usd == Approx(0));                 // 300,000 <= 400,000 free
  CHECK(item(bill, "Duration (arm64)").amount_usd == Approx(200000 * 0.0000133334));  // (300,000 - 100,000 left) GB-s
  // A week (168 h of a 730-h month): the free tier is 400,000 x 168/730 = 92,054.79 GB-s.
  free.month_fraction = 168.0 / 730;
  Bill week;
  lambda_functions(us(), {a}, free, week);
  CHECK(item(week, "Duration (x86_64)").quantity == Approx(300000 - 400000 * 168.0 / 730));
}

TEST_CASE("pricing: lambda duration tiers cross 6 B and 15 B GB-s per month", "[pricing]") {
  // 1 GB x 7e12 ms = 7e9 GB-s: 6e9 x $0.0000166667 + 1e9 x $0.0000150000 = $100,000.20 + $15,000.
  Bill bill;
  lambda_functions(us(), {lambda_fn(1024, 1e6, 7e12)}, {}, bill);
  CHECK(item(bill, "Duration (x86_64), tier 1").amount_usd == Approx(100000.2));
  CHECK(item(bill, "Duration (x86_64), tier 2").amount_usd == Approx(15000));
  // 16e9 GB-s: + 9e9 x $0.000015 + 1e9 x $0.0000133334 = $100,000.2 + $135,000 + $13,333.4.
  Bill huge;
  lambda_functions(us(), {lambda_fn(1024, 1e6, 16e12)}, {}, huge);
  CHECK(service_total(huge, "AWS Lambda") == Approx(0.2 + 100000.2 + 135000 + 13333.4));
  CHECK(item(huge, "Duration (x86_64), tier 3").quantity == Approx(1e9));
  // arm64 tiers are wider: 7e9 GB-s all in tier 1 (up to 7.5 B) at $0.0000133334.
  LambdaUsage arm = lambda_fn(1024, 0, 7e12);
  arm.arch = Arch::arm64;
  Bill a;
  lambda_functions(us(), {arm}, {}, a);
  CHECK(item(a, "Duration (arm64), tier 1").amount_usd == Approx(7e9 * 0.0000133334));
}

TEST_CASE("pricing: lambda duration is rounded up to the millisecond per invocation", "[pricing]") {
  CHECK(lambda_billed_ms(us(), 120.2) == 121);
  CHECK(lambda_billed_ms(us(), 120.0) == 120);
  // Calculator: 1,000 invocations of 120.2 ms at 128 MB: 121,000 ms x 0.125 GB / 1000 = 15.125 GB-s.
  const Bill bill = price_usage(json{{"lambda", {{{"name", "f"}, {"memory_mb", 128}, {"invocations", 1000}, {"duration_ms", 120.2}}}}});
  CHECK(item(bill, "Duration (x86_64)").quantity == Approx(15.125));
  CHECK(item(bill, "Duration (x86_64)").amount_usd == Approx(15.125 * 0.0000166667));
}

TEST_CASE("pricing: lambda INIT is billed for ZIP functions from 2025-08-01, for images always", "[pricing]") {
  LambdaUsage zip = lambda_fn(1024, 1000, 0);
  zip.init_duration_ms = 1e6;  // 1,000 s of INIT x 1 GB = 1,000 GB-s
  CHECK_FALSE(lambda_init_billed(us(), zip, "2025-07-31"));
  CHECK(lambda_init_billed(us(), zip, "2025-08-01"));
  LambdaBillingOptions before;
  before.billing_date = "2025-07-31";
  Bill b1;
  lambda_functions(us(), {zip}, before, b1);
  CHECK(item(b1, "Duration (x86_64)").amount_usd == Approx(0));
  Bill b2;  // default billing date: the catalog's effective date, 2025-10-01
  lambda_functions(us(), {zip}, {}, b2);
  CHECK(item(b2, "Duration (x86_64)").amount_usd == Approx(0.0166667));  // 1,000 GB-s x $0.0000166667
  LambdaUsage image = zip;
  image.package = LambdaPackage::image;
  CHECK(lambda_init_billed(us(), image, "2020-01-01"));
}

TEST_CASE("pricing: lambda arm64, ephemeral storage and provisioned concurrency", "[pricing]") {
  LambdaUsage arm = lambda_fn(1024, 0, 1e6);  // 1 GB x 1,000 s = 1,000 GB-s
  arm.arch = Arch::arm64;
  arm.ephemeral_mb = 1024;  // 512 MB above the free 512 MB
  Bill bill;
  lambda_functions(us(), {arm}, {}, bill);
  CHECK(item(bill, "Duration (arm64)").amount_usd == Approx(0.0133334));      // 1,000 x $0.0000133334
  CHECK(item(bill, "Ephemeral storage").amount_usd == Approx(500 * 0.0000000309));  // 0.5 GB x 1,000 s

  LambdaUsage pc = lambda_fn(1024, 1e6, 0);
  pc.provisioned_concurrency = 10;
  pc.provisioned_seconds = 3601;  // rounded up to five minutes: 3,900 s
  pc.provisioned_billed_duration_ms = 1e6;
  LambdaBillingOptions free;
  free.free_tier = true;
  Bill p;
  lambda_functions(us(), {pc}, free, p);
  CHECK(item(p, "Provisioned concurrency").quantity == Approx(39000));          // 10 x 1 GB x 3,900 s
  CHECK(item(p, "Provisioned concurrency").amount_usd == Approx(0.1625013));    // 39,000 x $0.0000041667
  CHECK(item(p, "Provisioned duration").amount_usd == Approx(0.0097222));       // 1,000 GB-s x $0.0000097222
  CHECK(item(p, "Requests (x86_64)").amount_usd == Approx(0.20));  // no free tier with provisioned concurrency
}

// ------------------------------------------------------------------------------- EC2

TEST_CASE("pricing: ec2 bills per second with a 60 s minimum, and Spot from the advisor savings", "[pricing]") {
  Bill bill;
  ec2_instances(us(), Ec2Usage{"short", "m5.large", false, std::nullopt, {{1, 30}}}, bill);
  CHECK(bill.items.back().amount_usd == Approx(0.0016));  // 60 s x $0.096 / 3600
  ec2_instances(us(), Ec2Usage{"odd", "m5.large", false, std::nullopt, {{1, 90.5}}}, bill);
  CHECK(bill.items.back().amount_usd == Approx(91 * 0.096 / 3600));  // 91 s billed
  ec2_instances(us(), Ec2Usage{"day", "m5.large", false, std::nullopt, {{2, 730 * 3600}}}, bill);
  CHECK(bill.items.back().amount_usd == Approx(140.16));  // 2 x 730 h x $0.096
  ec2_instances(us(), Ec2Usage{"spot", "m5.large", true, std::nullopt, {{1, 10 * 3600}}}, bill);
  CHECK(bill.items.back().rate_usd == Approx(0.03264));    // $0.096 x (1 - 66%)
  CHECK(bill.items.back().amount_usd == Approx(0.3264));   // 10 h
  CHECK(bill.items.back().savings_plan_discount == 0);
  CHECK_THROWS_AS(ec2_instances(us(), Ec2Usage{"x", "z9.huge", false, std::nullopt, {{1, 1}}}, bill), RateUnavailable);
}

// ------------------------------------------------------------------------------- App Runner

TEST_CASE("pricing: app runner bills memory while provisioned and vCPU while active, 1 minute per activation", "[pricing]") {
  AppRunnerUsage u;
  u.name = "svc";
  u.vcpu = 1;
  u.memory_gb = 2;
  u.provisioned_instance_seconds = 730 * 3600;
  u.activations = {{40, 25}, {1, 90.2}};  // 40 x 25 s -> 60 s each; 90.2 s -> 91 s
  u.automatic_deployments = true;
  u.build_minutes = 60;
  Bill bill;
  app_runner_service(us(), u, bill);
  CHECK(item(bill, "Provisioned memory").amount_usd == Approx(10.22));  // 730 h x 2 GB x $0.007
  CHECK(item(bill, "Active vCPU").quantity == Approx((40 * 60 + 91) / 3600.0));
  CHECK(item(bill, "Active vCPU").amount_usd == Approx(2491.0 / 3600 * 0.064));  // 2,491 s x 1 vCPU x $0.064 / 3600
  CHECK(item(bill, "Automatic deployments").amount_usd == Approx(1.0));
  CHECK(item(bill, "Build").amount_usd == Approx(0.30));  // 60 min x $0.005
}

// ------------------------------------------------------------------------------- networking

TEST_CASE("pricing: nat gateway hours (partial hours billed as full) and GB processed", "[pricing]") {
  Bill bill;
  nat_gateways(us(), NatUsage{"a", 1, 730, 500}, bill);
  CHECK(item(bill, "NAT gateway hours").amount_usd == Approx(32.85));           // 730 h x $0.045
  CHECK(item(bill, "NAT gateway data processed").amount_usd == Approx(22.50));  // 500 GB x $0.045
  Bill partial;
  nat_gateways(us(), NatUsage{"b", 2, 10.2, 0}, partial);
  CHECK(item(partial, "NAT gateway hours").quantity == 22);  // 2 gateways x 11 h
  CHECK(item(partial, "NAT gateway hours").amount_usd == Approx(0.99));
}

TEST_CASE("pricing: interface endpoints per AZ-hour and per GB with tiers; gateway endpoints free", "[pricing]") {
  Bill bill;
  vpc_endpoints(us(), EndpointUsage{"ecr", EndpointType::interface, 3, 2, 730, 60}, bill);
  CHECK(item(bill, "Interface endpoint hours").amount_usd == Approx(43.80));  // 3 x 2 AZs x 730 h x $0.01
  CHECK(item(bill, "Interface endpoint data").amount_usd == Approx(0.60));    // 60 GB x $0.01
  Bill big;  // 1 PB (1,048,576 GB) at $0.01 + 1,000 GB at $0.006
  vpc_endpoints(us(), EndpointUsage{"x", EndpointType::interface, 1, 1, 0, 1048576 + 1000}, big);
  CHECK(big.total_usd() == Approx(10485.76 + 6.0));
  Bill gw;
  vpc_endpoints(us(), EndpointUsage{"s3", EndpointType::gateway, 1, 1, 730, 400}, gw);
  CHECK(gw.total_usd() == 0);
  CHECK(gw.items.size() == 2);
}

TEST_CASE("pricing: inter-AZ transfer is charged in each direction, public IPv4 per address-hour", "[pricing]") {
  Bill bill;
  inter_az_transfer(us(), "db", 80, bill);
  CHECK(bill.total_usd() == Approx(1.60));  // 80 GB x $0.01 out + 80 GB x $0.01 in
  Bill ip;
  public_ipv4(us(), "eips", 4, 730, ip);
  CHECK(ip.total_usd() == Approx(14.60));  // 4 x 730 h x $0.005
}

// ------------------------------------------------------------------------------- ELB

TEST_CASE("pricing: ALB LCUs are the largest of the four dimensions", "[pricing]") {
  LbTraffic t{730, 30, 2000, 0.5, 0};
  t.rule_evaluations_per_s = alb_rule_evaluations_per_s(us(), 200, 12);
  CHECK(t.rule_evaluations_per_s == 400);  // 200 requests/s x (12 - 10 free) rules
  // max(30/25, 2000/3000, 0.5/1, 400/1000) = max(1.2, 0.667, 0.5, 0.4) = 1.2
  CHECK(alb_lcus(us(), t, false, false) == Approx(1.2));
  CHECK(alb_lcus(us(), t, true, false) == Approx(2000.0 / 1500));  // mutual TLS: 1,500 active/min per LCU
  CHECK(alb_lcus(us(), LbTraffic{1, 0, 0, 0.5, 0}, false, true) == Approx(1.25));  // Lambda targets: 0.4 GB/h
  CHECK(alb_lcus(us(), LbTraffic{1, 0, 0, 0, 3000}, false, false) == Approx(3));  // rules dominate
  CHECK(alb_rule_evaluations_per_s(us(), 200, 5) == 0);  // within the 10 free rules
  LoadBalancerUsage u;
  u.name = "web";
  u.hours_each = 730;
  u.traffic = {t};
  Bill bill;
  application_load_balancers(us(), u, bill);
  CHECK(item(bill, "ALB hours").amount_usd == Approx(16.425));     // 730 h x $0.0225
  CHECK(item(bill, "ALB LCU-hours").amount_usd == Approx(7.008));  // 1.2 LCU x 730 h x $0.008
  u.hours_each = 10.5;
  u.traffic = {};
  Bill partial;
  application_load_balancers(us(), u, partial);
  CHECK(item(partial, "ALB hours").quantity == 11);  // partial hour billed as full
}

TEST_CASE("pricing: NLB NLCUs by protocol", "[pricing]") {
  // TCP: max(100/800, 5,000/100,000, 2 GB/h / 1) = 2 NLCU; 2 x 730 h x $0.006 = $8.76.
  CHECK(nlb_nlcus(us(), LbTraffic{1, 100, 5000, 2, 0}, NlbProtocol::tcp) == Approx(2));
  CHECK(nlb_nlcus(us(), LbTraffic{1, 500, 0, 0, 0}, NlbProtocol::udp) == Approx(1.25));  // 500 / 400 new UDP flows
  LoadBalancerUsage u;
  u.hours_each = 730;
  u.traffic = {LbTraffic{730, 100, 5000, 2, 0}};
  Bill bill;
  network_load_balancers(us(), u, bill);
  CHECK(item(bill, "NLB NLCU-hours").amount_usd == Approx(8.76));
  CHECK(item(bill, "NLB hours").amount_usd == Approx(16.425));
}

// ------------------------------------------------------------------------------- CloudWatch

TEST_CASE("pricing: cloudwatch logs ingestion and custom metrics, free tier on and off", "[pricing]") {
  Bill off;
  cloudwatch_logs(us(), 20, false, 1, off);
  cloudwatch_custom_metrics(us(), 20, false, 1, off);
  CHECK(item(off, "Logs ingestion").amount_usd == Approx(10));  // 20 GB x $0.50
  CHECK(item(off, "Custom metrics").amount_usd == Approx(6));   // 20 x $0.30
  Bill on;
  cloudwatch_logs(us(), 20, true, 1, on);
  cloudwatch_custom_metrics(us(), 20, true, 1, on);
  CHECK(item(on, "Logs ingestion").amount_usd == Approx(7.5));  // (20 - 5 free) GB x $0.50
  CHECK(item(on, "Custom metrics").amount_usd == Approx(3));    // (20 - 10 free) x $0.30
  Bill too_many;
  CHECK_THROWS_AS(cloudwatch_custom_metrics(us(), 20000, false, 1, too_many), RateUnavailable);  // tiers above 10,000 not sourced
}

// ------------------------------------------------------------------------------- Savings Plans

TEST_CASE("pricing: a compute savings plan covers eligible usage up to its commitment", "[pricing]") {
  Bill bill;
  fargate_tasks(us(), fargate(0.5, 1, {{2, 730 * 3600}}), bill);  // $36.0401 On-Demand over 730 h
  apply_compute_savings_plan(SavingsPlanTerms{0.01, 730, {}}, bill);
  // $0.01/h buys $0.01 / (1 - 0.50) = $0.02/h of On-Demand Fargate: credit 0.02 x 730 = $14.60.
  CHECK(item(bill, "Compute Savings Plan commitment").amount_usd == Approx(7.30));  // 730 h x $0.01
  CHECK(item(bill, "Covered usage: AWS Fargate").amount_usd == Approx(-14.60));
  CHECK(bill.total_usd() == Approx(36.0401 - 14.60 + 7.30));
  Bill over;
  fargate_tasks(us(), fargate(0.5, 1, {{2, 730 * 3600}}), over);
  apply_compute_savings_plan(SavingsPlanTerms{1.0, 730, {}}, over);
  CHECK(item(over, "Covered usage: AWS Fargate").amount_usd == Approx(-36.0401));  // all covered
  CHECK(over.total_usd() == Approx(730.0));  // the commitment is paid in full, used or not
}

// ------------------------------------------------------------------------------- bill

TEST_CASE("pricing: bills keep amounts unrounded and round to cents only when printing", "[pricing]") {
  Bill bill;
  for (int i = 0; i < 3; ++i) bill.items.push_back({"Svc", "x", 1, "u", 0.004, 0.004, "", 0});
  CHECK(bill.total_usd() == Approx(0.012));
  CHECK(format_usd(0.004) == "$0.00");
  CHECK(format_usd(0.012) == "$0.01");
  CHECK(format_usd(-14.6) == "-$14.60");
  CHECK(format_usd(1234567.891) == "$1,234,567.89");
  CHECK(format_quantity(2628000) == "2,628,000");
  CHECK(format_quantity(0.5) == "0.5");
  CHECK(format_rate(0.0000166667) == "$0.0000166667");
  const std::string table = bill.table();
  CHECK(table.find("Total") != std::string::npos);
  CHECK(table.find("$0.01") != std::string::npos);
  const json j = bill.to_json();
  CHECK(j["total_usd"].get<double>() == Approx(0.012));
  CHECK(j["services"][0]["items"].size() == 3);
}

// ------------------------------------------------------------------------------- calculator

TEST_CASE("pricing: the calculator prices tasks x size x hours per day x days", "[pricing]") {
  const json usage = {{"days", 30}, {"fargate", {{{"name", "api"}, {"tasks", 2}, {"vcpu", 0.5}, {"memory_gb", 1}, {"hours_per_day", 8}}}}};
  const Bill bill = price_usage(usage);
  // 2 tasks x 30 days x 8 h = 480 task-h; x 0.5 vCPU = 240 vCPU-h x $0.04048 = $9.7152.
  CHECK(item(bill, "Linux/x86_64 vCPU").amount_usd == Approx(9.7152));
  CHECK(item(bill, "Linux/x86_64 memory").amount_usd == Approx(480 * 0.004445));  // 480 GB-h
  CHECK(bill.period_hours == Approx(720));
  // Monthly view: re-priced over 730 h (30.4167 days of 8 h): 2 x 730/24 x 8 x (0.5 x 0.04048 + 0.004445).
  REQUIRE(bill.monthly_total_usd);
  CHECK(*bill.monthly_total_usd == Approx(2 * 730.0 / 24 * 8 * (0.5 * 0.04048 + 1 * 0.004445)));
}

TEST_CASE("pricing: the calculator's default period is the 730-hour month", "[pricing]") {
  const Bill bill = price_usage(json{{"nat_gateways", {{{"name", "egress"}, {"gb_processed", 500}}}}});
  CHECK(bill.total_usd() == Approx(55.35));  // 730 h x $0.045 + 500 GB x $0.045
  CHECK(bill.period_hours == Approx(730));
  CHECK_FALSE(bill.monthly_total_usd);
}

TEST_CASE("pricing: the calculator reports every invalid field at once with its pointer", "[pricing]") {
  const json usage = {
      {"fargat", json::array()},
      {"fargate", {{{"vcpu", "big"}, {"memory_gb", 1}}, {{"vcpu", 1}, {"memory_gb", 2}, {"os", "windows"}, {"spot", true}}}},
      {"lambda", {{{"memory_mb", 64}, {"invocations", 10}, {"duration_ms", 5}}}},
      {"ec2", {{{"count", 2}}}},
      {"load_balancers", {{{"type", "gwlb"}}}}};
  try {
    price_usage(usage);
    FAIL("expected PricingInputError");
  } catch (const PricingInputError& e) {
    const auto p = pointers(e);
    INFO(e.what());
    CHECK(p.size() == 6);
    CHECK(contains(p, "/fargat"));
    CHECK(contains(p, "/fargate/0/vcpu"));
    CHECK(contains(p, "/fargate/1/spot"));
    CHECK(contains(p, "/lambda/0/memory_mb"));
    CHECK(contains(p, "/ec2/0/instance_type"));
    CHECK(contains(p, "/load_balancers/0/type"));
    CHECK(std::string(e.what()).rfind("invalid usage file (6 problems)", 0) == 0);
  }
}

TEST_CASE("pricing: the calculator names the missing catalog rate of another region", "[pricing]") {
  CalculatorOptions tokyo;
  tokyo.region = "ap-northeast-1";
  const json usage = {{"fargate", {{{"vcpu", 1}, {"memory_gb", 2}}}},
                      {"lambda", {{{"invocations", 10}, {"duration_ms", 5}}}}};
  try {
    price_usage(usage, tokyo);
    FAIL("expected PricingInputError");
  } catch (const PricingInputError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].pointer == "/lambda");
    CHECK(e.diagnostics()[0].message.find("/lambda/x86_64/requests_per_million") != std::string::npos);
  }
  CalculatorOptions mars;
  mars.region = "mars-1";
  CHECK_THROWS_AS(price_usage(json::object(), mars), PricingInputError);
}

TEST_CASE("pricing: the calculator's free-tier option overrides the usage file", "[pricing]") {
  const json usage = {{"lambda", {{{"memory_mb", 512}, {"invocations", 3000000}, {"duration_ms", 120}}}}};
  CHECK(price_usage(usage).total_usd() == Approx(0.60 + 3.000006));  // see "without the free tier"
  CalculatorOptions free;
  free.free_tier = true;
  CHECK(price_usage(usage, free).total_usd() == Approx(0.40));  // 2 M paid requests, duration free
}

TEST_CASE("pricing: every example usage file prices without error and deterministically", "[pricing]") {
  namespace fs = std::filesystem;
  int n = 0;
  for (const auto& e : fs::directory_iterator(fs::path(FARGATELAB_SOURCE_DIR) / "scenarios/examples/pricing")) {
    if (e.path().extension() != ".json") continue;
    INFO(e.path().string());
    const Bill a = price_usage_file(e.path().string());
    const Bill b = price_usage_file(e.path().string());
    CHECK(a.total_usd() > 0);
    CHECK(a.table() == b.table());
    CHECK(a.to_json().dump() == b.to_json().dump());
    for (const auto& i : a.items) CHECK_FALSE(i.arithmetic.empty());
    ++n;
  }
  CHECK(n >= 5);
}
