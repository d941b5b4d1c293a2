#include "metrics/task_metrics.hpp"

#include <cmath>

#include <fmt/format.h>

namespace fargatelab::detail {
namespace {

nlohmann::json num(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json seconds_json(const QuantileSketch& s) {
  return {{"count", s.count()}, {"mean", num(s.mean())}, {"p50", num(s.quantile(0.5))}, {"p90", num(s.quantile(0.9))},
          {"p99", num(s.quantile(0.99))}, {"max", num(s.quantile(1.0))}};
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

TaskMetrics::TaskMetrics(Simulation& sim, FargatePlatform& platform, Ec2Platform* ec2, const ScenarioSpec& spec,
                         std::vector<ServiceScheduler*> schedulers, Duration interval, int replication, RunResult& out,
                         bool event_log)
    : sim_(sim),
      platform_(platform),
      ec2_(ec2),
      spec_(spec),
      replication_(replication),
      out_(out),
      event_log_(event_log),
      states_(spec.services.size()),
      desired_(spec.services.size(), 0),
      services_(spec.services.size()),
      standalone_(spec.tasks.size()),
      peak_addresses_(spec.network.subnets.size(), 0),
      peak_hosts_(platform.fleet().az_count(), 0) {
  for (std::uint32_t i = 0; i < out.names.size(); ++i) interned_.emplace(out.names[i], i);
  for (auto& s : states_) s.fill(0);
  platform.state_changed.connect([this](Task& t, TaskState previous) { on_state(t, previous); });
  if (ec2) {
    ec2->state_changed.connect([this](Task& t, TaskState previous) { on_state(t, previous); });
    peak_instances_.assign(ec2->groups(), 0);
  }
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

void TaskMetrics::on_state(Task& t, TaskState previous) {
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
    record(t);
  }
}

void TaskMetrics::record(const Task& t) {
  TaskRecord r;
  r.replication = replication_;
  r.task = t.name;
  r.group = t.service >= 0 ? spec_.services[static_cast<std::size_t>(t.service)].name
                           : spec_.tasks[static_cast<std::size_t>(t.standalone)].name;
  r.provider = t.ec2 >= 0 ? spec_.ec2.capacity_providers[static_cast<std::size_t>(t.ec2)].name : to_string(t.provider);
  r.az = t.az;
  r.subnet = t.subnet >= 0 ? spec_.network.subnets[static_cast<std::size_t>(t.subnet)].name : "";
  r.last_state = to_string(t.state);
  r.stop_code = to_string(t.stop_code);
  r.stopped_reason = t.stopped_reason;
  r.created_s = t.created_at.to_seconds();
  const bool started = t.phase_done[static_cast<std::size_t>(Phase::activating)] || t.started_at > t.created_at ||
                       (t.state == TaskState::running);
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
  const auto& subnets = platform_.subnets();
  for (std::size_t i = 0; i < subnets.size(); ++i) {
    peak_addresses_[i] = std::max(peak_addresses_[i], double(subnets[i].in_use()));
    out_.capacity.push_back({replication_, now, "subnet", subnets[i].name(),
                             {double(subnets[i].in_use()), double(subnets[i].free()), NAN, NAN, NAN, NAN, NAN, NAN, NAN}});
  }
  const HostFleet& fleet = platform_.fleet();
  for (std::size_t z = 0; z < fleet.az_count(); ++z) {
    peak_hosts_[z] = std::max(peak_hosts_[z], double(fleet.hosts_in_use(z)));
    out_.capacity.push_back({replication_, now, "zone", fleet.az_name(z),
                             {NAN, NAN, double(fleet.hosts_in_use(z)), double(fleet.tasks(z)),
                              double(platform_.spot_tasks_in(fleet.az_name(z))), fleet.reserved_vcpu(z), NAN, NAN, NAN}});
  }
  if (!ec2_) return;
  for (std::size_t p = 0; p < ec2_->groups(); ++p) {
    const AutoScalingGroup& g = ec2_->group(p);
    double tasks = 0, cpu_units = 0, memory_mib = 0;
    for (const ContainerInstance& c : g.cluster().instances()) {
      tasks += c.tasks;
      cpu_units += c.registered_cpu_units - c.remaining_cpu_units;
      memory_mib += c.registered_memory_mib - c.remaining_memory_mib;
    }
    peak_instances_[p] = std::max(peak_instances_[p], double(g.active()));
    out_.capacity.push_back({replication_, now, "capacity_provider", g.spec().name,
                             {NAN, NAN, double(g.active()), tasks, g.spec().spot ? tasks : 0.0, cpu_units / kCpuUnitsPerVcpu,
                              memory_mib / 1024.0, double(g.launching()), ec2_->reservation(p)}});
  }
}

nlohmann::json TaskMetrics::finish() {
  auto open_tasks = [this](const std::deque<Task>& tasks) {
    for (const Task& t : tasks)
      if (t.state != TaskState::stopped) {
        if (t.in_service_at) group_of(t).to_in_service.add((*t.in_service_at - t.created_at).to_seconds());
        record(t);
      }
  };
  open_tasks(platform_.tasks());
  if (ec2_) open_tasks(ec2_->tasks());
  auto group_json = [](const Group& g) {
    nlohmann::json phases = nlohmann::json::object();
    for (std::size_t p = 0; p < kPhases; ++p)
      if (g.phases[p].count() > 0) phases[to_string(static_cast<Phase>(p))] = seconds_json(g.phases[p]);
    return nlohmann::json{{"launched", g.launched},
                          {"failed_to_start", g.failed_to_start},
                          {"spot_interruptions", g.spot_interruptions},
                          {"failure_reasons", g.failure_reasons},
                          {"stop_codes", g.stop_codes},
                          {"launch_phases_s", phases},
                          {"time_to_running_s", seconds_json(g.to_running)},
                          {"time_to_in_service_s", seconds_json(g.to_in_service)}};
  };
  nlohmann::json services = nlohmann::json::object(), standalone = nlohmann::json::object();
  for (std::size_t i = 0; i < services_.size(); ++i) services[spec_.services[i].name] = group_json(services_[i]);
  for (std::size_t i = 0; i < standalone_.size(); ++i) standalone[spec_.tasks[i].name] = group_json(standalone_[i]);
  nlohmann::json subnets = nlohmann::json::object(), zones = nlohmann::json::object();
  for (std::size_t i = 0; i < platform_.subnets().size(); ++i) {
    const auto& s = platform_.subnets()[i];
    subnets[s.name()] = {{"capacity", s.capacity()}, {"peak_in_use", s.peak_in_use()}};
  }
  for (std::size_t z = 0; z < platform_.fleet().az_count(); ++z)
    zones[platform_.fleet().az_name(z)] = {{"peak_hosts_in_use_sampled", peak_hosts_[z]}};
  return {{"services", services}, {"standalone_tasks", standalone}, {"subnets", subnets}, {"zones", zones}, {"ec2", ec2_summary()}};
}

// Per capacity provider: the instances over the run, and their time inside the measured period
// [warmup, end] (launch to termination: what EC2 bills, before its per-instance minimum).
nlohmann::json TaskMetrics::ec2_summary() const {
  nlohmann::json out = nlohmann::json::object();
  if (!ec2_) return out;
  const SimTime from = spec_.warmup, to = sim_.now();
  const double measured = (to - from).to_seconds();
  for (std::size_t p = 0; p < ec2_->groups(); ++p) {
    const AutoScalingGroup& g = ec2_->group(p);
    double seconds = 0;
    std::uint64_t launched = 0, terminated = 0, interrupted = 0;
    for (const InstanceRecord& r : g.records()) {
      launched += !r.at_start;
      terminated += r.terminated_at.has_value();
      interrupted += r.interrupted;
      const SimTime a = std::max(r.launched_at, from), b = std::min(r.terminated_at.value_or(to), to);
      if (b > a) seconds += (b - a).to_seconds();
    }
    out[g.spec().name] = {{"instance_type", g.spec().instance_type},
                          {"vcpu_per_instance", g.type().vcpu},
                          {"spot", g.spec().spot},
                          {"instances_at_start", g.spec().desired_capacity},
                          {"instances_at_end", g.active()},
                          {"instances_launched", launched},
                          {"instances_terminated", terminated},
                          {"spot_interruptions", interrupted},
                          {"instance_hours", seconds / 3600.0},
                          {"instances_mean", measured > 0 ? nlohmann::json(seconds / measured) : nlohmann::json(nullptr)},
                          {"instances_peak_sampled", peak_instances_[p]},
                          {"scale_outs", g.scale_outs()},
                          {"scale_ins", g.scale_ins()},
                          {"instance_launch_failures", g.launch_failures()},
                          {"tasks_waiting_at_end", ec2_->waiting(p)},
                          {"capacity_provider_reservation_last", num(ec2_->reservation(p))}};
  }
  return out;
}

}  // namespace fargatelab::detail
