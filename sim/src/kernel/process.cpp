#include "fargatelab/process.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "kernel/kernel.hpp"

namespace fargatelab {
namespace detail {
namespace {

Kernel& kernel_of(PromiseBase* p) { return p->sim->kernel(); }

void resume_cb(void* ctx, std::uint64_t) {
  auto* p = static_cast<PromiseBase*>(ctx);
  Kernel& k = kernel_of(p);
  p->resume_event = EventId{};
  p->status = ProcessStatus::running;
  p->wait_kind = WaitKind::none;
  p->wait_target = nullptr;
  PromiseBase* previous = k.current;
  k.current = p;
  p->handle().resume();
  k.current = previous;
}

// Size-class free lists for coroutine frames (64-byte classes up to 4 KiB).
constexpr std::size_t kClass = 64;
constexpr std::size_t kClasses = 64;
struct FreeNode {
  FreeNode* next;
};
thread_local std::array<FreeNode*, kClasses> free_frames{};

}  // namespace

std::coroutine_handle<> PromiseBase::handle() noexcept {
  return std::coroutine_handle<Process::promise_type>::from_promise(static_cast<Process::promise_type&>(*this));
}

void* PromiseBase::allocate(std::size_t n) {
  const std::size_t c = (n + kClass - 1) / kClass;
  if (c < kClasses && free_frames[c]) {
    FreeNode* node = free_frames[c];
    free_frames[c] = node->next;
    return node;
  }
  return ::operator new(c < kClasses ? c * kClass : n);
}

void PromiseBase::deallocate(void* ptr, std::size_t n) noexcept {
  const std::size_t c = (n + kClass - 1) / kClass;
  if (c < kClasses) {
    auto* node = static_cast<FreeNode*>(ptr);
    node->next = free_frames[c];
    free_frames[c] = node;
    return;
  }
  ::operator delete(ptr);
}

void PromiseBase::check_interrupt() {
  if (!interrupt_pending) return;
  interrupt_pending = false;
  throw Interrupted(std::exchange(interrupt_cause, std::string{}));
}

void PromiseBase::begin_wait(WaitKind kind, void* target) {
  status = ProcessStatus::waiting;
  wait_kind = kind;
  wait_target = target;
  waiting_since = sim->now();
}

void PromiseBase::schedule_resume(Priority p) {
  resume_event = sim->schedule_in(Duration::zero(), Callback{&resume_cb, this, 0}, p);
  status = ProcessStatus::scheduled;
}

void FinalAwaiter::await_suspend(std::coroutine_handle<> h) noexcept {
  auto& promise = std::coroutine_handle<Process::promise_type>::from_address(h.address()).promise();
  Kernel& k = kernel_of(&promise);
  promise.status = promise.error ? ProcessStatus::failed : ProcessStatus::done;
  k.remove_live(&promise);
  for (PromiseBase* j : promise.joiners) {
    j->wait_target = nullptr;
    j->schedule_resume(Priority::normal);
  }
  if (promise.error && promise.joiners.empty()) k.record_failure(promise.name, promise.error);
  promise.joiners.clear();
  if (--promise.refs == 0) h.destroy();
}

void TimeoutAwaiter::suspend(PromiseBase* p) {
  if (delay < Duration::zero()) throw std::invalid_argument("negative timeout");
  self = p;
  p->begin_wait(WaitKind::timeout, nullptr);
  p->resume_event = sim->schedule_in(delay, Callback{&resume_cb, p, 0});
}

void Kernel::add_live(PromiseBase* p) noexcept {
  p->prev_live = nullptr;
  p->next_live = live_head;
  if (live_head) live_head->prev_live = p;
  live_head = p;
  ++live_count;
}

void Kernel::remove_live(PromiseBase* p) noexcept {
  if (p->prev_live)
    p->prev_live->next_live = p->next_live;
  else
    live_head = p->next_live;
  if (p->next_live) p->next_live->prev_live = p->prev_live;
  p->prev_live = p->next_live = nullptr;
  --live_count;
}

std::vector<WaitingProcess> Kernel::waiting_processes() const {
  std::vector<WaitingProcess> out;
  for (const PromiseBase* p = live_head; p; p = p->next_live) {
    if (p->status != ProcessStatus::waiting || p->wait_kind == WaitKind::timeout) continue;
    std::string what = "an event";
    if (p->wait_kind == WaitKind::join)
      what = p->wait_target ? fmt::format("process '{}'", static_cast<const PromiseBase*>(p->wait_target)->name)
                            : "a process";
    else if (!p->wait_target)
      what = "an event that no longer exists";
    out.push_back({p->name, std::move(what), p->waiting_since});
  }
  // The list is newest first; report in spawn order, which is deterministic either way.
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace detail

// ---------------------------------------------------------------------------------------------

Process spawn(Simulation& sim, Process p, std::string name) {
  if (!p.p_) throw std::logic_error("spawn: empty process");
  if (p.p_->status != detail::ProcessStatus::created)
    throw std::logic_error(fmt::format("spawn: process '{}' was already started", p.p_->name));
  p.p_->sim = &sim;
  p.p_->name = std::move(name);
  ++p.p_->refs;  // the kernel's reference, released at the final suspend
  sim.kernel().add_live(p.p_);
  p.p_->schedule_resume(Priority::normal);
  return p;
}

bool Process::started() const noexcept { return p_ && p_->status != detail::ProcessStatus::created; }
bool Process::done() const noexcept {
  return p_ && (p_->status == detail::ProcessStatus::done || p_->status == detail::ProcessStatus::failed);
}
bool Process::failed() const noexcept { return p_ && p_->status == detail::ProcessStatus::failed; }
const std::string& Process::name() const {
  if (!p_) throw std::logic_error("empty process");
  return p_->name;
}

void Process::release() noexcept {
  if (!p_) return;
  if (--p_->refs == 0) {
    // Only reachable for a process that was never spawned or has finished.
    p_->handle().destroy();
  }
  p_ = nullptr;
}

void Process::interrupt(std::string cause) {
  using detail::ProcessStatus;
  using detail::WaitKind;
  if (!p_) throw std::logic_error("interrupt: empty process");
  if (p_->status == ProcessStatus::created)
    throw std::logic_error(fmt::format("interrupt: process '{}' has not started", p_->name));
  if (done()) throw std::logic_error(fmt::format("interrupt: process '{}' has finished", p_->name));
  if (p_->sim->kernel().current == p_)
    throw std::logic_error(fmt::format("interrupt: process '{}' cannot interrupt itself", p_->name));
  if (p_->interrupt_pending) {  // several interrupts in one instant arrive as one
    p_->interrupt_cause += "; " + cause;
    return;
  }
  if (p_->resume_event.valid()) p_->sim->cancel(p_->resume_event);
  if (p_->wait_kind == WaitKind::event && p_->wait_target) {
    auto& w = static_cast<Event*>(p_->wait_target)->waiters_;
    w.erase(std::find(w.begin(), w.end(), p_));
  } else if (p_->wait_kind == WaitKind::join && p_->wait_target) {
    auto& j = static_cast<detail::PromiseBase*>(p_->wait_target)->joiners;
    j.erase(std::find(j.begin(), j.end(), p_));
  }
  p_->wait_target = nullptr;
  p_->interrupt_pending = true;
  p_->interrupt_cause = std::move(cause);
  p_->schedule_resume(Priority::urgent);
}

JoinAwaiter Process::operator co_await() const noexcept { return JoinAwaiter{*this}; }

bool JoinAwaiter::await_ready() const noexcept { return target.done(); }

void JoinAwaiter::suspend(detail::PromiseBase* p) {
  if (!target.started()) throw std::logic_error("join: the process has not been spawned");
  self = p;
  p->begin_wait(detail::WaitKind::join, target.p_);
  target.p_->joiners.push_back(p);
}

void JoinAwaiter::await_resume() {
  if (self) self->check_interrupt();
  if (target.p_ && target.p_->error) std::rethrow_exception(target.p_->error);
}

Event::~Event() {
  for (auto* w : waiters_) w->wait_target = nullptr;
}

void Event::succeed() {
  triggered_ = true;
  for (auto* w : waiters_) {
    w->wait_target = nullptr;
    w->schedule_resume(Priority::normal);
  }
  waiters_.clear();
}

void Event::reset() {
  if (!waiters_.empty()) throw std::logic_error("Event::reset while processes wait on it");
  triggered_ = false;
}

void Event::Awaiter::suspend(detail::PromiseBase* p) {
  self = p;
  p->begin_wait(detail::WaitKind::event, ev);
  ev->waiters_.push_back(p);
}

}  // namespace fargatelab
