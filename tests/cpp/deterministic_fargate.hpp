// The scenario "fargate" section that fixes every launch phase, so tests can compute launch
// times by hand: provisioning max(2, 3) = 3 s (capacity and ENI in parallel), microVM boot
// 0.1 s (the host creation rate never delays a VM), ACTIVATING 1 s, ENI detach 4 s, and image
// pulls without noise (an empty 1-layer image: 0.3 s). deterministic_task() is the task the
// hand timelines use with it: 1 vCPU, 2048 MiB, container start 1 s + 1 CPU-s of init at 1 vCPU
// = 2 s, no shutdown time, an empty image; RUNNING at L + 3 + 0.1 + 0.3 + 2 + 1 = L + 6.4 s.
#pragma once

#include <nlohmann/json.hpp>

inline nlohmann::json deterministic_fargate() {
  return {{"isolation", "firecracker(boot=0.1, boot_sd=0, rate=1000000)"},
          {"provisioning", "constant(value=2)"},
          {"eni_attach", "constant(value=3)"},
          {"activating", "constant(value=1)"},
          {"eni_detach", "constant(value=4)"},
          {"image_pull", {{"noise_sd", 0}}}};
}

inline nlohmann::json deterministic_task() {
  return {{"cpu", 1024},
          {"memory", 2048},
          {"init_cpu_seconds", "constant(value=1)"},
          {"shutdown_time", "constant(value=0)"},
          {"image", {{"size_mb", 0}, {"layers", 1}}}};
}
