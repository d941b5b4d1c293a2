#include "serving/task_server.hpp"

#include <algorithm>

namespace fargatelab::detail {
namespace {
bool later(const auto& a, const auto& b) { return a.finish > b.finish || (a.finish == b.finish && a.id > b.id); }
}  // namespace

TaskServer::TaskServer(Simulation& sim, RequestPool& pool, double vcpu, int concurrency, int queue_limit, Callback on_done)
    : sim_(sim),
      pool_(pool),
      vcpu_(vcpu),
      concurrency_(static_cast<std::size_t>(concurrency)),
      queue_limit_(static_cast<std::size_t>(queue_limit)),
      on_done_(on_done),
      last_(sim.now()) {
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
  last_ = now;
}

bool TaskServer::submit(RequestId id) {
  if (heap_.size() < concurrency_) {
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
  if (!queue_.empty() && heap_.size() < concurrency_) start(queue_.pop());
  reschedule();
  on_done_.fn(on_done_.ctx, done.id);
}

}  // namespace fargatelab::detail
