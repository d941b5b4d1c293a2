// The private state behind Simulation: the event list, timers, live processes and the
// run loop's flags.
#pragma once

#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "fargatelab/engine.hpp"
#include "fargatelab/process.hpp"
#include "kernel/event_queue.hpp"

namespace fargatelab::detail {

class Kernel {
 public:
  explicit Kernel(Simulation& sim) : sim(sim) {}

  Simulation& sim;
  EventQueue queue;

  struct Timer {
    Duration period;
    Callback cb;
    Priority prio = Priority::normal;
    EventId next;
    std::uint32_t generation = 0;
    std::uint32_t next_free = ~0u;
    bool active = false;
  };
  std::vector<Timer> timers;
  std::uint32_t free_timer = ~0u;
  static void timer_fire(void* ctx, std::uint64_t index);

  // Live processes (spawned, not finished), as an intrusive doubly linked list.
  PromiseBase* live_head = nullptr;
  std::size_t live_count = 0;
  PromiseBase* current = nullptr;  // the process whose body is executing, if any
  void add_live(PromiseBase* p) noexcept;
  void remove_live(PromiseBase* p) noexcept;
  std::vector<WaitingProcess> waiting_processes() const;

  // Set when run() must look up from the hot loop: stop requested or a process failed.
  bool attention = false;
  bool stop_requested = false;
  std::exception_ptr failure;
  std::string failed_process;
  void record_failure(const std::string& process, std::exception_ptr e);

  std::function<bool()> poll_hook;
  std::uint64_t poll_every = 1u << 16;
  std::uint64_t events_total = 0;
};

}  // namespace fargatelab::detail
