// Kernel: event ordering, ties, cancellation, timers, processes, interrupts, joins, deadlocks.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "fargatelab/engine.hpp"
#include "fargatelab/process.hpp"
#include "fargatelab/signal.hpp"
#include "kernel/event_queue.hpp"

using namespace fargatelab;

namespace {
struct Recorder {
  std::vector<std::pair<std::int64_t, std::uint64_t>> fired;  // (time ns, tag)
  Simulation* sim = nullptr;
  void on(std::uint64_t tag) { fired.emplace_back(sim->now().ns(), tag); }
};
Callback rec(Recorder& r, std::uint64_t tag) { return bind<&Recorder::on>(&r, tag); }
}  // namespace

TEST_CASE("kernel: events fire in time order whatever the insertion order", "[kernel]") {
  Simulation sim;
  Recorder r; r.sim = &sim;
  for (std::uint64_t t : {5u, 1u, 4u, 2u, 3u}) sim.schedule_at(seconds(int(t)), rec(r, t));
  auto st = sim.run();
  REQUIRE(st.events == 5);
  REQUIRE(st.exhausted);
  std::vector<std::uint64_t> tags;
  for (auto& [t, tag] : r.fired) {
    REQUIRE(t == seconds(int(tag)).ns());
    tags.push_back(tag);
  }
  REQUIRE(tags == std::vector<std::uint64_t>{1, 2, 3, 4, 5});
}

TEST_CASE("kernel: same-time events run by priority, then insertion order", "[kernel]") {
  Simulation sim;
  Recorder r; r.sim = &sim;
  sim.schedule_at(seconds(1), rec(r, 1), Priority::late);
  sim.schedule_at(seconds(1), rec(r, 2));
  sim.schedule_at(seconds(1), rec(r, 3), Priority::urgent);
  sim.schedule_at(seconds(1), rec(r, 4));
  sim.schedule_at(seconds(1), rec(r, 5), Priority::urgent);
  sim.run();
  std::vector<std::uint64_t> tags;
  for (auto& e : r.fired) tags.push_back(e.second);
  // urgent (3, 5) in insertion order, then normal (2, 4), then late (1)
  REQUIRE(tags == std::vector<std::uint64_t>{3, 5, 2, 4, 1});
}

TEST_CASE("kernel: an event scheduled at the current instant runs after those already due now", "[kernel]") {
  Simulation sim;
  Recorder r; r.sim = &sim;
  struct Chain {
    Simulation* sim;
    Recorder* r;
    void first() {
      r->on(10);
      sim->schedule_in(Duration::zero(), rec(*r, 30));                    // same instant, normal: FIFO
      sim->schedule_in(Duration::zero(), rec(*r, 5), Priority::urgent);  // same instant, urgent: first
    }
  } chain{&sim, &r};
  sim.schedule_at(seconds(2), bind<&Chain::first>(&chain));
  sim.schedule_at(seconds(2), rec(r, 20));
  sim.run();
  std::vector<std::uint64_t> tags;
  for (auto& e : r.fired) tags.push_back(e.second);
  REQUIRE(tags == std::vector<std::uint64_t>{10, 5, 20, 30});
}

TEST_CASE("kernel: cancelled events never fire and stale handles are harmless", "[kernel]") {
  Simulation sim;
  Recorder r; r.sim = &sim;
  EventId a = sim.schedule_at(seconds(1), rec(r, 1));
  EventId b = sim.schedule_at(seconds(2), rec(r, 2));
  REQUIRE(sim.pending_events() == 2);
  REQUIRE(sim.cancel(a));
  REQUIRE_FALSE(sim.cancel(a));  // twice
  REQUIRE_FALSE(sim.pending(a));
  REQUIRE(sim.pending(b));
  REQUIRE(sim.pending_events() == 1);
  sim.run();
  REQUIRE(r.fired.size() == 1);
  REQUIRE(r.fired[0].second == 2);
  REQUIRE_FALSE(sim.cancel(b));  // already fired
  // The slot of a fired event is reused; the old handle must not cancel the new event.
  EventId c = sim.schedule_in(seconds(1), rec(r, 3));
  REQUIRE_FALSE(sim.cancel(b));
  REQUIRE(sim.pending(c));
}

TEST_CASE("kernel: run(until) stops before later events and moves the clock to until", "[kernel]") {
  Simulation sim;
  Recorder r; r.sim = &sim;
  sim.schedule_at(seconds(1), rec(r, 1));
  sim.schedule_at(seconds(10), rec(r, 10));
  auto st = sim.run(seconds(5));
  REQUIRE(st.events == 1);
  REQUIRE_FALSE(st.exhausted);
  REQUIRE(sim.now() == seconds(5));
  st = sim.run();
  REQUIRE(st.events == 1);
  REQUIRE(sim.now() == seconds(10));
  REQUIRE_THROWS_AS(sim.schedule_at(seconds(3), rec(r, 3)), std::logic_error);
}

TEST_CASE("kernel: a periodic timer fires at first + k * period until cancelled", "[kernel]") {
  Simulation sim;
  struct Tick {
    Simulation* sim;
    std::vector<std::int64_t> at;
    TimerId id;
    void fire() {
      at.push_back(sim->now().ns());
      if (at.size() == 4) sim->cancel_timer(id);
    }
  } tick{&sim, {}, {}};
  tick.id = sim.every(seconds(60), bind<&Tick::fire>(&tick), seconds(30));
  sim.run(hours(1));
  // 30 s, 90 s, 150 s, 210 s, then cancelled from inside its own callback
  REQUIRE(tick.at == std::vector<std::int64_t>{seconds(30).ns(), seconds(90).ns(), seconds(150).ns(),
                                                seconds(210).ns()});
  REQUIRE(sim.pending_events() == 0);
}

TEST_CASE("kernel: stop() ends the run after the current event", "[kernel]") {
  Simulation sim;
  struct Stopper {
    Simulation* sim;
    int n = 0;
    void fire() {
      if (++n == 3) sim->stop();
    }
  } s{&sim};
  for (int i = 1; i <= 10; ++i) sim.schedule_at(seconds(i), bind<&Stopper::fire>(&s));
  auto st = sim.run();
  REQUIRE(st.stopped);
  REQUIRE(st.events == 3);
  REQUIRE(sim.now() == seconds(3));
  REQUIRE(sim.pending_events() == 7);
}

TEST_CASE("kernel: the poll hook runs every N events and can stop the run", "[kernel]") {
  Simulation sim;
  Recorder r; r.sim = &sim;
  for (int i = 0; i < 100; ++i) sim.schedule_at(seconds(i), rec(r, i));
  int polls = 0;
  sim.set_poll_hook([&] { return ++polls < 3; }, 10);
  auto st = sim.run();
  REQUIRE(polls == 3);
  REQUIRE(st.stopped);
  REQUIRE(st.events == 30);
}

// ---------------------------------------------------------------------------------------------
// Processes

namespace {
Process sleeper(Simulation& sim, std::vector<std::string>& log, std::string who, Duration d) {
  log.push_back(who + " start " + std::to_string(sim.now().ns()));
  co_await sim_timeout(sim, d);
  log.push_back(who + " end " + std::to_string(sim.now().ns()));
}
}  // namespace

TEST_CASE("process: timeouts resume the process at now + delay", "[kernel][process]") {
  Simulation sim;
  std::vector<std::string> log;
  Process a = spawn(sim, sleeper(sim, log, "a", seconds(3)), "a");
  Process b = spawn(sim, sleeper(sim, log, "b", seconds(1)), "b");
  REQUIRE_FALSE(a.done());
  sim.run();
  REQUIRE(a.done());
  REQUIRE_FALSE(a.failed());
  REQUIRE(log == std::vector<std::string>{"a start 0", "b start 0", "b end 1000000000", "a end 3000000000"});
}

namespace {
Process victim(Simulation& sim, std::vector<std::string>& log) {
  bool interrupted = false;
  try {
    co_await sim_timeout(sim, seconds(3600));
    log.push_back("finished work");
  } catch (const Interrupted& i) {
    log.push_back("interrupted at " + std::to_string(sim.now().ns()) + " by " + i.cause());
    interrupted = true;
  }
  if (interrupted) {  // C++ forbids co_await inside a handler
    co_await sim_timeout(sim, seconds(120));  // drain
    log.push_back("drained at " + std::to_string(sim.now().ns()));
  }
}
Process reclaimer(Simulation& sim, Process target, Duration at) {
  co_await sim_timeout(sim, at);
  target.interrupt("SpotInterruption");
}
}  // namespace

TEST_CASE("process: an interrupt is delivered into the waiting process at once", "[kernel][process]") {
  Simulation sim;
  std::vector<std::string> log;
  Process v = spawn(sim, victim(sim, log), "task");
  spawn(sim, reclaimer(sim, v, seconds(100)), "spot");
  auto st = sim.run();
  REQUIRE(log == std::vector<std::string>{"interrupted at 100000000000 by SpotInterruption",
                                          "drained at 220000000000"});
  REQUIRE(st.exhausted);
  REQUIRE(sim.pending_events() == 0);  // the cancelled 3600 s timeout is gone
  REQUIRE(sim.now() == seconds(220));
}

TEST_CASE("process: interrupting a finished or unstarted process is an error", "[kernel][process]") {
  Simulation sim;
  std::vector<std::string> log;
  Process p = spawn(sim, sleeper(sim, log, "p", seconds(1)), "p");
  sim.run();
  REQUIRE_THROWS_AS(p.interrupt("late"), std::logic_error);
  Process q = sleeper(sim, log, "q", seconds(1));  // created, never spawned
  REQUIRE_THROWS_AS(q.interrupt("early"), std::logic_error);
}

namespace {
Process joiner(Simulation& sim, Process child, std::vector<std::string>& log) {
  co_await child;
  log.push_back("joined at " + std::to_string(sim.now().ns()));
  co_await child;  // joining a finished process completes at once
  log.push_back("joined again at " + std::to_string(sim.now().ns()));
}
Process failing(Simulation& sim) {
  co_await sim_timeout(sim, seconds(2));
  throw std::runtime_error("image pull failed");
}
Process catcher(Simulation& sim, Process child, std::string& caught) {
  try {
    co_await child;
  } catch (const std::runtime_error& e) {
    caught = e.what();
  }
  (void)sim;
}
}  // namespace

TEST_CASE("process: join waits for the end of another process", "[kernel][process]") {
  Simulation sim;
  std::vector<std::string> log;
  Process child = spawn(sim, sleeper(sim, log, "child", seconds(5)), "child");
  spawn(sim, joiner(sim, child, log), "parent");
  sim.run();
  REQUIRE(log.back() == "joined again at 5000000000");
  REQUIRE(log[log.size() - 2] == "joined at 5000000000");
}

TEST_CASE("process: a failure propagates to the joiner", "[kernel][process]") {
  Simulation sim;
  std::string caught;
  Process child = spawn(sim, failing(sim), "puller");
  spawn(sim, catcher(sim, child, caught), "parent");
  REQUIRE_NOTHROW(sim.run());
  REQUIRE(caught == "image pull failed");
  REQUIRE(child.failed());
}

TEST_CASE("process: an unjoined failure aborts the run with the process name", "[kernel][process]") {
  Simulation sim;
  spawn(sim, failing(sim), "puller");
  try {
    sim.run();
    FAIL("run() should have thrown");
  } catch (const std::runtime_error& e) {
    REQUIRE(std::string(e.what()) == "process 'puller' failed at t=2.000000000 s: image pull failed");
  }
}

namespace {
Process waiter(Simulation& sim, Event& ev, std::vector<std::string>& log, std::string who) {
  co_await ev;
  log.push_back(who + " woke at " + std::to_string(sim.now().ns()));
}
Process trigger(Simulation& sim, Event& ev, Duration at) {
  co_await sim_timeout(sim, at);
  ev.succeed();
}
}  // namespace

TEST_CASE("process: an event wakes all its waiters in wait order", "[kernel][process]") {
  Simulation sim;
  Event ev(sim);
  std::vector<std::string> log;
  spawn(sim, waiter(sim, ev, log, "w1"), "w1");
  spawn(sim, waiter(sim, ev, log, "w2"), "w2");
  spawn(sim, trigger(sim, ev, seconds(7)), "t");
  sim.run();
  REQUIRE(log == std::vector<std::string>{"w1 woke at 7000000000", "w2 woke at 7000000000"});
  spawn(sim, waiter(sim, ev, log, "w3"), "w3");  // already triggered: no wait
  sim.run();
  REQUIRE(log.back() == "w3 woke at 7000000000");
}

TEST_CASE("process: a run that ends with processes blocked reports a deadlock", "[kernel][process]") {
  Simulation sim;
  Event never(sim);
  std::vector<std::string> log;
  spawn(sim, waiter(sim, never, log, "orphan"), "orphan");
  spawn(sim, sleeper(sim, log, "s", seconds(4)), "sleeper");
  auto st = sim.run();
  REQUIRE(st.exhausted);
  REQUIRE(st.deadlocked());
  REQUIRE(st.waiting.size() == 1);
  REQUIRE(st.waiting[0].name == "orphan");
  REQUIRE(st.waiting[0].waiting_for == "an event");
  REQUIRE(st.waiting[0].since == SimTime::zero());
}

TEST_CASE("process: an interrupt also reaches a process waiting on an event", "[kernel][process]") {
  Simulation sim;
  Event never(sim);
  std::vector<std::string> log;
  struct Guard {
    static Process body(Simulation& sim, Event& ev, std::vector<std::string>& log) {
      try {
        co_await ev;
      } catch (const Interrupted& i) {
        log.push_back("stopped: " + i.cause());
      }
      (void)sim;
    }
  };
  Process g = spawn(sim, Guard::body(sim, never, log), "guard");
  spawn(sim, reclaimer(sim, g, seconds(9)), "user");
  auto st = sim.run();
  REQUIRE(log == std::vector<std::string>{"stopped: SpotInterruption"});
  REQUIRE(never.waiters() == 0);
  REQUIRE_FALSE(st.deadlocked());
}

TEST_CASE("signal: observers are called in connection order with the emitted values", "[kernel]") {
  Signal<int, double> s;
  std::vector<std::string> seen;
  REQUIRE_FALSE(s.connected());
  auto t1 = s.connect([&](int a, double b) { seen.push_back("1:" + std::to_string(a) + ":" + std::to_string(b)); });
  s.connect([&](int a, double) { seen.push_back("2:" + std::to_string(a)); });
  s.emit(3, 0.5);
  s.disconnect(t1);
  s.emit(4, 1.0);
  REQUIRE(seen == std::vector<std::string>{"1:3:0.500000", "2:3", "2:4"});
}

TEST_CASE("kernel: a long random schedule pops in nondecreasing (time, priority, sequence) order", "[kernel]") {
  // Compare the queue against the ordering rule on 20,000 events with many exact ties.
  detail::EventQueue q;
  std::uint64_t x = 12345;
  auto next = [&] { return x = x * 6364136223846793005ull + 1442695040888963407ull; };
  struct Key {
    std::int64_t t;
    int prio;
    std::uint64_t seq;
  };
  std::vector<Key> keys;
  static std::vector<std::uint64_t> order;
  order.clear();
  auto cb = [](void*, std::uint64_t a) { order.push_back(a); };
  std::vector<EventId> ids;
  for (std::uint64_t i = 0; i < 20000; ++i) {
    const std::int64_t t = static_cast<std::int64_t>(next() >> 60);  // 16 distinct times: many ties
    const int prio = static_cast<int>(next() >> 62) % 3 - 1;
    ids.push_back(q.push(0, t, static_cast<Priority>(prio), Callback{cb, nullptr, i}));
    keys.push_back({t, prio, i});
  }
  for (std::size_t i = 0; i < ids.size(); i += 7) q.cancel(ids[i]);
  std::int64_t t;
  while (!q.empty()) q.pop(t)(); 
  REQUIRE(order.size() == 20000 - (20000 + 6) / 7);
  for (std::size_t i = 1; i < order.size(); ++i) {
    const Key& a = keys[order[i - 1]];
    const Key& b = keys[order[i]];
    const bool ok = a.t < b.t || (a.t == b.t && (a.prio < b.prio || (a.prio == b.prio && a.seq < b.seq)));
    REQUIRE(ok);
  }
  for (auto a : order) REQUIRE(a % 7 != 0);
}
