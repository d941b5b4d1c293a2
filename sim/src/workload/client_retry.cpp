#include "workload/client_retry.hpp"

#include <algorithm>

#include "workload/generator.hpp"

namespace fargatelab::detail {

ClientRetry::ClientRetry(Simulation& sim, RequestPool& pool, const WorkloadSpec& spec, Service& target, RandomStream stream,
                         WorkloadGenerator* users)
    : sim_(sim),
      pool_(pool),
      spec_(spec),
      retry_(*spec.retry),
      target_(target),
      stream_(stream),
      quota_(*spec.retry),
      users_(users) {
  if (retry_.adaptive) limiter_.emplace(sim.now());
}

void ClientRetry::send(RequestId id) {
  Request& r = pool_[id];
  r.origin = r.arrival;  // the client's latency counts from here, whatever waits follow
  dispatch(id);
}

void ClientRetry::dispatch(RequestId id) {
  if (limiter_ && (!waiting_.empty() || !limiter_->try_acquire(sim_.now()))) {
    Request& r = pool_[id];
    r.client_waited = true;
    r.arrival = sim_.now();  // when it started waiting; on_token measures the wait from here
    if (r.measured) ++counts_.rate_limited;
    waiting_.push_back(pool_.handle(id));
    if (waiting_.size() == 1) schedule_token();
    return;
  }
  sent(id);
  target_.submit(id);
}

void ClientRetry::schedule_token() {
  sim_.cancel(token_event_);
  token_event_ = sim_.schedule_in(limiter_->time_to_token(sim_.now()), bind<&ClientRetry::on_token>(this));
}

// A token is there: the oldest waiting attempt leaves now, its timeout counting from now.
void ClientRetry::on_token() {
  token_event_ = EventId{};
  while (!waiting_.empty() && !pool_.current(waiting_.front())) waiting_.pop_front();
  if (waiting_.empty()) return;
  if (limiter_->try_acquire(sim_.now())) {
    const RequestId id = RequestPool::id_of(waiting_.front());
    waiting_.pop_front();
    Request& r = pool_[id];
    const RequestSpec& rc = spec_.classes[r.cls];
    if (r.measured) counts_.rate_limit_wait_s += (sim_.now() - r.arrival).to_seconds();
    r.arrival = sim_.now();
    r.deadline = rc.timeout.is_infinite() ? SimTime::infinity() : r.arrival + rc.timeout;
    sent(id);
    target_.submit(id);
  }
  if (!waiting_.empty()) schedule_token();
}

void ClientRetry::sent(RequestId id) {
  const Request& r = pool_[id];
  if (r.measured) {
    ++counts_.attempts;
    ++(r.attempt == 1 ? counts_.first_attempts : counts_.retries);
  }
  arm(id);
}

// The attempt's timeout: the client stops waiting for it then (and may retry).
void ClientRetry::arm(RequestId id) {
  Request& r = pool_[id];
  if (!r.deadline.is_infinite())
    r.timer = sim_.schedule_at(r.deadline, bind<&ClientRetry::on_timeout>(this, pool_.handle(id)));
}

void ClientRetry::on_timeout(std::uint64_t handle) {
  if (!pool_.current(handle)) return;
  const RequestId id = RequestPool::id_of(handle);
  pool_[id].timer = EventId{};
  if (pool_[id].retried) return;
  if (limiter_) {  // no answer: not a throttle; the limit moves, so does the next token
    limiter_->on_response(sim_.now(), false);
    if (!waiting_.empty()) schedule_token();
  }
  if (retry(id, true)) return;
  if (users_) users_->give_up(pool_[id].client, id);  // no retry left: the user stops waiting
}

void ClientRetry::on_done(RequestId id, Outcome outcome) {
  const Request& r = pool_[id];
  // Already given up on (and retried) at its timeout; or answered after it with no retry left.
  if (r.retried || sim_.now() > r.deadline) return;
  if (limiter_) {
    limiter_->on_response(sim_.now(), outcome == Outcome::throttled);
    if (!waiting_.empty()) schedule_token();
  }
  if (outcome == Outcome::ok) {
    if (retry_.quota) quota_.release(r.attempt > 1 ? r.retry_cost : retry_.success_increment, retry_);
    return;
  }
  if (retryable(outcome)) retry(id, false);
}

bool ClientRetry::retry(RequestId id, bool timed_out) {
  const Request a = pool_[id];  // a copy: acquire() may move the pool
  if (a.attempt >= retry_.max_attempts) {
    if (a.measured) ++counts_.exhausted;
    return false;
  }
  const int cost = timed_out ? retry_.timeout_cost : retry_.retry_cost;
  if (retry_.quota && !quota_.acquire(cost)) {
    if (a.measured) ++counts_.quota_refusals;
    return false;
  }
  const Duration wait = retry_backoff(retry_, a.attempt, stream_);
  // The next attempt waits in the pool, unsent, until the backoff ends.
  const RequestId next = pool_.acquire();
  Request& n = pool_[next];
  n.kind = RequestKind::client;
  n.root = true;
  inherit_traffic(n, a);
  n.service = a.service;
  n.caller = a.caller;
  n.conn = a.conn;
  n.origin = a.origin;  // set by send() on the first attempt
  n.attempt = static_cast<std::uint8_t>(a.attempt + 1);
  n.retry_cost = static_cast<std::uint16_t>(cost);
  pool_[id].retried = true;
  if (users_) users_->waits_for(a.client, next);  // the user now waits for the next attempt
  sim_.schedule_in(wait, bind<&ClientRetry::on_due>(this, pool_.handle(next)));
  return true;
}

void ClientRetry::on_due(std::uint64_t handle) {
  if (!pool_.current(handle)) return;
  const RequestId id = RequestPool::id_of(handle);
  Request& r = pool_[id];
  const RequestSpec& rc = spec_.classes[r.cls];
  const SimTime now = sim_.now();
  r.arrival = now;
  r.demand = std::max(0.0, rc.cpu_time.sample(stream_));
  r.off_cpu = rc.off_cpu_time ? std::max(0.0, rc.off_cpu_time->sample(stream_)) : 0.0;
  r.deadline = rc.timeout.is_infinite() ? SimTime::infinity() : now + rc.timeout;
  dispatch(id);
}

}  // namespace fargatelab::detail
