#include "faults/dependency_fault.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "faults/fault_window.hpp"
#include "random/distribution_registry.hpp"
#include "scenario/checks.hpp"
#include "serving/service.hpp"

namespace fargatelab::detail {

void check_dependency_fault(const nlohmann::json& item, const std::string& pointer,
                            const std::map<std::string, std::size_t>& services, std::vector<Diagnostic>& out) {
  const std::string name = str_or(item, "service", "");
  if (!name.empty() && !services.count(name)) {
    std::vector<std::string> names;
    for (const auto& [n, _] : services) names.push_back(n);
    const std::string guess = did_you_mean(name, names);
    out.push_back({pointer + "/service", guess.empty() ? fmt::format("no service is named \"{}\" (services: {})", name, fmt::join(names, ", "))
                                                       : fmt::format("no service is named \"{}\" (did you mean \"{}\"?)", name, guess)});
  }
  check_fault_window(item, pointer, out);
  if (const json* e = member(item, "extra_latency"); e && !e->is_null())
    check_model(distribution_registry(), *e, pointer + "/extra_latency", out);
}

std::shared_ptr<const FaultSpec> build_dependency_fault(const nlohmann::json& item, ScenarioSpec& s) {
  auto f = std::make_shared<DependencyFaultSpec>();
  f->type = "dependency";
  f->start = parse_duration(item.at("start"));
  f->end = parse_duration(item.at("end"));
  f->service = item.at("service").get<std::string>();
  const auto it = std::find_if(s.services.begin(), s.services.end(), [&](const ServiceSpec& sv) { return sv.name == f->service; });
  f->service_index = static_cast<std::size_t>(it - s.services.begin());
  f->effects = build_request_effects(item);
  if (f->effects.extra_latency) s.services[f->service_index].off_cpu_waits = true;
  if (f->effects.error_share > 0) s.app_errors = true;
  return f;
}

namespace {

class DependencyFault final : public FaultRuntime {
 public:
  DependencyFault(const DependencyFaultSpec& f, Simulation& sim, Service& service) : f_(f), service_(service) {
    sim.schedule_at(f.start, bind<&DependencyFault::begin>(this), Priority::urgent);
    sim.schedule_at(f.end, bind<&DependencyFault::end>(this), Priority::urgent);
  }

 private:
  void begin() { service_.set_fault_effects(&f_.effects); }
  void end() { service_.set_fault_effects(nullptr); }
  const DependencyFaultSpec& f_;
  Service& service_;
};

}  // namespace

std::unique_ptr<FaultRuntime> start_dependency_fault(const FaultSpec& f, const FaultTargets& targets) {
  const auto& d = static_cast<const DependencyFaultSpec&>(f);
  return std::make_unique<DependencyFault>(d, targets.sim, *targets.services[d.service_index]);
}

}  // namespace fargatelab::detail
