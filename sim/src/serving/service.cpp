#include "serving/service.hpp"

#include <algorithm>
#include <cstdint>

#include "workload/client_retry.hpp"

namespace fargatelab::detail {

const char* outcome_name(Outcome o) noexcept {
  switch (o) {
    case Outcome::ok: return "ok";
    case Outcome::rejected: return "rejected";
    case Outcome::no_capacity: return "no_capacity";
    case Outcome::reset: return "reset";
    case Outcome::dependency: return "dependency";
    case Outcome::unreachable: return "unreachable";
    case Outcome::expired: return "expired";
    case Outcome::dead_letter: return "dead_letter";
    case Outcome::throttled: return "throttled";
    case Outcome::function_timeout: return "function_timeout";
    case Outcome::app_error: return "app_error";
  }
  return "?";
}

Service::Service(Simulation& sim, RequestPool& pool, const ServiceSpec& spec, std::uint32_t index, RandomStreams& streams)
    : sim_(sim),
      pool_(pool),
      spec_(spec),
      index_(index),
      lb_stream_(streams.stream("service/" + spec.name + "/lb")),
      weight_stream_(streams.stream("service/" + spec.name + "/weights")),
      error_stream_(streams.stream("service/" + spec.name + "/app_errors")),
      latency_stream_(streams.stream("service/" + spec.name + "/extra_latency")) {
  if (!spec_.queue.enabled && (spec_.load_balancer == LoadBalancerKind::alb || spec_.load_balancer == LoadBalancerKind::nlb))
    health_ = std::make_unique<TargetHealth>(sim_, pool_, *this, spec_.health_check,
                                             streams.stream("service/" + spec.name + "/health"));
  for (const CallSpec& c : spec_.calls) holds_ = holds_ || !c.async;
  holds_ = holds_ || spec_.off_cpu_waits;  // a request waiting off-CPU keeps its worker
}

void Service::account_reserved() noexcept {
  const SimTime now = sim_.now();
  const double dt = (now - reserved_since_).to_seconds();
  reserved_vcpu_seconds_ += live_vcpu_ * dt;
  live_task_seconds_ += static_cast<double>(live_) * dt;
  reserved_since_ = now;
}

double Service::reserved_vcpu_seconds() const noexcept {
  return reserved_vcpu_seconds_ + live_vcpu_ * (sim_.now() - reserved_since_).to_seconds();
}

double Service::live_task_seconds() const noexcept {
  return live_task_seconds_ + static_cast<double>(live_) * (sim_.now() - reserved_since_).to_seconds();
}

std::uint32_t Service::add_server(double task_vcpu) {
  account_reserved();
  if (task_vcpu <= 0) task_vcpu = spec_.task.vcpu();
  const double vcpu = spec_.serving.vcpu > 0 ? spec_.serving.vcpu : task_vcpu;  // sidecars keep theirs
  servers_.push_back(std::make_unique<TaskServer>(sim_, pool_, vcpu, spec_.serving.concurrency, spec_.serving.queue_limit,
                                                  bind<&Service::on_cpu_done>(this), holds_));
  if (spec_.serving.min_active > Duration::zero()) servers_.back()->set_min_active(spec_.serving.min_active);
  targets_.push_back(Target{});
  served_.push_back(0);
  targets_.back().alive = true;
  targets_.back().vcpu = task_vcpu;
  ++live_;
  live_vcpu_ += task_vcpu;
  return static_cast<std::uint32_t>(servers_.size() - 1);
}

void Service::register_target(std::uint32_t server, bool healthy) {
  Target& t = targets_[server];
  if (!t.alive || t.registered) return;
  t.registered = true;
  registered_.push_back(server);
  groups_[t.group].registered.push_back(server);
  if (health_) {
    health_->start(server, healthy);
    if (!healthy) return;
  }
  enter_service(server);
  target_healthy.emit(server);
}

void Service::deregister_target(std::uint32_t server) {
  Target& t = targets_[server];
  if (!t.registered) return;
  t.registered = false;
  registered_.erase(std::find(registered_.begin(), registered_.end(), server));
  auto& group = groups_[t.group].registered;
  group.erase(std::find(group.begin(), group.end(), server));
  if (health_) health_->stop(server);
  leave_service(server);
}

void Service::enter_service(std::uint32_t server) {
  Target& t = targets_[server];
  if (!t.alive || !t.registered || t.healthy) return;
  t.healthy = true;
  // ALB slow start: a newly healthy target ramps up linearly, unless no target is serving at
  // full share (the first targets of a group do not enter slow start).
  t.slow_start_until = SimTime::zero();
  if (spec_.slow_start > Duration::zero()) {
    const bool someone_at_full =
        std::any_of(in_service_.begin(), in_service_.end(), [&](std::uint32_t s) { return slow_start_share(s) >= 1.0; });
    if (someone_at_full) {
      t.slow_start_from = sim_.now();
      t.slow_start_until = sim_.now() + spec_.slow_start;
    }
  }
  in_service_.push_back(server);
  groups_[t.group].in_service.push_back(server);
  if (spec_.queue.enabled) add_pollers(server, servers_[server]->free_workers());
  if (front_queue())  // a new server takes requests waiting in front
    while (!queue_.empty() && servers_[server]->free_workers() > 0) deliver_to(server, queue_.pop());
}

void Service::leave_service(std::uint32_t server) {
  Target& t = targets_[server];
  if (!t.healthy) return;
  t.healthy = false;
  erase_in_service(in_service_, next_target_, server);
  erase_in_service(groups_[t.group].in_service, groups_[t.group].next, server);
}

// Removes `server` from a round robin list, keeping `next` on the same following target.
void Service::erase_in_service(std::vector<std::uint32_t>& list, std::size_t& next, std::uint32_t server) {
  const auto it = std::find(list.begin(), list.end(), server);
  const auto pos = static_cast<std::size_t>(it - list.begin());
  list.erase(it);
  if (next > pos) --next;
  if (next >= list.size()) next = 0;
}

void Service::kill_server(std::uint32_t server) {
  if (!targets_[server].alive) return;
  deregister_target(server);
  account_reserved();
  targets_[server].alive = false;
  --live_;
  live_vcpu_ -= targets_[server].vcpu;
  servers_[server]->abort_all([&](RequestId id) {
    Request& r = pool_[id];
    if (r.kind == RequestKind::message) {
      // Never deleted: visible again when its visibility timeout ends (service_queue.cpp).
      r.state = RequestState::orphaned;
      return;
    }
    finish(id, Outcome::reset);
  });
}

void Service::submit(RequestId id) {
  Request& r = pool_[id];
  r.service = index_;
  ++received_;
  request_arrived.emit(id);
  if (spec_.queue.enabled) {  // an SQS queue in front (of tasks, or of a Lambda event source mapping)
    enqueue(id);
    return;
  }
  if (dispatcher_) {
    dispatcher_->dispatch(id);
    return;
  }
  if (front_queue()) {
    enqueue_request(id);
    return;
  }
  Outcome fail = Outcome::no_capacity;
  const std::int32_t server = route(id, fail);
  if (server < 0) {
    finish(id, fail);
    return;
  }
  deliver_to(static_cast<std::uint32_t>(server), id);
}

void Service::deliver_to(std::uint32_t server, RequestId id) {
  Request& r = pool_[id];
  r.task = server;
  r.state = RequestState::in_task;
  if ((!effects_.empty() || fault_) && r.kind != RequestKind::probe) [[unlikely]]
    apply_effects(server, r);
  if (!servers_[server]->submit(id)) finish(id, Outcome::rejected);
}

void Service::set_server_effects(std::uint32_t server, const RequestEffects* e) {
  if (!e && effects_.empty()) return;
  if (effects_.size() <= server) effects_.resize(server + 1, nullptr);
  effects_[server] = e;
}

void Service::set_server_memory_leak(std::uint32_t server, double mib_per_second) {
  if (mib_per_second == 0 && leak_mib_per_s_.empty()) return;
  if (leak_mib_per_s_.size() <= server) leak_mib_per_s_.resize(server + 1, 0.0);
  leak_mib_per_s_[server] = mib_per_second;
}

double Service::memory_used_mib(std::uint32_t server) const noexcept {
  const TaskServer& t = *servers_[server];
  double used = spec_.serving.memory_baseline_mib +
                spec_.serving.memory_per_request_mib * static_cast<double>(t.in_service() + t.held() + t.queued());
  if (server < leak_mib_per_s_.size() && leak_mib_per_s_[server] > 0)
    used += leak_mib_per_s_[server] * (sim_.now() - t.started()).to_seconds();
  return used;
}

void Service::set_client_retry(std::uint32_t workload, ClientRetry* r) {
  if (client_retry_.size() <= workload) client_retry_.resize(workload + 1, nullptr);
  client_retry_[workload] = r;
}

// A bad version's effects (the server's) and a fault's (the service's), once per request: a
// message received again keeps what it got the first time.
void Service::apply_effects(std::uint32_t server, Request& r) {
  if (r.affected) return;
  r.affected = true;
  auto apply = [&](const RequestEffects& e) {
    r.demand *= e.cpu_factor;
    if (e.extra_latency) r.off_cpu += std::max(0.0, e.extra_latency->sample(latency_stream_));
    if (e.error_share >= 1.0 || (e.error_share > 0.0 && error_stream_.uniform01() < e.error_share)) r.app_error = true;
  };
  if (server < effects_.size() && effects_[server]) apply(*effects_[server]);
  if (fault_) apply(*fault_);
}

// A request's CPU work is done. Held workers wait for the calls it makes.
void Service::on_cpu_done(std::uint64_t id) {
  const auto rid = static_cast<RequestId>(id);
  const Request& r = pool_[rid];
  if (r.off_cpu > 0 && r.kind != RequestKind::probe) {
    // Off-CPU (I/O) after the CPU work: the worker stays held, no vCPU is used. The event
    // carries the generation, so a request reset meanwhile (its task killed) is not resumed.
    sim_.schedule_in(Duration::from_seconds(r.off_cpu), bind<&Service::on_off_cpu_done>(this, (std::uint64_t(r.generation) << 32) | rid));
    return;
  }
  after_work(rid);
}

void Service::on_off_cpu_done(std::uint64_t handle) {
  const auto rid = static_cast<RequestId>(handle & 0xffffffffu);
  const Request& r = pool_[rid];
  if (r.generation != static_cast<std::uint32_t>(handle >> 32) || r.state != RequestState::in_task) return;
  after_work(rid);
}

void Service::after_work(RequestId rid) {
  // A request its task answers with an application error makes no calls.
  if (pool_[rid].kind == RequestKind::probe || callees_.empty() || pool_[rid].app_error || !make_calls(rid)) complete(rid);
}

void Service::release_worker(RequestId id) {
  const Request& r = pool_[id];
  if (r.state != RequestState::in_task) return;
  const std::uint32_t server = r.task;
  if (holds_) servers_[server]->release(id);
  if (spec_.queue.enabled && targets_[server].healthy) add_pollers(server, 1);
  // A waiting line in front: the slot just freed takes the request waiting longest (if any).
  if (front_queue() && targets_[server].healthy && !queue_.empty() && servers_[server]->free_workers() > 0)
    deliver_to(server, queue_.pop());
}

void Service::finish(RequestId id, Outcome outcome) {
  Request& r = pool_[id];
  if (r.kind == RequestKind::probe) {
    health_->on_probe_done(id, outcome == Outcome::ok);
    pool_.release(id);
    return;
  }
  if (r.kind == RequestKind::batch) {  // its messages are answered one by one
    consumer_->on_batch_done(id, outcome == Outcome::ok);
    pool_.release(id);
    return;
  }
  // A client that retries decides first, so observers see whether this attempt was its answer.
  if (!client_retry_.empty() && r.root && r.workload < client_retry_.size() && client_retry_[r.workload]) [[unlikely]]
    client_retry_[r.workload]->on_done(id, outcome);
  request_done.emit(id, outcome);
  Request& after = pool_[id];  // observers may not grow the pool, but stay safe
  if (after.parent != kNoRequest) {
    // The answer travels back to the waiting caller.
    after.state = RequestState::returning;
    after.failed = outcome != Outcome::ok;
    after.outcome = static_cast<std::uint8_t>(outcome);
    Service* caller = all_[after.caller - workloads_];
    sim_.schedule_in(caller->callees_[after.edge].spec->latency, bind<&Service::on_response>(caller, pool_.handle(id)));
    return;
  }
  sim_.cancel(after.timer);
  pool_.release(id);
}

}  // namespace fargatelab::detail
