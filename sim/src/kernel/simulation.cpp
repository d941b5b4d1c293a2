#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "fargatelab/engine.hpp"
#include "kernel/kernel.hpp"

namespace fargatelab {

Simulation::Simulation() : kernel_(std::make_unique<detail::Kernel>(*this)) {}
Simulation::~Simulation() = default;

namespace {
// Out of line and cold, so that schedule_at stays small enough to inline under LTO.
[[noreturn]] [[gnu::noinline, gnu::cold]] void throw_in_past(SimTime t, SimTime now) {
  throw std::logic_error(fmt::format("event scheduled in the past: t={} ns < now={} ns", t.ns(), now.ns()));
}
}  // namespace

EventId Simulation::schedule_at(SimTime t, Callback cb, Priority p) {
  if (t < now_) [[unlikely]]
    throw_in_past(t, now_);
  return kernel_->queue.push(now_.ns(), t.ns(), p, cb);
}

bool Simulation::cancel(EventId id) noexcept { return kernel_->queue.cancel(id); }
bool Simulation::pending(EventId id) const noexcept { return kernel_->queue.pending(id); }
std::size_t Simulation::pending_events() const noexcept { return kernel_->queue.size(); }
std::uint64_t Simulation::events_processed() const noexcept { return kernel_->events_total; }

void Simulation::stop() noexcept {
  kernel_->stop_requested = true;
  kernel_->attention = true;
}

void Simulation::set_poll_hook(std::function<bool()> hook, std::uint64_t every_events) {
  kernel_->poll_hook = std::move(hook);
  kernel_->poll_every = every_events == 0 ? 1 : every_events;
}

TimerId Simulation::every(Duration period, Callback cb, SimTime first, Priority p) {
  if (period <= Duration::zero()) throw std::invalid_argument("timer period must be positive");
  auto& k = *kernel_;
  std::uint32_t index;
  if (k.free_timer != ~0u) {
    index = k.free_timer;
    k.free_timer = k.timers[index].next_free;
  } else {
    index = static_cast<std::uint32_t>(k.timers.size());
    k.timers.emplace_back();
  }
  auto& t = k.timers[index];
  t.period = period;
  t.cb = cb;
  t.prio = p;
  t.active = true;
  t.next = schedule_at(first, Callback{&detail::Kernel::timer_fire, &k, index}, p);
  return TimerId{index, t.generation};
}

bool Simulation::cancel_timer(TimerId id) noexcept {
  auto& k = *kernel_;
  if (id.index >= k.timers.size()) return false;
  auto& t = k.timers[id.index];
  if (!t.active || t.generation != id.generation) return false;
  cancel(t.next);
  t.active = false;
  ++t.generation;
  t.next_free = k.free_timer;
  k.free_timer = id.index;
  return true;
}

RunStats Simulation::run(SimTime until) {
  auto& k = *kernel_;
  RunStats st;
  k.stop_requested = false;
  k.attention = k.failure != nullptr;
  const std::int64_t limit = until.ns();
  std::uint64_t next_poll = k.poll_every;
  for (;;) {
    std::int64_t t;
    Callback cb;
    if (!k.queue.pop_until(limit, t, cb)) {
      st.exhausted = k.queue.empty();
      break;
    }
    now_ = SimTime::from_ns(t);
    cb.fn(cb.ctx, cb.arg);
    ++st.events;
    if (k.attention) {
      if (k.failure) {
        k.events_total += st.events;
        auto e = std::exchange(k.failure, nullptr);
        k.attention = false;
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& ex) {
          throw std::runtime_error(fmt::format("process '{}' failed at t={:.9f} s: {}", k.failed_process,
                                               now_.to_seconds(), ex.what()));
        } catch (...) {
          throw std::runtime_error(
              fmt::format("process '{}' failed at t={:.9f} s", k.failed_process, now_.to_seconds()));
        }
      }
      if (k.stop_requested) {
        st.stopped = true;
        k.attention = false;
        break;
      }
    }
    if (st.events == next_poll) {
      next_poll += k.poll_every;
      if (k.poll_hook && !k.poll_hook()) {
        st.stopped = true;
        break;
      }
    }
  }
  if (!st.stopped && !until.is_infinite() && now_ < until) now_ = until;
  k.events_total += st.events;
  st.end_time = now_;
  st.waiting = k.waiting_processes();
  return st;
}

namespace detail {

void Kernel::timer_fire(void* ctx, std::uint64_t index) {
  auto* k = static_cast<Kernel*>(ctx);
  auto& t = k->timers[index];
  const SimTime now = k->sim.now();
  t.next = k->queue.push(now.ns(), (now + t.period).ns(), t.prio, Callback{&timer_fire, k, index});
  const Callback cb = t.cb;  // the callback may cancel this timer
  cb();
}

void Kernel::record_failure(const std::string& process, std::exception_ptr e) {
  if (failure) return;  // the first failure is the one reported
  failure = std::move(e);
  failed_process = process;
  attention = true;
}

}  // namespace detail
}  // namespace fargatelab
