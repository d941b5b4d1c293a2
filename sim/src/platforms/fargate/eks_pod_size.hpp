// EKS pods on Fargate: the Fargate size a pod's requests round up to.
#pragma once

#include <utility>

namespace fargatelab::detail {

// The Fargate size (cpu units, memory MiB) EKS provisions for a pod requesting
// `requested_vcpu` and `requested_memory_mib` (already combined per the EKS rule: max of the
// largest init container and the sum of long-running containers). EKS adds 256 MiB for
// kubelet, kube-proxy and containerd, then rounds up to the smallest valid combination with
// at least that CPU and memory (EKS User Guide, "Understand Fargate Pod configuration
// details": e.g. 1 vCPU + 8 GB -> 2 vCPU / 9 GB). EKS lists sizes up to 16 vCPU; the 32 vCPU
// ECS sizes are not offered. Throws std::invalid_argument for negative requests or requests
// above 16 vCPU / 120 GiB.
std::pair<int, int> eks_pod_size(double requested_vcpu, int requested_memory_mib);
// Memory EKS adds to a pod's request for the Kubernetes components (EKS User Guide, as above).
inline constexpr int kEksPodOverheadMib = 256;

}  // namespace fargatelab::detail
