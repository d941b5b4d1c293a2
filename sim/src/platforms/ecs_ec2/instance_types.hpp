// EC2 instance types that can be ECS container instances: size, network limits that bound
// awsvpc task density, and price. Every number comes from a cited source beside the table in
// instance_types.cpp; a type whose numbers could not all be sourced is left out, not guessed.
//
// CPU is in ECS CPU units: "A container instance has 1,024 CPU units for every CPU core"
// (ECS Developer Guide, "Service event messages", Not enough CPU). The model counts each vCPU
// as such a core: an instance registers vcpu * 1024 units.
//
// Memory: the table holds the nominal memory (EC2 "Memory (GiB)" * 1024). The ECS agent
// registers less than that: what the OS reports (e.g. an m4.large registers 7985 MiB of 8192,
// ECS Developer Guide, "Container Instance Memory Management") minus ECS_RESERVED_MEMORY. AWS
// publishes the OS shortfall for no instance type but that example, so the model registers
// `memory_mib - reserved_memory_mib` with reserved 0 by default (ECS reserves nothing unless
// ECS_RESERVED_MEMORY is set); a scenario that wants the shortfall sets the reserve.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace fargatelab::detail {

inline constexpr int kCpuUnitsPerVcpu = 1024;  // ECS CPU units per vCPU (see above)

// The ECS attribute ecs.cpu-architecture: "x86_64" or "arm64".
enum class CpuArchitecture : std::uint8_t { x86_64, arm64 };
std::string_view to_string(CpuArchitecture a) noexcept;

struct InstanceType {
  std::string_view name;        // e.g. "m5.large"; static storage
  int vcpu = 0;                 // default vCPUs
  int memory_mib = 0;           // nominal memory, MiB (GiB * 1024)
  CpuArchitecture architecture = CpuArchitecture::x86_64;
  int max_enis = 0;             // maximum network interfaces, the primary included
  int ipv4_per_eni = 0;         // private IPv4 addresses per network interface
  bool trunking_supported = false;  // listed as supporting ECS awsvpcTrunking
  int trunking_task_limit = 0;      // awsvpc tasks per instance with trunking (0 if unsupported)
  double on_demand_usd_per_hour = 0;  // us-east-1, Linux, On-Demand
  // AWS Spot Instance Advisor (us-east-1 Linux, June 2025): the frequency-of-interruption band
  // (0: <5 %, 1: 5-10 %, 2: 10-15 %, 3: 15-20 %, 4: >20 % of Spot capacity reclaimed in a month)
  // and the average saving against On-Demand over the last 30 days, percent.
  int spot_interruption_band = 0;
  int spot_savings_pct = 0;

  constexpr int cpu_units() const noexcept { return vcpu * kCpuUnitsPerVcpu; }
  // How many awsvpc tasks (one ENI each) the instance can hold: max ENIs minus the primary, or
  // with trunking (opted in before launch, on a supported type) the documented trunking limit.
  constexpr int awsvpc_task_limit(bool trunking) const noexcept {
    return trunking && trunking_supported ? trunking_task_limit : max_enis - 1;
  }
};

// The monthly interruption probability this model uses for a Spot Instance Advisor band: the
// band's midpoint (0.025, 0.075, 0.125, 0.175) and 0.25 for ">20 %", whose upper end AWS does
// not publish. std::out_of_range outside 0-4.
double spot_band_monthly_probability(int band);
// The constant hazard (interruptions per hour) that gives probability p within a 730-hour month:
// -ln(1 - p) / 730.
double spot_hazard_per_hour(double monthly_probability);

// Every instance type in the table, sorted by name.
std::span<const InstanceType> instance_types() noexcept;
// The type of that name, or nullptr.
const InstanceType* find_instance_type(std::string_view name) noexcept;
// The names in the table, sorted, for error messages.
std::span<const std::string_view> instance_type_names() noexcept;
// The same names joined by ", ".
const std::string& instance_type_list();

// The memory the ECS agent registers for tasks: memory_mib - reserved_memory_mib, where
// reserved_memory_mib is the agent's ECS_RESERVED_MEMORY (default 0). std::invalid_argument
// unless 0 <= reserved_memory_mib < memory_mib.
int registered_memory_mib(const InstanceType& type, int reserved_memory_mib = 0);

}  // namespace fargatelab::detail
