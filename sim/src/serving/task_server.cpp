#include "serving/task_server.hpp"

#include <algorithm>

namespace fargatelab::detail {
namespace {
bool later(const auto& a, const auto& b) { return a.finish > b.finish || (a.finish == b.finish && a.id > b.id); }
}  // namespace

TaskServer::TaskServer(Simulation& sim, RequestPool& pool, double vcpu, int concurrency, int queue_limit, Callback on_done,
                       bool hold)
    : sim_(sim),
      pool_(pool),
      vcpu_(vcpu),
      concurrency_(static_cast<std::size_t>(concurrency)),
      queue_limit_(static_cast<std::size_t>(queue_limit)),
      on_done_(on_done),
      hold_(hold),
      last_(sim.now()),
      started_(sim.now()) {
  heap_.reserve(concurrency_);
}

double TaskServer::rate() const noexcept {
  const double k = static_cast<double>(heap_.size());
  return k <= vcpu_ ? 1.0 : vcpu_ / k;
}

void TaskServer::advance() noexcept {
  const SimTime now = sim_.now();
  if (now == last_) return;
  const double dt = (now - last_).to_seconds();
  if (!heap_.empty()) {
    work_ += rate() * dt;
    cpu_seconds_ += std::min(static_cast<double>(heap_.size()), vcpu_) * dt;
  }
  if (!heap_.empty() || !held_.empty()) {
    busy_seconds_ += dt;
    last_busy_end_ = now;
  }
  last_ = now;
}

double TaskServer::active_seconds() noexcept {
  advance();
  if (activations_ == 0) return active_seconds_;
  const bool busy = !heap_.empty() || !held_.empty();
  const SimTime end = busy ? sim_.now() : std::min(sim_.now(), activation_end());
  return active_seconds_ + (end - active_since_).to_seconds();
}

bool TaskServer::submit(RequestId id) {
  if (heap_.size() + held_.size() < concurrency_) {
    advance();
    start(id);
    reschedule();
    return true;
  }
  if (queue_.size() >= queue_limit_) return false;
  queue_.push(id);
  return true;
}

void TaskServer::start(RequestId id) {
  if (heap_.empty() && held_.empty()) {
    const SimTime now = sim_.now();
    if (activations_ == 0 || now >= activation_end()) {
      if (activations_ > 0) active_seconds_ += (activation_end() - active_since_).to_seconds();
      active_since_ = last_busy_end_ = now;
      ++activations_;
    }
  }
  Request& r = pool_[id];
  r.finish_work = work_ + r.demand;
  heap_.push_back({r.finish_work, id});
  std::push_heap(heap_.begin(), heap_.end(), [](const auto& a, const auto& b) { return later(a, b); });
}

void TaskServer::reschedule() {
  if (departure_.valid()) sim_.cancel(departure_);
  departure_ = EventId{};
  if (heap_.empty()) return;
  const double remaining = std::max(0.0, heap_.front().finish - work_);
  departure_ = sim_.schedule_in(SimTime::from_seconds(remaining / rate()), bind<&TaskServer::on_departure>(this));
}

void TaskServer::on_departure() {
  departure_ = EventId{};
  advance();
  std::pop_heap(heap_.begin(), heap_.end(), [](const auto& a, const auto& b) { return later(a, b); });
  const InService done = heap_.back();
  heap_.pop_back();
  // Rounding the departure to whole nanoseconds may leave the clock a hair short; the request
  // that was scheduled to leave defines it.
  work_ = std::max(work_, done.finish);
  if (hold_) {
    pool_[done.id].held_index = static_cast<std::uint32_t>(held_.size());
    held_.push_back(done.id);
  } else {
    admit_from_queue();
  }
  reschedule();
  on_done_.fn(on_done_.ctx, done.id);
}

void TaskServer::admit_from_queue() {
  if (!queue_.empty() && heap_.size() + held_.size() < concurrency_) start(queue_.pop());
}

void TaskServer::release(RequestId id) {
  const std::uint32_t i = pool_[id].held_index;
  if (i >= held_.size() || held_[i] != id) return;  // not held here (already released or aborted)
  advance();
  held_[i] = held_.back();
  pool_[held_[i]].held_index = i;
  held_.pop_back();
  if (queue_.empty()) return;
  admit_from_queue();
  reschedule();
}

}  // namespace fargatelab::detail
