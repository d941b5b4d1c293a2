#include "kernel/event_queue.hpp"

#include <cstring>
#include <new>
#include <stdexcept>

namespace fargatelab::detail {

EventQueue::EventQueue() { heap_reserve(1024); }

EventQueue::~EventQueue() { ::operator delete[](heap_, std::align_val_t{64}); }

void EventQueue::heap_reserve(std::size_t n) {
  if (n <= heap_cap_) return;
  auto* grown = static_cast<Entry*>(::operator new[]((n + 3) * sizeof(Entry), std::align_val_t{64}));
  if (heap_) {
    std::memcpy(grown, heap_, (heap_size_ + 3) * sizeof(Entry));
    ::operator delete[](heap_, std::align_val_t{64});
  }
  heap_ = grown;
  heap_cap_ = n;
}

std::uint32_t EventQueue::alloc_slot(Callback cb) {
  std::uint32_t s;
  if (free_head_ != ~0u) {
    s = free_head_;
    free_head_ = slots_[s].next_free;
  } else {
    if (slots_.size() > kSlotMask) throw std::length_error("more than 2^30 pending events");
    s = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& slot = slots_[s];
  slot.cb = cb;
  slot.seq = seq_++;
  slot.state = SlotState::pending;
  return s;
}

void EventQueue::free_slot(std::uint32_t s) noexcept {
  Slot& slot = slots_[s];
  slot.state = SlotState::free;
  ++slot.generation;
  slot.next_free = free_head_;
  free_head_ = s;
}

EventId EventQueue::push(std::int64_t now, std::int64_t time, Priority prio, Callback cb) {
  const std::uint32_t s = alloc_slot(cb);
  const Entry e{time, (static_cast<std::uint32_t>(static_cast<int>(prio) + 1) << 30) | s, 0};
  if (time == now && prio == Priority::normal) {
    if (fifo_head_ == fifo_.size()) {
      fifo_.clear();
      fifo_head_ = 0;
    }
    fifo_.push_back(e);
  } else {
    heap_push(e);
  }
  ++live_;
  return EventId{s, slots_[s].generation};
}

bool EventQueue::cancel(EventId id) noexcept {
  if (id.slot >= slots_.size()) return false;
  Slot& slot = slots_[id.slot];
  if (slot.generation != id.generation || slot.state != SlotState::pending) return false;
  slot.state = SlotState::cancelled;
  --live_;
  return true;
}

bool EventQueue::pending(EventId id) const noexcept {
  return id.slot < slots_.size() && slots_[id.slot].generation == id.generation &&
         slots_[id.slot].state == SlotState::pending;
}

void EventQueue::heap_push(Entry e) {
  if (heap_size_ == heap_cap_) heap_reserve(heap_cap_ * 2);
  std::size_t i = heap_size_++;
  while (i > 0) {
    const std::size_t parent = (i - 1) >> 2;
    if (!less(e, node(parent))) break;
    node(i) = node(parent);
    i = parent;
  }
  node(i) = e;
}

// Floyd's bottom-up deletion: walk the hole down along the smallest children to a leaf,
// then sift the former last element up from there. The last element usually belongs near the
// bottom, so this saves most comparisons against it. The child choice compares times without
// branching and resolves exact ties separately (rare in continuous time).
void EventQueue::heap_pop() noexcept {
  const Entry last = node(--heap_size_);
  const std::size_t n = heap_size_;
  if (n == 0) return;
  std::size_t i = 0;
  for (;;) {
    const std::size_t first = 4 * i + 1;
    if (first >= n) break;
    // The next level's line is a dependent load: start fetching the grandchildren now
    // (measured: 1.5 -> 3.0 million events/s at 10^6 pending, no change at 10^4).
    if (4 * first + 1 < n) __builtin_prefetch(&node(4 * first + 1));
    std::size_t best = first;
    const std::size_t end = first + 4 < n ? first + 4 : n;
    for (std::size_t c = first + 1; c < end; ++c) {
      const std::int64_t tc = node(c).time, tb = node(best).time;
      if (tc == tb) [[unlikely]] {
        if (tie_less(node(c), node(best))) best = c;
      } else {
        best = tc < tb ? c : best;
      }
    }
    node(i) = node(best);
    i = best;
  }
  while (i > 0) {
    const std::size_t parent = (i - 1) >> 2;
    if (!less(last, node(parent))) break;
    node(i) = node(parent);
    i = parent;
  }
  node(i) = last;
}

int EventQueue::next_source() const noexcept {
  const bool has_fifo = fifo_head_ < fifo_.size();
  if (heap_size_ == 0) return has_fifo ? 1 : 0;
  return has_fifo && less(fifo_[fifo_head_], node(0)) ? 1 : 2;
}

bool EventQueue::pop_until(std::int64_t limit, std::int64_t& time, Callback& cb) noexcept {
  for (;;) {
    const int src = next_source();
    if (src == 0) return false;
    const Entry e = src == 1 ? fifo_[fifo_head_] : node(0);
    Slot& slot = slots_[e.meta & kSlotMask];
    const bool cancelled = slot.state == SlotState::cancelled;
    if (!cancelled && e.time > limit) return false;
    if (src == 1)
      ++fifo_head_;
    else
      heap_pop();
    if (cancelled) {
      free_slot(e.meta & kSlotMask);
      continue;
    }
    time = e.time;
    cb = slot.cb;
    free_slot(e.meta & kSlotMask);
    --live_;
    // Overlap the next event's slot miss with this event's callback.
    if (heap_size_ > 0) __builtin_prefetch(&slots_[node(0).meta & kSlotMask]);
    return true;
  }
}

Callback EventQueue::pop(std::int64_t& time) noexcept {
  Callback cb;
  pop_until(INT64_MAX, time, cb);
  return cb;
}

std::size_t EventQueue::memory_bytes() const noexcept {
  return (heap_cap_ + 3) * sizeof(Entry) + fifo_.capacity() * sizeof(Entry) + slots_.capacity() * sizeof(Slot);
}

}  // namespace fargatelab::detail
