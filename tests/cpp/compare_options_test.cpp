// The scenarios of compare's options (scenario_for_option): derived from the parsed scenario, they
// must be exactly the scenario a user would write with every service on the option, and an option
// the scenario cannot take must give the problems that written scenario gets.
#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "fargatelab/compare.hpp"
#include "platforms/ecs_ec2/ec2_spec.hpp"
#include "platforms/platform.hpp"
#include "scaling/service_scaling_spec.hpp"

using namespace fargatelab;
using nlohmann::json;

namespace {

// The option as --set overrides on the written scenario: what a user would write by hand.
std::vector<std::string> written_as_overrides(const Scenario& s, const std::string& option) {
  const bool spot = option == "fargate_spot", ec2_spot = option == "ecs_ec2_spot";
  const std::string platform = spot ? "fargate" : ec2_spot ? "ecs_ec2" : option;
  std::vector<std::string> sets;
  for (std::size_t i = 0; i < s.spec().services.size(); ++i) {
    sets.push_back(fmt::format("services.{}.platform={}", i, platform));
    sets.push_back(fmt::format("services.{}.capacity_provider_strategy={}", i,
                               spot ? R"([{"capacity_provider":"FARGATE","base":1,"weight":1},{"capacity_provider":"FARGATE_SPOT","weight":3}])"
                                    : R"([{"capacity_provider":"FARGATE","base":0,"weight":1}])"));
  }
  if (ec2_spot) {
    const json::json_pointer providers("/ec2/capacity_providers");
    if (s.input().contains(providers) && !s.input().at(providers).empty())
      for (std::size_t p = 0; p < s.input().at(providers).size(); ++p) sets.push_back(fmt::format("ec2.capacity_providers.{}.spot=true", p));
    else
      sets.push_back(R"(ec2.capacity_providers=[{"name":"default","spot":true}])");
  }
  return sets;
}

json two_services() {
  return json::parse(R"JSON({
    "schema_version": 1, "duration": "10m",
    "services": [{"name": "api", "task": {"cpu": 512, "memory": 1024}, "calls": [{"service": "db"}]},
                 {"name": "db", "platform": "ecs_ec2", "task": {"cpu": 1024, "memory": 2048}}],
    "workloads": [{"name": "users", "target": "api", "arrival": "poisson(rate=5)", "invocation": "async"}]
  })JSON");
}

std::vector<Diagnostic> problems_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ScenarioError& e) {
    return e.diagnostics();
  }
  return {};
}

}  // namespace

TEST_CASE("compare options: each option's scenario is the scenario written on that option", "[compare]") {
  json with_groups = two_services();
  with_groups["ec2"] = {{"capacity_providers", {{{"name", "small"}, {"instance_type", "m6i.large"}},
                                               {{"name", "big"}, {"instance_type", "m6i.2xlarge"}}}}};
  const std::vector<Scenario> bases = {Scenario::builtin_comparison(), Scenario::from_json(two_services()),
                                       Scenario::from_json(with_groups)};
  for (const Scenario& base : bases)
    for (const CompareOption& o : compare_options()) {
      INFO(base.spec().name << " on " << o.name);
      // With the fixed capacity: the default scaling policy is the next test's subject.
      const Scenario derived = scenario_for_option(base, o.name, /*fixed_capacity=*/true);
      const Scenario written = base.with_overrides(written_as_overrides(base, o.name));
      CHECK(derived.document() == written.document());
      CHECK(derived.spec().notes == written.spec().notes);
      for (const ServiceSpec& sv : derived.spec().services)
        CHECK(sv.platform == (o.name == "fargate_spot" ? "fargate" : o.name == "ecs_ec2_spot" ? "ecs_ec2" : o.name));
    }
  // By hand: Fargate Spot's strategy is 1 On-Demand task as the base, then 1 On-Demand for every 3
  // Spot; ecs_ec2_spot makes the two written groups Spot, and the default EC2 strategy puts each
  // service on the first of them (index 0).
  const Scenario spot = scenario_for_option(bases[1], "fargate_spot");
  const auto& strategy = spot.spec().services[0].capacity_provider_strategy;
  REQUIRE(strategy.size() == 2);
  CHECK((strategy[0].provider == CapacityProvider::fargate && strategy[0].base == 1 && strategy[0].weight == 1));
  CHECK((strategy[1].provider == CapacityProvider::fargate_spot && strategy[1].base == 0 && strategy[1].weight == 3));
  const Scenario ec2_spot = scenario_for_option(bases[2], "ecs_ec2_spot");
  const auto& groups = detail::platform_settings<detail::Ec2Spec>(ec2_spot.spec()).capacity_providers;
  REQUIRE(groups.size() == 2);
  CHECK((groups[0].spot && groups[1].spot));
  CHECK(ec2_spot.spec().services[1].capacity_provider_strategy.at(0).ec2 == 0);
  // The async workload is a Lambda invocation event only on the lambda option.
  CHECK(scenario_for_option(bases[1], "lambda").spec().workloads[0].async_invocation);
  CHECK_FALSE(scenario_for_option(bases[1], "fargate").spec().workloads[0].async_invocation);
}

TEST_CASE("compare options: an option the scenario cannot take reports the receiving platform's problems", "[compare]") {
  // 256 CPU units with 2048 MiB is a Fargate size but not an App Runner one (0.25 vCPU: 512 or
  // 1024 MiB); a 4 vCPU / 16 GiB task does not fit an m6i.large (2 vCPU, 8 GiB, none reserved by
  // default); Lambda's reserved concurrency cannot exceed the account's 1000; Fargate Spot runs
  // Linux only.
  json doc = json::parse(R"JSON({
    "schema_version": 1,
    "services": [{"name": "small", "task": {"cpu": 256, "memory": 2048}, "lambda": {"reserved_concurrency": 2000}},
                 {"name": "large", "task": {"cpu": 4096, "memory": 16384}},
                 {"name": "win", "task": {"cpu": 1024, "memory": 2048, "os": "windows"}}],
    "workloads": [{"name": "users", "target": "small", "arrival": "poisson(rate=5)"}]
  })JSON");
  const Scenario base = Scenario::from_json(doc);
  struct Case {
    const char* option;
    std::vector<std::string> expected;  // pointer: message, in the order the checks find them
  };
  const std::vector<Case> cases = {
      {"app_runner",
       {"/services/0/task: 256 CPU units with 2048 MiB is not an App Runner instance size (0.25 vCPU: 512 or 1024 MiB; 0.5: "
        "1024; 1: 2048-4096; 2: 4096 or 6144; 4: 8192-12288)",
        "/services/1/task: 4096 CPU units with 16384 MiB is not an App Runner instance size (0.25 vCPU: 512 or 1024 MiB; 0.5: "
        "1024; 1: 2048-4096; 2: 4096 or 6144; 4: 8192-12288)"}},
      {"ecs_ec2",
       {"/services/1/task: a task of 4096 CPU units and 16384 MiB does not fit a m6i.large of capacity provider \"default\" "
        "(2048 units, 8192 MiB registered)"}},
      {"lambda", {"/services/0/lambda/reserved_concurrency: reserved concurrency 2000 exceeds the account concurrency 1000"}},
      {"fargate_spot", {"/services/2/capacity_provider_strategy: Fargate Spot runs Linux tasks only"}},
  };
  for (const Case& c : cases) {
    INFO(c.option);
    const auto derived = problems_of([&] { scenario_for_option(base, c.option); });
    std::vector<std::string> got;
    for (const Diagnostic& d : derived) got.push_back(d.to_string());
    CHECK(got == c.expected);
    // The same problems as the scenario written on the option.
    const auto written = problems_of([&] { base.with_overrides(written_as_overrides(base, c.option)); });
    REQUIRE(written.size() == derived.size());
    for (std::size_t i = 0; i < written.size(); ++i) CHECK(written[i].to_string() == derived[i].to_string());
  }
  CHECK(problems_of([&] { scenario_for_option(base, "fargate"); }).empty());
}

TEST_CASE("compare options: the ECS options scale with target tracking unless told to keep the fixed capacity",
          "[compare][scaling]") {
  const Scenario base = Scenario::builtin_comparison();
  REQUIRE(base.spec().services[0].schedule.size() == 2);  // 4 tasks at night, 8 by day
  for (const char* option : {"fargate", "fargate_spot", "ecs_ec2", "ecs_ec2_spot"}) {
    INFO(option);
    const Scenario s = scenario_for_option(base, option);
    const ServiceSpec& api = s.spec().services[0];
    REQUIRE(api.scaling != nullptr);
    CHECK(api.scaling->policies.size() == 1);
    CHECK(api.scaling->limits.min == 2);   // min(2, desired_count 4)
    CHECK(api.scaling->limits.max == 40);  // 10 x desired_count 4
    CHECK(api.schedule.empty());            // auto scaling owns the desired count
    const Scenario fixed = scenario_for_option(base, option, true);
    CHECK(fixed.spec().services[0].scaling == nullptr);
    CHECK(fixed.spec().services[0].schedule.size() == 2);
  }
  for (const char* option : {"lambda", "app_runner"}) {
    INFO(option);
    CHECK(scenario_for_option(base, option).spec().services[0].scaling == nullptr);  // they scale themselves
  }
  // A service with policies of its own keeps them.
  const Scenario own = base.with_overrides({R"x(services.0.scaling=["hpa(metric=cpu, target=50)"])x"});
  CHECK(scenario_for_option(own, "fargate").spec().services[0].scaling->policies[0].name == "hpa-1");
}

TEST_CASE("compare: a scaled option's row counts its scaled services", "[compare][scaling]") {
  const Scenario base = Scenario::builtin_comparison({"duration=2h"});
  CHECK(comparison_row(run(scenario_for_option(base, "fargate")), "fargate").scaled_services == 1);
  CHECK(comparison_row(run(scenario_for_option(base, "fargate", true)), "fargate").scaled_services == 0);
}
