// The future-event list.
//
// A 4-ary min-heap of 16-byte entries (time, priority, slot) whose four children share one
// 64-byte cache line, plus a FIFO for events scheduled at the current instant with normal
// priority (the common "resume now" case costs no heap operation). The callback and the
// insertion sequence number live in a slot pool; the sequence is read only to break exact
// ties of time and priority, so the heap stays small and cache-friendly.
//
// Ordering rule (the project's one rule): time, then priority, then insertion sequence.
// Cancellation marks the slot; the entry is discarded when it surfaces (lazy deletion).
// Nothing is allocated per event once the arrays have grown to the working size.
// Capacity: 2^30 pending events.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

#include "fargatelab/engine.hpp"

namespace fargatelab::detail {

class EventQueue {
 public:
  EventQueue();
  ~EventQueue();
  EventQueue(const EventQueue&) = delete;
  EventQueue& operator=(const EventQueue&) = delete;

  // now: the current clock, used to route same-instant normal-priority events to the FIFO.
  EventId push(std::int64_t now, std::int64_t time, Priority prio, Callback cb);
  bool cancel(EventId id) noexcept;
  bool pending(EventId id) const noexcept;
  std::size_t size() const noexcept { return live_; }
  bool empty() const noexcept { return live_ == 0; }
  // If the next live event has time <= limit, removes it, stores its time and callback and
  // returns true; otherwise returns false and leaves it queued. Discards cancelled entries.
  bool pop_until(std::int64_t limit, std::int64_t& time, Callback& cb) noexcept;
  // Convenience for tests: pops the next live event (the queue must not be empty).
  Callback pop(std::int64_t& time) noexcept;
  // Bytes held by the heap, FIFO and slot pool (their capacities).
  std::size_t memory_bytes() const noexcept;

 private:
  struct Entry {
    std::int64_t time;
    std::uint32_t meta;  // priority (2 bits, urgent = 0) << 30 | slot (30 bits)
    std::uint32_t pad;
  };
  enum class SlotState : std::uint8_t { free, pending, cancelled };
  struct Slot {
    Callback cb;
    std::uint64_t seq = 0;
    std::uint32_t generation = 0;
    std::uint32_t next_free = ~0u;
    SlotState state = SlotState::free;
  };
  static constexpr std::uint32_t kSlotMask = (1u << 30) - 1;

  bool tie_less(const Entry& a, const Entry& b) const noexcept {
    return (a.meta >> 30) < (b.meta >> 30) ||
           ((a.meta >> 30) == (b.meta >> 30) && slots_[a.meta & kSlotMask].seq < slots_[b.meta & kSlotMask].seq);
  }
  bool less(const Entry& a, const Entry& b) const noexcept {
    return a.time < b.time || (a.time == b.time && tie_less(a, b));
  }
  std::uint32_t alloc_slot(Callback cb);
  void free_slot(std::uint32_t s) noexcept;
  // Heap storage: node i lives at heap_[i + 3] so that the children 4i+1..4i+4 of node i
  // occupy one aligned 64-byte line.
  Entry& node(std::size_t i) noexcept { return heap_[i + 3]; }
  const Entry& node(std::size_t i) const noexcept { return heap_[i + 3]; }
  void heap_reserve(std::size_t n);
  void heap_push(Entry e);
  void heap_pop() noexcept;
  // Where the next event comes from: 0 none, 1 FIFO, 2 heap.
  int next_source() const noexcept;

  Entry* heap_ = nullptr;
  std::size_t heap_size_ = 0;
  std::size_t heap_cap_ = 0;
  std::vector<Entry> fifo_;
  std::size_t fifo_head_ = 0;
  std::vector<Slot> slots_;
  std::uint32_t free_head_ = ~0u;
  std::uint64_t seq_ = 0;
  std::size_t live_ = 0;
};

}  // namespace fargatelab::detail
