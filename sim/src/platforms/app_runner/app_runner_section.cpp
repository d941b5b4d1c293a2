// The "app_runner" section of a service: checks of meaning and the typed AppRunnerSpec, and
// what App Runner implies for the service's shared fields.
#include "platforms/app_runner/app_runner_section.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "scenario/checks.hpp"

namespace fargatelab::detail {

// App Runner instance sizes (App Runner developer guide, "Instance configuration") and sizes.
void check_app_runner_section(const json& s, const std::string& base, std::vector<Diagnostic>& out) {
  static const std::vector<std::pair<int, int>> sizes = {{256, 512},   {256, 1024},  {512, 1024},  {1024, 2048},
                                                         {1024, 3072}, {1024, 4096}, {2048, 4096}, {2048, 6144},
                                                         {4096, 8192}, {4096, 10240}, {4096, 12288}};
  if (const json* t = member(s, "task"); t && t->is_object()) {
    const json* cpu = member(*t, "cpu");
    const json* mem = member(*t, "memory");
    if (cpu && mem && cpu->is_number_integer() && mem->is_number_integer() &&
        std::find(sizes.begin(), sizes.end(), std::make_pair(cpu->get<int>(), mem->get<int>())) == sizes.end())
      out.push_back({base + "/task", fmt::format("{} CPU units with {} MiB is not an App Runner instance size (0.25 vCPU: "
                                                 "512 or 1024 MiB; 0.5: 1024; 1: 2048-4096; 2: 4096 or 6144; 4: 8192-12288)",
                                                 cpu->get<int>(), mem->get<int>())});
  }
  if (const json* a = member(s, "app_runner"); a && a->is_object()) {
    const json* lo = member(*a, "min_size");
    const json* hi = member(*a, "max_size");
    if (lo && hi && lo->is_number_integer() && hi->is_number_integer() && lo->get<int>() > hi->get<int>())
      out.push_back({base + "/app_runner/min_size",
                     fmt::format("min_size {} is above max_size {}", lo->get<int>(), hi->get<int>())});
  }
  if (const json* q = member(s, "queue"); q && q->is_object())
    out.push_back({base + "/queue", "an App Runner service is called over HTTP; a queue in front is not simulated"});
}

void build_app_runner_service(const json& sj, ServiceSpec& sv) {
  const json& a = sj.at("app_runner");
  auto spec = std::make_shared<AppRunnerSpec>();
  AppRunnerSpec& ar = *spec;
  ar.max_concurrency = a.at("max_concurrency").get<int>();
  ar.min_size = a.at("min_size").get<int>();
  ar.max_size = a.at("max_size").get<int>();
  ar.queue_limit = a.at("queue_limit").get<int>();
  ar.scale_in_delay = parse_duration(a.at("scale_in_delay"));
  // Each instance serves max_concurrency at once; waiting happens in front of them.
  sv.serving.concurrency = ar.max_concurrency;
  sv.serving.queue_limit = 0;
  sv.serving.front_queue_limit = ar.queue_limit;
  // App Runner bills an instance that becomes active at least one minute of vCPU (App Runner
  // pricing page, aws-facts A.3): its active state lasts at least that long.
  sv.serving.min_active = SimTime::from_seconds(60);
  sv.desired_count = ar.min_size;
  sv.own_network = true;  // App Runner pulls images inside its service VPC
  sv.load_balancer = LoadBalancerKind::none;
  sv.platform_spec = std::move(spec);
}

}  // namespace fargatelab::detail
