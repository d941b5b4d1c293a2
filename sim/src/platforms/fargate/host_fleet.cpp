#include "platforms/fargate/host_fleet.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace fargatelab::detail {
namespace {

constexpr double kUnitsPerVcpu = 1024.0;  // ECS CPU units

std::int64_t cpu_units(double vcpu, const char* what) {
  if (!(vcpu > 0) || !std::isfinite(vcpu) || vcpu > 1e9)
    throw std::invalid_argument(fmt::format("host fleet: {} vCPU must be positive and finite, got {:g}", what, vcpu));
  const std::int64_t u = std::llround(vcpu * kUnitsPerVcpu);
  if (u < 1) throw std::invalid_argument(fmt::format("host fleet: {} vCPU {:g} is below one CPU unit (1/1024)", what, vcpu));
  return u;
}

Registry<PlacementPolicy> make_placement_registry() {
  Registry<PlacementPolicy> r("placement policy");
  auto add = [&r](const char* name, PlacementPolicy::Kind kind, const char* doc) {
    r.add({name, doc, {}}, [kind, name](const Params&, Problems&) -> std::optional<PlacementPolicy> {
      return PlacementPolicy{kind, name};
    });
  };
  add("first_fit", PlacementPolicy::Kind::first_fit, "The lowest-index host with room for the task.");
  add("best_fit", PlacementPolicy::Kind::best_fit,
      "The host left with the least free memory after placing the task (ties: lowest index): packs hosts.");
  add("random", PlacementPolicy::Kind::random, "Uniformly at random among the hosts with room for the task.");
  return r;
}

}  // namespace

const Registry<PlacementPolicy>& placement_registry() {
  static const Registry<PlacementPolicy> r = make_placement_registry();
  return r;
}

HostFleet::HostFleet(std::vector<HostGroup> groups, PlacementPolicy policy, RandomStream placement_stream)
    : policy_(std::move(policy)), placement_stream_(placement_stream) {
  for (const auto& g : groups) {
    if (g.az.empty()) throw std::invalid_argument("host fleet: a host group has no availability zone");
    if (g.hosts < 0) throw std::invalid_argument(fmt::format("host fleet: {} hosts in {}", g.hosts, g.az));
    if (g.memory_mib <= 0)
      throw std::invalid_argument(fmt::format("host fleet: host memory must be positive, got {} MiB", g.memory_mib));
    const double ov = g.isolation.overhead_mib;
    if (!(ov >= 0) || !std::isfinite(ov))
      throw std::invalid_argument(fmt::format("host fleet: VM overhead must be >= 0 MiB, got {:g}", ov));
    bool known = false;
    for (const auto& z : zones_) known |= z == g.az;
    if (!known) zones_.push_back(g.az);
  }
  zone_.resize(zones_.size());
  // Hosts of one zone are contiguous, in the order of the groups.
  for (std::size_t zi = 0; zi < zones_.size(); ++zi) {
    Zone& z = zone_[zi];
    z.begin = hosts_.size();
    for (const auto& g : groups) {
      if (g.az != zones_[zi]) continue;
      const std::int64_t cpu = cpu_units(g.vcpu, "host");
      const std::int64_t kib = std::int64_t{g.memory_mib} * 1024;
      const auto profile = static_cast<std::uint32_t>(profiles_.size());
      profiles_.push_back(g.isolation);
      overhead_kib_.push_back(static_cast<std::int64_t>(std::ceil(g.isolation.overhead_mib * 1024.0)));
      for (int i = 0; i < g.hosts; ++i) {
        // Throws std::invalid_argument for a creation rate the bucket cannot hold.
        hosts_.push_back(Host{cpu, kib, cpu, kib, 0, profile, TokenBucket(1.0, g.isolation.creations_per_second_per_host)});
        z.capacity_cpu += cpu;
        z.capacity_kib += kib;
      }
    }
    z.end = hosts_.size();
    int groups_here = 0;
    for (const auto& g : groups) groups_here += g.az == zones_[zi] && g.hosts > 0;
    z.uniform = groups_here <= 1;
    for (std::size_t h = z.begin; h < z.end; ++h) z.empty.insert(h);
  }
}

HostFleet HostFleet::uniform(const std::vector<std::string>& zones, int hosts_per_az, double vcpu, int memory_mib,
                             const IsolationProfile& isolation, PlacementPolicy policy, RandomStream placement_stream) {
  std::vector<HostGroup> groups;
  groups.reserve(zones.size());
  for (const auto& z : zones) groups.push_back(HostGroup{z, hosts_per_az, vcpu, memory_mib, isolation});
  return HostFleet(std::move(groups), std::move(policy), placement_stream);
}

std::optional<std::size_t> HostFleet::az_index(std::string_view az) const noexcept {
  for (std::size_t i = 0; i < zones_.size(); ++i)
    if (zones_[i] == az) return i;
  return std::nullopt;
}

int HostFleet::hosts(std::size_t az) const {
  const Zone& z = zone(az);
  return static_cast<int>(z.end - z.begin);
}

HostView HostFleet::host(std::size_t az, std::size_t index) const {
  const Zone& z = zone(az);
  if (index >= z.end - z.begin) throw std::out_of_range(fmt::format("host fleet: no host {} in {}", index, zones_[az]));
  const Host& h = hosts_[z.begin + index];
  return {static_cast<double>(h.free_cpu) / kUnitsPerVcpu, static_cast<double>(h.free_kib) / 1024.0, h.tasks};
}

std::optional<std::size_t> HostFleet::choose(const Zone& z, std::int64_t cpu, std::int64_t kib) {
  // The hosts worth looking at for first_fit and best_fit: all of them, or for a uniform zone
  // the used ones plus the lowest-index empty one (see Zone::uniform). Same answers either way.
  auto candidates = [&](auto&& visit) {
    if (!z.uniform) {
      for (std::size_t i = z.begin; i < z.end; ++i) visit(i);
      return;
    }
    for (std::size_t i : z.used) visit(i);
    if (!z.empty.empty()) visit(*z.empty.begin());
  };
  switch (policy_.kind) {
    case PlacementPolicy::Kind::first_fit: {
      std::optional<std::size_t> first;
      candidates([&](std::size_t i) {
        if (fits(hosts_[i], cpu, kib) && (!first || i < *first)) first = i;
      });
      return first;
    }
    case PlacementPolicy::Kind::best_fit: {
      std::optional<std::size_t> best;
      std::int64_t best_left = 0;
      candidates([&](std::size_t i) {
        const Host& h = hosts_[i];
        if (!fits(h, cpu, kib)) return;
        const std::int64_t left = h.free_kib - kib - overhead_kib_[h.profile];
        if (!best || left < best_left || (left == best_left && i < *best)) {  // ties: the lower index
          best = i;
          best_left = left;
        }
      });
      return best;
    }
    case PlacementPolicy::Kind::random: {
      std::uint64_t n = 0;
      for (std::size_t i = z.begin; i < z.end; ++i) n += fits(hosts_[i], cpu, kib);
      if (n == 0) return std::nullopt;
      std::uint64_t k = placement_stream_.below(n);
      for (std::size_t i = z.begin; i < z.end; ++i)
        if (fits(hosts_[i], cpu, kib) && k-- == 0) return i;
      return std::nullopt;  // unreachable
    }
  }
  return std::nullopt;
}

void HostFleet::host_gained_task(Zone& z, std::size_t host) {
  if (used_pos_.size() < hosts_.size()) used_pos_.resize(hosts_.size());
  z.empty.erase(host);
  used_pos_[host] = z.used.size();
  z.used.push_back(host);
}

void HostFleet::host_lost_task(Zone& z, std::size_t host) {
  const std::size_t pos = used_pos_[host];
  z.used[pos] = z.used.back();
  used_pos_[z.used[pos]] = pos;
  z.used.pop_back();
  z.empty.insert(host);
}

std::optional<Placement> HostFleet::place(const std::string& az, double vcpu, int memory_mib, SimTime now,
                                          RandomStream& boot_stream) {
  const auto zi = az_index(az);
  if (!zi) throw std::invalid_argument(fmt::format("host fleet: unknown availability zone \"{}\"", az));
  return place(*zi, vcpu, memory_mib, now, boot_stream);
}

std::optional<Placement> HostFleet::place(std::size_t az, double vcpu, int memory_mib, SimTime now,
                                          RandomStream& boot_stream) {
  if (az >= zone_.size()) throw std::invalid_argument(fmt::format("host fleet: no zone index {}", az));
  if (memory_mib <= 0) throw std::invalid_argument(fmt::format("host fleet: task memory must be positive, got {} MiB", memory_mib));
  const std::int64_t cpu = cpu_units(vcpu, "task");
  const std::int64_t task_kib = std::int64_t{memory_mib} * 1024;
  Zone& z = zone_[az];
  const auto chosen = choose(z, cpu, task_kib);
  if (!chosen) return std::nullopt;

  Host& h = hosts_[*chosen];
  const std::int64_t kib = task_kib + overhead_kib_[h.profile];
  h.free_cpu -= cpu;
  h.free_kib -= kib;
  if (h.tasks++ == 0) {
    ++z.hosts_in_use;
    host_gained_task(z, *chosen);
  }
  ++z.tasks;
  z.reserved_cpu += cpu;
  z.reserved_kib += kib;

  Placement p;
  p.az = static_cast<std::uint32_t>(az);
  p.host = static_cast<std::uint32_t>(*chosen - z.begin);
  p.vm_created = h.creations.reserve(now);
  const double boot = profiles_[h.profile].boot_time.sample(boot_stream);
  p.vm_ready = p.vm_created + SimTime::from_seconds(boot > 0 ? boot : 0.0);
  p.cpu_units = cpu;
  p.memory_kib = kib;
  return p;
}

void HostFleet::release(const Placement& p) {
  if (p.az >= zone_.size()) throw std::logic_error(fmt::format("host fleet: release in unknown zone index {}", p.az));
  Zone& z = zone_[p.az];
  if (p.host >= z.end - z.begin)
    throw std::logic_error(fmt::format("host fleet: release on unknown host {} in {}", p.host, zones_[p.az]));
  Host& h = hosts_[z.begin + p.host];
  if (h.tasks == 0 || h.free_cpu + p.cpu_units > h.capacity_cpu || h.free_kib + p.memory_kib > h.capacity_kib)
    throw std::logic_error(fmt::format("host fleet: release of more than is reserved on host {} in {}", p.host, zones_[p.az]));
  h.free_cpu += p.cpu_units;
  h.free_kib += p.memory_kib;
  if (--h.tasks == 0) {
    --z.hosts_in_use;
    host_lost_task(z, z.begin + p.host);
  }
  --z.tasks;
  z.reserved_cpu -= p.cpu_units;
  z.reserved_kib -= p.memory_kib;
}

}  // namespace fargatelab::detail
