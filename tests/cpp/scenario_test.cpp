// Scenario pipeline: defaults, semantic validation (every error at once), overrides, models.
#include <catch2/catch.hpp>

#include <algorithm>

#include "fargatelab/registry.hpp"
#include "fargatelab/scenario.hpp"
#include "platforms/fargate/task_size.hpp"
#include "random/distribution_registry.hpp"
#include "scenario/call_graph.hpp"
#include "scenario/semantics.hpp"

using namespace fargatelab;
using nlohmann::json;

namespace {

json minimal() {
  return json::parse(R"JSON({
    "schema_version": 1,
    "services": [{"name": "api"}],
    "workloads": [{"name": "users", "target": "api", "arrival": "poisson(rate=10)"}]
  })JSON");
}

std::vector<Diagnostic> problems(const json& doc, const std::vector<std::string>& overrides = {}) {
  try {
    Scenario::from_json(doc, overrides);
  } catch (const ScenarioError& e) {
    return e.diagnostics();
  }
  return {};
}

bool has(const std::vector<Diagnostic>& ds, const std::string& pointer, const std::string& fragment) {
  return std::any_of(ds.begin(), ds.end(), [&](const Diagnostic& d) {
    return d.pointer == pointer && d.message.find(fragment) != std::string::npos;
  });
}

std::string dump(const std::vector<Diagnostic>& ds) {
  std::string s;
  for (const auto& d : ds) s += d.to_string() + "\n";
  return s;
}

}  // namespace

TEST_CASE("scenario: a minimal scenario gets every default", "[scenario]") {
  const Scenario s = Scenario::from_json(minimal());
  const ScenarioSpec& spec = s.spec();
  REQUIRE(spec.seed == kDefaultSeed);
  REQUIRE(spec.replications == 1);
  REQUIRE(spec.duration == hours(1));
  REQUIRE(spec.region == "us-east-1");
  REQUIRE(spec.pricing_region == "us-east-1");  // null means the scenario's region
  REQUIRE(spec.network.subnets.size() == 3);
  REQUIRE(spec.network.subnets[0].usable_addresses() == 4096 - 5);  // a /20 less AWS's 5
  REQUIRE(spec.services[0].platform == "fargate");
  REQUIRE(spec.services[0].task.cpu_units == 256);
  REQUIRE(spec.services[0].task.memory_mib == 512);
  REQUIRE(spec.workloads[0].target_index == 0);
  REQUIRE(spec.workloads[0].classes[0].timeout == seconds(30));
  REQUIRE(spec.workloads[0].classes[0].cpu_time.mean() == Approx(0.05));
  REQUIRE(spec.output.metrics_interval == seconds(60));
  REQUIRE(s.document().at("services").at(0).at("desired_count") == 2);
}

TEST_CASE("scenario: the embedded default scenario is valid", "[scenario]") {
  const Scenario s = Scenario::builtin_default();
  REQUIRE(s.spec().name == "http-api");
  REQUIRE(s.spec().services.size() == 1);
}

TEST_CASE("scenario: an invalid Fargate CPU value lists the valid ones", "[scenario]") {
  json doc = minimal();
  doc["services"][0]["task"] = {{"cpu", 300}, {"memory", 512}};
  const auto ds = problems(doc);
  REQUIRE(ds.size() == 1);
  REQUIRE(ds[0].to_string() ==
          "/services/0/task/cpu: 300 is not a valid Fargate CPU value (valid: 256, 512, 1024, 2048, 4096, 8192, 16384, 32768)");
}

TEST_CASE("scenario: a task definition's size is Fargate's check, not the parser's", "[scenario]") {
  // 512 CPU units with 512 MiB: Fargate's 0.5 vCPU takes 1024-4096 MiB; an m6i.large (2 vCPU,
  // 8 GiB) holds it.
  json doc = minimal();
  doc["services"][0]["task"] = {{"ecs_task_definition",
                                 {{"family", "api"}, {"cpu", "512"}, {"memory", "512"},
                                  {"containerDefinitions", {{{"name", "app"}, {"image", "app"}}}}}}};
  auto ds = problems(doc);
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].to_string() ==
        "/services/0/task/ecs_task_definition/memory: 512 MiB is not valid with 512 CPU units (valid: 1024 to 4096 MiB in steps of 1024)");
  doc["services"][0]["platform"] = "ecs_ec2";
  CHECK(problems(doc).empty());
  // Fargate Spot runs Linux only: a Fargate rule, at the strategy.
  doc = minimal();
  doc["services"][0]["task"] = {{"cpu", 1024}, {"memory", 2048}, {"os", "windows"}};
  doc["services"][0]["capacity_provider_strategy"] = {{{"capacity_provider", "FARGATE_SPOT"}}};
  ds = problems(doc);
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].to_string() == "/services/0/capacity_provider_strategy: Fargate Spot runs Linux tasks only");
}

TEST_CASE("scenario: an invalid CPU/memory pair lists the valid memory sizes", "[scenario]") {
  json doc = minimal();
  doc["services"][0]["task"] = {{"cpu", 1024}, {"memory", 512}};
  auto ds = problems(doc);
  REQUIRE(ds.size() == 1);
  REQUIRE(ds[0].to_string() == "/services/0/task/memory: 512 MiB is not valid with 1024 CPU units (valid: 2048 to 8192 MiB in steps of 1024)");
  doc["services"][0]["task"] = {{"cpu", 32768}, {"memory", 65536}};
  ds = problems(doc);
  REQUIRE(ds.size() == 1);
  REQUIRE(ds[0].message == "65536 MiB is not valid with 32768 CPU units (valid: 61440, 122880, 249856 MiB)");
}

TEST_CASE("scenario: the Fargate size table has the published number of combinations", "[scenario]") {
  // 0.25 vCPU: 3; 0.5: 4 (1-4 GB); 1: 7 (2-8 GB); 2: 13 (4-16 GB); 4: 23 (8-30 GB);
  // 8: 12 (16-60 GB by 4); 16: 12 (32-120 GB by 8); 32: 3 (60, 120, 244 GB).
  std::size_t total = 0;
  for (int cpu : detail::fargate_cpu_values()) total += detail::fargate_memory_values(cpu).size();
  REQUIRE(total == 3 + 4 + 7 + 13 + 23 + 12 + 12 + 3);
  REQUIRE(detail::check_fargate_size(4096, 30720, "linux", "x86_64").empty());
  REQUIRE(detail::check_fargate_size(512, 2048, "windows", "x86_64").size() == 1);  // Windows needs >= 1 vCPU
  REQUIRE(detail::check_fargate_size(1024, 2048, "windows", "arm64").size() == 1);
}

TEST_CASE("scenario: three mistakes are reported together with their pointers", "[scenario]") {
  json doc = minimal();
  doc["services"][0]["desird_count"] = 3;                // misspelt key
  doc["services"][0]["task"] = {{"cpu", 300}};            // invalid CPU
  doc["workloads"][0]["target"] = "apj";                  // unknown service
  const auto ds = problems(doc);
  INFO(dump(ds));
  REQUIRE(ds.size() == 3);
  REQUIRE(has(ds, "/services/0/desird_count", "did you mean \"desired_count\""));
  REQUIRE(has(ds, "/services/0/task/cpu", "not a valid Fargate CPU value"));
  REQUIRE(has(ds, "/workloads/0/target", "no service is named \"apj\" (did you mean \"api\"?)"));
}

TEST_CASE("scenario: unknown models and bad parameters are reported at the model's pointer", "[scenario]") {
  json doc = minimal();
  doc["workloads"][0]["arrival"] = "poison(rate=3)";
  doc["workloads"][0]["request"] = {{"cpu_time", "exponential(rate=2, mean=0.5)"}};
  doc["services"][0]["scaling"] = {"target_tracking(target=60)"};
  const auto ds = problems(doc);
  INFO(dump(ds));
  REQUIRE(ds.size() == 3);
  REQUIRE(has(ds, "/workloads/0/arrival", "unknown arrival process \"poison\" (did you mean \"poisson\"?)"));
  REQUIRE(has(ds, "/workloads/0/request/cpu_time", "give exactly one of \"rate\" and \"mean\""));
  // target_tracking is registered: the missing parameter is named, with its meaning.
  REQUIRE(has(ds, "/services/0/scaling/0", "target_tracking: missing parameter \"metric\""));
}

TEST_CASE("scenario: model parameters are type- and range-checked", "[scenario]") {
  json doc = minimal();
  doc["workloads"][0]["arrival"] = "poisson(rate=-2, burst=3)";
  const auto ds = problems(doc);
  INFO(dump(ds));
  REQUIRE(ds.size() == 2);
  REQUIRE(has(ds, "/workloads/0/arrival", "rate: -2 must be > 0"));
  REQUIRE(has(ds, "/workloads/0/arrival", "unknown parameter \"burst\""));
}

TEST_CASE("scenario: duplicate names, overlapping subnets and bad CIDRs are errors", "[scenario]") {
  json doc = minimal();
  doc["services"].push_back({{"name", "api"}});
  doc["network"] = {{"subnets", json::array({{{"name", "a"}, {"az", "a"}, {"cidr", "10.0.0.0/24"}},
                                             {{"name", "b"}, {"az", "b"}, {"cidr", "10.0.0.128/25"}},
                                             {{"name", "c"}, {"az", "c"}, {"cidr", "10.0.1.7/24"}},
                                             {{"name", "d"}, {"az", "c"}, {"cidr", "10.1.0.0/30"}}})}};
  const auto ds = problems(doc);
  INFO(dump(ds));
  REQUIRE(ds.size() == 4);
  REQUIRE(has(ds, "/services/1/name", "already used by /services/0"));
  REQUIRE(has(ds, "/network/subnets/1/cidr", "overlaps subnet 0"));
  REQUIRE(has(ds, "/network/subnets/2/cidr", "host bits set; the block starts at 10.0.1.0/24"));
  REQUIRE(has(ds, "/network/subnets/3/cidr", "/30 is outside the subnet sizes AWS allows"));
}

TEST_CASE("scenario: a call graph with a cycle is rejected and the cycle is named", "[scenario]") {
  // a -> b -> c -> a, plus d -> a (not on the cycle)
  const auto cycle = detail::find_call_cycle(4, {{0, 1}, {1, 2}, {2, 0}, {3, 0}});
  REQUIRE(cycle == std::vector<std::size_t>{0, 1, 2, 0});
  REQUIRE(detail::find_call_cycle(3, {{0, 1}, {1, 2}, {0, 2}}).empty());
  REQUIRE(detail::find_call_cycle(1, {{0, 0}}) == std::vector<std::size_t>{0, 0});

  json doc = minimal();
  doc["services"] = json::array({{{"name", "web"}, {"calls", {{{"service", "api"}}}}},
                                 {{"name", "api"}, {"calls", {{{"service", "web"}}}}}});
  doc["workloads"][0]["target"] = "web";
  const auto ds = problems(doc);
  INFO(dump(ds));
  REQUIRE(has(ds, "/services/0/calls", "the call graph has a cycle: web -> api -> web"));
}

TEST_CASE("scenario: overrides change the input before validation", "[scenario]") {
  const Scenario s = Scenario::from_json(minimal(), {"services.api.task.cpu=1024", "services.0.task.memory=4096",
                                                     "/workloads/0/arrival=poisson(rate=3)", "duration=5m", "seed=42"});
  REQUIRE(s.spec().services[0].task.cpu_units == 1024);
  REQUIRE(s.spec().services[0].task.memory_mib == 4096);
  REQUIRE(s.spec().workloads[0].arrival.to_string() == "poisson(rate=3)");
  REQUIRE(s.spec().duration == minutes(5));
  REQUIRE(s.spec().seed == 42);
  // An override that makes the scenario invalid is reported like any other mistake.
  const auto ds = problems(minimal(), {"services.api.task.cpu=300"});
  REQUIRE(ds.size() == 1);
  REQUIRE(ds[0].pointer == "/services/0/task/cpu");
  // with_overrides starts from the input, not from the defaulted document.
  const Scenario t = s.with_overrides({"services.api.desired_count=7"});
  REQUIRE(t.spec().services[0].desired_count == 7);
  REQUIRE(t.spec().services[0].task.cpu_units == 1024);
}

TEST_CASE("scenario: JSON syntax errors give the line and column", "[scenario]") {
  try {
    Scenario::from_text("{\n  \"schema_version\": 1,\n  \"services\": [,]\n}", {}, "broken.json");
    FAIL("expected a ScenarioError");
  } catch (const ScenarioError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    REQUIRE(e.diagnostics()[0].message.rfind("broken.json:3:", 0) == 0);
  }
}

TEST_CASE("registry: model calls parse in both spellings", "[scenario]") {
  const ModelCall a = parse_model_call("lognormal(mean=0.05, sd=0.02)");
  REQUIRE(a.name == "lognormal");
  REQUIRE(a.params.at("mean") == 0.05);
  const ModelCall b = model_call_from_json(json{{"model", "histogram"}, {"edges", {0, 1, 2}}, {"weights", {1, 3}}});
  REQUIRE(b.params.at("edges").size() == 3);
  const ModelCall c = parse_model_call("step(steps=[1, 2.5], region=us-east-1, name='x y', on=true)");
  REQUIRE(c.params.at("steps") == json::array({1, 2.5}));
  REQUIRE(c.params.at("region") == "us-east-1");
  REQUIRE(c.params.at("name") == "x y");
  REQUIRE(c.params.at("on") == true);
  REQUIRE(parse_model_call("poisson").params.empty());
  REQUIRE_THROWS_AS(parse_model_call("poisson(rate=)"), std::invalid_argument);
  REQUIRE_THROWS_AS(parse_model_call("poisson(rate=1"), std::invalid_argument);
  REQUIRE_THROWS_AS(parse_model_call("poisson(rate=1, rate=2)"), std::invalid_argument);
  // Building from the distribution registry gives the same moments as the parameters say.
  const Distribution d = detail::distribution_registry().build(a);
  REQUIRE(d.mean() == Approx(0.05));
  REQUIRE(std::sqrt(d.variance()) == Approx(0.02));
}

TEST_CASE("registry: durations accept seconds and unit strings", "[scenario]") {
  REQUIRE(parse_duration(json(90)) == seconds(90));
  REQUIRE(parse_duration(json("250ms")) == milliseconds(250));
  REQUIRE(parse_duration(json("1.5h")) == minutes(90));
  REQUIRE(parse_duration(json("2d")) == days(2));
  REQUIRE_THROWS_AS(parse_duration(json("5 minutes")), std::invalid_argument);
  REQUIRE_THROWS_AS(parse_duration(json(-1)), std::invalid_argument);
}

TEST_CASE("scenario: zero durations where time must pass are errors", "[scenario]") {
  json doc = minimal();
  doc["duration"] = "0s";
  doc["output"] = {{"metrics_interval", 0}};
  const auto ds = problems(doc);
  INFO(dump(ds));
  REQUIRE(ds.size() == 2);
  REQUIRE(has(ds, "/duration", "must be greater than zero"));
  REQUIRE(has(ds, "/output/metrics_interval", "must be greater than zero"));
}
