#include "platforms/ecs_ec2/ec2_platform.hpp"
#include "platforms/ecs_ec2/ec2_service_spec.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "ecs/container_start.hpp"
#include "ecs/task_wind_down.hpp"
#include "platforms/ecs_ec2/managed_scaling.hpp"
#include "platforms/platform.hpp"

namespace fargatelab::detail {
namespace {

Duration secs(double s) { return SimTime::from_seconds(std::max(0.0, s)); }

constexpr const char* kPlaced = "placed";  // the interrupt cause that wakes a task waiting for capacity
constexpr const char* kSpotDrain = "Container instance is draining: EC2 Spot Instance interruption notice";
constexpr const char* kInstanceGone = "Container instance is being terminated";


}  // namespace

Ec2Platform::Ec2Platform(Simulation& sim, const ScenarioSpec& spec, RandomStreams& streams, std::vector<SubnetPool>& subnets,
                         ImageRegistry* registry)
    : sim_(sim),
      spec_(spec),
      ec2_(platform_settings<Ec2Spec>(spec)),
      ecs_(ecs_settings(spec)),
      subnets_(subnets),
      eni_rs_(streams.stream("ec2/eni")),
      pull_rs_(streams.stream("ec2/pull")),
      start_rs_(streams.stream("ec2/start")),
      stop_rs_(streams.stream("ec2/stop")),
      own_registry_(registry ? nullptr : std::make_unique<ImageRegistry>(faults_of(spec).registry)),
      registry_(registry ? registry : own_registry_.get()),
      faults_(faults_of(spec)) {
  down_ = {&sim, ec2_.spot_warning, &ecs_.eni_detach, &stop_rs_, &eni_rs_, &subnets,
           [this](Task& t, TaskState s) { set_state(t, s); }, [this](Task& t) { release_instance(t); }};
  const auto& providers = ec2_.capacity_providers;
  for (std::size_t p = 0; p < providers.size(); ++p) {
    const auto& c = providers[p];
    // The group's zones, each with the first of the group's subnets there.
    std::vector<std::string> zones;
    std::vector<std::size_t> zone_subnets;
    for (std::size_t s : c.subnets) {
      const std::string& az = spec.network.subnets[s].az;
      if (std::find(zones.begin(), zones.end(), az) == zones.end()) {
        zones.push_back(az);
        zone_subnets.push_back(s);
      }
    }
    groups_.push_back(std::make_unique<AutoScalingGroup>(sim, c, ec2_, std::move(zones), std::move(zone_subnets),
                                                         streams.stream("ec2/launch/" + c.name), streams.stream("ec2/spot/" + c.name),
                                                         streams.stream("ec2/placement/" + c.name), &subnets));
    AutoScalingGroup& g = *groups_.back();
    g.registered.connect([this, p](InstanceId id) { on_registered(p, id); });
    g.notice.connect([this, p](InstanceId id) { on_notice(p, id); });
    g.terminated.connect([this, p](InstanceId id) { on_terminated(p, id); });
  }
  waiting_.resize(providers.size());
  non_daemon_.resize(providers.size());
  low_periods_.assign(providers.size(), 0);
  last_reservation_.assign(providers.size(), std::numeric_limits<double>::quiet_NaN());
  for (const ServiceSpec& sv : spec.services) {
    auto& st = strategies_.emplace_back();
    auto& co = constraints_.emplace_back();
    const Ec2ServiceSpec& e = ec2_settings(sv);
    for (const auto& s : e.placement_strategy) st.push_back(parse_placement_strategy(s.type, s.field));
    for (const auto& c : e.placement_constraints) co.push_back(PlacementConstraint::parse(c.type, c.expression));
    awsvpc_.push_back(e.awsvpc);
  }
}

void Ec2Platform::start() {
  for (auto& g : groups_) g->start();
  if (!groups_.empty())
    sim_.every(ec2_.metric_period,
               Callback{[](void* self, std::uint64_t) { static_cast<Ec2Platform*>(self)->evaluate_scaling(); }, this, 0},
               sim_.now() + ec2_.metric_period);
}

int Ec2Platform::active_instances() const noexcept {
  int n = 0;
  for (const auto& g : groups_) n += g->active();
  return n;
}

void Ec2Platform::set_state(Task& t, TaskState s) {
  const TaskState previous = t.state;
  t.state = s;
  state_changed.emit(t, previous);
}

Task& Ec2Platform::new_task(const LaunchRequest& r) {
  Task& t = tasks_.emplace_back();
  t.id = static_cast<std::uint32_t>(tasks_.size() - 1);
  t.service = r.service;
  t.standalone = r.standalone;
  t.name = r.name;
  t.spec = r.spec;
  t.provider = CapacityProvider::ec2;
  t.ec2 = r.ec2;
  t.daemon = r.daemon;
  t.created_at = r.requested_at.value_or(sim_.now());
  reservation_.emplace_back();
  failure_.emplace_back();
  return t;
}

PlacementRequest Ec2Platform::placement_request(const Task& t) const {
  PlacementRequest r;
  r.group = static_cast<TaskGroup>(t.service);
  r.cpu_units = t.spec->cpu_units;
  r.memory_mib = t.spec->memory_mib;
  r.network_mode = awsvpc_[static_cast<std::size_t>(t.service)] ? NetworkMode::awsvpc : NetworkMode::bridge;
  r.strategies = strategies_[static_cast<std::size_t>(t.service)];
  r.constraints = constraints_[static_cast<std::size_t>(t.service)];
  return r;
}

bool Ec2Platform::try_place(Task& t) {
  if (t.daemon) return place_daemon(t);
  AutoScalingGroup& g = *groups_[static_cast<std::size_t>(t.ec2)];
  const PlacementRequest r = placement_request(t);
  const auto id = g.cluster().place(r, &failure_[t.id]);
  if (!id) return false;
  reservation_[t.id] = g.cluster().commit(*id, r);
  t.instance = static_cast<std::int32_t>(*id);
  t.az = g.cluster().az_of(*id);
  auto& counts = non_daemon_[static_cast<std::size_t>(t.ec2)];
  if (counts.size() <= *id) counts.resize(*id + 1, 0);
  ++counts[*id];
  return true;
}

// A daemon task goes to the first ACTIVE instance (providers in order, instances by id) that has
// no task of its service yet; it waits there if the instance has no room for it now.
bool Ec2Platform::place_daemon(Task& t) {
  PlacementRequest r = placement_request(t);
  r.strategies = {};
  r.constraints = {};
  if (t.instance < 0) {
    for (std::size_t p = 0; p < groups_.size() && t.instance < 0; ++p)
      for (const ContainerInstance& c : groups_[p]->cluster().instances())
        if (!c.draining && !daemons_.contains({p, c.id, t.service})) {
          t.ec2 = static_cast<std::int32_t>(p);
          t.instance = static_cast<std::int32_t>(c.id);
          t.az = groups_[p]->cluster().az_of(c.id);
          daemons_.insert({p, c.id, t.service});
          break;
        }
    if (t.instance < 0) {
      failure_[t.id] = PlacementFailure{PlacementFailure::Kind::no_container_instances, std::nullopt};
      return false;
    }
  }
  Cluster& cluster = groups_[static_cast<std::size_t>(t.ec2)]->cluster();
  const auto id = static_cast<InstanceId>(t.instance);
  if (!cluster.contains(id)) return false;
  const ContainerInstance& c = cluster.instance(id);
  const bool fits = r.cpu_units <= c.remaining_cpu_units && r.memory_mib <= c.remaining_memory_mib &&
                    (r.network_mode == NetworkMode::bridge || c.enis_available() > 0);
  if (!fits) {
    failure_[t.id] = PlacementFailure{r.memory_mib > c.remaining_memory_mib ? PlacementFailure::Kind::memory
                                      : r.cpu_units > c.remaining_cpu_units ? PlacementFailure::Kind::cpu
                                                                            : PlacementFailure::Kind::eni,
                                      id};
    return false;
  }
  reservation_[t.id] = cluster.commit(id, r);
  return true;
}

void Ec2Platform::release_instance(Task& t) {
  // A daemon's instance is free for its service's next daemon task.
  if (t.daemon && t.instance >= 0 && t.ec2 >= 0)
    daemons_.erase({static_cast<std::size_t>(t.ec2), static_cast<InstanceId>(t.instance), t.service});
  if (!reservation_[t.id]) return;
  const auto p = static_cast<std::size_t>(t.ec2);
  AutoScalingGroup& g = *groups_[p];
  g.cluster().release(*reservation_[t.id]);
  if (!t.daemon) --non_daemon_[p][reservation_[t.id]->instance];
  reservation_[t.id].reset();
  g.task_released(static_cast<InstanceId>(t.instance));
  // Room on this instance may let waiting tasks start.
  if (!waiting_[p].empty())
    sim_.schedule_in(Duration::zero(),
                     Callback{[](void* self, std::uint64_t q) { static_cast<Ec2Platform*>(self)->retry_waiting(q); }, this, p},
                     Priority::late);
}

// Tasks waiting for this provider's capacity, in the order they arrived; each one placed is woken.
void Ec2Platform::retry_waiting(std::size_t provider) {
  auto& q = waiting_[provider];
  for (auto it = q.begin(); it != q.end();) {
    Task& t = tasks_[*it];
    if (t.stop_requested || t.process.done()) {
      it = q.erase(it);
    } else if (try_place(t)) {
      it = q.erase(it);
      t.process.interrupt(kPlaced);
    } else {
      ++it;
    }
  }
}

Task& Ec2Platform::launch(const LaunchRequest& r) {
  Task& t = new_task(r);
  state_changed.emit(t, TaskState::stopped);
  // A daemon takes its instance now, ahead of replica tasks waiting for room there.
  if (t.daemon) try_place(t);
  t.process = spawn(sim_, lifecycle(t, r, false), t.name);
  return t;
}

Task* Ec2Platform::adopt_running(const LaunchRequest& r) {
  Task& t = new_task(r);
  if (!try_place(t)) {
    // Not placed: the record is dropped again (ids stay dense).
    if (t.daemon && t.instance >= 0) daemons_.erase({static_cast<std::size_t>(t.ec2), static_cast<InstanceId>(t.instance), t.service});
    tasks_.pop_back();
    reservation_.pop_back();
    failure_.pop_back();
    return nullptr;
  }
  const ServiceSpec& sv = spec_.services[static_cast<std::size_t>(t.service)];
  if (awsvpc_[static_cast<std::size_t>(t.service)]) {
    const auto subnet = most_free_subnet(subnets_, r.subnets, t.az);
    if (!subnet) {
      release_instance(t);
      tasks_.pop_back();
      reservation_.pop_back();
      failure_.pop_back();
      return nullptr;
    }
    subnets_[*subnet].allocate();
    t.subnet = static_cast<std::int32_t>(*subnet);
  }
  groups_[static_cast<std::size_t>(t.ec2)]->cluster().cache_image(static_cast<InstanceId>(t.instance), sv.name);
  t.started_at = t.created_at;
  t.state = TaskState::running;
  state_changed.emit(t, TaskState::stopped);
  t.process = spawn(sim_, lifecycle(t, r, true), t.name);
  return &t;
}

void Ec2Platform::stop(Task& t, StopCode code, std::string reason) {
  if (t.state == TaskState::stopped || t.process.done()) return;
  const bool spot = code == StopCode::spot_interruption;
  if (t.stop_code == StopCode::none) {
    t.stop_code = code;
    t.stopped_reason = std::move(reason);
  } else if (!spot) {
    return;
  }
  if (spot) t.spot_warning_at = sim_.now();
  t.stop_requested = true;
  t.process.interrupt(to_string(code));
}


// A daemon not yet pinned to an instance waits with the first provider.
std::string Ec2Platform::waiting_for(const Task& t) const {
  if (t.state != TaskState::provisioning || reservation_[t.id] || t.service < 0) return {};
  const auto& q = waiting_[t.ec2 < 0 ? 0 : static_cast<std::size_t>(t.ec2)];
  if (std::find(q.begin(), q.end(), t.id) == q.end()) return {};
  return failure_[t.id].message(spec_.services[static_cast<std::size_t>(t.service)].name);
}

std::deque<std::uint32_t>& Ec2Platform::waiting_of(const Task& t) {
  return waiting_[t.ec2 < 0 ? 0 : static_cast<std::size_t>(t.ec2)];
}

int Ec2Platform::non_daemon_tasks(std::size_t provider, InstanceId id) const {
  const auto& counts = non_daemon_[provider];
  return id < counts.size() ? counts[id] : 0;
}

void Ec2Platform::stop_tasks_on(std::size_t provider, InstanceId id, StopCode code, const std::string& reason) {
  for (Task& t : tasks_)
    if (t.ec2 == static_cast<std::int32_t>(provider) && t.instance == static_cast<std::int32_t>(id) && t.state != TaskState::stopped &&
        !t.process.done())
      stop(t, code, reason);
}

void Ec2Platform::on_registered(std::size_t provider, InstanceId) {
  instances_changed.emit();
  // After the daemon services have reconciled (they were scheduled first), the waiting tasks.
  sim_.schedule_in(Duration::zero(),
                   Callback{[](void* self, std::uint64_t q) { static_cast<Ec2Platform*>(self)->retry_waiting(q); }, this, provider},
                   Priority::late);
}

void Ec2Platform::on_notice(std::size_t provider, InstanceId id) {
  stop_tasks_on(provider, id, StopCode::spot_interruption, kSpotDrain);
  instances_changed.emit();
}

void Ec2Platform::on_terminated(std::size_t provider, InstanceId id) {
  stop_tasks_on(provider, id, StopCode::service_scheduler_initiated, kInstanceGone);
  for (auto it = daemons_.begin(); it != daemons_.end();)
    it = std::get<0>(*it) == provider && std::get<1>(*it) == id ? daemons_.erase(it) : std::next(it);
  instances_changed.emit();
}

// An availability zone outage: the groups lose their instances there (the tasks on them were
// lost by LaunchType::lose_zone) and launch replacements in their other zones.
void Ec2Platform::on_zone_lost(const std::string& az) {
  for (auto& g : groups_) g->lose_zone(az);
  instances_changed.emit();
}

void Ec2Platform::on_zone_restored(const std::string& az) {
  for (auto& g : groups_) g->restore_zone(az);
}

void Ec2Platform::evaluate_scaling() {
  std::vector<PlacementRequest> waiting;
  for (std::size_t p = 0; p < groups_.size(); ++p) {
    AutoScalingGroup& g = *groups_[p];
    g.repair();  // the group keeps its desired capacity (launches that failed for want of an address)
    const Ec2CapacityProviderSpec& c = g.spec();
    if (!c.managed_scaling) continue;
    waiting.clear();
    for (std::uint32_t id : waiting_[p])
      if (!tasks_[id].daemon && !tasks_[id].stop_requested) waiting.push_back(placement_request(tasks_[id]));
    int with_tasks = 0;
    for (const ContainerInstance& ci : g.cluster().instances())
      if (!ci.draining && non_daemon_tasks(p, ci.id) > 0) ++with_tasks;
    const int running = g.active();
    const int lower = instances_lower_bound(g.type(), c.reserved_memory_mib, c.trunking, waiting);
    const int needed = instances_needed(running, with_tasks, lower, !waiting.empty(), c.min_step, c.max_step);
    const double metric = capacity_provider_reservation(running, needed);
    last_reservation_[p] = metric;
    const int want = std::max(c.min_size, target_instances(needed, c.target_capacity));
    if (metric > c.target_capacity) {
      low_periods_[p] = 0;
      g.scale_out_to(want);
    } else if (metric < c.target_capacity) {
      if (++low_periods_[p] < ec2_.scale_in_datapoints || g.any_warming_up()) continue;
      // Scale in to `want`: empty instances only, from the zone with the most, newest first.
      int excess = running - want;
      while (excess > 0) {
        std::vector<int> per_zone(g.zones().size(), 0);
        for (const ContainerInstance& ci : g.cluster().instances())
          if (!ci.draining) ++per_zone[ci.zone];
        std::optional<InstanceId> victim;
        int victim_zone_count = -1;
        for (auto it = g.cluster().instances().rbegin(); it != g.cluster().instances().rend(); ++it)
          if (!it->draining && non_daemon_tasks(p, it->id) == 0 && per_zone[it->zone] > victim_zone_count) {
            victim = it->id;
            victim_zone_count = per_zone[it->zone];
          }
        if (!victim || !g.scale_in(*victim)) break;
        --excess;
      }
    } else {
      low_periods_[p] = 0;
    }
  }
}

Process Ec2Platform::lifecycle(Task& t, LaunchRequest r, bool warm) {
  const TaskSpec& task = *t.spec;
  const ServiceSpec& sv = spec_.services[static_cast<std::size_t>(t.service)];
  bool failed = false;
  std::optional<Duration> essential_exit;
  auto phase = [&](Phase p, SimTime since) {
    t.phase_seconds[static_cast<std::size_t>(p)] = (sim_.now() - since).to_seconds();
    t.phase_done[static_cast<std::size_t>(p)] = true;
  };
  auto fail = [&](std::string reason, StartFailure why) {
    t.stop_code = StopCode::task_failed_to_start;
    t.stopped_reason = std::move(reason);
    t.start_failure = why;
    failed = true;
  };

  try {
    if (!warm) {
      // PROVISIONING: the service's launch rate, then a container instance with room.
      SimTime since = t.created_at;
      if (r.not_before > sim_.now()) co_await sim_timeout(sim_, r.not_before - sim_.now());
      phase(Phase::throttled, since);
      since = sim_.now();
      if (!reservation_[t.id] && !try_place(t)) {
        waiting_of(t).push_back(t.id);
        const SimTime deadline = sim_.now() + ec2_.provisioning_timeout;
        while (!reservation_[t.id] && sim_.now() < deadline) {
          try {
            co_await sim_timeout(sim_, deadline - sim_.now());
          } catch (const Interrupted& i) {
            if (i.cause() != kPlaced) throw;
          }
        }
        // A stop that arrived in the same instant as the room wins.
        if (t.stop_requested) throw Interrupted(to_string(t.stop_code));
        if (!reservation_[t.id])  // it leaves the queue below
          fail(failure_[t.id].message(sv.name), {.kind = StartFailure::Kind::no_capacity});
      }
      if (!failed && awsvpc_[static_cast<std::size_t>(t.service)]) {
        const auto subnet = most_free_subnet(subnets_, r.subnets, t.az);
        if (!subnet) {
          fail(kNoFreeAddress, {.kind = StartFailure::Kind::no_free_address, .subnets = r.subnets});
        } else {
          subnets_[*subnet].allocate();
          t.subnet = static_cast<std::int32_t>(*subnet);
          co_await sim_timeout(sim_, secs(ecs_.eni_attach.sample(eni_rs_)));
        }
      }
      phase(Phase::provisioning, since);
      if (!failed) {
        // PENDING: secrets, then the image (layers already on the instance are not downloaded again).
        set_state(t, TaskState::pending);
        since = sim_.now();
        if (const auto down = secrets_fault_at(faults_.secrets, task.secrets, sim_.now()))
          fail(kSecretsUnavailable, {.kind = StartFailure::Kind::secrets, .secrets = &faults_.secrets[*down]});
      }
      if (!failed) {
        AutoScalingGroup& g = *groups_[static_cast<std::size_t>(t.ec2)];
        const auto instance = static_cast<InstanceId>(t.instance);
        const bool cached = g.cluster().contains(instance) && g.cluster().has_image(instance, sv.name);
        const auto behavior = ec2_.pull_behavior;
        // The registry's faults reach a pull the agent makes: every uncached one, and a cached
        // image's with ECS_IMAGE_PULL_BEHAVIOR default (which then falls back to the cached image)
        // or always (which fails); once and prefer-cached use the cache (ECS developer guide,
        // agent configuration).
        const bool pulls = !cached || behavior == Ec2Spec::PullBehavior::pull_default || behavior == Ec2Spec::PullBehavior::always;
        if (pulls) {
          PullAttempts attempts(registry_);
          while (const auto wait = attempts.attempt(sim_.now())) co_await sim_timeout(sim_, *wait);
          const RegistryFault* refused = attempts.failed();
          if (refused && !(cached && behavior == Ec2Spec::PullBehavior::pull_default)) {
            fail(refused->stopped_reason(),
                 {.kind = StartFailure::Kind::registry, .registry = refused, .attempts = attempts.attempts()});
            phase(Phase::image_pull, since);
          }
        }
      }
      if (!failed) {
        AutoScalingGroup& g = *groups_[static_cast<std::size_t>(t.ec2)];
        const auto instance = static_cast<InstanceId>(t.instance);
        const bool cached = g.cluster().contains(instance) && g.cluster().has_image(instance, sv.name);
        const auto behavior = ec2_.pull_behavior;
        Duration pull = Duration::zero();
        if (!cached) {
          const ImageSpec image = task_image(task);
          const PullPath path = pull_path_from(spec_.network, g.record(instance).subnet, image.source == ImageSpec::ecr, ecs_.image_pull);
          pulled_.add(path, pulled_bytes_mb(image));
          pull = pull_time(image, path, g.type().vcpu, ecs_.image_pull, pull_rs_);
        } else if (behavior == Ec2Spec::PullBehavior::pull_default || behavior == Ec2Spec::PullBehavior::always) {
          pull = secs(ec2_.cached_pull.sample(pull_rs_));
        }
        if (pull > Duration::zero()) co_await sim_timeout(sim_, pull);
        if (g.cluster().contains(instance)) g.cluster().cache_image(instance, sv.name);
        phase(Phase::image_pull, since);
        since = sim_.now();
        // Containers get the task's CPU share of the instance (at least the units it reserves).
        const double vcpu = task.cpu_units > 0 ? task.vcpu() : g.type().vcpu;
        const TaskStart start = plan_task_start(task, vcpu, start_rs_);
        co_await sim_timeout(sim_, start.wait);
        if (start.failure) fail(*start.failure, {.kind = StartFailure::Kind::container});
        essential_exit = start.essential_exit;
        phase(Phase::container_start, since);
      }
      if (!failed) {
        set_state(t, TaskState::activating);
        since = sim_.now();
        co_await sim_timeout(sim_, secs(ecs_.activating.sample(start_rs_)));
        phase(Phase::activating, since);
        t.started_at = sim_.now();
        set_state(t, TaskState::running);
      }
    }
    if (!failed) {
      if (essential_exit || task.run_time) {
        co_await sim_timeout(sim_, essential_exit ? *essential_exit : secs(task.run_time->sample(start_rs_)));
        t.stop_code = StopCode::essential_container_exited;
        t.stopped_reason = "Essential container in task exited";
      } else {
        co_await sim_timeout(sim_, SimTime::infinity() - sim_.now());
      }
    }
  } catch (const Interrupted&) {
    // stop() recorded the code and reason
  }

  // Going down (the same on every launch type).
  auto& q = waiting_of(t);
  q.erase(std::remove(q.begin(), q.end(), t.id), q.end());
  co_await start_wind_down(t, down_);
}

}  // namespace fargatelab::detail
