#include "platforms/ecs_ec2/ec2_section.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "platforms/ecs_ec2/cluster.hpp"
#include "platforms/ecs_ec2/ec2_service_spec.hpp"
#include "platforms/ecs_ec2/ec2_spec.hpp"
#include "platforms/ecs_ec2/instance_types.hpp"
#include "random/distribution_registry.hpp"
#include "scenario/checks.hpp"

namespace fargatelab::detail {
namespace {

// The provider entries as written, or the implicit "default" one when an ecs_ec2 service exists
// and none is listed (its fields then all take the schema's defaults).
json providers_of(const json& doc) {
  const json* ec2 = member(doc, "ec2");
  const json& list = ec2 ? array_or_empty(*ec2, "capacity_providers") : array_or_empty(doc, "no-such-key");
  if (!list.empty()) return list;
  json doc_with_default = {{"ec2", {{"capacity_providers", json::array({json{{"name", "default"}}})}}}};
  scenario_json_schema().fill_defaults(doc_with_default);
  return doc_with_default["ec2"]["capacity_providers"];
}

// An ecs_ec2 service left at the schema's default strategy ([FARGATE, base 0, weight 1]).
bool default_strategy(const json& items) {
  return items.size() == 1 && str_or(items[0], "capacity_provider", "") == "FARGATE" &&
         int_of(items[0], "base").value_or(0) == 0 && int_of(items[0], "weight").value_or(1) == 1;
}

bool fargate_name(const std::string& p) { return p == "FARGATE" || p == "FARGATE_SPOT"; }

void check_provider(const json& doc, const json& p, const std::string& base, std::vector<Diagnostic>& out) {
  const std::string type = str_or(p, "instance_type", "m6i.large");
  const InstanceType* it = find_instance_type(type);
  if (!it) {
    const std::vector<std::string> names(instance_type_names().begin(), instance_type_names().end());
    const std::string guess = did_you_mean(type, names);
    out.push_back({base + "/instance_type", fmt::format("unknown instance type \"{}\"{} (known: {})", type,
                                                        guess.empty() ? "" : fmt::format(", did you mean \"{}\"?", guess),
                                                        instance_type_list())});
  }
  const auto min = int_of(p, "min_size").value_or(0), max = int_of(p, "max_size").value_or(100);
  if (min > max) out.push_back({base + "/max_size", fmt::format("max_size ({}) is below min_size ({})", max, min)});
  if (const auto d = int_of(p, "desired_capacity"); d && (*d < min || *d > max))
    out.push_back({base + "/desired_capacity", fmt::format("desired_capacity {} is outside [min_size {}, max_size {}]", *d, min, max)});
  if (const json* m = member(p, "managed_scaling")) {
    const auto lo = int_of(*m, "minimum_scaling_step_size").value_or(1), hi = int_of(*m, "maximum_scaling_step_size").value_or(10000);
    if (lo > hi)
      out.push_back({base + "/managed_scaling/minimum_scaling_step_size",
                     fmt::format("minimum_scaling_step_size ({}) exceeds maximum_scaling_step_size ({})", lo, hi)});
  }
  if (it) {
    if (const auto r = int_of(p, "reserved_memory_mib"); r && *r >= it->memory_mib)
      out.push_back({base + "/reserved_memory_mib", fmt::format("{} has {} MiB; ECS_RESERVED_MEMORY must be less", type, it->memory_mib)});
  }
  const std::string name = str_or(p, "name", "");
  for (const char* prefix : {"aws", "ecs", "fargate"})
    if (name.rfind(prefix, 0) == 0)
      out.push_back({base + "/name", fmt::format("a capacity provider name cannot begin with \"{}\" (ECS CreateCapacityProvider)", prefix)});
  check_subnet_names(doc, p, base, out);
}

}  // namespace

void check_ec2(const json& doc, std::vector<Diagnostic>& out) {
  const json* ec2 = member(doc, "ec2");
  if (ec2) {
    for (const char* key : {"instance_launch", "cached_pull"})
      if (const json* d = member(*ec2, key)) check_model(distribution_registry(), *d, std::string("/ec2/") + key, out);
    const json& list = array_or_empty(*ec2, "capacity_providers");
    std::set<std::string> names;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string base = at("/ec2/capacity_providers", i);
      check_provider(doc, list[i], base, out);
      const std::string n = str_or(list[i], "name", "");
      if (!names.insert(n).second) out.push_back({base + "/name", fmt::format("capacity provider \"{}\" is listed twice", n)});
    }
  }
  const json providers = providers_of(doc);
  std::map<std::string, const json*> by_name;
  for (const json& p : providers) by_name.emplace(str_or(p, "name", ""), &p);

  const json& services = array_or_empty(doc, "services");
  for (std::size_t i = 0; i < services.size(); ++i) {
    const json& s = services[i];
    const std::string base = at("/services", i);
    const std::string platform = str_or(s, "platform", "fargate");
    const json& items = array_or_empty(s, "capacity_provider_strategy");
    if (platform == "fargate") {
      for (std::size_t k = 0; k < items.size(); ++k)
        if (const std::string p = str_or(items[k], "capacity_provider", "FARGATE"); !fargate_name(p))
          out.push_back({at(base + "/capacity_provider_strategy", k) + "/capacity_provider",
                         fmt::format("a Fargate service uses FARGATE or FARGATE_SPOT, not \"{}\" (set platform \"ecs_ec2\" "
                                     "for an Auto Scaling group capacity provider)", p)});
      continue;
    }
    if (platform != "ecs_ec2") continue;
    // The providers this service can land on.
    std::vector<const json*> mine;
    if (default_strategy(items)) {
      mine.push_back(&providers[0]);
    } else {
      for (std::size_t k = 0; k < items.size(); ++k) {
        const std::string p = str_or(items[k], "capacity_provider", "");
        const std::string ptr = at(base + "/capacity_provider_strategy", k) + "/capacity_provider";
        if (fargate_name(p)) {
          out.push_back({ptr, fmt::format("an ecs_ec2 service cannot use {}: a strategy cannot mix Fargate and Auto Scaling "
                                          "group capacity providers (ECS cluster capacity providers)", p)});
        } else if (const auto it = by_name.find(p); it == by_name.end()) {
          std::vector<std::string> known;
          for (const auto& [n, _] : by_name) known.push_back(n);
          const std::string guess = did_you_mean(p, known);
          out.push_back({ptr, fmt::format("no EC2 capacity provider is named \"{}\"{} (ec2.capacity_providers: {})", p,
                                          guess.empty() ? "" : fmt::format(", did you mean \"{}\"?", guess), fmt::join(known, ", "))});
        } else {
          mine.push_back(it->second);
        }
      }
    }
    // Placement strategies and constraints as ECS accepts them.
    const json* e = member(s, "ec2");
    if (e) {
      const json& strategies = array_or_empty(*e, "placement_strategy");
      for (std::size_t k = 0; k < strategies.size(); ++k) try {
          parse_placement_strategy(str_or(strategies[k], "type", ""), str_or(strategies[k], "field", ""));
        } catch (const std::invalid_argument& ex) {
          out.push_back({at(base + "/ec2/placement_strategy", k), ex.what()});
        }
      const json& constraints = array_or_empty(*e, "placement_constraints");
      for (std::size_t k = 0; k < constraints.size(); ++k) try {
          PlacementConstraint::parse(str_or(constraints[k], "type", ""), str_or(constraints[k], "expression", ""));
        } catch (const std::invalid_argument& ex) {
          out.push_back({at(base + "/ec2/placement_constraints", k), ex.what()});
        }
    }
    // The task must fit an instance of each provider it may use.
    const json* task = member(s, "task");
    const auto cpu = task ? int_of(*task, "cpu").value_or(256) : 256;
    const auto mem = task ? int_of(*task, "memory").value_or(512) : 512;
    for (const json* p : mine) {
      const InstanceType* it = find_instance_type(str_or(*p, "instance_type", "m6i.large"));
      if (!it) continue;
      const auto reserved = int_of(*p, "reserved_memory_mib").value_or(0);
      if (cpu > it->cpu_units() || mem > it->memory_mib - reserved)
        out.push_back({base + "/task", fmt::format("a task of {} CPU units and {} MiB does not fit a {} of capacity provider \"{}\" "
                                                   "({} units, {} MiB registered)", cpu, mem, it->name, str_or(*p, "name", ""),
                                                   it->cpu_units(), it->memory_mib - reserved)});
    }
  }
}

namespace {

PlacementRequest request_of(const ServiceSpec& sv) {
  PlacementRequest r;
  r.cpu_units = sv.task.cpu_units;
  r.memory_mib = sv.task.memory_mib;
  r.network_mode = ec2_settings(sv).awsvpc ? NetworkMode::awsvpc : NetworkMode::bridge;
  return r;
}

// How many tasks of this size one instance holds next to the daemons' reservations.
double tasks_per_instance(const InstanceType& type, int reserved_memory, bool trunking, const PlacementRequest& r,
                          int daemon_cpu, int daemon_mem, int daemon_enis) {
  double n = 1e18;
  if (r.cpu_units > 0) n = std::min(n, std::floor(double(type.cpu_units() - daemon_cpu) / r.cpu_units));
  n = std::min(n, std::floor(double(type.memory_mib - reserved_memory - daemon_mem) / r.memory_mib));
  if (r.network_mode == NetworkMode::awsvpc) n = std::min(n, double(type.awsvpc_task_limit(trunking) - daemon_enis));
  return std::max(0.0, n);
}

}  // namespace

void build_ec2(const json& doc, ScenarioSpec& s) {
  const bool any = std::any_of(s.services.begin(), s.services.end(), [](const ServiceSpec& sv) { return sv.platform == kEcsEc2; });
  const json* e = member(doc, "ec2");
  if (!e) return;
  auto spec = std::make_shared<Ec2Spec>();
  s.platform_specs[kEcsEc2] = spec;
  Ec2Spec& ec2 = *spec;
  ec2.instance_launch = distribution_registry().build(model_call_from_json(e->at("instance_launch")));
  ec2.cached_pull = distribution_registry().build(model_call_from_json(e->at("cached_pull")));
  const std::string pull = e->at("image_pull_behavior").get<std::string>();
  ec2.pull_behavior = pull == "always"          ? Ec2Spec::PullBehavior::always
                      : pull == "once"          ? Ec2Spec::PullBehavior::once
                      : pull == "prefer-cached" ? Ec2Spec::PullBehavior::prefer_cached
                                                : Ec2Spec::PullBehavior::pull_default;
  ec2.provisioning_timeout = parse_duration(e->at("provisioning_timeout"));
  ec2.metric_period = parse_duration(e->at("metric_period"));
  ec2.scale_in_datapoints = e->at("scale_in_datapoints").get<int>();
  ec2.spot_warning = parse_duration(e->at("spot_warning"));
  if (!any && e->at("capacity_providers").empty()) return;

  const json providers = providers_of(doc);
  std::vector<bool> auto_desired;
  for (const json& p : providers) {
    Ec2CapacityProviderSpec c;
    c.name = p.at("name").get<std::string>();
    c.instance_type = p.at("instance_type").get<std::string>();
    c.spot = p.at("spot").get<bool>();
    c.min_size = p.at("min_size").get<int>();
    c.max_size = p.at("max_size").get<int>();
    auto_desired.push_back(p.at("desired_capacity").is_null());
    c.desired_capacity = auto_desired.back() ? 0 : p.at("desired_capacity").get<int>();
    for (const auto& n : p.at("subnets"))
      for (std::size_t i = 0; i < s.network.subnets.size(); ++i)
        if (s.network.subnets[i].name == n.get<std::string>()) c.subnets.push_back(i);
    if (c.subnets.empty()) {
      for (std::size_t i = 0; i < s.network.subnets.size(); ++i)
        if (!s.network.subnets[i].is_public) c.subnets.push_back(i);
      if (c.subnets.empty())
        for (std::size_t i = 0; i < s.network.subnets.size(); ++i) c.subnets.push_back(i);
    }
    c.trunking = p.at("trunking").get<bool>();
    c.reserved_memory_mib = p.at("reserved_memory_mib").get<int>();
    const json& m = p.at("managed_scaling");
    c.managed_scaling = m.at("status") == "ENABLED";
    c.target_capacity = m.at("target_capacity").get<int>();
    c.min_step = m.at("minimum_scaling_step_size").get<int>();
    c.max_step = m.at("maximum_scaling_step_size").get<int>();
    c.instance_warmup = parse_duration(m.at("instance_warmup_period"));
    const InstanceType& type = *find_instance_type(c.instance_type);
    c.spot_monthly_interruption = !c.spot                              ? 0.0
                                  : p.at("spot_interruption").is_null() ? spot_band_monthly_probability(type.spot_interruption_band)
                                                                        : p.at("spot_interruption").get<double>();
    ec2.capacity_providers.push_back(std::move(c));
  }
  std::map<std::string, std::int32_t> index;
  for (std::size_t i = 0; i < ec2.capacity_providers.size(); ++i) index.emplace(ec2.capacity_providers[i].name, static_cast<std::int32_t>(i));

  // The ecs_ec2 services: strategy, network mode, scheduling, placement.
  const json& services = doc.at("services");
  for (std::size_t i = 0; i < s.services.size(); ++i) {
    ServiceSpec& sv = s.services[i];
    if (sv.platform != kEcsEc2) continue;
    const json& sj = services[i];
    const json& items = sj.at("capacity_provider_strategy");
    sv.capacity_provider_strategy.clear();
    if (default_strategy(items)) {
      sv.capacity_provider_strategy.push_back({CapacityProvider::ec2, 0, 1, 0});
    } else {
      for (const json& c : items)
        sv.capacity_provider_strategy.push_back(
            {CapacityProvider::ec2, c.at("base").get<int>(), c.at("weight").get<int>(), index.at(c.at("capacity_provider").get<std::string>())});
    }
    const json& ej = sj.at("ec2");
    auto e = std::make_shared<Ec2ServiceSpec>();
    e->awsvpc = ej.at("network_mode") == "awsvpc";
    e->daemon = ej.at("scheduling_strategy") == "DAEMON";
    for (const json& st : ej.at("placement_strategy"))
      e->placement_strategy.push_back({st.at("type").get<std::string>(), st.at("field").get<std::string>()});
    for (const json& c : ej.at("placement_constraints"))
      e->placement_constraints.push_back({c.at("type").get<std::string>(), c.at("expression").get<std::string>()});
    // ECS does not rebalance a DAEMON service, nor one placed by binpack (service-rebalancing).
    if (e->daemon || std::any_of(e->placement_strategy.begin(), e->placement_strategy.end(),
                                 [](const Ec2ServiceSpec::Strategy& st) { return st.type == "binpack"; }))
      sv.availability_zone_rebalancing = false;
    sv.platform_spec = std::move(e);
  }

  // desired_capacity "auto": the warm-started replica tasks each provider gets by its services'
  // strategies (base first, then by weight), packed by the most constraining resource next to
  // every daemon's reservation.
  for (std::size_t p = 0; p < ec2.capacity_providers.size(); ++p) {
    if (!auto_desired[p]) continue;
    Ec2CapacityProviderSpec& c = ec2.capacity_providers[p];
    const InstanceType& type = *find_instance_type(c.instance_type);
    int daemon_cpu = 0, daemon_mem = 0, daemon_enis = 0;
    for (const ServiceSpec& sv : s.services)
      if (sv.platform == kEcsEc2 && ec2_settings(sv).daemon) {
        daemon_cpu += sv.task.cpu_units;
        daemon_mem += sv.task.memory_mib;
        daemon_enis += ec2_settings(sv).awsvpc;
      }
    double instances = 0;
    for (const ServiceSpec& sv : s.services) {
      if (sv.platform != kEcsEc2 || ec2_settings(sv).daemon || !sv.warm_start || sv.desired_count == 0) continue;
      // This provider's share of the service's tasks.
      int base = 0, weight = 0, total_weight = 0;
      bool mine = false;
      for (const auto& item : sv.capacity_provider_strategy) {
        total_weight += item.weight;
        if (item.ec2 == static_cast<std::int32_t>(p)) {
          mine = true;
          base = item.base;
          weight = item.weight;
        }
      }
      if (!mine) continue;
      int other_base = 0;
      for (const auto& item : sv.capacity_provider_strategy)
        if (item.ec2 != static_cast<std::int32_t>(p)) other_base += item.base;
      const int beyond = std::max(0, sv.desired_count - base - other_base);
      const double share = std::min(sv.desired_count, base) + (total_weight > 0 ? std::ceil(double(beyond) * weight / total_weight) : 0.0);
      const double per = tasks_per_instance(type, c.reserved_memory_mib, c.trunking, request_of(sv), daemon_cpu, daemon_mem, daemon_enis);
      instances += per > 0 ? share / per : 0;
    }
    c.desired_capacity = std::clamp(static_cast<int>(std::ceil(instances - 1e-9)), c.min_size, c.max_size);
  }
}

}  // namespace fargatelab::detail
