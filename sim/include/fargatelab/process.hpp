// Long-lived simulation processes as C++20 coroutines (the SimPy model, in C++).
//
//   Process worker(Simulation& sim, Event& go) {
//     co_await go;                          // wait for an event
//     try { co_await sim_timeout(sim, seconds(30)); }
//     catch (const Interrupted& i) { ... }  // e.g. a Spot reclaim, i.cause() == "SpotInterruption"
//   }
//   Process p = spawn(sim, worker(sim, go), "worker-1");
//   co_await p;                             // join (from another process); rethrows its failure
//
// Contracts
//  * A process runs only between events; resuming it is an ordinary event (practice 5).
//  * interrupt() delivers Interrupted into the process at its current wait, at the current
//    instant, ahead of other same-time events (Priority::urgent). Interrupting a finished or
//    never-started process throws std::logic_error.
//  * An exception escaping a process that nobody joins aborts Simulation::run().
//  * Coroutine frames come from a size-class pool: no malloc per process in steady state.
#pragma once

#include <coroutine>
#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include "fargatelab/engine.hpp"

namespace fargatelab {

class Interrupted : public std::exception {
 public:
  explicit Interrupted(std::string cause) : cause_(std::move(cause)) {}
  const std::string& cause() const noexcept { return cause_; }
  const char* what() const noexcept override { return cause_.c_str(); }

 private:
  std::string cause_;
};

class Event;
class Process;
struct JoinAwaiter;

namespace detail {

enum class ProcessStatus : std::uint8_t { created, scheduled, running, waiting, done, failed };
enum class WaitKind : std::uint8_t { none, timeout, event, join };

struct PromiseBase {
  Simulation* sim = nullptr;
  std::string name;
  ProcessStatus status = ProcessStatus::created;
  WaitKind wait_kind = WaitKind::none;
  void* wait_target = nullptr;  // Event* or PromiseBase* being waited on
  EventId resume_event;         // pending resume, if any
  SimTime waiting_since;
  std::uint32_t refs = 0;        // Process handles + 1 while the coroutine is live in the kernel
  bool interrupt_pending = false;
  std::string interrupt_cause;
  std::exception_ptr error;
  std::vector<PromiseBase*> joiners;
  PromiseBase* prev_live = nullptr;  // intrusive list of live processes, owned by the kernel
  PromiseBase* next_live = nullptr;

  std::coroutine_handle<> handle() noexcept;
  // Throws Interrupted if an interrupt was delivered; called from every await_resume.
  void check_interrupt();
  void begin_wait(WaitKind kind, void* target);
  void schedule_resume(Priority p);
  static void* allocate(std::size_t n);
  static void deallocate(void* p, std::size_t n) noexcept;
};

struct FinalAwaiter {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) noexcept;
  void await_resume() const noexcept {}
};

struct TimeoutAwaiter {
  Simulation* sim;
  Duration delay;
  PromiseBase* self = nullptr;
  bool await_ready() const noexcept { return false; }
  template <class P>
  void await_suspend(std::coroutine_handle<P> h) { suspend(&h.promise()); }
  void suspend(PromiseBase* p);
  void await_resume() { self->check_interrupt(); }
};

}  // namespace detail

class Process {
 public:
  struct promise_type : detail::PromiseBase {
    Process get_return_object() noexcept { return Process(this); }
    std::suspend_always initial_suspend() const noexcept { return {}; }
    detail::FinalAwaiter final_suspend() const noexcept { return {}; }
    void return_void() const noexcept {}
    void unhandled_exception() noexcept { error = std::current_exception(); }
    static void* operator new(std::size_t n) { return allocate(n); }
    static void operator delete(void* p, std::size_t n) noexcept { deallocate(p, n); }
  };

  Process() = default;
  Process(const Process& o) noexcept : p_(o.p_) { retain(); }
  Process(Process&& o) noexcept : p_(o.p_) { o.p_ = nullptr; }
  Process& operator=(Process o) noexcept {
    std::swap(p_, o.p_);
    return *this;
  }
  ~Process() { release(); }

  bool valid() const noexcept { return p_ != nullptr; }
  bool started() const noexcept;
  bool done() const noexcept;    // finished, normally or not
  bool failed() const noexcept;  // finished with an uncaught exception
  const std::string& name() const;
  void interrupt(std::string cause);

  // co_await p: resumes when p has finished; rethrows p's uncaught exception.
  JoinAwaiter operator co_await() const noexcept;

 private:
  friend Process spawn(Simulation&, Process, std::string);
  friend struct JoinAwaiter;
  explicit Process(detail::PromiseBase* p) noexcept : p_(p) { retain(); }
  void retain() noexcept {
    if (p_) ++p_->refs;
  }
  void release() noexcept;
  detail::PromiseBase* p_ = nullptr;
};

struct JoinAwaiter {
  Process target;
  detail::PromiseBase* self = nullptr;
  bool await_ready() const noexcept;
  template <class P>
  void await_suspend(std::coroutine_handle<P> h) { suspend(&h.promise()); }
  void suspend(detail::PromiseBase* p);
  void await_resume();
};

// Starts a process: its body begins at the current instant, after the events already due now.
Process spawn(Simulation& sim, Process p, std::string name);

// co_await sim_timeout(sim, d): resume after d (d >= 0).
inline detail::TimeoutAwaiter sim_timeout(Simulation& sim, Duration d) { return {&sim, d}; }

// A one-shot condition processes can wait on (SimPy's Event without a value).
class Event {
 public:
  explicit Event(Simulation& sim) : sim_(&sim) {}
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  ~Event();
  // Wakes every waiter at the current instant; later co_awaits complete at once.
  void succeed();
  bool triggered() const noexcept { return triggered_; }
  // Re-arms a triggered event; allowed only while nobody waits.
  void reset();
  std::size_t waiters() const noexcept { return waiters_.size(); }

  struct Awaiter {
    Event* ev;
    detail::PromiseBase* self = nullptr;
    bool await_ready() const noexcept { return ev->triggered_; }
    template <class P>
    void await_suspend(std::coroutine_handle<P> h) { suspend(&h.promise()); }
    void suspend(detail::PromiseBase* p);
    void await_resume() {
      if (self) self->check_interrupt();
    }
  };
  Awaiter operator co_await() noexcept { return Awaiter{this}; }

 private:
  friend struct detail::PromiseBase;
  friend class Process;
  Simulation* sim_;
  bool triggered_ = false;
  std::vector<detail::PromiseBase*> waiters_;
};

}  // namespace fargatelab
