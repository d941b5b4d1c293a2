#include "platforms/lambda/lambda_function.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "platforms/lambda/init_duration.hpp"
#include "platforms/platform.hpp"
#include "serving/service.hpp"

namespace fargatelab::detail {
LambdaFunction::LambdaFunction(Simulation& sim, RequestPool& pool, Service& service, const ServiceSpec& spec,
                               RandomStreams& streams)
    : sim_(sim),
      pool_(pool),
      service_(service),
      spec_(spec),
      fn_(platform_settings<LambdaSpec>(spec)),
      stream_(streams.stream("lambda/" + spec.name)),
      scaling_(fn_.scale_burst, fn_.scale_per_second),
      limit_(fn_.reserved_concurrency >= 0 ? std::min(fn_.reserved_concurrency, fn_.account_concurrency) : fn_.account_concurrency),
      since_(sim.now()),
      pc_allocation_(fn_.provisioned_allocation_burst, fn_.provisioned_allocation_per_minute / 60.0),
      configured_(fn_.provisioned_concurrency),
      level_since_(sim.now()),
      level_max_(fn_.provisioned_concurrency) {
  if (fn_.init) {
    init_ = *fn_.init;
  } else {
    const InitCalibration* c = find_init_calibration(fn_.runtime, fn_.package, fn_.architecture);
    init_ = c ? init_duration_distribution(*c) : Distribution{};  // validation guarantees a calibration
  }
}

void LambdaFunction::start() {
  for (int i = 0; i < configured_; ++i) idle_provisioned_.push_back(new_environment(true));
  pc_envs_ = pc_ready_ = configured_;  // configured since construction, at t = 0
  note_concurrency();
}

void LambdaFunction::account_level() noexcept {
  const SimTime now = sim_.now();
  level_seconds_ += static_cast<double>(configured_) * (now - level_since_).to_seconds();
  level_since_ = now;
}

double LambdaFunction::measured_provisioned_level_seconds() const noexcept {
  return level_seconds_ + static_cast<double>(configured_) * (sim_.now() - level_since_).to_seconds() - level_seconds_at_measure_;
}

void LambdaFunction::note_concurrency() noexcept {
  max_in_flight_ = std::max(max_in_flight_, in_flight_);
  max_pc_busy_ = std::max(max_pc_busy_, pc_busy_);
  if (configured_ > 0) max_pc_utilization_ = std::max(max_pc_utilization_, static_cast<double>(pc_busy_) / configured_);
}

std::int64_t LambdaFunction::take_max_concurrent() noexcept { return std::exchange(max_in_flight_, in_flight_); }
int LambdaFunction::take_max_provisioned_busy() noexcept { return std::exchange(max_pc_busy_, pc_busy_); }
void LambdaFunction::account_utilization() noexcept {
  const SimTime now = sim_.now();
  const double dt = (now - utilization_since_).to_seconds();
  if (configured_ > 0 && dt > 0) {
    utilization_integral_ += static_cast<double>(pc_busy_) / configured_ * dt;
    utilization_time_ += dt;
  }
  utilization_since_ = now;
}

double LambdaFunction::take_mean_provisioned_utilization() noexcept {
  account_utilization();
  const double mean = utilization_time_ > 0 ? utilization_integral_ / utilization_time_ : NAN;
  utilization_integral_ = utilization_time_ = 0;
  return mean;
}

double LambdaFunction::take_max_provisioned_utilization() noexcept {
  // A level lowered to 0 during the period still had a utilisation before: keep the maximum.
  const double now = configured_ > 0 ? static_cast<double>(pc_busy_) / configured_ : 0.0;
  const double max = std::max(max_pc_utilization_, now);
  max_pc_utilization_ = now;
  return max;
}

void LambdaFunction::set_provisioned(int level) {
  level = std::max(0, level);
  if (level == configured_) return;
  account_level();
  ++level_changes_;
  level_max_ = std::max(level_max_, level);
  const int change = level - configured_;
  account_utilization();
  configured_ = level;
  if (change > 0) {
    // Allocation starts after the delay, at the allocation rate (FIFO behind earlier ones).
    for (int k = 0; k < change; ++k) {
      const SimTime at = pc_allocation_.reserve(sim_.now() + fn_.provisioned_allocation_delay);
      sim_.schedule_at(at, bind<&LambdaFunction::on_pc_allocate>(this, std::uint64_t{0}));
      ++pending_;
    }
  } else {
    lower_provisioned(-change);
  }
  note_concurrency();
}

void LambdaFunction::lower_provisioned(int remove) {
  const int cancel = std::min(remove, pending_);  // allocations not started yet
  pending_ -= cancel;
  cancelled_ += cancel;
  remove -= cancel;
  std::uint32_t server = 0;
  while (remove > 0 && pop_idle(idle_provisioned_, server)) {  // idle and READY: at once
    remove_environment(server);
    --remove;
  }
  // Then initialising environments (removed when Init ends), then busy ones (when their
  // request ends); both stop counting at once.
  for (const bool busy : {false, true})
    for (std::uint32_t s = 0; remove > 0 && s < envs_.size(); ++s) {
      Env& e = envs_[s];
      if (!e.alive || !e.provisioned || e.retiring || e.busy != busy || e.initialising == busy) continue;
      e.retiring = true;
      --pc_envs_;
      if (!e.initialising) --pc_ready_;
      --remove;
    }
}

void LambdaFunction::remove_environment(std::uint32_t server) {
  Env& e = envs_[server];
  if (e.provisioned) {
    if (!e.retiring) {
      --pc_envs_;
      if (!e.initialising) --pc_ready_;
    }
  }
  account();
  e.alive = false;
  --live_;
  service_.kill_server(server);
}

double LambdaFunction::run_init() {
  const double init = std::max(0.0, init_.sample(stream_)) + fn_.init_cpu_seconds / std::min(1.0, fn_.vcpu());
  init_ms_ += std::ceil(init * 1000.0);
  return init;
}

void LambdaFunction::on_pc_allocate(std::uint64_t) {
  if (cancelled_ > 0) {  // the level was lowered before this allocation started
    --cancelled_;
    return;
  }
  --pending_;
  ++pc_envs_;
  const std::uint32_t server = new_environment(true);
  envs_[server].initialising = true;
  // Placement and Init as for a cold start; Init during allocation is billed (aws-facts D.3).
  const double placement = std::max(0.0, fn_.placement.sample(stream_));
  const double init_phase = run_init();
  sim_.schedule_in(SimTime::from_seconds(placement + init_phase), bind<&LambdaFunction::on_pc_ready>(this, server));
}

void LambdaFunction::on_pc_ready(std::uint64_t server_arg) {
  const auto server = static_cast<std::uint32_t>(server_arg);
  Env& e = envs_[server];
  e.initialising = false;
  if (e.retiring) {
    remove_environment(server);
    return;
  }
  ++pc_ready_;
  idle_provisioned_.push_back(server);
}

void LambdaFunction::account() noexcept {
  const SimTime now = sim_.now();
  env_seconds_ += static_cast<double>(live_) * (now - since_).to_seconds();
  since_ = now;
}

double LambdaFunction::environment_seconds() const noexcept {
  return env_seconds_ + static_cast<double>(live_) * (sim_.now() - since_).to_seconds();
}

void LambdaFunction::begin_measurement() {
  invocations_at_measure_ = invocations_;
  cold_at_measure_ = cold_starts_;
  throttles_at_measure_ = throttles_;
  env_seconds_at_measure_ = environment_seconds();
  billed_ms_at_measure_[0] = billed_ms_[0];
  billed_ms_at_measure_[1] = billed_ms_[1];
  init_ms_at_measure_ = init_ms_;
  restores_at_measure_ = restores_;
  account_level();
  level_seconds_at_measure_ = level_seconds_;
  level_max_ = configured_;
  level_changes_ = 0;
}

std::uint32_t LambdaFunction::new_environment(bool provisioned) {
  account();
  const std::uint32_t server = service_.add_server();
  if (envs_.size() <= server) {
    envs_.resize(server + 1u);
    waiting_.resize(server + 1u, kNoRequest);
  }
  envs_[server].provisioned = provisioned;
  envs_[server].alive = true;
  envs_[server].initialising = envs_[server].retiring = false;
  live_max_ = std::max(live_max_, ++live_);
  return server;
}

bool LambdaFunction::pop_idle(std::vector<std::uint32_t>& stack, std::uint32_t& server) {
  while (!stack.empty()) {
    const std::uint32_t s = stack.back();
    stack.pop_back();
    Env& e = envs_[s];
    if (!e.alive || e.busy) continue;  // expired while idle; a pending check will find it busy
    server = s;
    return true;
  }
  return false;
}

void LambdaFunction::invoke(RequestId id) {
  ++invocations_;
  std::uint32_t server = 0;
  if (pop_idle(idle_provisioned_, server) || pop_idle(idle_, server)) {
    ++in_flight_;
    deliver(server, id);
    note_concurrency();
    return;
  }
  const SimTime now = sim_.now();
  if (in_flight_ >= limit_ || scaling_.available_at(now) > now) {
    ++throttles_;
    Request& r = pool_[id];
    if (r.async_event) {
      // Back to Lambda's event queue: 1 s, 2 s, 4 s, ... at most 5 min, within the event's age.
      const double wait = std::min(300.0, std::ldexp(1.0, std::min<int>(r.throttle_retries, 16)));
      if (now + SimTime::from_seconds(wait) - r.arrival < fn_.async_max_event_age) {
        ++r.throttle_retries;
        ++async_retries_;
        sim_.schedule_in(SimTime::from_seconds(wait), bind<&LambdaFunction::on_retry>(this, pool_.handle(id)));
        return;
      }
    }
    service_.finish(id, Outcome::throttled);
    return;
  }
  scaling_.reserve(now);
  ++in_flight_;
  note_concurrency();
  ++cold_starts_;
  server = new_environment(false);
  envs_[server].busy = true;
  waiting_[server] = id;
  const double placement = std::max(0.0, fn_.placement.sample(stream_));
  double init_phase = 0;
  if (fn_.snapstart) {
    // SnapStart: Init ran when the version was published; the environment restores the snapshot.
    init_phase = std::max(0.0, fn_.snapstart_restore.sample(stream_));
    ++restores_;
  } else {
    init_phase = run_init();
  }
  const double init = placement + init_phase;
  sim_.schedule_in(SimTime::from_seconds(init), bind<&LambdaFunction::on_ready>(this, server));
}

void LambdaFunction::on_ready(std::uint64_t server) {
  const auto s = static_cast<std::uint32_t>(server);
  const RequestId id = waiting_[s];
  waiting_[s] = kNoRequest;
  deliver(s, id);
}

void LambdaFunction::on_retry(std::uint64_t handle) {
  if (pool_.current(handle)) invoke(RequestPool::id_of(handle));
}

bool LambdaFunction::retry_after_error(RequestId id) {
  Request& r = pool_[id];
  if (!r.async_event || r.retries >= fn_.async_max_retries) return false;
  const double wait = r.retries == 0 ? 60.0 : 120.0;  // one minute, then two
  if (sim_.now() + SimTime::from_seconds(wait) - r.arrival >= fn_.async_max_event_age) return false;
  ++r.retries;
  ++async_retries_;
  r.timed_out = false;
  r.state = RequestState::queued;
  sim_.schedule_in(SimTime::from_seconds(wait), bind<&LambdaFunction::on_retry>(this, pool_.handle(id)));
  return true;
}

// One request, one thread: it runs at min(1, vCPU share) and is cut at the function timeout.
void LambdaFunction::deliver(std::uint32_t server, RequestId id) {
  if (envs_[server].provisioned) {
    account_utilization();
    ++pc_busy_;
  }
  envs_[server].busy = true;
  envs_[server].busy_since = sim_.now();
  Request& r = pool_[id];
  if (r.attempt_demand < 0) r.attempt_demand = r.demand;  // every attempt does the same work
  r.demand = r.attempt_demand;
  const double rate = std::min(1.0, fn_.vcpu());
  const double limit = fn_.timeout.to_seconds() * rate;
  if (r.demand > limit) {
    r.demand = limit;
    r.timed_out = true;
  }
  service_.deliver_to(server, id);
}

bool LambdaFunction::on_complete(RequestId id, std::uint32_t server) {
  const bool again = pool_[id].timed_out && retry_after_error(id);  // an event Lambda retries
  on_request_done(server);
  return again;
}

void LambdaFunction::on_request_done(std::uint32_t server) {
  --in_flight_;
  Env& e = envs_[server];
  e.busy = false;
  if (e.provisioned) {
    account_utilization();
    --pc_busy_;
  }
  note_concurrency();
  billed_ms_[e.provisioned ? 1 : 0] += std::ceil((sim_.now() - e.busy_since).to_seconds() * 1000.0 - 1e-9);
  if (!e.alive) return;
  if (e.provisioned) {
    if (e.retiring) remove_environment(server);  // the level was lowered while it was busy
    else idle_provisioned_.push_back(server);
    return;
  }
  idle_.push_back(server);
  // One pending check per environment, not one event per request: a later check is moved
  // forward only when this idle period ends sooner (possible with a random keep-alive).
  e.expires_at = sim_.now() + SimTime::from_seconds(std::max(0.0, fn_.idle_expiry.sample(stream_)));
  if (e.expires_at < e.timer_at) {
    e.timer_at = e.expires_at;
    sim_.schedule_at(e.expires_at, bind<&LambdaFunction::on_expire>(this, server));
  }
  // Expired environments leave the stack lazily; compact it now and then so it stays bounded.
  if (idle_.size() > 2 * live_ + 64)
    idle_.erase(std::remove_if(idle_.begin(), idle_.end(), [&](std::uint32_t s) { return !envs_[s].alive; }), idle_.end());
}

void LambdaFunction::on_expire(std::uint64_t server_arg) {
  const auto server = static_cast<std::uint32_t>(server_arg);
  Env& e = envs_[server];
  if (sim_.now() != e.timer_at) return;  // superseded by an earlier check
  e.timer_at = SimTime::infinity();
  if (!e.alive || e.busy) return;  // in use again: its next release sets a new check
  if (sim_.now() < e.expires_at) {  // reused and released since: check again at the new end
    e.timer_at = e.expires_at;
    sim_.schedule_at(e.expires_at, bind<&LambdaFunction::on_expire>(this, server));
    return;
  }
  remove_environment(server);
}

}  // namespace fargatelab::detail
