// The call graph: after its CPU work a request makes its service's calls, one after another or
// all at once (fan-out), each with the edge's probability. A synchronous call keeps the
// caller's worker until the answer is back (fan-in waits for all); an asynchronous one (a queue,
// an event) is sent and forgotten. Each leg pays the edge's one-way latency. A failed or timed
// out synchronous call fails the caller with Outcome::dependency and skips its later calls.
#include <algorithm>

#include "serving/service.hpp"

namespace fargatelab::detail {

void Service::connect(const std::vector<Service*>& all, std::size_t workloads, RandomStreams& streams) {
  all_ = all;
  workloads_ = workloads;
  callees_.clear();
  for (const CallSpec& c : spec_.calls)
    callees_.push_back({all[c.service_index], &c, streams.stream("call/" + spec_.name + "/" + c.service),
                        streams.stream("call/" + spec_.name + "/" + c.service + "/off_cpu")});
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
  const SimTime now = sim_.now();
  if (!cs.async && pool_[parent].deadline < now) {
    // The caller's deadline has passed (its client gave up while it was still working): the
    // call is never sent and fails as a timeout at once, in an event of its own so that the
    // caller's make_calls() finishes first (deadline propagation, as gRPC does it).
    sim_.schedule_in(Duration::zero(), bind<&Service::on_call_expired>(this, pool_.handle(parent)));
    return;
  }
  const Request p = pool_[parent];  // a copy: acquire() may move the pool
  const RequestId id = pool_.acquire();
  Request& r = pool_[id];
  r.kind = callee.service->has_queue() ? RequestKind::message : RequestKind::call;
  // An invocation event for a platform that queues and retries them (Lambda).
  r.async_event = cs.async && callee.service->dispatcher_ && callee.service->dispatcher_->takes_events();
  r.root = false;
  r.arrival = now;
  r.workload = p.workload;
  r.cls = p.cls;
  r.client = p.client;
  r.measured = p.measured;
  r.trace = p.trace;
  r.parent_seq = p.seq;
  r.caller = static_cast<std::uint16_t>(workloads_ + index_);
  r.edge = static_cast<std::uint16_t>(edge);
  r.demand = std::max(0.0, cs.cpu_time.sample(callee.stream));
  r.off_cpu = cs.off_cpu_time ? std::max(0.0, cs.off_cpu_time->sample(callee.off_cpu_stream)) : 0.0;
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
  pool_.release(child);
  if (parent != kNoRequest && pool_.current(parent, generation)) call_answered(parent, ok);
}

// The caller stops waiting: the call fails now; the callee carries on unaware.
void Service::on_call_timeout(std::uint64_t handle) {
  if (!pool_.current(handle)) return;
  Request& c = pool_[RequestPool::id_of(handle)];
  c.timer = EventId{};
  const RequestId parent = c.parent;
  const std::uint32_t generation = c.parent_generation;
  c.parent = kNoRequest;
  if (c.state == RequestState::returning) pool_.release(RequestPool::id_of(handle));  // its answer is too late
  if (parent != kNoRequest && pool_.current(parent, generation)) call_answered(parent, false);
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
  finish(id, done.failed ? Outcome::dependency : done.timed_out ? Outcome::function_timeout : Outcome::ok);
}

}  // namespace fargatelab::detail
