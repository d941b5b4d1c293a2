#include "platforms/ecs_ec2/instance_types.hpp"

#include "fargatelab/constants.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace fargatelab::detail {
namespace {

constexpr auto x86 = CpuArchitecture::x86_64;
constexpr auto arm = CpuArchitecture::arm64;

// Sources, column by column (a type is listed only if every column could be sourced):
//
// vcpu, memory_mib -- Amazon EC2 User Guide (awsdocs/amazon-ec2-user-guide, doc_source/):
//   general-purpose-instances.md "Hardware specifications" (t3, m5, m6i, m6g, m7g),
//   compute-optimized-instances.md "Hardware specifications" (c6i),
//   memory-optimized-instances.md "Hardware specifications" (r6i); "Memory (GiB)" * 1024.
//   c7g.large (not in the archived guide): Karpenter "Instance Types" reference, generated from
//   EC2 DescribeInstanceTypes (aws/karpenter-provider-aws, website/content/en/docs/reference/
//   instance-types.md): instance-cpu 2, instance-memory 4096, kubernetes.io/arch arm64.
//
// architecture -- EC2 User Guide, general-purpose-instances.md processor list: T3 and M5 are
//   Intel Xeon (Skylake 8175M or Cascade Lake 8259CL), M6i Intel Ice Lake 8375C, M6g AWS
//   Graviton2; compute-optimized-instances.md: C6i Ice Lake, Graviton is "64-bit Arm";
//   memory-optimized-instances.md: R6i Ice Lake. M7g: AWS News Blog "New Graviton3-Based General
//   Purpose (m7g) and Memory-Optimized (r7g) Amazon EC2 Instances" (2023-02-13). C7g: the
//   Karpenter reference above (arm64).
//
// max_enis, ipv4_per_eni -- EC2 User Guide, using-eni.md, "IP addresses per network interface
//   per instance type" ("Maximum network interfaces", "Private IPv4 addresses per interface"):
//   t3, m5, m6i, c6i, r6i, m6g. m7g and c7g (not in the archived table): the AWS VPC resource
//   controller's limits generated from EC2 DescribeInstanceTypes (aws/amazon-vpc-resource-
//   controller-k8s, pkg/aws/vpc/limits.go, generated 2025-10-06: Interface, IPv4PerInterface);
//   consistent with the ECS guide below, whose ENI limit is "the current task limit" plus one
//   (2 + 1 = 3 for .large, 3 + 1 = 4 for .xlarge).
//
// trunking_supported, trunking_task_limit -- Amazon ECS Developer Guide, container-instance-
//   eni.md "Elastic network interface trunking", "Supported Amazon EC2 instance types" ("Task
//   limit without ENI trunking" / "with ENI trunking"): m5, m6i, m6g, m7g, c6i, c7g, r6i are
//   listed; the T3 family is not, so t3 has no trunking. The "without" column equals
//   max_enis - 1 for every listed type here (checked in tests/cpp/ecs_ec2_placement_test.cpp).
//
// on_demand_usd_per_hour -- us-east-1 Linux On-Demand from the AWS Pricing API as generated into
//   Karpenter (aws/karpenter-provider-aws, pkg/providers/pricing/zz_generated.pricing_aws.go,
//   "generated at 2026-01-19T13:23:24Z for us-east-1"); agrees with
//   the secondary price summaries of the project's developer fact sheet (t3.medium 0.0416,
//   m5.large 0.096, m6i.large 0.096, m6g.large 0.077, m7g.large 0.0816, c7g.large 0.0725) and
//   with m7g.xlarge $0.1632 printed on the Lambda pricing page.
//
// spot_interruption_band, spot_savings_pct -- the AWS Spot Instance Advisor feed, us-east-1 Linux,
//   snapshot of June 2025 (scenarios/data/aws-spot-advisor-2025-06/spot-advisor-us-east-1-linux.json,
//   fields "r" and "s"; see its SOURCE.md); the test "instance types: Spot columns match the
//   Spot Instance Advisor snapshot" re-reads the file and compares.
//
// Sorted by name (find_instance_type is a binary search).
constexpr std::array kTypes{
    //            name          vCPU  MiB    arch ENIs IPv4 trunk limit  $/h    spot band, savings %
    InstanceType{"c6i.large",   2,  4096,  x86, 3, 10, true,  10, 0.085, 1, 63},
    InstanceType{"c6i.xlarge",  4,  8192,  x86, 4, 15, true,  20, 0.170, 3, 60},
    InstanceType{"c7g.large",   2,  4096,  arm, 3, 10, true,  10, 0.0725, 0, 49},
    InstanceType{"m5.2xlarge",  8,  32768, x86, 4, 15, true,  40, 0.384, 2, 54},
    InstanceType{"m5.large",    2,  8192,  x86, 3, 10, true,  10, 0.096, 3, 66},
    InstanceType{"m5.xlarge",   4,  16384, x86, 4, 15, true,  20, 0.192, 4, 66},
    InstanceType{"m6g.large",   2,  8192,  arm, 3, 10, true,  10, 0.077, 2, 60},
    InstanceType{"m6g.xlarge",  4,  16384, arm, 4, 15, true,  20, 0.154, 1, 68},
    InstanceType{"m6i.2xlarge", 8,  32768, x86, 4, 15, true,  40, 0.384, 4, 58},
    InstanceType{"m6i.large",   2,  8192,  x86, 3, 10, true,  10, 0.096, 2, 63},
    InstanceType{"m6i.xlarge",  4,  16384, x86, 4, 15, true,  20, 0.192, 1, 55},
    InstanceType{"m7g.large",   2,  8192,  arm, 3, 10, true,  10, 0.0816, 2, 64},
    InstanceType{"m7g.xlarge",  4,  16384, arm, 4, 15, true,  20, 0.1632, 1, 62},
    InstanceType{"r6i.large",   2,  16384, x86, 3, 10, true,  10, 0.126, 4, 68},
    InstanceType{"t3.large",    2,  8192,  x86, 3, 12, false, 0,  0.0832, 1, 62},
    InstanceType{"t3.medium",   2,  4096,  x86, 3, 6,  false, 0,  0.0416, 0, 56},
};

constexpr bool sorted_by_name() {
  for (std::size_t i = 1; i < kTypes.size(); ++i)
    if (!(kTypes[i - 1].name < kTypes[i].name)) return false;
  return true;
}
static_assert(sorted_by_name(), "kTypes must be sorted by name, without duplicates");

constexpr std::array<std::string_view, kTypes.size()> make_names() {
  std::array<std::string_view, kTypes.size()> out{};
  for (std::size_t i = 0; i < kTypes.size(); ++i) out[i] = kTypes[i].name;
  return out;
}
constexpr auto kNames = make_names();

}  // namespace

std::string_view to_string(CpuArchitecture a) noexcept { return a == CpuArchitecture::arm64 ? "arm64" : "x86_64"; }

std::span<const InstanceType> instance_types() noexcept { return kTypes; }

const InstanceType* find_instance_type(std::string_view name) noexcept {
  const auto it = std::lower_bound(kTypes.begin(), kTypes.end(), name,
                                   [](const InstanceType& t, std::string_view n) { return t.name < n; });
  return it != kTypes.end() && it->name == name ? &*it : nullptr;
}

std::span<const std::string_view> instance_type_names() noexcept { return kNames; }

const std::string& instance_type_list() {
  static const std::string list = fmt::format("{}", fmt::join(kNames, ", "));
  return list;
}

double spot_band_monthly_probability(int band) {
  static constexpr std::array<double, 5> kMidpoints{0.025, 0.075, 0.125, 0.175, 0.25};
  if (band < 0 || band >= static_cast<int>(kMidpoints.size()))
    throw std::out_of_range(fmt::format("Spot Instance Advisor band {} (expected 0-4)", band));
  return kMidpoints[static_cast<std::size_t>(band)];
}

double spot_hazard_per_hour(double monthly_probability) {
  if (!(monthly_probability >= 0 && monthly_probability < 1))
    throw std::invalid_argument(fmt::format("a monthly interruption probability is in [0, 1), got {}", monthly_probability));
  return -std::log1p(-monthly_probability) / fargatelab::month_hours;  // AWS's pricing month
}

int registered_memory_mib(const InstanceType& type, int reserved_memory_mib) {
  if (reserved_memory_mib < 0 || reserved_memory_mib >= type.memory_mib)
    throw std::invalid_argument(fmt::format("{}: ECS_RESERVED_MEMORY must be in [0, {}) MiB, got {}", type.name,
                                            type.memory_mib, reserved_memory_mib));
  return type.memory_mib - reserved_memory_mib;
}

}  // namespace fargatelab::detail
