#include "platforms/fargate/eks_pod_size.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "platforms/fargate/task_size.hpp"

namespace fargatelab::detail {

std::pair<int, int> eks_pod_size(double requested_vcpu, int requested_memory_mib) {
  if (!(requested_vcpu >= 0) || requested_memory_mib < 0)
    throw std::invalid_argument("eks_pod_size: requests must be non-negative");
  // A tiny tolerance so that 0.25 * 1024 computed in floating point stays 256.
  const double cpu_needed = requested_vcpu * 1024.0 - 1e-9;
  const int mem_needed = requested_memory_mib + kEksPodOverheadMib;
  for (int cpu : fargate_cpu_values()) {
    if (cpu > 16384) break;  // EKS lists Fargate pod sizes up to 16 vCPU
    if (cpu < cpu_needed) continue;
    for (int mem : fargate_memory_values(cpu))
      if (mem >= mem_needed) return {cpu, mem};
  }
  throw std::invalid_argument(fmt::format(
      "eks_pod_size: {:g} vCPU and {} MiB (+{} MiB for Kubernetes components) exceed the largest Fargate pod "
      "(16 vCPU, 120 GiB)",
      requested_vcpu, requested_memory_mib, kEksPodOverheadMib));
}
}  // namespace fargatelab::detail
