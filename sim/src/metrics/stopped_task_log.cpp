#include "metrics/stopped_task_log.hpp"

#include <cmath>

#include "ecs/deployment/deployment_spec.hpp"
#include "faults/faults_spec.hpp"
#include "faults/zone_outage.hpp"

namespace fargatelab::detail {
namespace {

int usable_addresses(const SubnetSpec& s) { return static_cast<int>(s.usable_addresses()); }

std::string revision_name(const ScenarioSpec& spec, const Task& t) {
  if (t.service < 0 || t.revision == 0) return "initial";
  const ServiceSpec& sv = spec.services[static_cast<std::size_t>(t.service)];
  return sv.deployments ? sv.deployments->revisions[t.revision - 1].name : "initial";
}

// The launch phase a task not yet RUNNING is in: the first it has not finished.
const char* waiting_phase(const Task& t) {
  static constexpr std::pair<Phase, const char*> kWaits[] = {
      {Phase::throttled, "waiting for a launch token (launch rate)"},
      {Phase::provisioning, "provisioning: capacity and the task ENI"},
      {Phase::vm_boot, "waiting for its microVM to boot"},
      {Phase::image_pull, "pulling its image"},
      {Phase::container_start, "starting its containers"},
      {Phase::activating, "registering with its load balancer or service discovery"}};
  for (const auto& [p, text] : kWaits)
    if (!t.phase_done[static_cast<std::size_t>(p)]) return text;
  return "starting";
}

}  // namespace

StoppedTaskLog::StoppedTaskLog(const ScenarioSpec& spec, std::vector<LaunchType*> launch_types,
                               const std::vector<ServiceScheduler*>& schedulers, int replication, RunResult& out)
    : spec_(spec), launch_types_(std::move(launch_types)), replication_(replication), out_(out) {
  for (LaunchType* lt : launch_types_)
    lt->state_changed.connect([this, lt](Task& t, TaskState) {
      if (t.state == TaskState::stopped) on_state(*lt, t);
    });
  for (std::size_t i = 0; i < schedulers.size(); ++i) {
    schedulers[i]->backed_off.connect([this](const Task& t, const ServiceScheduler::Backoff& b) { on_backoff(t, b); });
    schedulers[i]->deployment_event.connect([this, i](const ServiceScheduler::DeploymentEvent& e) { on_deployment(i, e); });
  }
}

StoppedTaskRow StoppedTaskLog::row_of(const LaunchType& lt, const Task& t) const {
  StoppedTaskRow r;
  r.replication = replication_;
  r.task = t.name;
  r.service = t.service >= 0;
  r.group = r.service ? spec_.services[static_cast<std::size_t>(t.service)].name
                      : spec_.tasks[static_cast<std::size_t>(t.standalone)].name;
  r.revision = revision_name(spec_, t);
  r.last_state = to_string(t.state);
  r.stop_code = to_string(t.stop_code);
  r.stopped_reason = t.stopped_reason;
  r.created_s = t.created_at.to_seconds();
  r.stopped_s = t.state == TaskState::stopped ? t.stopped_at.to_seconds() : NAN;
  r.counted_by_circuit_breaker = t.failure_counted;
  const StartFailure& f = t.start_failure;
  if (t.stop_code == StopCode::task_failed_to_start) r.cause = to_string(f.kind);
  if (f.kind == StartFailure::Kind::no_free_address && f.subnets)
    for (std::size_t s : *f.subnets) r.subnets.emplace_back(spec_.network.subnets[s].name, usable_addresses(spec_.network.subnets[s]));
  if (f.kind == StartFailure::Kind::no_pull_path && f.subnet >= 0) {
    const SubnetSpec& s = spec_.network.subnets[static_cast<std::size_t>(f.subnet)];
    r.subnets.emplace_back(s.name, usable_addresses(s));
    r.public_subnet = s.is_public;
  }
  if (f.kind == StartFailure::Kind::registry && f.registry) {
    r.fault = static_cast<int>(f.registry->item);
    r.fault_mode = f.registry->mode_name();
    r.fault_start_s = f.registry->start.to_seconds();
    r.fault_end_s = f.registry->end.to_seconds();
    r.throttle_rate = f.registry->throttle_rate;
    r.pull_attempts = f.attempts;
  }
  if (f.kind == StartFailure::Kind::secrets && f.secrets) {
    r.fault = static_cast<int>(f.secrets->item);
    r.fault_start_s = f.secrets->start.to_seconds();
    r.fault_end_s = f.secrets->end.to_seconds();
  }
  if (t.lost_at)
    if (const ZoneOutageSpec* z = zone_outage_of(spec_, t.az, *t.lost_at)) {
      r.cause = "az_outage";
      r.fault = static_cast<int>(z->item);
      r.fault_start_s = z->start.to_seconds();
      r.fault_end_s = z->end.to_seconds();
      r.zone = spec_.region + t.az;
    }
  if (t.out_of_memory && t.service >= 0) {
    const ServiceSpec& sv = spec_.services[static_cast<std::size_t>(t.service)];
    const Revision& rev = sv.deployments->revisions[t.revision - 1];
    r.cause = "out_of_memory";
    r.memory_leak_mib_per_hour = rev.behavior.memory_leak_mib_per_hour;
    r.memory_mib = rev.task.memory_mib;
    r.memory_baseline_mib = sv.serving.memory_baseline_mib;
  }
  if (t.state != TaskState::stopped) {
    r.waiting_for = lt.waiting_for(t);
    if (r.waiting_for.empty()) r.waiting_for = waiting_phase(t);
  }
  return r;
}

void StoppedTaskLog::on_backoff(const Task& t, const ServiceScheduler::Backoff& b) { backoff_[&t] = b; }

void StoppedTaskLog::on_state(const LaunchType& lt, const Task& t) {
  StoppedTaskRow r = row_of(lt, t);
  if (const auto it = backoff_.find(&t); it != backoff_.end()) {
    r.consecutive_failures = it->second.consecutive_failures;
    r.restart_delay_s = it->second.delay.to_seconds();
    backoff_.erase(it);
  }
  out_.stopped_tasks.push_back(std::move(r));
}

void StoppedTaskLog::on_deployment(std::size_t service, const ServiceScheduler::DeploymentEvent& e) {
  const ServiceSpec& sv = spec_.services[service];
  auto name = [&](std::size_t rev) { return rev == 0 || !sv.deployments ? std::string("initial") : sv.deployments->revisions[rev - 1].name; };
  if (e.kind == "deployment_failed") {
    out_.breaker_trips.push_back({replication_, sv.name, e.deployment, name(e.revision), e.at.to_seconds(), e.failed_tasks,
                                  e.threshold, ""});
  } else if (e.kind == "rollback_started" && !out_.breaker_trips.empty() && out_.breaker_trips.back().service == sv.name &&
             out_.breaker_trips.back().replication == replication_) {
    out_.breaker_trips.back().rolled_back_to = name(e.revision);
  }
}

void StoppedTaskLog::finish() {
  for (LaunchType* lt : launch_types_)
    for (const Task& t : lt->tasks())
      if (t.state == TaskState::provisioning || t.state == TaskState::pending || t.state == TaskState::activating)
        out_.stopped_tasks.push_back(row_of(*lt, t));
}

}  // namespace fargatelab::detail
