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

// A waiting line in front of the servers (App Runner's, for one): a request goes to the server
// with the fewest requests among those with a free slot; only when every slot is busy does it
// wait in front, at most serving.front_queue_limit of them (beyond: rejected, HTTP 429/503).
void Service::enqueue_request(RequestId id) {
  if (queue_.empty()) {
    std::int32_t best = -1;
    std::size_t fewest = SIZE_MAX;
    for (std::uint32_t s : in_service_) {
      const TaskServer& t = *servers_[s];
      if (t.free_workers() == 0) continue;
      const std::size_t n = t.in_service() + t.held();
      if (n < fewest) {
        fewest = n;
        best = static_cast<std::int32_t>(s);
      }
    }
    if (best >= 0) {
      deliver_to(static_cast<std::uint32_t>(best), id);
      return;
    }
  }
  if (queue_.size() >= static_cast<std::size_t>(spec_.serving.front_queue_limit)) {
    finish(id, Outcome::rejected);
    return;
  }
  pool_[id].state = RequestState::queued;
  queue_.push(id);
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
  if (consumer_) {
    consumer_->poll();
    return;
  }
  while (!queue_.empty() && !pollers_.empty()) {
    const std::uint32_t s = pollers_.front();
    pollers_.pop_front();
    if (!targets_[s].alive || !targets_[s].healthy || servers_[s]->free_workers() == 0) continue;  // a stale entry
    const RequestId id = receive_message();
    if (id == kNoRequest) {
      pollers_.push_front(s);
      break;
    }
    deliver_to(s, id);
  }
}

RequestId Service::receive_message() {
  const SimTime now = sim_.now();
  while (!queue_.empty()) {
    const RequestId id = queue_.pop();
    Request& r = pool_[id];
    if (now - r.arrival > spec_.queue.retention) {
      finish(id, Outcome::expired);
      continue;
    }
    ++r.receives;
    if (spec_.queue.max_receive_count > 0 && r.receives > spec_.queue.max_receive_count) {
      finish(id, Outcome::dead_letter);
      continue;
    }
    ++queue_in_flight_;
    r.pending = 0;
    r.next_call = 0;
    r.failed = false;
    r.state = RequestState::in_task;
    r.timer = sim_.schedule_in(spec_.queue.visibility_timeout, bind<&Service::on_visibility_timeout>(this, pool_.handle(id)));
    return id;
  }
  return kNoRequest;
}

void Service::delete_message(RequestId id) {
  if (pool_[id].state == RequestState::in_task) --queue_in_flight_;
  finish(id, Outcome::ok);  // cancels the visibility timer
}

void Service::abandon_message(RequestId id) { pool_[id].state = RequestState::orphaned; }

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
