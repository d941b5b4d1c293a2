#include "ecs/container_start.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

namespace fargatelab::detail {
namespace {

using Condition = Dependency::Condition;

// Smallest k >= 1 with k * step >= span (span >= 0, step > 0).
SimTime::rep checks_until(SimTime::rep span, SimTime::rep step) {
  return std::max<SimTime::rep>(1, (span + step - 1) / step);
}

}  // namespace

std::vector<ContainerDraws> draw_container_times(const TaskDefinition& td, RandomStream& rng) {
  std::vector<ContainerDraws> out;
  out.reserve(td.containers.size());
  for (const auto& c : td.containers) {
    ContainerDraws d;
    d.start_s = std::max(0.0, c.start_time.sample(rng));
    d.init_cpu_s = std::max(0.0, c.init_cpu_seconds.sample(rng));
    if (c.run_time) d.run_s = std::max(0.0, c.run_time->sample(rng));
    out.push_back(d);
  }
  return out;
}

StartSchedule start_schedule(const TaskDefinition& td, double task_vcpu, RandomStream& rng) {
  return start_schedule(td, task_vcpu, draw_container_times(td, rng));
}

StartSchedule start_schedule(const TaskDefinition& td, double task_vcpu, const std::vector<ContainerDraws>& draws) {
  const auto& cs = td.containers;
  const std::size_t n = cs.size();
  if (draws.size() != n)
    throw std::invalid_argument(fmt::format("start_schedule: {} draws for {} containers", draws.size(), n));
  if (!(task_vcpu > 0)) throw std::invalid_argument("start_schedule: the task vCPU must be positive");

  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < n; ++i) index.emplace(cs[i].name, i);
  std::vector<std::vector<std::size_t>> targets(n);
  for (std::size_t i = 0; i < n; ++i)
    for (const auto& d : cs[i].depends_on) {
      const auto it = index.find(d.container);
      if (it == index.end() || it->second == i)
        throw std::invalid_argument("start_schedule: container '" + cs[i].name + "' depends on unknown or itself: '" +
                                    d.container + "' (run validate first)");
      targets[i].push_back(it->second);
    }

  // Dependency order: repeatedly take the first container whose dependencies are all placed.
  std::vector<std::size_t> order;
  std::vector<bool> placed(n, false);
  while (order.size() < n) {
    std::size_t next = n;
    for (std::size_t i = 0; i < n && next == n; ++i)
      if (!placed[i] && std::all_of(targets[i].begin(), targets[i].end(), [&](std::size_t t) { return placed[t]; }))
        next = i;
    if (next == n) throw std::invalid_argument("start_schedule: dependsOn cycle (run validate first)");
    placed[next] = true;
    order.push_back(next);
  }

  StartSchedule s;
  s.containers.resize(n);
  std::vector<std::pair<Duration, std::string>> failures;  // (when, reason)
  for (std::size_t i : order) {
    const auto& c = cs[i];
    auto& t = s.containers[i];
    t.name = c.name;

    Duration ready = Duration::zero();
    bool blocked = false;
    for (std::size_t j = 0; j < c.depends_on.size(); ++j) {
      const auto& dep = c.depends_on[j];
      const auto& u = s.containers[targets[i][j]];
      std::optional<Duration> met;
      switch (dep.condition) {
        case Condition::start: met = u.started_at; break;
        case Condition::complete: met = u.exited_at; break;
        case Condition::success:
          met = u.exited_at;
          if (met && u.exit_code != 0) {
            failures.emplace_back(*met, fmt::format("CannotStartContainerError: dependency '{}' exited with code {}; "
                                                    "container '{}' needs SUCCESS",
                                                    u.name, u.exit_code, c.name));
            met.reset();
          }
          break;
        case Condition::healthy:
          met = u.healthy_at;
          if (!met && u.unhealthy_at)
            failures.emplace_back(*u.unhealthy_at,
                                  fmt::format("CannotStartContainerError: dependency '{}' became UNHEALTHY; container "
                                              "'{}' needs HEALTHY",
                                              u.name, c.name));
          break;
      }
      if (!met) {
        // An upstream failure has been recorded already unless the dependency simply never
        // got there (e.g. starved of CPU); record that too, last in time.
        if (u.started_at && !(dep.condition == Condition::success && u.exited_at) &&
            !(dep.condition == Condition::healthy && u.unhealthy_at))
          failures.emplace_back(Duration::infinity(),
                                fmt::format("CannotStartContainerError: dependency '{}' never reached {}; container "
                                            "'{}' cannot start",
                                            u.name, to_string(dep.condition), c.name));
        blocked = true;
        continue;
      }
      ready = std::max(ready, *met);
    }
    if (blocked) continue;

    const Duration started = ready + seconds(draws[i].start_s);
    t.started_at = started;
    const double share = std::min(1.0, app_vcpu_share(td, c.name, task_vcpu * 1024.0));
    if (draws[i].init_cpu_s == 0)
      t.app_ready_at = started;
    else if (share > 0)
      t.app_ready_at = started + seconds(draws[i].init_cpu_s / share);

    if (c.health_check) {
      const auto& h = *c.health_check;
      const SimTime::rep step = std::max<SimTime::rep>(1, h.interval.ns());
      const SimTime::rep first_counted = checks_until(std::max<SimTime::rep>(0, h.start_period.ns()), step);
      const SimTime::rep unhealthy_check = first_counted + std::max(1, h.retries) - 1;
      const SimTime::rep pass_check =
          t.app_ready_at ? checks_until((*t.app_ready_at - started).ns(), step) : unhealthy_check + 1;
      if (pass_check > unhealthy_check)
        t.unhealthy_at = started + Duration::from_ns(unhealthy_check * step);
      else
        t.healthy_at = started + Duration::from_ns(pass_check * step);
      if (t.unhealthy_at && c.essential)
        failures.emplace_back(*t.unhealthy_at,
                              fmt::format("Task failed container health checks: essential container '{}' became "
                                          "UNHEALTHY",
                                          c.name));
    }
    if (c.run_time && t.app_ready_at) {
      t.exited_at = *t.app_ready_at + seconds(draws[i].run_s);
      t.exit_code = c.exit_code;
    }
  }

  Duration running = Duration::zero(), healthy = Duration::zero();
  for (std::size_t i = 0; i < n; ++i) {
    if (!cs[i].essential) continue;
    const auto& t = s.containers[i];
    running = t.started_at ? std::max(running, *t.started_at) : Duration::infinity();
    if (cs[i].health_check) healthy = t.healthy_at ? std::max(healthy, *t.healthy_at) : Duration::infinity();
    if (running.is_infinite()) break;
  }
  s.task_running_at = running;
  s.task_ready_at = running.is_infinite() ? running : std::max(running, healthy);

  if (!failures.empty()) {
    const auto first = std::min_element(failures.begin(), failures.end(),
                                        [](const auto& a, const auto& b) { return a.first < b.first; });
    s.failure = first->second;
  }
  return s;
}

Duration last_event(const StartSchedule& plan) {
  Duration last = Duration::zero();
  for (const auto& c : plan.containers)
    for (const auto& t : {c.started_at, c.app_ready_at, c.healthy_at, c.unhealthy_at, c.exited_at})
      if (t && !t->is_infinite()) last = std::max(last, *t);
  return last;
}

std::optional<Duration> first_essential_exit(const StartSchedule& plan, const TaskDefinition& def) {
  std::optional<Duration> first;
  for (std::size_t i = 0; i < plan.containers.size() && i < def.containers.size(); ++i)
    if (def.containers[i].essential && plan.containers[i].exited_at)
      first = first ? std::min(*first, *plan.containers[i].exited_at) : *plan.containers[i].exited_at;
  return first;
}

TaskStart plan_task_start(const TaskSpec& task, double vcpu, RandomStream& rng) {
  TaskStart out;
  if (!task.definition) {
    const double init = task.init_cpu_seconds.sample(rng) / std::min(1.0, vcpu);
    out.wait = SimTime::from_seconds(std::max(0.0, kContainerStartSeconds + init));
    return out;
  }
  // Containers start in dependsOn order; the task is RUNNING once every essential one has started.
  const StartSchedule plan = start_schedule(*task.definition, vcpu, rng);
  if (plan.failure) {
    out.wait = last_event(plan);
    out.failure = plan.failure;
    return out;
  }
  out.wait = plan.task_running_at;
  out.essential_exit = first_essential_exit(plan, *task.definition);
  if (out.essential_exit) *out.essential_exit -= plan.task_running_at;
  return out;
}

}  // namespace fargatelab::detail
