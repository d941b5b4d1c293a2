// Valid Fargate task sizes (CPU units and memory in MiB).
// Source: Amazon ECS Developer Guide, "Task CPU and memory" (AWS_Fargate.md, 2023 archive)
// for 0.25-16 vCPU; the 32 vCPU sizes (60, 120, 244 GB) from the current Fargate pricing page.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace fargatelab::detail {

// CPU values Fargate accepts, ascending.
const std::vector<int>& fargate_cpu_values();
// Memory values (MiB) valid with `cpu` units; empty if the CPU value is invalid.
std::vector<int> fargate_memory_values(int cpu_units);
// Human-readable list of the memory values valid with `cpu`, e.g. "2048 to 8192 MiB in steps of 1024".
std::string describe_fargate_memory(int cpu_units);

struct SizeProblem {
  std::string field;  // "cpu", "memory", "os" or "architecture"
  std::string message;
};
// All problems with a task size, empty if Fargate accepts it. Windows tasks run on x86_64 with
// 1, 2 or 4 vCPU only.
std::vector<SizeProblem> check_fargate_size(int cpu_units, int memory_mib, const std::string& os,
                                            const std::string& architecture);

}  // namespace fargatelab::detail
