#include "metrics/task_metrics.hpp"

#include <cmath>

#include <fmt/format.h>

namespace fargatelab::detail {
namespace {

SecondsSummary seconds_of(const QuantileSketch& s) {
  return {s.count(), s.mean(), s.quantile(0.5), s.quantile(0.9), s.quantile(0.99), s.quantile(1.0)};
}

}  // namespace

const std::vector<std::string>& capacity_columns() {
  // Rows: "subnet" (addresses), "zone" (Fargate hosts and tasks), "capacity_provider" (EC2:
  // hosts_in_use = ACTIVE container instances, tasks placed, reserved vCPU and memory, instances
  // launching, the last CapacityProviderReservation in percent).
  static const std::vector<std::string> c = {"addresses_in_use", "addresses_free", "hosts_in_use", "tasks",
                                             "spot_tasks_running", "reserved_vcpu", "reserved_memory_gib",
                                             "instances_launching", "capacity_provider_reservation"};
  return c;
}

const std::vector<std::string>& task_phase_columns() {
  static const std::vector<std::string> c = [] {
    std::vector<std::string> out;
    for (std::size_t p = 0; p < kPhases; ++p) out.push_back(std::string(to_string(static_cast<Phase>(p))) + "_s");
    return out;
  }();
  return c;
}

TaskMetrics::TaskMetrics(Simulation& sim, const ScenarioSpec& spec, std::vector<LaunchType*> launch_types,
                         const std::vector<SubnetPool>& subnets, std::vector<PlatformRuntime*> platforms,
                         std::vector<ServiceScheduler*> schedulers, Duration interval, int replication, RunResult& out,
                         bool event_log)
    : sim_(sim),
      launch_types_(std::move(launch_types)),
      subnets_(subnets),
      platforms_(std::move(platforms)),
      spec_(spec),
      replication_(replication),
      out_(out),
      event_log_(event_log),
      states_(spec.services.size()),
      desired_(spec.services.size(), 0),
      services_(spec.services.size()),
      standalone_(spec.tasks.size()),
      peak_addresses_(spec.network.subnets.size(), 0) {
  for (std::uint32_t i = 0; i < out.names.size(); ++i) interned_.emplace(out.names[i], i);
  for (auto& s : states_) s.fill(0);
  for (LaunchType* lt : launch_types_)
    lt->state_changed.connect([this, lt](Task& t, TaskState previous) { on_state(*lt, t, previous); });
  for (std::size_t i = 0; i < schedulers.size(); ++i)
    schedulers[i]->desired_changed.connect([this, i](int n) { desired_[i] = n; });
  if (interval > Duration::zero())
    sim.every(interval, Callback{[](void* self, std::uint64_t) { static_cast<TaskMetrics*>(self)->sample(); }, this, 0},
              sim.now() + interval, Priority::late);
}

std::uint32_t TaskMetrics::intern(const std::string& s) {
  const auto [it, inserted] = interned_.try_emplace(s, static_cast<std::uint32_t>(out_.names.size()));
  if (inserted) out_.names.push_back(s);
  return it->second;
}

TaskMetrics::Group& TaskMetrics::group_of(const Task& t) {
  return t.service >= 0 ? services_[static_cast<std::size_t>(t.service)] : standalone_[static_cast<std::size_t>(t.standalone)];
}

void TaskMetrics::on_state(const LaunchType& lt, Task& t, TaskState previous) {
  const bool created = previous == TaskState::stopped && t.state != TaskState::stopped;
  if (t.service >= 0) {
    auto& counts = states_[static_cast<std::size_t>(t.service)];
    if (!created) --counts[static_cast<std::size_t>(previous)];
    if (t.state != TaskState::stopped) ++counts[static_cast<std::size_t>(t.state)];
  }
  Group& g = group_of(t);
  if (created) ++g.launched;
  if (t.state == TaskState::running && !created) {
    for (std::size_t p = 0; p < kPhases; ++p)
      if (t.phase_done[p]) g.phases[p].add(t.phase_seconds[p]);
    g.to_running.add((t.started_at - t.created_at).to_seconds());
  }
  if (event_log_) {
    TaskTransition e;
    e.seq = out_.next_seq++;
    e.time_s = sim_.now().to_seconds();
    e.replication = replication_;
    e.task = intern(t.name);
    e.az = static_cast<std::uint16_t>(t.az.empty() ? 0 : intern(t.az));
    e.state = static_cast<std::uint8_t>(t.state);
    e.from = static_cast<std::uint8_t>(previous);
    e.created = created;
    e.provider = static_cast<std::uint8_t>(t.provider);
    if (t.stop_code != StopCode::none && (t.state == TaskState::stopped || t.state == TaskState::deactivating ||
                                          t.state == TaskState::stopping)) {
      e.stop_code = static_cast<std::uint8_t>(t.stop_code);
      e.reason = intern(t.stopped_reason);
    }
    out_.task_transitions.push_back(e);
  }
  if (t.state == TaskState::stopped) {
    ++g.stop_codes[to_string(t.stop_code)];
    if (t.stop_code == StopCode::spot_interruption) ++g.spot_interruptions;
    if (t.stop_code == StopCode::task_failed_to_start) {
      ++g.failed_to_start;
      ++g.failure_reasons[t.stopped_reason];
    }
    if (t.in_service_at) g.to_in_service.add((*t.in_service_at - t.created_at).to_seconds());
    record(lt, t);
  }
}

void TaskMetrics::record(const LaunchType& lt, const Task& t) {
  TaskRecord r;
  r.replication = replication_;
  r.task = t.name;
  r.group = t.service >= 0 ? spec_.services[static_cast<std::size_t>(t.service)].name
                           : spec_.tasks[static_cast<std::size_t>(t.standalone)].name;
  r.provider = lt.provider_name(t);
  r.az = t.az;
  r.subnet = t.subnet >= 0 ? spec_.network.subnets[static_cast<std::size_t>(t.subnet)].name : "";
  r.last_state = to_string(t.state);
  r.stop_code = to_string(t.stop_code);
  r.stopped_reason = t.stopped_reason;
  r.created_s = t.created_at.to_seconds();
  // A task placed RUNNING at the start (created and started at 0) counts as started even once it
  // has stopped: it was in service.
  const bool started = t.phase_done[static_cast<std::size_t>(Phase::activating)] || t.started_at > t.created_at ||
                       t.state == TaskState::running || t.in_service_at.has_value();
  r.started_s = started ? t.started_at.to_seconds() : NAN;
  r.in_service_s = t.in_service_at ? t.in_service_at->to_seconds() : NAN;
  r.stopped_s = t.state == TaskState::stopped ? t.stopped_at.to_seconds() : NAN;
  for (std::size_t p = 0; p < kPhases; ++p) r.phase_seconds.push_back(t.phase_done[p] ? t.phase_seconds[p] : NAN);
  // The health-check phase is the serving side's: from RUNNING to in service.
  if (t.in_service_at && started)
    r.phase_seconds[static_cast<std::size_t>(Phase::health_check)] = (*t.in_service_at - t.started_at).to_seconds();
  out_.tasks.push_back(std::move(r));
}

void TaskMetrics::sample() {
  const double now = sim_.now().to_seconds();
  const auto& subnets = subnets_;
  for (std::size_t i = 0; i < subnets.size(); ++i) {
    peak_addresses_[i] = std::max(peak_addresses_[i], double(subnets[i].in_use()));
    out_.capacity.push_back({replication_, now, "subnet", subnets[i].name(),
                             {double(subnets[i].in_use()), double(subnets[i].free()), NAN, NAN, NAN, NAN, NAN, NAN, NAN}});
  }
  for (PlatformRuntime* p : platforms_) p->sample_capacity(now, replication_, out_.capacity);
}

void TaskMetrics::finish(Results& out) {
  for (LaunchType* lt : launch_types_)
    for (const Task& t : lt->tasks())
      if (t.state != TaskState::stopped) {
        if (t.in_service_at) group_of(t).to_in_service.add((*t.in_service_at - t.created_at).to_seconds());
        record(*lt, t);
      }
  auto launches = [](const Group& g) {
    TaskLaunches l;
    l.launched = g.launched;
    l.failed_to_start = g.failed_to_start;
    l.spot_interruptions = g.spot_interruptions;
    for (const auto& [reason, n] : g.failure_reasons) l.failure_reasons[reason] = n;
    for (const auto& [code, n] : g.stop_codes) l.stop_codes[code] = n;
    for (std::size_t p = 0; p < kPhases; ++p)
      if (g.phases[p].count() > 0) l.launch_phases_s[to_string(static_cast<Phase>(p))] = seconds_of(g.phases[p]);
    l.time_to_running_s = seconds_of(g.to_running);
    l.time_to_in_service_s = seconds_of(g.to_in_service);
    return l;
  };
  for (std::size_t i = 0; i < services_.size(); ++i) out.services[spec_.services[i].name].tasks_launch = launches(services_[i]);
  for (std::size_t i = 0; i < standalone_.size(); ++i) out.standalone_tasks[spec_.tasks[i].name] = launches(standalone_[i]);
  for (const SubnetPool& s : subnets_) out.network.subnets[s.name()] = {s.capacity(), s.peak_in_use()};
}

}  // namespace fargatelab::detail
