// Requests in flight, kept in a pool: memory is bounded by what is in flight, not by what
// was simulated, and creating a request allocates nothing once the pool has grown.
#pragma once

#include <cstdint>
#include <vector>

#include "fargatelab/engine.hpp"
#include "fargatelab/time.hpp"

namespace fargatelab::detail {

using RequestId = std::uint32_t;
constexpr RequestId kNoRequest = ~0u;
constexpr std::uint16_t kNoConnection = 0xffff;

// client: sent by a workload and answered to it; call: made by a request of another service;
// message: waits in a service's queue for a poller; probe: a load balancer health check;
// batch: a Lambda invocation carrying messages from an SQS event source mapping.
enum class RequestKind : std::uint8_t { client, call, message, probe, batch };
// Where a request is: queued at the service (SQS), in a task, in a task that died (a message
// waiting for its visibility timeout), or answered and on its way back to the caller.
enum class RequestState : std::uint8_t { queued, in_task, orphaned, returning };

struct Request {
  SimTime arrival;                    // when the caller sent it
  SimTime deadline;                   // the caller gives up after this; SimTime::infinity(): never
  double demand = 0;                  // CPU seconds on one full vCPU
  double off_cpu = 0;                 // seconds waited off-CPU after the CPU work, worker held
  double finish_work = 0;             // the task's virtual work clock at which it completes (processor sharing)
  double attempt_demand = -1;         // Lambda: the demand of every attempt (-1 until the first)
  std::uint64_t seq = 0;              // unique in the replication (a trace's span id)
  std::uint64_t trace = 0;            // the root's seq if traced, else 0
  std::uint64_t parent_seq = 0;
  EventId timer;                      // the call's timeout (caller side) or the message's visibility
  RequestId parent = kNoRequest;      // the synchronous caller waiting for it
  std::uint32_t parent_generation = 0;
  std::uint32_t generation = 0;       // bumped on every reuse of the slot
  std::uint32_t workload = 0;         // the workload whose traffic this is (calls inherit it)
  std::uint32_t service = 0;
  std::uint32_t task = 0;             // the server (task) serving it
  std::uint32_t client = 0;           // closed-loop workloads: the user who sent it
  std::uint32_t held_index = 0;       // position in its task's list of requests waiting on calls
  std::uint16_t cls = 0;              // request class within the workload
  std::uint16_t caller = 0;           // routing identity: workload w, or (workloads + service s) for calls
  std::uint16_t conn = kNoConnection; // the caller's long-lived connection it travels on
  std::uint16_t next_call = 0;        // sequential calls: the next edge to consider
  std::uint16_t pending = 0;          // synchronous calls not yet answered
  std::uint16_t receives = 0;         // messages: times received from the queue
  std::uint16_t edge = 0;             // calls: index of the caller's edge it travels on
  RequestKind kind = RequestKind::client;
  RequestState state = RequestState::queued;
  bool measured = true;               // false for requests that arrived during warm-up
  bool root = true;                   // answered to a workload (counted per workload and class)
  bool failed = false;                // a synchronous call it made failed
  bool duplicate = false;             // a second delivery of a message still being processed
  bool timed_out = false;             // Lambda: cut at the function timeout
  bool async_event = false;           // Lambda: an asynchronous invocation (retried by Lambda)
  std::uint8_t retries = 0;           // Lambda async: retries after function errors so far
  std::uint8_t throttle_retries = 0;  // Lambda async: retries after throttling so far
  // SDK retries (serving/retry.hpp): which attempt this is (1: the first), the tokens the retry
  // that sent it took, and for a client's attempt when the first one was sent (the client's
  // latency counts from it).
  std::uint8_t attempt = 1;
  std::uint16_t retry_cost = 0;
  SimTime origin;
  std::uint8_t outcome = 0;           // a call's Outcome, while its answer travels back
  bool retried = false;               // a client attempt given up and sent again: not the client's answer
  bool client_waited = false;         // its client held it for the adaptive rate limiter (origin: before)
  bool app_error = false;             // its task answers it with an application error (HTTP 500)
  bool affected = false;              // a bad version's or a fault's effects were applied to it
  RequestId next_free = kNoRequest;
};

// The traffic a request belongs to, from the one it continues (a call from its caller, a
// retry from the attempt before it): the workload, request class, closed-loop client, whether it
// is measured, and its trace.
inline void inherit_traffic(Request& to, const Request& from) noexcept {
  to.workload = from.workload;
  to.cls = from.cls;
  to.client = from.client;
  to.measured = from.measured;
  to.trace = from.trace;
}

class RequestPool {
 public:
  // A fresh request (default fields, a new generation). References into the pool are
  // invalidated when it grows.
  RequestId acquire() {
    ++in_use_;
    RequestId id;
    if (free_ != kNoRequest) {
      id = free_;
      free_ = pool_[id].next_free;
    } else {
      pool_.emplace_back();
      id = static_cast<RequestId>(pool_.size() - 1);
    }
    Request& r = pool_[id];
    const std::uint32_t generation = r.generation + 1;
    r = Request{};
    r.generation = generation;
    r.seq = ++seq_;
    return id;
  }
  // A request the platform makes for itself (a health probe, a Lambda batch): no workload counts
  // it and it is never measured.
  RequestId acquire_internal(RequestKind kind, SimTime now, SimTime deadline, std::uint32_t service, double demand) {
    const RequestId id = acquire();
    Request& r = pool_[id];
    r.kind = kind;
    r.root = false;
    r.measured = false;
    r.arrival = now;
    r.deadline = deadline;
    r.service = service;
    r.demand = demand;
    return id;
  }
  // True if `id` still holds the request that had `generation` (it was not released and reused).
  bool current(RequestId id, std::uint32_t generation) const noexcept {
    return id < pool_.size() && pool_[id].generation == generation;
  }
  void release(RequestId id) noexcept {
    ++pool_[id].generation;
    pool_[id].next_free = free_;
    free_ = id;
    --in_use_;
  }
  // (id, generation) in one callback argument, and back.
  static std::uint64_t pack(RequestId id, std::uint32_t generation) noexcept {
    return (std::uint64_t{generation} << 32) | id;
  }
  static RequestId id_of(std::uint64_t packed) noexcept { return static_cast<RequestId>(packed & 0xffffffffu); }
  static std::uint32_t generation_of(std::uint64_t packed) noexcept { return static_cast<std::uint32_t>(packed >> 32); }
  std::uint64_t handle(RequestId id) const noexcept { return pack(id, pool_[id].generation); }
  bool current(std::uint64_t packed) const noexcept { return current(id_of(packed), generation_of(packed)); }

  Request& operator[](RequestId id) noexcept { return pool_[id]; }
  const Request& operator[](RequestId id) const noexcept { return pool_[id]; }
  std::size_t in_use() const noexcept { return in_use_; }
  std::size_t capacity() const noexcept { return pool_.size(); }

 private:
  std::vector<Request> pool_;
  RequestId free_ = kNoRequest;
  std::uint64_t seq_ = 0;
  std::size_t in_use_ = 0;
};

// A FIFO of request ids on a growable ring buffer (no allocation in steady state).
class RequestQueue {
 public:
  bool empty() const noexcept { return size_ == 0; }
  std::size_t size() const noexcept { return size_; }
  void push(RequestId id) {
    if (size_ == ring_.size()) grow();
    ring_[(head_ + size_) & (ring_.size() - 1)] = id;
    ++size_;
  }
  // The newest entry (the one pushed last).
  RequestId pop_back() noexcept {
    --size_;
    return ring_[(head_ + size_) & (ring_.size() - 1)];
  }
  RequestId pop() noexcept {
    const RequestId id = ring_[head_];
    head_ = (head_ + 1) & (ring_.size() - 1);
    --size_;
    return id;
  }
  template <class F>
  void for_first(F&& f) const {
    if (size_ > 0) f(ring_[head_]);
  }
  template <class F>
  void for_each(F&& f) const {
    for (std::size_t i = 0; i < size_; ++i) f(ring_[(head_ + i) & (ring_.size() - 1)]);
  }

 private:
  void grow() {
    std::vector<RequestId> bigger(ring_.empty() ? 16 : ring_.size() * 2);
    for (std::size_t i = 0; i < size_; ++i) bigger[i] = ring_[(head_ + i) & (ring_.size() - 1)];
    ring_.swap(bigger);
    head_ = 0;
  }
  std::vector<RequestId> ring_;
  std::size_t head_ = 0, size_ = 0;
};

}  // namespace fargatelab::detail
