// The isolation substrate a Fargate task runs in: how long its VM takes to boot, how fast one
// host can create VMs and how much host memory each VM costs beyond the task's own size.
//
// AWS says Fargate tasks run in Firecracker microVMs (aws-facts B.3, C.1 "Powers Lambda and
// Fargate"), but whether every Fargate task does is publicly disputed, so the substrate is a
// parameter: "firecracker" (NSDI'20 figures) or "vm" (a conventional per-task QEMU/KVM VM).
// Registered by name: "firecracker", "vm(boot=3, rate=5)". A plain value, no virtual calls.
#pragma once

#include <string>

#include "fargatelab/random.hpp"
#include "fargatelab/registry.hpp"

namespace fargatelab::detail {

struct IsolationProfile {
  std::string name;                       // registry name, e.g. "firecracker"
  Distribution boot_time;                 // seconds from the VM's creation slot to its guest running
  double creations_per_second_per_host;   // VMs one host can start per second (FIFO), > 0
  double overhead_mib;                    // host memory per VM beyond the task's memory (VMM + guest kernel), >= 0
};

// "firecracker(boot, boot_sd, rate, overhead_mib)" and "vm(...)"; boot and boot_sd are durations
// (seconds or "125ms"); boot_time is lognormal with that mean and sd, or constant if boot_sd = 0.
const Registry<IsolationProfile>& isolation_registry();

}  // namespace fargatelab::detail
