#include "scenario/semantics.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "scenario/schedule_expression.hpp"
#include "scenario/task_definition.hpp"
#include "ecs/ecs_spec.hpp"
#include "faults/faults_spec.hpp"
#include "platforms/platform.hpp"
#include "random/distribution_registry.hpp"
#include "scenario/call_graph.hpp"
#include "scenario/json_access.hpp"
#include "scenario/checks.hpp"
#include "scenario/json_schema.hpp"
#include "scaling/scaling_input.hpp"
#include "ecs/deployment/deployment_input.hpp"
#include "faults/faults.hpp"
#include "serving/retry.hpp"
#include "workload/arrivals.hpp"

namespace fargatelab::detail {
namespace {

using nlohmann::json;

// The retry mode a scenario value names ("standard", "adaptive", ...); "" if it names none.
std::string retry_mode_name(const json& value) {
  try {
    return model_call_from_json(value).name;
  } catch (const std::exception&) {
    return "";
  }
}

// What the service's scaling section scales: its platform says (platform.hpp).
ScalingTargetKind scaling_target_of(const json& service) {
  const PlatformModel* m = find_platform(str_or(service, "platform", "fargate"));
  return m ? m->scaling_target(service) : ScalingTargetKind{"ecs", int_of(service, "desired_count").value_or(2)};
}

// Unique names within a list; returns name -> index of the first holder.
std::map<std::string, std::size_t> check_unique_names(const json& list, const std::string& base, const char* what,
                                                      std::vector<Diagnostic>& out) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string name = str_or(list[i], "name", "");
    if (name.empty()) continue;
    const auto [it, inserted] = index.emplace(name, i);
    if (!inserted)
      out.push_back({at(base, i) + "/name", fmt::format("{} name \"{}\" is already used by {}/{}", what, name, base, it->second)});
  }
  return index;
}

std::string reference_problem(const std::string& name, const std::map<std::string, std::size_t>& services) {
  std::vector<std::string> names;
  for (const auto& [n, _] : services) names.push_back(n);
  const std::string guess = did_you_mean(name, names);
  if (!guess.empty()) return fmt::format("no service is named \"{}\" (did you mean \"{}\"?)", name, guess);
  return fmt::format("no service is named \"{}\" (services: {})", name, fmt::join(names, ", "));
}

void check_positive_duration(const json& parent, const char* key, const std::string& pointer, std::vector<Diagnostic>& out) {
  const json* v = member(parent, key);
  if (!v) return;
  try {
    if (parse_duration(*v) <= Duration::zero()) out.push_back({pointer, "must be greater than zero"});
  } catch (const std::invalid_argument&) {
    // the schema's pattern reports malformed durations
  }
}

// The launch-type-neutral parts of a task: its ECS task definition, stopTimeout and models. The
// sizes each launch type accepts are its platform's check (PlatformModel::check).
void check_task(const json* task, const std::string& base, std::vector<Diagnostic>& out) {
  if (!task || !task->is_object()) return;
  if (const json* def = member(*task, "ecs_task_definition"); def && def->is_object()) {
    std::vector<Diagnostic> found;
    std::vector<std::string> ignored;
    from_ecs_json(*def, found, ignored);
    for (auto& d : found) out.push_back({base + "/ecs_task_definition" + d.pointer, d.message});
  }
  if (const json* st = member(*task, "stop_timeout")) {
    try {
      if (parse_duration(*st) > seconds(120))
        out.push_back({base + "/stop_timeout", "ECS allows a stopTimeout of at most 120 s"});
    } catch (const std::invalid_argument&) {
    }
  }
  for (const char* key : {"shutdown_time", "init_cpu_seconds", "run_time"})
    if (const json* d = member(*task, key); d && !d->is_null()) check_model(distribution_registry(), *d, base + "/" + key, out);
}

void check_serving_container(const json& service, const std::string& base, std::vector<Diagnostic>& out) {
  const json* serving = member(service, "serving");
  const json* name = serving ? member(*serving, "container") : nullptr;
  if (!name || !name->is_string()) return;
  const json* task = member(service, "task");
  const json* def = task ? member(*task, "ecs_task_definition") : nullptr;
  if (!def || !def->is_object()) {
    out.push_back({base + "/serving/container", "a serving container needs task.ecs_task_definition"});
    return;
  }
  std::vector<std::string> names;
  if (const json* cds = member(*def, "containerDefinitions"); cds && cds->is_array())
    for (const auto& c : *cds) names.push_back(str_or(c, "name", ""));
  if (std::find(names.begin(), names.end(), name->get<std::string>()) == names.end()) {
    const std::string guess = did_you_mean(name->get<std::string>(), names);
    out.push_back({base + "/serving/container",
                   fmt::format("the task definition has no container \"{}\"{}", name->get<std::string>(),
                               guess.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", guess))});
  }
}

// Capacity provider strategy rules (ECS cluster capacity providers docs): each provider once,
// a base on at most one provider, at least one positive weight. What each provider accepts is
// its platform's check (Fargate Spot: Linux only).
void check_strategy(const json& service, const std::string& base, std::vector<Diagnostic>& out) {
  const json& items = array_or_empty(service, "capacity_provider_strategy");
  std::set<std::string> seen;
  int with_base = 0, positive_weights = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string p = str_or(items[i], "capacity_provider", "");
    if (!seen.insert(p).second) out.push_back({at(base + "/capacity_provider_strategy", i), "capacity provider " + p + " appears twice"});
    with_base += int_of(items[i], "base").value_or(0) > 0;
    positive_weights += int_of(items[i], "weight").value_or(1) > 0;
  }
  if (with_base > 1) out.push_back({base + "/capacity_provider_strategy", "only one capacity provider may have a base"});
  if (!items.empty() && positive_weights == 0)
    out.push_back({base + "/capacity_provider_strategy", "at least one capacity provider needs a weight above 0"});
}

void check_standalone_tasks(const json& doc, std::vector<Diagnostic>& out) {
  const json& tasks = array_or_empty(doc, "tasks");
  check_unique_names(tasks, "/tasks", "task", out);
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    check_task(member(tasks[i], "task"), at("/tasks", i) + "/task", out);
    check_subnet_names(doc, tasks[i], at("/tasks", i), out);
    if (const json* sched = member(tasks[i], "schedule"); sched && sched->is_string()) {
      try {
        ScheduleExpression::parse(sched->get<std::string>());
      } catch (const std::invalid_argument& e) {
        out.push_back({at("/tasks", i) + "/schedule", e.what()});
      }
    }
  }
}

// Load balancer settings AWS would refuse.
void check_front_door(const json& s, const std::string& base, std::vector<Diagnostic>& out) {
  auto seconds_of = [&](const json* v, double fallback) {
    try {
      return v ? parse_duration(*v).to_seconds() : fallback;
    } catch (const std::exception&) {
      return fallback;  // the schema reports malformed durations
    }
  };
  const double slow = seconds_of(member(s, "slow_start"), 0);
  if (slow > 0) {
    if (slow < 30 || slow > 900)
      out.push_back({base + "/slow_start", fmt::format("ALB slow start is 30 to 900 s (or 0 for off), not {} s", slow)});
    if (str_or(s, "load_balancer", "alb") != "alb")
      out.push_back({base + "/slow_start", "slow start is an ALB target group setting; this service has no ALB"});
    if (str_or(s, "routing", "round_robin") == "least_outstanding_requests")
      out.push_back({base + "/slow_start", "an ALB cannot combine slow start with least outstanding requests routing"});
  }
  if (const json* hc = member(s, "health_check"); hc && hc->is_object()) {
    const double interval = seconds_of(member(*hc, "interval"), 30), timeout = seconds_of(member(*hc, "timeout"), 5);
    if (interval < 5 || interval > 300)
      out.push_back({base + "/health_check/interval", fmt::format("the health check interval is 5 to 300 s, not {} s", interval)});
    if (timeout < 2 || timeout > 120)
      out.push_back({base + "/health_check/timeout", fmt::format("the health check timeout is 2 to 120 s, not {} s", timeout)});
    else if (timeout >= interval)
      out.push_back({base + "/health_check/timeout",
                     fmt::format("the health check timeout ({} s) must be less than the interval ({} s)", timeout, interval)});
  }
  if (const json* q = member(s, "queue"); q && q->is_object()) {
    const double vis = seconds_of(member(*q, "visibility_timeout"), 30), keep = seconds_of(member(*q, "retention"), 345600);
    if (vis > 43200) out.push_back({base + "/queue/visibility_timeout", fmt::format("SQS allows at most 12 h, not {} s", vis)});
    if (keep < 60 || keep > 1209600)
      out.push_back({base + "/queue/retention", fmt::format("SQS retention is 60 s to 14 days, not {} s", keep)});
  }
}

void check_services(const json& doc, std::vector<Diagnostic>& out) {
  const json& services = array_or_empty(doc, "services");
  const auto index = check_unique_names(services, "/services", "service", out);
  std::vector<std::pair<std::size_t, std::size_t>> edges;
  for (std::size_t i = 0; i < services.size(); ++i) {
    const json& s = services[i];
    const std::string base = at("/services", i);
    check_task(member(s, "task"), base + "/task", out);  // the platform checks its sizes (check_platforms)
    check_serving_container(s, base, out);
    check_subnet_names(doc, s, base, out);
    check_strategy(s, base, out);
    const json& calls = array_or_empty(s, "calls");
    for (std::size_t c = 0; c < calls.size(); ++c) {
      const std::string cbase = at(base + "/calls", c);
      if (const json* m = member(calls[c], "cpu_time")) check_model(distribution_registry(), *m, cbase + "/cpu_time", out);
      if (const json* m = member(calls[c], "off_cpu_time"); m && !m->is_null())
        check_model(distribution_registry(), *m, cbase + "/off_cpu_time", out);
      if (const json* m = member(calls[c], "retry"); m && !m->is_null()) {
        check_model(retry_registry(), *m, cbase + "/retry", out);
        if (str_or(calls[c], "mode", "sync") == "async")
          out.push_back({cbase + "/retry", "an asynchronous call has no answer to retry on; give retry to synchronous calls"});
        if (retry_mode_name(*m) == "adaptive")
          out.push_back({cbase + "/retry", "the adaptive mode's client-side rate limiter is modelled for a workload's clients, "
                                           "not yet for a task's calls; give this call \"standard(...)\""});
      }
      const std::string target = str_or(calls[c], "service", "");
      if (target.empty()) continue;
      const auto it = index.find(target);
      if (it == index.end()) {
        out.push_back({cbase + "/service", reference_problem(target, index)});
        continue;
      }
      edges.emplace_back(i, it->second);
      const json* q = member(services[it->second], "queue");
      if (q && q->is_object() && str_or(calls[c], "mode", "sync") == "sync")
        out.push_back({cbase + "/mode", fmt::format("service \"{}\" is fed by a queue: a call to it must be \"async\" "
                                                    "(a message nobody waits for)", target)});
    }
    check_front_door(s, base, out);
    check_service_deployments(s, base, out);
    const json& revisions = array_or_empty(s, "revisions");
    for (std::size_t r = 0; r < revisions.size(); ++r) check_task(member(revisions[r], "task"), at(base + "/revisions", r) + "/task", out);
    if (const json* scaling = member(s, "scaling"))
      check_service_scaling(*scaling, base + "/scaling", str_or(s, "name", ""), scaling_target_of(s), out);
  }
  const auto cycle = find_call_cycle(services.size(), edges);
  if (!cycle.empty()) {
    std::vector<std::string> names;
    for (auto v : cycle) names.push_back(str_or(services[v], "name", "?"));
    out.push_back({at("/services", cycle.front()) + "/calls",
                   fmt::format("the call graph has a cycle: {}", fmt::join(names, " -> "))});
  }
}

void check_workloads(const json& doc, std::vector<Diagnostic>& out) {
  const json& services = array_or_empty(doc, "services");
  std::map<std::string, std::size_t> service_index;
  for (std::size_t i = 0; i < services.size(); ++i) service_index.emplace(str_or(services[i], "name", ""), i);
  const json& workloads = array_or_empty(doc, "workloads");
  check_unique_names(workloads, "/workloads", "workload", out);
  for (std::size_t i = 0; i < workloads.size(); ++i) {
    const json& w = workloads[i];
    const std::string base = at("/workloads", i);
    const std::string target = str_or(w, "target", "");
    if (!target.empty() && !service_index.count(target)) out.push_back({base + "/target", reference_problem(target, service_index)});
    const json* a = member(w, "arrival");
    const json* c = member(w, "clients");
    const bool open = a != nullptr, closed = c && !c->is_null();
    if (open == closed)
      out.push_back({base, open ? "give either \"arrival\" (open loop) or \"clients\" (closed loop), not both"
                                : "missing \"arrival\" (open loop) or \"clients\" (closed loop)"});
    if (a) check_model(arrival_registry(), *a, base + "/arrival", out);
    if (const json* m = member(w, "retry"); m && !m->is_null()) {
      check_model(retry_registry(), *m, base + "/retry", out);
      if (!closed && str_or(w, "invocation", "sync") == "async")
        out.push_back({base + "/retry", "asynchronous invocations have no answer to retry on (Lambda retries them itself)"});
      else if (service_index.count(target))
        if (const json* q = member(services[service_index.at(target)], "queue"); q && q->is_object())
          out.push_back({base + "/retry", fmt::format("service \"{}\" is fed by a queue: its producers get no answer to "
                                                      "retry on", target)});
    }
    if (closed && str_or(w, "invocation", "sync") == "async")
      out.push_back({base + "/invocation", "closed-loop clients wait for answers; asynchronous invocations have none (use an "
                                           "open-loop \"arrival\")"});
    if (closed)
      if (const json* think = member(*c, "think_time")) check_model(distribution_registry(), *think, base + "/clients/think_time", out);
    if (const json* r = member(w, "request"))
      for (const char* key : {"cpu_time", "off_cpu_time"})
        if (const json* c = member(*r, key); c && !c->is_null())
          check_model(distribution_registry(), *c, base + "/request/" + key, out);
    if (const json* classes = member(w, "classes")) {
      check_unique_names(*classes, base + "/classes", "request class", out);
      for (std::size_t k = 0; k < classes->size(); ++k)
        for (const char* key : {"cpu_time", "off_cpu_time"})
          if (const json* c = member((*classes)[k], key); c && !c->is_null())
            check_model(distribution_registry(), *c, at(base + "/classes", k) + "/" + key, out);
    }
    if (closed && service_index.count(target)) {
      const json* q = member(services[service_index.at(target)], "queue");
      if (q && q->is_object())
        out.push_back({base + "/clients", fmt::format("service \"{}\" is fed by a queue: producers do not wait for answers, "
                                                      "so use an open-loop \"arrival\"", target)});
    }
  }
}

}  // namespace

// Rules about what the user wrote, before defaults fill the gaps.
void check_input(const json& doc, std::vector<Diagnostic>& out) {
  const json& workloads = array_or_empty(doc, "workloads");
  for (std::size_t i = 0; i < workloads.size(); ++i)
    if (workloads[i].is_object() && workloads[i].contains("request") && workloads[i].contains("classes"))
      out.push_back({at("/workloads", i) + "/classes", "give either \"request\" (one class) or \"classes\", not both"});
}

namespace {

void check_network(const json& doc, std::vector<Diagnostic>& out) {
  const json* network = member(doc, "network");
  if (!network) return;
  const json& subnets = array_or_empty(*network, "subnets");
  check_unique_names(subnets, "/network/subnets", "subnet", out);
  std::vector<std::pair<Cidr, std::size_t>> blocks;
  for (std::size_t i = 0; i < subnets.size(); ++i) {
    const std::string text = str_or(subnets[i], "cidr", "");
    if (text.empty()) continue;
    Cidr c;
    const std::string problem = parse_cidr(text, c);
    if (!problem.empty()) {
      out.push_back({at("/network/subnets", i) + "/cidr", problem});
      continue;
    }
    for (const auto& [other, j] : blocks) {
      const int p = std::min(c.prefix, other.prefix);
      const std::uint32_t mask = p == 0 ? 0 : ~std::uint32_t{0} << (32 - p);
      if ((c.base & mask) == (other.base & mask))
        out.push_back({at("/network/subnets", i) + "/cidr",
                       fmt::format("{} overlaps subnet {} ({})", text, j, str_or(subnets[j], "cidr", ""))});
    }
    blocks.emplace_back(c, i);
  }
}

Distribution dist(const json& j) { return distribution_registry().build(model_call_from_json(j)); }

TaskSpec build_task(const json& t, const std::string& pointer = "", std::vector<std::string>* notes = nullptr) {
  TaskSpec task;
  task.cpu_units = t.at("cpu").get<int>();
  task.memory_mib = t.at("memory").get<int>();
  task.architecture = t.at("architecture").get<std::string>();
  task.os = t.at("os").get<std::string>();
  task.ephemeral_storage_gib = t.at("ephemeral_storage_gib").get<int>();
  task.stop_timeout = parse_duration(t.at("stop_timeout"));
  task.shutdown_time = dist(t.at("shutdown_time"));
  task.init_cpu_seconds = dist(t.at("init_cpu_seconds"));
  const json& im = t.at("image");
  task.image = {im.at("size_mb").get<double>(), im.at("layers").get<int>(), im.at("compression") == "zstd",
                im.at("soci").get<bool>(), im.at("source") == "public_registry"};
  if (!t.at("run_time").is_null()) task.run_time = dist(t.at("run_time"));
  if (t.at("ecs_task_definition").is_object()) {
    std::vector<Diagnostic> found;  // none: validation has passed
    std::vector<std::string> ignored;
    auto def = std::make_shared<TaskDefinition>(from_ecs_json(t.at("ecs_task_definition"), found, ignored));
    task.cpu_units = def->cpu_units;
    task.memory_mib = def->memory_mib;
    task.os = def->os;
    task.architecture = def->architecture;
    task.ephemeral_storage_gib = def->ephemeral_storage_gib;
    task.stop_timeout = def->stop_timeout;
    if (!ignored.empty() && notes)
      notes->push_back(fmt::format("{}/ecs_task_definition: fields the model ignores: {}", pointer, fmt::join(ignored, ", ")));
    task.definition = std::move(def);
  }
  task.secrets = task.definition ? task_definition_secrets(*task.definition) : t.at("secrets").get<int>();
  return task;
}

// FARGATE or FARGATE_SPOT (an ecs_ec2 service's EC2 providers are resolved by build_ec2).
CapacityProvider provider_of(const json& j) {
  return j.get<std::string>() == "FARGATE_SPOT" ? CapacityProvider::fargate_spot : CapacityProvider::fargate;
}

// Subnet names -> indices; an empty list means every private subnet (every subnet if none is private).
std::vector<std::size_t> subnet_indices(const json& names, const NetworkSpec& net) {
  std::vector<std::size_t> out;
  for (const auto& n : names)
    for (std::size_t i = 0; i < net.subnets.size(); ++i)
      if (net.subnets[i].name == n.get<std::string>()) out.push_back(i);
  if (out.empty())
    for (std::size_t i = 0; i < net.subnets.size(); ++i)
      if (!net.subnets[i].is_public) out.push_back(i);
  if (out.empty())
    for (std::size_t i = 0; i < net.subnets.size(); ++i) out.push_back(i);
  return out;
}

// The essential long-running container with the largest vCPU share (the first on ties).
std::string serving_container(const TaskDefinition& def) {
  std::string best;
  double best_share = -1;
  for (const auto& c : def.containers) {
    if (!c.essential || c.run_time) continue;
    const double share = app_vcpu_share(def, c.name);
    if (share > best_share) {
      best_share = share;
      best = c.name;
    }
  }
  return best.empty() ? def.containers.front().name : best;
}

}  // namespace

std::string parse_cidr(const std::string& text, Cidr& out) {
  unsigned a, b, c, d;
  int prefix;
  char tail;
  if (std::sscanf(text.c_str(), "%u.%u.%u.%u/%d%c", &a, &b, &c, &d, &prefix, &tail) != 5)
    return fmt::format("\"{}\" is not an IPv4 CIDR block such as 10.0.0.0/24", text);
  if (a > 255 || b > 255 || c > 255 || d > 255) return fmt::format("\"{}\" has an address octet above 255", text);
  // VPC subnets are /16 to /28 (Amazon VPC User Guide, "Subnet sizing").
  if (prefix < 16 || prefix > 28) return fmt::format("/{} is outside the subnet sizes AWS allows (/16 to /28)", prefix);
  const std::uint32_t base = (a << 24) | (b << 16) | (c << 8) | d;
  const std::uint32_t host_mask = (std::uint32_t{1} << (32 - prefix)) - 1;
  if (base & host_mask)
    return fmt::format("\"{}\" has host bits set; the block starts at {}.{}.{}.{}/{}", text, (base & ~host_mask) >> 24,
                       ((base & ~host_mask) >> 16) & 255, ((base & ~host_mask) >> 8) & 255, (base & ~host_mask) & 255, prefix);
  out = {base, prefix};
  return "";
}

// Each service's platform checks its own section; each platform checks the sections it owns.
static void check_platforms(const json& doc, std::vector<Diagnostic>& out) {
  const json& services = array_or_empty(doc, "services");
  for (std::size_t i = 0; i < services.size(); ++i)
    if (const PlatformModel* m = find_platform(str_or(services[i], "platform", "fargate"))) m->check(doc, i, out);
  for (const PlatformModel* m : platform_models()) m->check(doc, kWholeScenario, out);
}

void check_semantics(const json& doc, std::vector<Diagnostic>& out) {
  check_positive_duration(doc, "duration", "/duration", out);
  if (const json* st = member(doc, "start_time"); st && st->is_string()) {
    try {
      parse_utc_timestamp(st->get<std::string>());
    } catch (const std::invalid_argument& e) {
      out.push_back({"/start_time", e.what()});
    }
  }
  if (const json* o = member(doc, "output")) check_positive_duration(*o, "metrics_interval", "/output/metrics_interval", out);
  check_network(doc, out);
  check_services(doc, out);
  check_workloads(doc, out);
  check_standalone_tasks(doc, out);
  check_platforms(doc, out);
  check_faults(doc, out);
}

void throw_problems(std::vector<Diagnostic> problems) {
  if (problems.empty()) return;
  std::vector<Diagnostic> unique;
  std::set<std::pair<std::string, std::string>> seen;
  for (auto& d : problems)
    if (seen.insert({d.pointer, d.message}).second) unique.push_back(std::move(d));
  throw ScenarioError(std::move(unique));
}

ScenarioSpec build_spec(const json& doc) {
  ScenarioSpec s;
  s.name = doc.at("name").get<std::string>();
  s.description = doc.at("description").get<std::string>();
  s.seed = doc.at("seed").get<std::uint64_t>();
  s.replications = doc.at("replications").get<int>();
  s.duration = parse_duration(doc.at("duration"));
  s.warmup = parse_duration(doc.at("warmup"));
  s.start_unix_seconds = parse_utc_timestamp(doc.at("start_time").get<std::string>());
  s.region = doc.at("region").get<std::string>();
  const json& pricing = doc.at("pricing");
  s.pricing_region = pricing.at("region").is_null() ? s.region : pricing.at("region").get<std::string>();
  s.pricing_catalog = pricing.at("catalog").get<std::string>();

  const json& net = doc.at("network");
  for (const json& sn : net.at("subnets")) {
    SubnetSpec sub;
    sub.name = sn.at("name").get<std::string>();
    sub.az = sn.at("az").get<std::string>();
    sub.cidr = sn.at("cidr").get<std::string>();
    Cidr c;
    parse_cidr(sub.cidr, c);
    sub.prefix_length = c.prefix;
    sub.is_public = sn.at("public").get<bool>();
    s.network.subnets.push_back(std::move(sub));
  }
  s.network.nat_gateways = net.at("nat_gateways").get<int>();
  s.network.vpc_endpoints = net.at("vpc_endpoints").get<std::vector<std::string>>();

  std::map<std::string, std::size_t> service_index;
  for (const json& sj : doc.at("services")) {
    ServiceSpec sv;
    sv.name = sj.at("name").get<std::string>();
    sv.platform = sj.at("platform").get<std::string>();
    sv.desired_count = sj.at("desired_count").get<int>();
    sv.task = build_task(sj.at("task"), fmt::format("/services/{}/task", s.services.size()), &s.notes);
    sv.serving.concurrency = sj.at("serving").at("concurrency").get<int>();
    sv.serving.queue_limit = sj.at("serving").at("queue_limit").get<int>();
    const json& baseline = sj.at("serving").at("memory_baseline_mib");
    sv.serving.memory_baseline_mib = baseline.is_number() ? baseline.get<double>() : 0.25 * sv.task.memory_mib;
    sv.serving.memory_per_request_mib = sj.at("serving").at("memory_per_request_mib").get<double>();
    const std::string lb = sj.at("load_balancer").get<std::string>();
    sv.least_outstanding_requests = sj.at("routing") == "least_outstanding_requests";
    sv.load_balancer = lb == "alb"         ? LoadBalancerKind::alb
                       : lb == "nlb"       ? LoadBalancerKind::nlb
                       : lb == "cloud_map" ? LoadBalancerKind::cloud_map
                                           : LoadBalancerKind::none;
    sv.slow_start = parse_duration(sj.at("slow_start"));
    sv.dns_ttl = parse_duration(sj.at("dns_ttl"));
    for (const json& c : sj.at("calls")) {
      CallSpec call;
      call.service = c.at("service").get<std::string>();
      call.async = c.at("mode").get<std::string>() == "async";
      call.latency = parse_duration(c.at("latency"));
      call.probability = c.at("probability").get<double>();
      call.cpu_time = dist(c.at("cpu_time"));
      if (!c.at("off_cpu_time").is_null()) call.off_cpu_time = dist(c.at("off_cpu_time"));
      call.timeout = c.at("timeout").is_null() ? SimTime::infinity() : parse_duration(c.at("timeout"));
      call.retry = build_retry(c.at("retry"));
      sv.calls.push_back(std::move(call));
    }
    sv.parallel_calls = sj.at("call_mode") == "parallel";
    if (const json& q = sj.at("queue"); q.is_object()) {
      sv.queue.enabled = true;
      sv.queue.visibility_timeout = parse_duration(q.at("visibility_timeout"));
      sv.queue.max_receive_count = q.at("max_receive_count").get<int>();
      sv.queue.retention = parse_duration(q.at("retention"));
    }
    sv.scaling = build_service_scaling(sj.at("scaling"), fmt::format("/services/{}/scaling", s.services.size()), sv.name,
                                       scaling_target_of(sj));
    if (sv.task.definition) {
      // Sidecars keep their share of the task's vCPUs; requests get the serving container's.
      const json& wanted = sj.at("serving").at("container");
      sv.serving.container = wanted.is_string() ? wanted.get<std::string>() : serving_container(*sv.task.definition);
      sv.serving.vcpu = app_vcpu_share(*sv.task.definition, sv.serving.container);
    }
    sv.deployments = build_service_deployments(sj, fmt::format("/services/{}", s.services.size()),
                                               [&](const json& t, const std::string& pointer) { return build_task(t, pointer, &s.notes); });
    sv.warm_start = sj.at("start") == "warm";
    for (const json& a : sj.at("schedule")) sv.schedule.push_back({parse_duration(a.at("at")), a.at("desired_count").get<int>()});
    for (const json& c : sj.at("capacity_provider_strategy"))
      sv.capacity_provider_strategy.push_back({provider_of(c.at("capacity_provider")), c.at("base").get<int>(), c.at("weight").get<int>()});
    sv.subnets = subnet_indices(sj.at("subnets"), s.network);
    const json& hc = sj.at("health_check");
    sv.health_check.interval = parse_duration(hc.at("interval"));
    sv.health_check.timeout = parse_duration(hc.at("timeout"));
    sv.health_check.healthy_threshold = hc.at("healthy_threshold").get<int>();
    sv.health_check.unhealthy_threshold = hc.at("unhealthy_threshold").get<int>();
    sv.health_check.cpu_seconds = hc.at("cpu_time").get<double>();
    sv.health_check_grace_period = parse_duration(sj.at("health_check_grace_period"));
    sv.availability_zone_rebalancing = sj.at("availability_zone_rebalancing").get<bool>();
    sv.deregistration_delay = parse_duration(sj.at("deregistration_delay"));
    // The platform's own section, and what it implies for the fields above.
    find_platform(sv.platform)->build_service(sj, sv, s);
    service_index.emplace(sv.name, s.services.size());
    s.services.push_back(std::move(sv));
  }
  for (const json& wj : doc.at("workloads")) {
    WorkloadSpec w;
    w.name = wj.at("name").get<std::string>();
    w.target = wj.at("target").get<std::string>();
    w.target_index = service_index.at(w.target);
    if (wj.contains("arrival")) w.arrival = model_call_from_json(wj.at("arrival"));
    if (wj.at("clients").is_object()) {
      w.users = wj.at("clients").at("users").get<int>();
      w.think_time = dist(wj.at("clients").at("think_time"));
    }
    auto request_class = [](const json& r) {
      RequestSpec rc;
      if (r.contains("name")) rc.name = r.at("name").get<std::string>();
      if (r.contains("weight")) rc.weight = r.at("weight").get<double>();
      rc.cpu_time = dist(r.at("cpu_time"));
      if (!r.at("off_cpu_time").is_null()) rc.off_cpu_time = dist(r.at("off_cpu_time"));
      rc.payload_bytes = r.at("payload_bytes").get<std::int64_t>();
      rc.response_bytes = r.at("response_bytes").get<std::int64_t>();
      rc.timeout = parse_duration(r.at("timeout"));
      return rc;
    };
    if (wj.contains("classes"))
      for (const json& c : wj.at("classes")) w.classes.push_back(request_class(c));
    else
      w.classes.push_back(request_class(wj.at("request")));
    w.async_invocation = wj.at("invocation") == "async";
    if (w.async_invocation && !find_platform(s.services[w.target_index].platform)->takes_events()) {
      w.async_invocation = false;
      s.notes.push_back(fmt::format("/workloads/{}/invocation: asynchronous invocation is a Lambda feature; service \"{}\" "
                                    "is called synchronously",
                                    s.workloads.size(), s.services[w.target_index].name));
    }
    w.retry = build_retry(wj.at("retry"));
    w.connections = wj.at("connections").get<int>();
    w.connection_max_age = wj.at("connection_max_age").is_null() ? Duration::zero() : parse_duration(wj.at("connection_max_age"));
    const ServiceSpec& target = s.services[w.target_index];
    if (w.connections > 0 && target.load_balancer != LoadBalancerKind::nlb)
      s.notes.push_back(fmt::format("/workloads/{}/connections: only an NLB pins connections to targets; service \"{}\" "
                                    "balances every request",
                                    s.workloads.size(), target.name));
    s.workloads.push_back(std::move(w));
  }
  for (ServiceSpec& sv : s.services)
    for (CallSpec& c : sv.calls) c.service_index = service_index.at(c.service);
  for (const json& tj : doc.at("tasks")) {
    StandaloneTaskSpec st;
    st.name = tj.at("name").get<std::string>();
    st.at = parse_duration(tj.at("at"));
    st.count = tj.at("count").get<int>();
    if (tj.at("schedule").is_string()) st.schedule = tj.at("schedule").get<std::string>();
    st.provider = provider_of(tj.at("capacity_provider"));
    st.subnets = subnet_indices(tj.at("subnets"), s.network);
    st.task = build_task(tj.at("task"), fmt::format("/tasks/{}/task", s.tasks.size()), &s.notes);
    s.tasks.push_back(std::move(st));
  }
  s.ecs = std::make_shared<const EcsSpec>(build_ecs_spec(doc));
  for (const PlatformModel* m : platform_models()) m->build_scenario(doc, s);

  const json& o = doc.at("output");
  s.output.metrics_interval = parse_duration(o.at("metrics_interval"));
  s.output.event_log = o.at("event_log").get<bool>();
  s.output.trace_sample_rate = o.at("trace_sample_rate").get<double>();
  s.output.trace_max_spans = o.at("trace_max_spans").get<std::int64_t>();
  s.output.slo = parse_duration(o.at("slo"));
  s.output.cloudwatch_metrics = o.at("cloudwatch_metrics").get<bool>();
  s.cloudwatch.publication_delay = parse_duration(doc.at("cloudwatch").at("publication_delay"));
  // Services whose workers wait off-CPU for some request or call they receive.
  for (const WorkloadSpec& w : s.workloads)
    for (const RequestSpec& rc : w.classes)
      if (rc.off_cpu_time) s.services[w.target_index].off_cpu_waits = true;
  for (ServiceSpec& sv : s.services)
    for (const CallSpec& c : sv.calls)
      if (c.off_cpu_time) s.services[c.service_index].off_cpu_waits = true;
  // Bad versions: extra latency waits off-CPU; an error share answers application errors.
  for (ServiceSpec& sv : s.services)
    if (sv.deployments)
      for (const Revision& r : sv.deployments->revisions) {
        if (r.behavior.effects.extra_latency) sv.off_cpu_waits = true;
        if (r.behavior.effects.error_share > 0) s.app_errors = true;
      }
  build_faults(doc, s);
  return s;
}

}  // namespace fargatelab::detail
