// The capacity behind Fargate: per availability zone, hosts with vCPU and memory on which each
// task gets its own VM. AWS publishes nothing about this fleet (size, host shape, placement);
// it is a model whose parameters come from the scenario (fargate.hosts, fargate.placement).
//
// place() picks a host by the placement policy, reserves the task's vCPU and memory plus the
// VM's memory overhead, and gives the time the VM is ready: the host creates VMs one at a time
// at `creations_per_second_per_host` (FIFO, a token bucket of burst 1), then the VM boots for a
// time drawn from the isolation profile. Accounting is in integers (CPU units of 1/1024 vCPU,
// KiB), so reserving and releasing never drifts.
//
// Cost per place(): O(hosts in the zone) for every policy (one linear scan; `random` scans
// twice), no allocation. Scenarios have at most a few thousand hosts per zone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ecs/token_bucket.hpp"
#include "fargatelab/random.hpp"
#include "fargatelab/registry.hpp"
#include "fargatelab/time.hpp"
#include "platforms/fargate/isolation.hpp"

namespace fargatelab::detail {

// How a host is chosen among those in the zone with room for the task (its vCPU, and its
// memory plus the VM overhead).
struct PlacementPolicy {
  enum class Kind : std::uint8_t {
    first_fit,  // the lowest-index host that fits
    best_fit,   // the host left with the least free memory after placing (ties: lowest index)
    random,     // uniform among the hosts that fit (the fleet's placement stream)
  };
  Kind kind = Kind::best_fit;
  std::string name;  // registry name
};

// "first_fit", "best_fit", "random" (no parameters).
const Registry<PlacementPolicy>& placement_registry();

// A group of identical hosts in one zone. Several groups may share a zone; hosts are indexed
// within their zone in the order of the groups.
struct HostGroup {
  std::string az;
  int hosts = 0;           // >= 0
  double vcpu = 0;         // per host, > 0
  int memory_mib = 0;      // per host, > 0
  IsolationProfile isolation;
};

// Where a task's VM runs and when it is ready. Carries what it reserved, so release() needs
// nothing else.
struct Placement {
  std::uint32_t az = 0;          // zone index (HostFleet::az_name)
  std::uint32_t host = 0;        // host index within the zone
  SimTime vm_created;            // the host's creation slot for this VM (>= the place() time)
  SimTime vm_ready;              // vm_created + boot time
  std::int64_t cpu_units = 0;    // reserved vCPU * 1024
  std::int64_t memory_kib = 0;   // reserved task memory + VM overhead, KiB
};

// One host's state, for tests and reports.
struct HostView {
  double free_vcpu;
  double free_memory_mib;
  int tasks;
};

class HostFleet {
 public:
  // Throws std::invalid_argument for an empty zone name, a negative host count, a non-positive
  // host size or an isolation profile the fleet cannot use. `placement_stream` is used only by
  // the `random` policy, so boot-time draws do not depend on the policy (common random numbers).
  HostFleet(std::vector<HostGroup> groups, PlacementPolicy policy, RandomStream placement_stream = {});
  // The same hosts in every zone.
  static HostFleet uniform(const std::vector<std::string>& zones, int hosts_per_az, double vcpu, int memory_mib,
                           const IsolationProfile& isolation, PlacementPolicy policy, RandomStream placement_stream = {});

  // Places a task of `vcpu` vCPU and `memory_mib` MiB in zone `az` at time `now`; nullopt if no
  // host of the zone has room (nothing is reserved and no random number drawn). The boot time
  // is one draw from `boot_stream`. std::invalid_argument for an unknown zone or a size <= 0.
  std::optional<Placement> place(const std::string& az, double vcpu, int memory_mib, SimTime now,
                                 RandomStream& boot_stream);
  std::optional<Placement> place(std::size_t az, double vcpu, int memory_mib, SimTime now, RandomStream& boot_stream);
  // Gives back what `p` reserved (std::logic_error if that is more than is reserved on the host).
  void release(const Placement& p);

  std::size_t az_count() const noexcept { return zones_.size(); }
  const std::string& az_name(std::size_t az) const { return zones_.at(az); }
  std::optional<std::size_t> az_index(std::string_view az) const noexcept;
  const PlacementPolicy& policy() const noexcept { return policy_; }

  // Per-zone counters, for time series.
  int hosts(std::size_t az) const;
  int hosts_in_use(std::size_t az) const { return zone(az).hosts_in_use; }  // hosts with >= 1 task
  int tasks(std::size_t az) const { return zone(az).tasks; }
  double reserved_vcpu(std::size_t az) const { return static_cast<double>(zone(az).reserved_cpu) / 1024.0; }
  double reserved_memory_mib(std::size_t az) const { return static_cast<double>(zone(az).reserved_kib) / 1024.0; }
  double capacity_vcpu(std::size_t az) const { return static_cast<double>(zone(az).capacity_cpu) / 1024.0; }
  double capacity_memory_mib(std::size_t az) const { return static_cast<double>(zone(az).capacity_kib) / 1024.0; }
  HostView host(std::size_t az, std::size_t index) const;

 private:
  struct Host {
    std::int64_t capacity_cpu, capacity_kib;
    std::int64_t free_cpu, free_kib;
    std::int32_t tasks;
    std::uint32_t profile;  // index into profiles_
    TokenBucket creations;  // burst 1 at the profile's creation rate
  };
  struct Zone {
    std::size_t begin = 0, end = 0;  // hosts_[begin, end)
    int hosts_in_use = 0, tasks = 0;
    std::int64_t reserved_cpu = 0, reserved_kib = 0, capacity_cpu = 0, capacity_kib = 0;
    // When every host of the zone is alike (one group), an empty host is never a better fit
    // than a used one, and the lowest-index empty host stands for all of them: first_fit and
    // best_fit then look at the used hosts only, O(hosts in use) instead of O(hosts).
    bool uniform = false;
    std::vector<std::size_t> used;   // hosts with >= 1 task, any order
    std::set<std::size_t> empty;     // the others, by index
  };
  void host_gained_task(Zone& z, std::size_t host);
  void host_lost_task(Zone& z, std::size_t host);
  std::vector<std::size_t> used_pos_;  // per host: its position in its zone's `used`
  const Zone& zone(std::size_t az) const { return zone_.at(az); }
  std::optional<std::size_t> choose(const Zone& z, std::int64_t cpu, std::int64_t kib);
  bool fits(const Host& h, std::int64_t cpu, std::int64_t kib) const noexcept {
    return h.free_cpu >= cpu && h.free_kib >= kib + overhead_kib_[h.profile];
  }

  std::vector<std::string> zones_;
  std::vector<Zone> zone_;
  std::vector<Host> hosts_;
  std::vector<IsolationProfile> profiles_;
  std::vector<std::int64_t> overhead_kib_;  // per profile
  PlacementPolicy policy_;
  RandomStream placement_stream_;
};

}  // namespace fargatelab::detail
