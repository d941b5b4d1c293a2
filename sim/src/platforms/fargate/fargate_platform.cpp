#include "platforms/fargate/fargate_platform.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "ecs/container_start.hpp"
#include "ecs/task_wind_down.hpp"
#include "platforms/platform.hpp"
#include "random/distribution_registry.hpp"

namespace fargatelab::detail {
namespace {

// Seconds as simulated time; negative draws (possible with some distributions) count as 0.
Duration secs(double s) { return SimTime::from_seconds(std::max(0.0, s)); }

// Messages as ECS reports them (aws-facts.md B.4; field reports for the subnet case).
constexpr const char* kNoCapacity = "Capacity is unavailable at this time. Please try again later or in a different availability zone";
constexpr const char* kNoPullPath =
    "ResourceInitializationError: unable to pull secrets or registry auth: the task's subnet has no route to the registry "
    "(no NAT gateway, public IP or VPC endpoint). Please check your task network configuration.";

}  // namespace

FargatePlatform::FargatePlatform(Simulation& sim, const ScenarioSpec& spec, RandomStreams& streams,
                                 std::vector<SubnetPool>& subnets, ImageRegistry* registry)
    : sim_(sim),
      spec_(spec),
      fargate_(platform_settings<FargateSpec>(spec)),
      ecs_(ecs_settings(spec)),
      account_bucket_(fargate_.launch_burst, fargate_.launch_per_second),
      subnets_(subnets),
      isolation_(isolation_registry().build(fargate_.isolation)),
      provisioning_rs_(streams.stream("fargate/provisioning")),
      eni_rs_(streams.stream("fargate/eni")),
      pull_rs_(streams.stream("fargate/pull")),
      start_rs_(streams.stream("fargate/start")),
      stop_rs_(streams.stream("fargate/stop")),
      placement_rs_(streams.stream("fargate/placement")),
      spot_rs_(streams.stream("fargate/spot")),
      own_registry_(registry ? nullptr : std::make_unique<ImageRegistry>(faults_of(spec).registry)),
      registry_(registry ? registry : own_registry_.get()),
      faults_(faults_of(spec)) {
  down_ = {&sim, fargate_.spot_warning, &ecs_.eni_detach, &stop_rs_, &eni_rs_, &subnets_,
           [this](Task& t, TaskState s) { set_state(t, s); }, [this](Task& t) { release_capacity(t); }};
  std::set<std::string> zones;
  for (const auto& s : spec.network.subnets) zones.insert(s.az);
  zones_.assign(zones.begin(), zones.end());
  spot_running_per_az_.assign(zones_.size(), 0);
  fleet_ = std::make_unique<HostFleet>(HostFleet::uniform(
      zones_, fargate_.hosts_per_az, fargate_.host_vcpu, static_cast<int>(fargate_.host_memory_gib * 1024),
      isolation_, placement_registry().build(fargate_.placement), streams.stream("fargate/placement-policy")));
  struct Wave {
    static void fire(void* self, std::uint64_t i) { static_cast<FargatePlatform*>(self)->on_spot_wave(i); }
  };
  for (std::size_t i = 0; i < fargate_.spot_waves.size(); ++i)
    sim_.schedule_at(fargate_.spot_waves[i].at, Callback{&Wave::fire, this, i});
}

void FargatePlatform::set_state(Task& t, TaskState s) {
  const TaskState previous = t.state;
  t.state = s;
  if (t.provider == CapacityProvider::fargate_spot && (previous == TaskState::running) != (s == TaskState::running)) {
    const auto z = static_cast<std::size_t>(std::find(zones_.begin(), zones_.end(), t.az) - zones_.begin());
    if (z < zones_.size()) spot_running_per_az_[z] += s == TaskState::running ? 1 : -1;
  }
  state_changed.emit(t, previous);
}

std::size_t FargatePlatform::spot_tasks_in(const std::string& az) const {
  const auto z = static_cast<std::size_t>(std::find(zones_.begin(), zones_.end(), az) - zones_.begin());
  return z < zones_.size() ? spot_running_per_az_[z] : 0;
}

std::optional<std::size_t> FargatePlatform::allocate_address(const LaunchRequest& r, std::string& az_out) {
  // The preferred zone's subnet with the most free addresses; else any allowed subnet's. A zone
  // in an outage has no capacity: its subnets are never chosen.
  auto best_in = [&](const std::string& az) -> std::optional<std::size_t> {
    std::optional<std::size_t> best;
    for (std::size_t i : *r.subnets)
      if ((az.empty() || subnets_[i].az() == az) && zone_up(subnets_[i].az()) && subnets_[i].free() > 0 &&
          (!best || subnets_[i].free() > subnets_[*best].free()))
        best = i;
    return best;
  };
  auto chosen = best_in(r.preferred_az);
  if (!chosen && !r.preferred_az.empty()) chosen = best_in("");
  if (!chosen) return std::nullopt;
  subnets_[*chosen].allocate();
  az_out = subnets_[*chosen].az();
  return chosen;
}

PullPath FargatePlatform::pull_path(const Task& t) const {
  return pull_path_from(spec_.network, static_cast<std::size_t>(t.subnet), !t.spec->image.public_registry, ecs_.image_pull);
}

Task& FargatePlatform::new_task(const LaunchRequest& r) {
  Task& t = tasks_.emplace_back();
  t.id = static_cast<std::uint32_t>(tasks_.size() - 1);
  t.service = r.service;
  t.standalone = r.standalone;
  t.name = r.name;
  t.spec = r.spec;
  t.provider = r.provider;
  t.created_at = r.requested_at.value_or(sim_.now());
  spot_clock_.emplace_back();
  placement_.emplace_back();
  return t;
}

Task& FargatePlatform::launch(const LaunchRequest& r) {
  Task& t = new_task(r);
  state_changed.emit(t, TaskState::stopped);  // creation: "from nothing" into PROVISIONING
  t.process = spawn(sim_, lifecycle(t, r, false), t.name);
  return t;
}

void FargatePlatform::run_task(LaunchRequest r) {
  r.requested_at = sim_.now();
  const SimTime go = account_bucket_.reserve(std::max(sim_.now(), r.not_before));
  if (go <= sim_.now()) {
    launch(r);
    return;
  }
  // Grants come in reservation order, so the queue's front is always the next one due.
  throttled_calls_.push_back(std::move(r));
  sim_.schedule_at(go, bind<&FargatePlatform::on_token_granted>(this));
}

void FargatePlatform::on_token_granted() {
  LaunchRequest r = std::move(throttled_calls_.front());
  throttled_calls_.pop_front();
  launch(r);
}

Task* FargatePlatform::adopt_running(const LaunchRequest& r) {
  std::string az;
  const auto subnet = allocate_address(r, az);
  if (!subnet) return nullptr;
  auto placement = fleet_->place(az, r.spec->vcpu(), r.spec->memory_mib, sim_.now(), placement_rs_);
  if (!placement) {
    subnets_[*subnet].release();
    return nullptr;
  }
  Task& t = new_task(r);
  t.started_at = t.created_at;
  t.az = az;
  t.subnet = static_cast<std::int32_t>(*subnet);
  t.state = TaskState::running;
  placement_.back() = *placement;
  t.host = static_cast<std::int32_t>(placement->host);
  if (t.provider == CapacityProvider::fargate_spot) {
    const auto z = static_cast<std::size_t>(std::find(zones_.begin(), zones_.end(), t.az) - zones_.begin());
    spot_running_per_az_[z]++;
  }
  state_changed.emit(t, TaskState::stopped);
  t.process = spawn(sim_, lifecycle(t, r, true), t.name);
  return &t;
}

void FargatePlatform::stop(Task& t, StopCode code, std::string reason) {
  if (t.state == TaskState::stopped || t.process.done()) return;
  const bool spot = code == StopCode::spot_interruption;
  if (t.stop_code == StopCode::none) {
    t.stop_code = code;
    t.stopped_reason = std::move(reason);
  } else if (!spot) {
    return;  // already on its way down
  }
  if (spot) t.spot_warning_at = sim_.now();
  t.stop_requested = true;
  t.process.interrupt(to_string(code));
}

void FargatePlatform::release_capacity(Task& t) {
  if (placement_[t.id]) {
    fleet_->release(*placement_[t.id]);
    placement_[t.id].reset();
  }
}

void FargatePlatform::start_spot_clock(Task& t) {
  const double rate = fargate_.spot_interruptions_per_task_hour / 3600.0;
  if (t.provider != CapacityProvider::fargate_spot || rate <= 0) return;
  struct Clock {
    static void fire(void* self, std::uint64_t id) {
      auto* p = static_cast<FargatePlatform*>(self);
      p->spot_clock_[id] = EventId{};
      p->stop(p->tasks_[id], StopCode::spot_interruption, "Your Spot Task was interrupted.");
    }
  };
  spot_clock_[t.id] = sim_.schedule_in(secs(Exponential{rate}.sample(spot_rs_)), Callback{&Clock::fire, this, t.id});
}

void FargatePlatform::on_spot_wave(std::uint64_t index) {
  const SpotWave& w = fargate_.spot_waves[index];
  std::vector<std::uint32_t> candidates;
  for (const Task& t : tasks_)
    if (t.provider == CapacityProvider::fargate_spot && t.state == TaskState::running && (w.az.empty() || t.az == w.az))
      candidates.push_back(t.id);
  const auto n = static_cast<std::size_t>(std::floor(w.fraction * static_cast<double>(candidates.size()) + 0.5));
  // A uniformly random subset of size n (partial Fisher-Yates).
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t j = i + static_cast<std::size_t>(spot_rs_.below(candidates.size() - i));
    std::swap(candidates[i], candidates[j]);
    stop(tasks_[candidates[i]], StopCode::spot_interruption, "Your Spot Task was interrupted.");
  }
}

Process FargatePlatform::lifecycle(Task& t, LaunchRequest r, bool warm) {
  const FargateSpec& f = fargate_;
  const TaskSpec& task = *t.spec;
  bool failed = false;
  std::optional<Duration> essential_exit;  // multi-container tasks: when an essential container exits, after RUNNING
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
      // PROVISIONING: launch rate, address, capacity, microVM.
      SimTime since = r.requested_at.value_or(sim_.now());
      if (!r.requested_at) {  // a RunTask call holds its token already
        if (r.not_before > sim_.now()) co_await sim_timeout(sim_, r.not_before - sim_.now());
        const SimTime token = account_bucket_.reserve(sim_.now());
        if (token > sim_.now()) co_await sim_timeout(sim_, token - sim_.now());
      }
      phase(Phase::throttled, since);

      since = sim_.now();
      std::string az;
      const auto subnet = allocate_address(r, az);
      if (!subnet) {
        fail(kNoFreeAddress, {.kind = StartFailure::Kind::no_free_address, .subnets = r.subnets});
      } else {
        t.subnet = static_cast<std::int32_t>(*subnet);
        t.az = az;
        const bool spot_full = t.provider == CapacityProvider::fargate_spot && f.spot_capacity_per_az &&
                               spot_tasks_in(az) >= static_cast<std::size_t>(*f.spot_capacity_per_az);
        // Capacity is found and the ENI attached in parallel; an EKS pod then waits for its
        // Fargate node to register with the cluster.
        Duration provisioning = std::max(secs(f.provisioning.sample(provisioning_rs_)), secs(ecs_.eni_attach.sample(eni_rs_)));
        if (task.eks_pod) provisioning += secs(f.eks_node_registration.sample(provisioning_rs_));
        co_await sim_timeout(sim_, provisioning);
        const bool private_subnet = !spec_.network.subnets[*subnet].is_public;
        if (spot_full) {
          fail(kNoCapacity, {.kind = StartFailure::Kind::no_capacity});
        } else if (private_subnet && spec_.network.nat_gateways == 0 && !(ecr_endpoints(spec_.network) && task_image(task).source == ImageSpec::ecr)) {
          fail(kNoPullPath, {.kind = StartFailure::Kind::no_pull_path, .subnet = t.subnet});
        } else {
          placement_[t.id] = fleet_->place(az, task.vcpu(), task.memory_mib, sim_.now(), placement_rs_);
          if (!placement_[t.id]) fail(kNoCapacity, {.kind = StartFailure::Kind::no_capacity});
        }
        phase(Phase::provisioning, since);
        if (!failed) {
          since = sim_.now();
          t.host = static_cast<std::int32_t>(placement_[t.id]->host);
          if (placement_[t.id]->vm_ready > sim_.now()) co_await sim_timeout(sim_, placement_[t.id]->vm_ready - sim_.now());
          phase(Phase::vm_boot, since);

          // PENDING: secrets, image pull, container start, application initialisation.
          set_state(t, TaskState::pending);
          since = sim_.now();
          if (const auto down = secrets_fault_at(faults_.secrets, task.secrets, sim_.now()))
            fail(kSecretsUnavailable, {.kind = StartFailure::Kind::secrets, .secrets = &faults_.secrets[*down]});
        }
        if (!failed) {
          // The registry's faults: refused attempts are retried (faults/registry_fault.hpp).
          PullAttempts attempts(registry_);
          while (const auto wait = attempts.attempt(sim_.now())) co_await sim_timeout(sim_, *wait);
          if (const RegistryFault* refused = attempts.failed()) {
            fail(refused->stopped_reason(),
                 {.kind = StartFailure::Kind::registry, .registry = refused, .attempts = attempts.attempts()});
            phase(Phase::image_pull, since);
          }
        }
        if (!failed) {
          const ImageSpec image = task_image(task);
          const PullPath path = pull_path(t);
          // A platform with a VPC of its own (App Runner) pulls there, not through the scenario's
          // NAT or endpoints.
          if (t.service < 0 || !spec_.services[static_cast<std::size_t>(t.service)].own_network)
            pulled_.add(path, pulled_bytes_mb(image));
          co_await sim_timeout(sim_, pull_time(image, path, task.vcpu(), ecs_.image_pull, pull_rs_));
          phase(Phase::image_pull, since);
          since = sim_.now();
          const TaskStart start = plan_task_start(task, task.vcpu(), start_rs_);
          co_await sim_timeout(sim_, start.wait);
          if (start.failure) fail(*start.failure, {.kind = StartFailure::Kind::container});
          essential_exit = start.essential_exit;
          phase(Phase::container_start, since);
        }
        if (!failed) {
          // ACTIVATING: registration with the load balancer and service discovery.
          set_state(t, TaskState::activating);
          since = sim_.now();
          co_await sim_timeout(sim_, secs(ecs_.activating.sample(provisioning_rs_)));
          phase(Phase::activating, since);
          t.started_at = sim_.now();
          set_state(t, TaskState::running);
        }
      }
    }
    if (!failed) {
      start_spot_clock(t);
      if (essential_exit || task.run_time) {
        co_await sim_timeout(sim_, essential_exit ? *essential_exit : secs(task.run_time->sample(start_rs_)));
        t.stop_code = StopCode::essential_container_exited;
        t.stopped_reason = "Essential container in task exited";
      } else {
        co_await sim_timeout(sim_, SimTime::infinity() - sim_.now());  // until told to stop
      }
    }
  } catch (const Interrupted&) {
    // stop() recorded the code and reason; go down from wherever the launch had got to
  }

  // Going down (the same on every launch type).
  if (spot_clock_[t.id].valid()) sim_.cancel(spot_clock_[t.id]);
  co_await start_wind_down(t, down_);
}

}  // namespace fargatelab::detail
