// One running task serving requests: up to `concurrency` requests in service share the task's
// vCPUs by processor sharing (each gets min(1, vCPU / k) of a vCPU when k are in service: one
// request is one thread and cannot use more than one vCPU); further requests wait in a FIFO of
// at most `queue_limit`; beyond that they are rejected.
//
// Processor sharing is simulated with a virtual work clock W (CPU seconds each in-service
// request has received since the task started): a request entering service at W0 with
// demand d leaves when W reaches W0 + d. Only the earliest departure is scheduled, and it is
// rescheduled when k changes, so each arrival or departure costs O(log k).
//
// A server built with hold = true keeps a request's worker after its CPU work (the thread
// waits for the synchronous calls it made): the worker counts against `concurrency` until
// release(id), but takes no CPU.
#pragma once

#include <vector>

#include "fargatelab/engine.hpp"
#include "serving/request.hpp"

namespace fargatelab::detail {

class TaskServer {
 public:
  // on_done.fn(on_done.ctx, request id) is called when a request finishes service.
  TaskServer(Simulation& sim, RequestPool& pool, double vcpu, int concurrency, int queue_limit, Callback on_done,
             bool hold = false);

  // Admits the request (into service or the queue) or returns false: the queue is full.
  bool submit(RequestId id);
  // hold mode: the request's worker is free again (its calls are answered or it was dropped).
  void release(RequestId id);

  std::size_t in_service() const noexcept { return heap_.size(); }
  std::size_t held() const noexcept { return held_.size(); }
  // Workers not busy and not held: how many more requests start at once.
  std::size_t free_workers() const noexcept {
    const std::size_t busy = heap_.size() + held_.size();
    return busy < concurrency_ ? concurrency_ - busy : 0;
  }
  // Seconds with at least one request in it (App Runner's "active" instance time), up to now.
  double busy_seconds() noexcept {
    advance();
    return busy_seconds_;
  }
  // Activations: an idle server taking a request starts one, which lasts while it is busy and at
  // least `min_active` (App Runner: an instance that becomes active is billed at least one minute
  // of vCPU, so requests within that minute do not start another). With min_active 0 the active
  // time equals busy_seconds().
  void set_min_active(Duration min_active) noexcept { min_active_ = min_active; }
  std::uint64_t activations() const noexcept { return activations_; }
  // Active seconds up to now (the current activation counted to now or its minimum, whichever
  // is earlier).
  double active_seconds() noexcept;
  // When the task started serving (sim time).
  SimTime started() const noexcept { return started_; }
  std::size_t queued() const noexcept { return queue_.size(); }
  double vcpu() const noexcept { return vcpu_; }
  // CPU seconds consumed since the start (integral of min(k, vCPU) dt), up to now.
  double cpu_seconds() noexcept {
    advance();
    return cpu_seconds_;
  }
  // Calls f(id) for every request in service or queued (for end-of-run accounting).
  template <class F>
  void for_each_request(F&& f) const {
    for (const auto& e : heap_) f(e.id);
    for (RequestId id : held_) f(id);
    queue_.for_each(f);
  }
  // The task is killed: every request in it is handed to f(id) and forgotten; the task
  // serves nothing afterwards.
  template <class F>
  void abort_all(F&& f) {
    advance();
    if (departure_.valid()) sim_.cancel(departure_);
    departure_ = EventId{};
    std::vector<RequestId> ids;
    for_each_request([&](RequestId id) { ids.push_back(id); });
    heap_.clear();
    held_.clear();
    while (!queue_.empty()) queue_.pop();
    for (RequestId id : ids) f(id);
  }

 private:
  struct InService {
    double finish;  // virtual work clock value at completion
    RequestId id;
  };
  double rate() const noexcept;  // CPU seconds per second each in-service request receives
  void advance() noexcept;       // brings the work clock up to now
  void start(RequestId id);
  void reschedule();
  void on_departure();
  void admit_from_queue();

  Simulation& sim_;
  RequestPool& pool_;
  double vcpu_;
  std::size_t concurrency_;
  std::size_t queue_limit_;
  Callback on_done_;
  bool hold_;
  std::vector<InService> heap_;  // min-heap on finish
  std::vector<RequestId> held_;  // requests waiting for their calls (Request::held_index)
  RequestQueue queue_;
  double work_ = 0;              // virtual work clock W
  double cpu_seconds_ = 0;
  double busy_seconds_ = 0;
  std::uint64_t activations_ = 0;
  Duration min_active_;
  SimTime active_since_, last_busy_end_;
  double active_seconds_ = 0;  // of finished activations
  SimTime activation_end() const noexcept { return std::max(active_since_ + min_active_, last_busy_end_); }
  SimTime last_;
  SimTime started_;
  EventId departure_;
};

}  // namespace fargatelab::detail
