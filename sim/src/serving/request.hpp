// Requests in flight, kept in a pool: memory is bounded by what is in flight, not by what
// was simulated, and creating a request allocates nothing once the pool has grown.
#pragma once

#include <cstdint>
#include <vector>

#include "fargatelab/time.hpp"

namespace fargatelab::detail {

using RequestId = std::uint32_t;

struct Request {
  SimTime arrival;           // when the client sent it
  double demand = 0;         // CPU seconds on one full vCPU
  double finish_work = 0;    // the task's virtual work clock at which it completes (processor sharing)
  std::uint32_t workload = 0;
  std::uint32_t service = 0;
  std::uint32_t task = 0;
  std::uint32_t client = 0;  // closed-loop workloads: the user who sent it
  bool measured = true;      // false for requests that arrived during warm-up
  RequestId next_free = ~0u;
};

class RequestPool {
 public:
  RequestId acquire() {
    ++in_use_;
    if (free_ != ~0u) {
      const RequestId id = free_;
      free_ = pool_[id].next_free;
      return id;
    }
    pool_.emplace_back();
    return static_cast<RequestId>(pool_.size() - 1);
  }
  void release(RequestId id) noexcept {
    pool_[id].next_free = free_;
    free_ = id;
    --in_use_;
  }
  Request& operator[](RequestId id) noexcept { return pool_[id]; }
  const Request& operator[](RequestId id) const noexcept { return pool_[id]; }
  std::size_t in_use() const noexcept { return in_use_; }
  std::size_t capacity() const noexcept { return pool_.size(); }

 private:
  std::vector<Request> pool_;
  RequestId free_ = ~0u;
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
  RequestId pop() noexcept {
    const RequestId id = ring_[head_];
    head_ = (head_ + 1) & (ring_.size() - 1);
    --size_;
    return id;
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
