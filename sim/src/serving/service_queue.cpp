// A service fed by a queue (an SQS standard queue) instead of a load balancer. Every task in
// service runs `serving.concurrency` pollers (long polling: an idle poller receives a message
// as soon as one is visible). A received message is invisible for the visibility timeout; the
// worker deletes it when done. Semantics after the Amazon SQS Developer Guide ("Amazon SQS
// visibility timeout", "Using dead-letter queues", "Message retention"):
//  * a message still being processed when its visibility timeout ends becomes visible again and
//    is received a second time (a duplicate delivery; the first worker carries on);
//  * a message in a task that dies is never deleted: it reappears when its timeout ends;
//  * with a redrive policy a message received more than max_receive_count times goes to the
//    dead-letter queue; a message older than the retention period is deleted unprocessed.
#include "serving/service.hpp"

namespace fargatelab::detail {

void Service::enqueue(RequestId id) {
  Request& r = pool_[id];
  r.kind = RequestKind::message;
  r.state = RequestState::queued;
  r.deadline = SimTime::infinity();  // producers do not wait
  queue_.push(id);
  dispatch();
}

// App Runner: a request waits in front only while every instance's slots are busy; the wait is
// bounded by queue_limit (beyond it: 429, reported as rejected).
void Service::enqueue_request(RequestId id) {
  pool_[id].state = RequestState::queued;
  queue_.push(id);
  dispatch();
  if (queue_.size() > static_cast<std::size_t>(spec_.app_runner.queue_limit)) finish(queue_.pop_back(), Outcome::rejected);
}

std::size_t Service::concurrency() const noexcept {
  std::size_t n = queue_.size();
  for (std::size_t k = 0; k < servers_.size(); ++k)
    if (targets_[k].alive) n += servers_[k]->in_service() + servers_[k]->held() + servers_[k]->queued();
  return n;
}

void Service::add_pollers(std::uint32_t server, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) pollers_.push_back(server);
  dispatch();
}

double Service::queue_oldest_age() const noexcept {
  double oldest = 0;
  if (!queue_.empty()) queue_.for_first([&](RequestId id) { oldest = (sim_.now() - pool_[id].arrival).to_seconds(); });
  return oldest;
}

void Service::dispatch() {
  const SimTime now = sim_.now();
  while (!queue_.empty() && !pollers_.empty()) {
    const std::uint32_t s = pollers_.front();
    pollers_.pop_front();
    if (!targets_[s].alive || !targets_[s].healthy || servers_[s]->free_workers() == 0) continue;  // a stale entry
    const RequestId id = queue_.pop();
    Request& r = pool_[id];
    if (front_queue()) {
      deliver_to(s, id);
      continue;
    }
    if (now - r.arrival > spec_.queue.retention) {
      pollers_.push_front(s);
      finish(id, Outcome::expired);
      continue;
    }
    ++r.receives;
    if (spec_.queue.max_receive_count > 0 && r.receives > spec_.queue.max_receive_count) {
      pollers_.push_front(s);
      finish(id, Outcome::dead_letter);
      continue;
    }
    ++queue_in_flight_;
    r.pending = 0;
    r.next_call = 0;
    r.failed = false;
    r.timer = sim_.schedule_in(spec_.queue.visibility_timeout, bind<&Service::on_visibility_timeout>(this, pool_.handle(id)));
    deliver_to(s, id);
  }
}

void Service::on_visibility_timeout(std::uint64_t handle) {
  if (!pool_.current(handle)) return;
  const RequestId id = RequestPool::id_of(handle);
  pool_[id].timer = EventId{};
  const bool orphaned = pool_[id].state == RequestState::orphaned;
  // The message is visible again: a fresh request carries it (the old one may still be in a
  // worker, or dead with its task; answers to its calls must not reach the new one).
  const Request copy = pool_[id];
  const RequestId again = pool_.acquire();
  Request& r = pool_[again];
  const std::uint32_t generation = r.generation;
  const std::uint64_t seq = r.seq;
  r = copy;
  r.generation = generation;
  r.seq = seq;
  r.next_free = kNoRequest;
  r.timer = EventId{};
  r.state = RequestState::queued;
  if (orphaned) {
    --queue_in_flight_;
    pool_.release(id);
  } else {
    r.duplicate = true;  // the first delivery is still being processed
  }
  queue_.push(again);
  dispatch();
}

}  // namespace fargatelab::detail
