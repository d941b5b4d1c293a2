// The simulation engine: a clock and a future-event list, seen from models and users.
//
// Contracts
//  * Events fire in (time, priority, insertion sequence) order, so ties are deterministic and
//    Priority::urgent (interrupts) goes first among events at the same instant.
//  * Scheduling allocates nothing per event once the queue has grown to its working size.
//  * Cancelling is O(1) (a lazy flag); a stale or fired EventId is harmless to cancel.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "fargatelab/time.hpp"

namespace fargatelab {

namespace detail {
class Kernel;
}

// What an event does: a plain function pointer with a context and one integer argument.
// No std::function, so scheduling never allocates.
struct Callback {
  void (*fn)(void* ctx, std::uint64_t arg) = nullptr;
  void* ctx = nullptr;
  std::uint64_t arg = 0;
  void operator()() const { fn(ctx, arg); }
};

// A Callback that calls obj->Method() or obj->Method(arg).
template <auto Method, class T>
Callback bind(T* obj, std::uint64_t arg = 0) {
  return Callback{[](void* c, std::uint64_t a) {
                    if constexpr (std::is_invocable_v<decltype(Method), T*, std::uint64_t>)
                      (static_cast<T*>(c)->*Method)(a);
                    else
                      (static_cast<T*>(c)->*Method)();
                  },
                  obj, arg};
}

enum class Priority : std::int8_t { urgent = -1, normal = 0, late = 1 };

struct EventId {
  std::uint32_t slot = ~0u;
  std::uint32_t generation = 0;
  bool valid() const noexcept { return slot != ~0u; }
};

struct TimerId {
  std::uint32_t index = ~0u;
  std::uint32_t generation = 0;
  bool valid() const noexcept { return index != ~0u; }
};

// A process that was still waiting when the run ended.
struct WaitingProcess {
  std::string name;
  std::string waiting_for;
  SimTime since;
};

struct RunStats {
  std::uint64_t events = 0;   // events executed in this call of run()
  SimTime end_time;           // the clock when run() returned
  bool stopped = false;       // stop() was called or the poll hook asked to stop
  bool exhausted = false;     // the event list ran empty before `until`
  // Processes blocked on something other than a timeout. With `exhausted` this is a deadlock:
  // nothing left could ever wake them.
  std::vector<WaitingProcess> waiting;
  bool deadlocked() const noexcept { return exhausted && !waiting.empty(); }
};

class Simulation {
 public:
  Simulation();
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  SimTime now() const noexcept { return now_; }

  // Schedules cb at absolute time t >= now() (throws std::logic_error for a time in the past).
  EventId schedule_at(SimTime t, Callback cb, Priority p = Priority::normal);
  EventId schedule_in(Duration d, Callback cb, Priority p = Priority::normal) {
    return schedule_at(now_ + d, cb, p);
  }
  // Returns true if the event was pending and is now cancelled.
  bool cancel(EventId id) noexcept;
  bool pending(EventId id) const noexcept;
  std::size_t pending_events() const noexcept;

  // Calls cb at first, first + period, first + 2 period, ... until cancelled. period > 0.
  TimerId every(Duration period, Callback cb, SimTime first, Priority p = Priority::normal);
  bool cancel_timer(TimerId id) noexcept;

  // Executes events with time <= until, then sets the clock to `until` (if finite and not
  // stopped). A process that ended with an uncaught exception nobody joined makes run() throw
  // std::runtime_error naming the process ("no failure is silent").
  RunStats run(SimTime until = SimTime::infinity());
  // Ends run() after the current event.
  void stop() noexcept;
  // hook() is called every `every_events` events; returning false stops the run. Used for
  // progress reporting and Ctrl-C; it must not touch the model.
  void set_poll_hook(std::function<bool()> hook, std::uint64_t every_events = 1u << 16);

  std::uint64_t events_processed() const noexcept;

  detail::Kernel& kernel() noexcept { return *kernel_; }

 private:
  friend class detail::Kernel;
  SimTime now_;
  std::unique_ptr<detail::Kernel> kernel_;
};

}  // namespace fargatelab
