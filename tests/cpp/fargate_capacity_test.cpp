// Fargate's shared capacity: the launch-rate token bucket, subnet addresses, isolation profiles
// and the host fleet. Expected values are computed by hand in the comments (practice 13).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "ecs/token_bucket.hpp"
#include "fargatelab/registry.hpp"
#include "network/subnet_pool.hpp"
#include "platforms/fargate/host_fleet.hpp"
#include "platforms/fargate/isolation.hpp"

using namespace fargatelab;
using namespace fargatelab::detail;

namespace {

SimTime ns(std::int64_t n) { return SimTime::from_ns(n); }

// A profile with a constant boot time, so ready times are hand-computable.
IsolationProfile constant_profile(double boot_s, double rate, double overhead_mib) {
  return IsolationProfile{"test", Constant{boot_s}, rate, overhead_mib};
}

PlacementPolicy policy(const std::string& name) { return placement_registry().build(parse_model_call(name)); }

// The diagnostics a registry reports for `text`, built at pointer "/p".
template <class Product>
std::vector<Diagnostic> build_errors(const Registry<Product>& r, const std::string& text) {
  std::vector<Diagnostic> out;
  const auto product = r.build(parse_model_call(text), "/p", out);
  if (product) REQUIRE(out.empty());
  return out;
}

bool mentions(const std::vector<Diagnostic>& ds, const std::string& fragment) {
  for (const auto& d : ds)
    if (d.pointer == "/p" && d.message.find(fragment) != std::string::npos) return true;
  return false;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Token bucket

TEST_CASE("token bucket: a launch bucket of burst 100 at 20/s starts task k of 300 at max(0, (k-100)/20) s", "[fargate]") {
  TokenBucket b(100, 20);  // aws-facts B.5: burst 100, refill 20 per second
  for (int k = 1; k <= 300; ++k) {
    // 1/20 s = 50,000,000 ns exactly, so (k - 100) / 20 s = (k - 100) * 50,000,000 ns.
    const SimTime expected = k <= 100 ? SimTime::zero() : ns(std::int64_t{k - 100} * 50'000'000);
    INFO("task " << k);
    REQUIRE(b.reserve(SimTime::zero()) == expected);
  }
  // Spot checks of the formula: task 101 at 1/20 = 0.05 s, task 300 at 200/20 = 10 s.
  TokenBucket c(100, 20);
  std::vector<SimTime> t;
  for (int k = 1; k <= 300; ++k) t.push_back(c.reserve(SimTime::zero()));
  REQUIRE(t[99] == SimTime::zero());
  REQUIRE(t[100] == milliseconds(50));
  REQUIRE(t[299] == seconds(10));
  // 300 tokens taken from 100: the level is 100 - 300 = -200.
  REQUIRE(c.tokens(SimTime::zero()) == -200.0);
}

TEST_CASE("token bucket: tokens refill continuously between reservations", "[fargate]") {
  TokenBucket b(100, 20);
  for (int k = 0; k < 100; ++k) REQUIRE(b.reserve(SimTime::zero()) == SimTime::zero());
  REQUIRE(b.tokens(SimTime::zero()) == 0.0);
  // 2.0 s later: 2.0 s * 20/s = 40 tokens.
  REQUIRE(b.tokens(seconds(2)) == 40.0);
  REQUIRE(b.tokens(milliseconds(125)) == 2.5);  // 0.125 s * 20/s
  // The 40 refilled tokens go at once: reservations 1..40 at t = 2 s get 2 s.
  for (int k = 1; k <= 40; ++k) REQUIRE(b.reserve(seconds(2)) == seconds(2));
  REQUIRE(b.tokens(seconds(2)) == 0.0);
  // The 41st borrows: level -1, ready when 1 token has refilled, 1/20 s later: 2.05 s.
  REQUIRE(b.available_at(seconds(2)) == milliseconds(2050));
  REQUIRE(b.tokens(seconds(2)) == 0.0);  // available_at did not reserve
  REQUIRE(b.reserve(seconds(2)) == milliseconds(2050));
  REQUIRE(b.tokens(seconds(2)) == -1.0);
}

TEST_CASE("token bucket: the level never exceeds the burst", "[fargate]") {
  TokenBucket b(100, 20);
  REQUIRE(b.tokens(SimTime::zero()) == 100.0);  // starts full
  b.reserve(SimTime::zero());
  REQUIRE(b.tokens(hours(1)) == 100.0);  // 99 + 3600 * 20 capped at 100
  // After an idle hour the burst is back: 100 immediate, the 101st 50 ms later.
  for (int k = 0; k < 100; ++k) REQUIRE(b.reserve(hours(1)) == hours(1));
  REQUIRE(b.reserve(hours(1)) == hours(1) + milliseconds(50));
}

TEST_CASE("token bucket: a later reservation queues behind borrowed tokens (FIFO)", "[fargate]") {
  TokenBucket b(100, 20);
  SimTime last;
  for (int k = 0; k < 300; ++k) last = b.reserve(SimTime::zero());
  REQUIRE(last == seconds(10));
  // At t = 5 s the level is -200 + 5 * 20 = -100; one more makes -101, which refills in
  // 101 / 20 s = 5.05 s: ready at 10.05 s, 1/20 s after task 300.
  REQUIRE(b.tokens(seconds(5)) == -100.0);
  REQUIRE(b.reserve(seconds(5)) == milliseconds(10'050));
  // Past the queue (t = 20 s: -101 + 15 * 20 = 199, capped at 100) there is no wait again.
  REQUIRE(b.tokens(seconds(20)) == 100.0);
  REQUIRE(b.reserve(seconds(20)) == seconds(20));
}

TEST_CASE("token bucket: rates that are not whole per second stay exact", "[fargate]") {
  // The service launch rate, 500 per service per minute (aws-facts B.5) as a double 500/60 per
  // second, with burst 500: the 501st task at t = 0 waits 1 / (500/60) s = 60/500 s = 0.12 s
  // and the 1000th 500 * 0.12 s = 60 s.
  TokenBucket s(500, 500.0 / 60.0);
  std::vector<SimTime> t;
  for (int k = 1; k <= 1000; ++k) t.push_back(s.reserve(SimTime::zero()));
  REQUIRE(t[499] == SimTime::zero());
  REQUIRE(t[500] == milliseconds(120));
  REQUIRE(t[501] == milliseconds(240));
  REQUIRE(t[999] == seconds(60));
  // 150 per second with burst 1: the k-th (k = 0, 1, ...) at ceil(k * 1e9 / 150) ns, since
  // 1/150 s = 6,666,666.67 ns is not a whole number of nanoseconds.
  TokenBucket h(1, 150);
  const std::int64_t expected[] = {0, 6'666'667, 13'333'334, 20'000'000, 26'666'667};
  for (std::int64_t e : expected) REQUIRE(h.reserve(SimTime::zero()) == ns(e));
  // 0.5 per second: one token every 2 s.
  TokenBucket slow(1, 0.5);
  REQUIRE(slow.reserve(SimTime::zero()) == SimTime::zero());
  REQUIRE(slow.reserve(SimTime::zero()) == seconds(2));
  REQUIRE(slow.reserve(seconds(1)) == seconds(4));
}

TEST_CASE("token bucket: invalid parameters and time going backwards are errors", "[fargate]") {
  REQUIRE_THROWS_AS(TokenBucket(0.5, 20), std::invalid_argument);
  REQUIRE_THROWS_AS(TokenBucket(100, 0), std::invalid_argument);
  REQUIRE_THROWS_AS(TokenBucket(100, -1), std::invalid_argument);
  REQUIRE_THROWS_AS(TokenBucket(100, std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
  REQUIRE_THROWS_AS(TokenBucket(std::numeric_limits<double>::infinity(), 20), std::invalid_argument);
  TokenBucket b(100, 20);
  b.reserve(seconds(5));
  REQUIRE_THROWS_AS(b.reserve(seconds(4)), std::invalid_argument);
  REQUIRE_THROWS_AS(b.tokens(seconds(4)), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// Subnet addresses

TEST_CASE("subnet pool: 300 allocations on a /24 give exactly 251 addresses", "[fargate]") {
  SubnetPool p("private-a", "a", 24);
  REQUIRE(p.capacity() == 251);  // 2^(32-24) - 5 = 256 - 5
  int ok = 0;
  for (int k = 0; k < 300; ++k) ok += p.allocate();
  REQUIRE(ok == 251);
  REQUIRE(p.in_use() == 251);
  REQUIRE(p.free() == 0);
  REQUIRE(p.rejected() == 300 - 251);
  p.release();
  REQUIRE(p.free() == 1);
  REQUIRE(p.allocate());
  REQUIRE(p.peak_in_use() == 251);
}

TEST_CASE("subnet pool: sizes follow the /16 to /28 rule less 5 reserved addresses", "[fargate]") {
  REQUIRE(SubnetPool("s", "a", 28).capacity() == 11);     // 16 - 5
  REQUIRE(SubnetPool("s", "a", 20).capacity() == 4091);   // 4096 - 5
  REQUIRE(SubnetPool("s", "a", 16).capacity() == 65531);  // 65536 - 5
  REQUIRE_THROWS_AS(SubnetPool("s", "a", 29), std::invalid_argument);
  REQUIRE_THROWS_AS(SubnetPool("s", "a", 15), std::invalid_argument);
  SubnetPool p("s", "a", 28);
  REQUIRE_THROWS_AS(p.release(), std::logic_error);  // nothing to release
}

TEST_CASE("subnet set: allocation goes to the subnet with the most free addresses", "[fargate]") {
  // 0: zone a, /28 -> 11; 1: zone b, /27 -> 27; 2: zone a, /28 -> 11.
  SubnetSet s({SubnetPool("a1", "a", 28), SubnetPool("b1", "b", 27), SubnetPool("a2", "a", 28)});
  REQUIRE(s.capacity() == 11 + 27 + 11);
  REQUIRE(s.allocate_in_az("a") == 0u);  // 11 vs 11: tie, lowest index
  REQUIRE(s.allocate_in_az("a") == 2u);  // 10 vs 11
  REQUIRE(s.allocate_in_az("a") == 0u);  // 10 vs 10: tie
  REQUIRE(s.allocate_any() == 1u);       // 9, 27, 10
  REQUIRE(s.allocate_among({2, 0}) == 2u);       // 9 vs 10
  REQUIRE(s.allocate_among({2, 0}, "b") == std::nullopt);  // neither is in zone b
  REQUIRE(s.rejected() == 1);
  // Zone a has 22 addresses, 4 taken: 18 more succeed, the next fails.
  for (int k = 0; k < 18; ++k) REQUIRE(s.allocate_in_az("a"));
  REQUIRE(s.subnet(0).free() == 0);
  REQUIRE(s.subnet(2).free() == 0);
  REQUIRE(s.allocate_in_az("a") == std::nullopt);
  REQUIRE(s.allocate_in_az("c") == std::nullopt);  // no subnet in zone c
  REQUIRE(s.rejected() == 3);
  REQUIRE(s.allocate_any() == 1u);  // zone b still has room
  REQUIRE(s.in_use() == 22 + 2);
  s.release(2);
  REQUIRE(s.allocate_in_az("a") == 2u);
  REQUIRE_THROWS_AS(s.release(7), std::out_of_range);
  // The free function does the same choice without allocating.
  REQUIRE(most_free_subnet(s.subnets()) == 1u);
}

// ---------------------------------------------------------------------------------------------
// Isolation profiles

TEST_CASE("isolation: the firecracker defaults are the NSDI'20 figures", "[fargate]") {
  const IsolationProfile fc = isolation_registry().build(parse_model_call("firecracker"));
  REQUIRE(fc.name == "firecracker");
  REQUIRE(fc.creations_per_second_per_host == 150.0);
  REQUIRE(fc.overhead_mib == 5.0);
  REQUIRE(fc.boot_time.mean() == Approx(0.125));
  REQUIRE(std::sqrt(fc.boot_time.variance()) == Approx(0.0085));
  // p99 of the lognormal = exp(mu + 2.3263 sigma) ~ 146 ms, the paper's p99 under load.
  const auto& ln = std::get<LogNormal>(fc.boot_time.variant());
  REQUIRE(std::exp(ln.mu + normal_quantile(0.99) * ln.sigma) == Approx(0.146).margin(0.0005));

  const IsolationProfile vm = isolation_registry().build(parse_model_call("vm"));
  REQUIRE(vm.boot_time.mean() == Approx(3.0));
  REQUIRE(vm.creations_per_second_per_host == 10.0);
  REQUIRE(vm.overhead_mib == 131.0);

  // Parameters override, durations take units, and sd 0 is a constant boot.
  const IsolationProfile c = isolation_registry().build(parse_model_call("firecracker(boot=200ms, boot_sd=0, rate=50)"));
  REQUIRE(std::holds_alternative<Constant>(c.boot_time.variant()));
  REQUIRE(c.boot_time.mean() == Approx(0.2));
  REQUIRE(c.creations_per_second_per_host == 50.0);
}

TEST_CASE("isolation: unknown substrates and bad parameters are reported", "[fargate]") {
  REQUIRE(mentions(build_errors(isolation_registry(), "hyperv"), "unknown isolation substrate \"hyperv\""));
  REQUIRE(mentions(build_errors(isolation_registry(), "firecracker(rate=0)"), "rate"));
  REQUIRE(mentions(build_errors(isolation_registry(), "vm(boot=0)"), "boot"));
  REQUIRE(mentions(build_errors(isolation_registry(), "vm(overhead_mib=-1)"), "overhead_mib"));
  REQUIRE(mentions(build_errors(isolation_registry(), "firecracker(boots=1)"), "unknown parameter \"boots\""));
  REQUIRE_THROWS_AS(isolation_registry().build(parse_model_call("firecracker(rate=-5)")), ScenarioError);
}

// ---------------------------------------------------------------------------------------------
// Host fleet

TEST_CASE("host fleet: unknown placement policies and parameters are reported", "[fargate]") {
  REQUIRE(policy("first_fit").kind == PlacementPolicy::Kind::first_fit);
  REQUIRE(policy("best_fit").kind == PlacementPolicy::Kind::best_fit);
  REQUIRE(policy("random").kind == PlacementPolicy::Kind::random);
  REQUIRE(mentions(build_errors(placement_registry(), "worst_fit"), "unknown placement policy \"worst_fit\""));
  REQUIRE(mentions(build_errors(placement_registry(), "best_fit(spread=1)"), "unknown parameter \"spread\""));
  REQUIRE_THROWS_AS(policy("spread"), ScenarioError);
}

TEST_CASE("host fleet: first_fit, best_fit and random choose the hosts computed by hand", "[fargate]") {
  // Zone a: host 0 has 4 vCPU / 8192 MiB, host 1 4 vCPU / 4096 MiB, host 2 4 vCPU / 16384 MiB;
  // no VM overhead. Tasks of 1 vCPU / 2048 MiB.
  const IsolationProfile prof = constant_profile(0.1, 150, 0);
  auto fleet = [&](const std::string& pol) {
    return HostFleet({HostGroup{"a", 1, 4, 8192, prof}, HostGroup{"a", 1, 4, 4096, prof}, HostGroup{"a", 1, 4, 16384, prof}},
                     policy(pol), RandomStream(kDefaultSeed, stream_id("placement"), 0));
  };
  RandomStream boot(kDefaultSeed, stream_id("boot"), 0);

  SECTION("first_fit takes the lowest-index host with room") {
    HostFleet f = fleet("first_fit");
    // Host 0 holds 4 such tasks (4 vCPU, 4 * 2048 = 8192 MiB); the 5th goes to host 1.
    for (int k = 0; k < 4; ++k) REQUIRE(f.place("a", 1, 2048, SimTime::zero(), boot)->host == 0u);
    REQUIRE(f.place("a", 1, 2048, SimTime::zero(), boot)->host == 1u);
    // CPU binds too: 4 vCPU fits neither host 0 (0 left) nor host 1 (3 left): host 2.
    REQUIRE(f.place("a", 4, 1024, SimTime::zero(), boot)->host == 2u);
  }
  SECTION("best_fit takes the host left with the least free memory") {
    HostFleet f = fleet("best_fit");
    // Left after placing 2048 MiB: host 0 6144, host 1 2048, host 2 14336 -> host 1.
    REQUIRE(f.place("a", 1, 2048, SimTime::zero(), boot)->host == 1u);
    // Now host 1 has 2048: left 0 -> host 1 again.
    REQUIRE(f.place("a", 1, 2048, SimTime::zero(), boot)->host == 1u);
    // Host 1 is full; left: host 0 6144, host 2 14336 -> host 0.
    REQUIRE(f.place("a", 1, 2048, SimTime::zero(), boot)->host == 0u);
    // 7000 MiB fits only host 2 (host 0 has 6144 free).
    REQUIRE(f.place("a", 1, 7000, SimTime::zero(), boot)->host == 2u);
    // Ties go to the lowest index: two identical empty hosts.
    HostFleet g({HostGroup{"a", 2, 4, 8192, prof}}, policy("best_fit"));
    REQUIRE(g.place("a", 1, 2048, SimTime::zero(), boot)->host == 0u);
    REQUIRE(g.place("a", 1, 2048, SimTime::zero(), boot)->host == 0u);  // 4096 left vs 6144
  }
  SECTION("random draws uniformly among the hosts with room from the placement stream") {
    HostFleet f = fleet("random");
    RandomStream replay(kDefaultSeed, stream_id("placement"), 0);  // the fleet's stream, replayed
    // All 3 hosts fit a 2048 MiB task: host = below(3).
    const auto first = replay.below(3);
    REQUIRE(f.place("a", 1, 2048, SimTime::zero(), boot)->host == first);
    // 9000 MiB fits only host 2 (16384, or 14336 if it took the first): below(1) = 0 -> host 2.
    replay.below(1);
    REQUIRE(f.place("a", 1, 9000, SimTime::zero(), boot)->host == 2u);
    // Frequencies over 30,000 place+release on the three hosts: each 10,000 +- 4.5 sd, with
    // sd = sqrt(30000 * 1/3 * 2/3) = 81.6, i.e. +- 367 (P ~ 7e-6 per host for a correct draw).
    HostFleet g({HostGroup{"a", 3, 4, 8192, prof}}, policy("random"), RandomStream(kDefaultSeed, stream_id("freq"), 0));
    int count[3] = {0, 0, 0};
    for (int k = 0; k < 30'000; ++k) {
      const auto p = g.place("a", 1, 2048, SimTime::zero(), boot);
      ++count[p->host];
      g.release(*p);
    }
    for (int c : count) REQUIRE(std::abs(c - 10'000) <= 367);
  }
}

TEST_CASE("host fleet: a host creates VMs one at a time at its creation rate", "[fargate]") {
  // One host, 150 creations per second, a constant 50 ms boot. 5 VMs at t = 0 get creation
  // slots ceil(k * 1e9 / 150) ns, k = 0..4, and are ready 50,000,000 ns later.
  HostFleet f({HostGroup{"a", 1, 96, 393'216, constant_profile(0.05, 150, 5)}}, policy("first_fit"));
  RandomStream boot(kDefaultSeed, stream_id("boot"), 0);
  const std::int64_t slot[] = {0, 6'666'667, 13'333'334, 20'000'000, 26'666'667};
  for (std::int64_t s : slot) {
    const auto p = f.place("a", 0.25, 512, SimTime::zero(), boot);
    REQUIRE(p);
    REQUIRE(p->vm_created == ns(s));
    REQUIRE(p->vm_ready == ns(s + 50'000'000));
  }
  // At t = 1 s the host is idle again: created at once, ready at 1.05 s.
  REQUIRE(f.place("a", 0.25, 512, seconds(1), boot)->vm_ready == milliseconds(1050));
  // The rate is per host: two hosts each start a VM at t = 0 without waiting for each other.
  HostFleet two({HostGroup{"a", 2, 1, 2048, constant_profile(0.05, 150, 0)}}, policy("first_fit"));
  const auto a = two.place("a", 1, 2048, SimTime::zero(), boot);
  const auto b = two.place("a", 1, 2048, SimTime::zero(), boot);
  REQUIRE(a->host == 0u);
  REQUIRE(b->host == 1u);
  REQUIRE(a->vm_created == SimTime::zero());
  REQUIRE(b->vm_created == SimTime::zero());
}

TEST_CASE("host fleet: capacity runs out, and release gives it back", "[fargate]") {
  // Zone a: 2 hosts of 2 vCPU / 4096 MiB with a 5 MiB VM overhead. A 1 vCPU / 2048 MiB task
  // reserves 2048 + 5 = 2053 MiB, so one host holds one such task (2 * 2053 = 4106 > 4096)
  // although it has the vCPU for two.
  HostFleet f({HostGroup{"a", 2, 2, 4096, constant_profile(0.1, 150, 5)}, HostGroup{"b", 1, 2, 4096, constant_profile(0.1, 150, 5)}},
              policy("first_fit"));
  RandomStream boot(kDefaultSeed, stream_id("boot"), 0);
  const auto p0 = f.place("a", 1, 2048, SimTime::zero(), boot);
  const auto p1 = f.place("a", 1, 2048, SimTime::zero(), boot);
  REQUIRE(p0->host == 0u);
  REQUIRE(p1->host == 1u);
  REQUIRE_FALSE(f.place("a", 1, 2048, SimTime::zero(), boot));
  // Host 0 has 4096 - 2053 = 2043 MiB free: a 2039 MiB task needs 2044 and fails, 2038 (+ 5 =
  // 2043) is the largest that fits.
  REQUIRE_FALSE(f.place("a", 1, 2039, SimTime::zero(), boot));
  REQUIRE(f.place("a", 1, 2038, SimTime::zero(), boot)->host == 0u);
  const std::size_t a = *f.az_index("a");
  REQUIRE(f.hosts(a) == 2);
  REQUIRE(f.tasks(a) == 3);
  REQUIRE(f.hosts_in_use(a) == 2);
  REQUIRE(f.reserved_vcpu(a) == 3.0);
  REQUIRE(f.reserved_memory_mib(a) == 2053.0 + 2053.0 + 2043.0);
  REQUIRE(f.host(a, 0).free_memory_mib == 0.0);
  REQUIRE(f.host(a, 0).free_vcpu == 0.0);
  REQUIRE(f.capacity_vcpu(a) == 4.0);
  REQUIRE(f.capacity_memory_mib(a) == 8192.0);
  // Zone b is untouched.
  REQUIRE(f.tasks(*f.az_index("b")) == 0);
  REQUIRE(f.reserved_memory_mib(*f.az_index("b")) == 0.0);

  f.release(*p1);
  REQUIRE(f.hosts_in_use(a) == 1);
  REQUIRE(f.host(a, 1).free_memory_mib == 4096.0);
  REQUIRE(f.host(a, 1).free_vcpu == 2.0);
  REQUIRE(f.host(a, 1).tasks == 0);
  REQUIRE(f.place("a", 1, 2048, SimTime::zero(), boot)->host == 1u);
  REQUIRE_THROWS_AS(f.place("c", 1, 2048, SimTime::zero(), boot), std::invalid_argument);
  // Releasing p0 twice: the second would free 4096 - 2043 + 2053 = 4106 MiB > 4096 on host 0.
  f.release(*p0);
  REQUIRE_THROWS_AS(f.release(*p0), std::logic_error);
  // Hosts the bucket cannot model are refused when the fleet is built.
  REQUIRE_THROWS_AS(HostFleet({HostGroup{"a", 1, 2, 4096, constant_profile(0.1, 0, 5)}}, policy("first_fit")),
                    std::invalid_argument);
  REQUIRE_THROWS_AS(HostFleet({HostGroup{"a", -1, 2, 4096, constant_profile(0.1, 150, 5)}}, policy("first_fit")),
                    std::invalid_argument);
}
