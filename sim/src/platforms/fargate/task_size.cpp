#include "platforms/fargate/task_size.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace fargatelab::detail {
namespace {

struct Range {
  int cpu;
  int lo, hi, step;          // memory range in MiB (step 0: use `explicit_values`)
  std::vector<int> explicit_values;
};

const std::vector<Range>& table() {
  static const std::vector<Range> t = {
      {256, 0, 0, 0, {512, 1024, 2048}},
      {512, 1024, 4096, 1024, {}},
      {1024, 2048, 8192, 1024, {}},
      {2048, 4096, 16384, 1024, {}},
      {4096, 8192, 30720, 1024, {}},
      {8192, 16384, 61440, 4096, {}},
      {16384, 32768, 122880, 8192, {}},
      {32768, 0, 0, 0, {61440, 122880, 249856}},
  };
  return t;
}

const Range* find(int cpu) {
  for (const auto& r : table())
    if (r.cpu == cpu) return &r;
  return nullptr;
}

}  // namespace

const std::vector<int>& fargate_cpu_values() {
  static const std::vector<int> v = [] {
    std::vector<int> out;
    for (const auto& r : table()) out.push_back(r.cpu);
    return out;
  }();
  return v;
}

std::vector<int> fargate_memory_values(int cpu_units) {
  const Range* r = find(cpu_units);
  if (!r) return {};
  if (r->step == 0) return r->explicit_values;
  std::vector<int> out;
  for (int m = r->lo; m <= r->hi; m += r->step) out.push_back(m);
  return out;
}

std::string describe_fargate_memory(int cpu_units) {
  const Range* r = find(cpu_units);
  if (!r) return "none";
  if (r->step == 0) return fmt::format("{} MiB", fmt::join(r->explicit_values, ", "));
  return fmt::format("{} to {} MiB in steps of {}", r->lo, r->hi, r->step);
}

std::vector<SizeProblem> check_fargate_size(int cpu, int memory, const std::string& os, const std::string& arch) {
  std::vector<SizeProblem> out;
  if (!find(cpu)) {
    out.push_back({"cpu", fmt::format("{} is not a valid Fargate CPU value (valid: {})", cpu,
                                      fmt::join(fargate_cpu_values(), ", "))});
    return out;
  }
  const auto mem = fargate_memory_values(cpu);
  if (std::find(mem.begin(), mem.end(), memory) == mem.end())
    out.push_back({"memory", fmt::format("{} MiB is not valid with {} CPU units (valid: {})", memory, cpu,
                                         describe_fargate_memory(cpu))});
  if (os == "windows") {
    if (cpu < 1024 || cpu > 4096)
      out.push_back({"cpu", fmt::format("Windows tasks on Fargate take 1024, 2048 or 4096 CPU units, not {}", cpu)});
    if (arch != "x86_64")
      out.push_back({"architecture", "Windows tasks on Fargate run on x86_64 only"});
  }
  return out;
}

}  // namespace fargatelab::detail
