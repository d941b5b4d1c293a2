#include "ecs/standalone_tasks.hpp"

#include <fmt/format.h>

namespace fargatelab::detail {

StandaloneTasks::StandaloneTasks(Simulation& sim, FargatePlatform& platform, const std::vector<StandaloneTaskSpec>& specs)
    : sim_(sim), platform_(platform), specs_(specs), launched_(specs.size(), 0) {}

void StandaloneTasks::start() {
  for (std::size_t i = 0; i < specs_.size(); ++i)
    sim_.schedule_at(specs_[i].at, Callback{[](void* self, std::uint64_t i) { static_cast<StandaloneTasks*>(self)->run(i); }, this, i});
}

void StandaloneTasks::run(std::uint64_t index) {
  const StandaloneTaskSpec& s = specs_[index];
  for (int k = 0; k < s.count; ++k) {
    LaunchRequest r;
    r.standalone = static_cast<std::int32_t>(index);
    r.name = fmt::format("{}/{}", s.name, ++launched_[index]);
    r.spec = &s.task;
    r.provider = s.provider;
    r.subnets = &s.subnets;
    platform_.launch(r);
  }
  if (s.every)
    sim_.schedule_in(*s.every, Callback{[](void* self, std::uint64_t i) { static_cast<StandaloneTasks*>(self)->run(i); }, this, index});
}

}  // namespace fargatelab::detail
