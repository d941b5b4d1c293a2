// The call graph: after its CPU work a request makes its service's calls, one after another or
// all at once (fan-out), each with the edge's probability. A synchronous call keeps the
// caller's worker until the answer is back (fan-in waits for all); an asynchronous one (a queue,
// an event) is sent and forgotten. Each leg pays the edge's one-way latency. A failed or timed
// out synchronous call fails the caller with Outcome::dependency and skips its later calls.
//
// A call edge with retries (CallSpec::retry, serving/retry.hpp) sends a retryable failed or
// timed-out synchronous call again after the SDK's backoff, while attempts remain and the
// calling task's retry quota has the cost; the caller's worker keeps waiting meanwhile, and only
// the last attempt's answer reaches it. A retry is a new call (its callee work drawn afresh from
// the edge's retry stream); a timed-out attempt carries on at the callee unaware.
#include <algorithm>

#include "serving/retry.hpp"
#include "serving/service.hpp"

namespace fargatelab::detail {

struct Service::CallRetries {
  RetrySpec spec;
  RandomStream stream;             // "call/<caller>/<callee>/retries": backoff jitter, the retries' work
  std::vector<RetryQuota> quotas;  // by calling server: each task is a process with its own SDK client
  RetryCounts counts;              // measured calls only
  RetryQuota& quota(std::uint32_t server) {
    while (quotas.size() <= server) quotas.emplace_back(spec);
    return quotas[server];
  }
};

const RetryCounts* Service::call_retry_counts(std::size_t edge) const noexcept {
  return edge < callees_.size() && callees_[edge].retries ? &callees_[edge].retries->counts : nullptr;
}

void Service::connect(const std::vector<Service*>& all, std::size_t workloads, RandomStreams& streams) {
  all_ = all;
  workloads_ = workloads;
  callees_.clear();
  for (const CallSpec& c : spec_.calls) {
    callees_.push_back({all[c.service_index], &c, streams.stream("call/" + spec_.name + "/" + c.service),
                        streams.stream("call/" + spec_.name + "/" + c.service + "/off_cpu"), nullptr});
    if (c.retry && !c.async)
      callees_.back().retries = std::make_shared<CallRetries>(
          CallRetries{*c.retry, streams.stream("call/" + spec_.name + "/" + c.service + "/retries"), {}, {}});
  }
}

bool Service::make_calls(RequestId id) {
  auto chosen = [&](std::size_t e) {
    const double p = callees_[e].spec->probability;
    return p >= 1.0 || (p > 0.0 && callees_[e].stream.uniform01() < p);
  };
  const std::size_t n = callees_.size();
  if (spec_.parallel_calls) {
    if (pool_[id].next_call != 0) return false;
    pool_[id].next_call = static_cast<std::uint16_t>(n);
    for (std::size_t e = 0; e < n; ++e)
      if (chosen(e)) {
        if (!callees_[e].spec->async) ++pool_[id].pending;
        send_call(id, e);
      }
    return pool_[id].pending > 0;
  }
  while (pool_[id].next_call < n) {
    const std::size_t e = pool_[id].next_call++;
    if (!chosen(e)) continue;
    const bool sync = !callees_[e].spec->async;
    if (sync) ++pool_[id].pending;
    send_call(id, e);
    if (sync) return true;
  }
  return false;
}

void Service::send_call(RequestId parent, std::size_t edge) {
  Callee& callee = callees_[edge];
  const CallSpec& cs = *callee.spec;
  if (call_expired(parent, cs)) return;
  const double demand = std::max(0.0, cs.cpu_time.sample(callee.stream));
  const double off_cpu = cs.off_cpu_time ? std::max(0.0, cs.off_cpu_time->sample(callee.off_cpu_stream)) : 0.0;
  send_attempt(parent, edge, demand, off_cpu, 1, 0);
}

bool Service::call_expired(RequestId parent, const CallSpec& cs) {
  if (cs.async || pool_[parent].deadline >= sim_.now()) return false;
  // The caller's deadline has passed (its client gave up while it was still working): the
  // call is never sent and fails as a timeout at once, in an event of its own so that the
  // caller's make_calls() finishes first (deadline propagation, as gRPC does it).
  sim_.schedule_in(Duration::zero(), bind<&Service::on_call_expired>(this, pool_.handle(parent)));
  return true;
}

void Service::send_attempt(RequestId parent, std::size_t edge, double demand, double off_cpu, int attempt, int retry_cost) {
  Callee& callee = callees_[edge];
  const CallSpec& cs = *callee.spec;
  const SimTime now = sim_.now();
  const Request p = pool_[parent];  // a copy: acquire() may move the pool
  const RequestId id = pool_.acquire();
  Request& r = pool_[id];
  r.kind = callee.service->has_queue() ? RequestKind::message : RequestKind::call;
  // An invocation event for a platform that queues and retries them (Lambda).
  r.async_event = cs.async && callee.service->dispatcher_ && callee.service->dispatcher_->takes_events();
  r.root = false;
  r.arrival = now;
  inherit_traffic(r, p);
  r.parent_seq = p.seq;
  r.caller = static_cast<std::uint16_t>(workloads_ + index_);
  r.edge = static_cast<std::uint16_t>(edge);
  r.demand = demand;
  r.off_cpu = off_cpu;
  r.attempt = static_cast<std::uint8_t>(attempt);
  r.retry_cost = static_cast<std::uint16_t>(retry_cost);
  if (callee.retries && p.measured) {
    RetryCounts& n = callee.retries->counts;
    ++n.attempts;
    ++(attempt == 1 ? n.first_attempts : n.retries);
  }
  if (cs.async) {
    r.deadline = SimTime::infinity();  // nobody waits for it
  } else {
    r.parent = parent;
    r.parent_generation = p.generation;
    r.deadline = cs.timeout.is_infinite() || (!p.deadline.is_infinite() && p.deadline - now < cs.timeout)
                     ? p.deadline
                     : now + cs.timeout;
    if (!r.deadline.is_infinite())
      r.timer = sim_.schedule_at(r.deadline, bind<&Service::on_call_timeout>(this, pool_.handle(id)));
  }
  sim_.schedule_in(cs.latency, bind<&Service::on_call_arrives>(callee.service, pool_.handle(id)));
}

// The call reaches the callee: its latency there is measured from now (like an ALB's target
// response time); the caller's deadline still counts from when it was sent.
void Service::on_call_arrives(std::uint64_t handle) {
  if (!pool_.current(handle)) return;
  const RequestId id = RequestPool::id_of(handle);
  pool_[id].arrival = sim_.now();
  submit(id);
}

// The callee's answer reached this (the calling) service.
void Service::on_response(std::uint64_t handle) {
  if (!pool_.current(handle)) return;
  const RequestId child = RequestPool::id_of(handle);
  Request& c = pool_[child];
  const RequestId parent = c.parent;
  const std::uint32_t generation = c.parent_generation;
  const bool ok = !c.failed;
  sim_.cancel(c.timer);
  const bool waiting = parent != kNoRequest && pool_.current(parent, generation);
  if (CallRetries* cr = callees_[c.edge].retries.get(); cr && waiting) {
    if (!ok && retry_call(child, false, static_cast<Outcome>(pool_[child].outcome))) {
      pool_.release(child);
      return;
    }
    // A success returns the cost of the retry that succeeded, or the increment without one.
    const Request& answered = pool_[child];
    if (ok && cr->spec.quota)
      cr->quota(pool_[parent].task).release(answered.attempt > 1 ? answered.retry_cost : cr->spec.success_increment, cr->spec);
  }
  pool_.release(child);
  if (waiting) call_answered(parent, ok);
}

bool Service::retry_call(RequestId attempt, bool timed_out, Outcome outcome) {
  const Request a = pool_[attempt];  // a copy: acquire() may move the pool
  if (a.parent == kNoRequest || !pool_.current(a.parent, a.parent_generation)) return false;
  const Request& p = pool_[a.parent];
  if (p.state != RequestState::in_task) return false;
  if (!timed_out && !retryable(outcome)) return false;
  CallRetries& cr = *callees_[a.edge].retries;
  if (a.attempt >= cr.spec.max_attempts) {
    if (a.measured) ++cr.counts.exhausted;
    return false;
  }
  const int cost = timed_out ? cr.spec.timeout_cost : cr.spec.retry_cost;
  if (cr.spec.quota && !cr.quota(p.task).acquire(cost)) {
    if (a.measured) ++cr.counts.quota_refusals;
    return false;
  }
  const Duration wait = retry_backoff(cr.spec, a.attempt, cr.stream);
  // A carrier holds what the next attempt needs until the backoff ends; it is never submitted.
  const RequestId k = pool_.acquire();
  Request& carrier = pool_[k];
  carrier.kind = RequestKind::call;
  carrier.root = false;
  carrier.measured = false;
  carrier.parent = a.parent;
  carrier.parent_generation = a.parent_generation;
  carrier.edge = a.edge;
  carrier.attempt = static_cast<std::uint8_t>(a.attempt + 1);
  carrier.retry_cost = static_cast<std::uint16_t>(cost);
  sim_.schedule_in(wait, bind<&Service::on_retry_due>(this, pool_.handle(k)));
  return true;
}

void Service::on_retry_due(std::uint64_t handle) {
  if (!pool_.current(handle)) return;
  const RequestId k = RequestPool::id_of(handle);
  const Request carrier = pool_[k];
  pool_.release(k);
  // The caller's task died meanwhile: nobody waits for the call any more.
  if (!pool_.current(carrier.parent, carrier.parent_generation) || pool_[carrier.parent].state != RequestState::in_task)
    return;
  Callee& callee = callees_[carrier.edge];
  const CallSpec& cs = *callee.spec;
  if (call_expired(carrier.parent, cs)) return;
  RandomStream& s = callee.retries->stream;
  const double demand = std::max(0.0, cs.cpu_time.sample(s));
  const double off_cpu = cs.off_cpu_time ? std::max(0.0, cs.off_cpu_time->sample(s)) : 0.0;
  send_attempt(carrier.parent, carrier.edge, demand, off_cpu, carrier.attempt, carrier.retry_cost);
}

// The caller stops waiting: the call fails now; the callee carries on unaware.
void Service::on_call_timeout(std::uint64_t handle) {
  if (!pool_.current(handle)) return;
  const RequestId id = RequestPool::id_of(handle);
  pool_[id].timer = EventId{};
  const RequestId parent = pool_[id].parent;
  const std::uint32_t generation = pool_[id].parent_generation;
  const bool waiting = parent != kNoRequest && pool_.current(parent, generation);
  const bool retried = waiting && callees_[pool_[id].edge].retries && retry_call(id, true, Outcome::ok);
  Request& c = pool_[id];
  c.parent = kNoRequest;
  if (c.state == RequestState::returning) pool_.release(id);  // its answer is too late
  if (waiting && !retried) call_answered(parent, false);
}

// A synchronous call that was due after its caller's deadline: it fails now, unsent.
void Service::on_call_expired(std::uint64_t parent_handle) {
  if (!pool_.current(parent_handle)) return;
  call_answered(RequestPool::id_of(parent_handle), false);
}

void Service::call_answered(RequestId parent, bool ok) {
  Request& p = pool_[parent];
  if (p.state != RequestState::in_task) return;  // its task died (a message waiting to be redelivered)
  --p.pending;
  if (!ok) p.failed = true;
  if (p.pending > 0) return;
  if (!p.failed && make_calls(parent)) return;
  complete(parent);
}

// The request is done in its task: its worker is free and it is answered.
void Service::complete(RequestId id) {
  release_worker(id);
  Request& r = pool_[id];
  if (r.kind != RequestKind::probe) ++served_[r.task];
  if (r.kind == RequestKind::message && r.state == RequestState::in_task) --queue_in_flight_;
  const std::uint32_t server = r.task;
  if (dispatcher_ && r.kind != RequestKind::probe && dispatcher_->on_complete(id, server)) return;  // tried again later
  const Request& done = pool_[id];
  finish(id, done.failed      ? Outcome::dependency
             : done.timed_out ? Outcome::function_timeout
             : done.app_error ? Outcome::app_error
                              : Outcome::ok);
}

}  // namespace fargatelab::detail
