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
      users_(users) {}

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
  if (pool_[id].retried || retry(id, true)) return;
  if (users_) users_->give_up(pool_[id].client, id);  // no retry left: the user stops waiting
}

void ClientRetry::on_done(RequestId id, Outcome outcome) {
  const Request& r = pool_[id];
  // Already given up on (and retried) at its timeout; or answered after it with no retry left.
  if (r.retried || sim_.now() > r.deadline) return;
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
  n.origin = a.attempt == 1 ? a.arrival : a.origin;
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
  sent(id);
  target_.submit(id);
}

}  // namespace fargatelab::detail
