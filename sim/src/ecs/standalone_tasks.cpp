#include "ecs/standalone_tasks.hpp"

#include <fmt/format.h>

namespace fargatelab::detail {
namespace {
constexpr std::int64_t kNsPerSecond = 1'000'000'000;
void fire(void* self, std::uint64_t i);
}  // namespace

StandaloneTasks::StandaloneTasks(Simulation& sim, LaunchType& platform, const std::vector<StandaloneTaskSpec>& specs,
                                 std::int64_t start_unix_seconds)
    : sim_(sim), platform_(platform), specs_(specs), start_unix_(start_unix_seconds), launched_(specs.size(), 0) {
  for (const auto& s : specs)
    schedules_.push_back(s.schedule.empty() ? std::nullopt : std::optional(ScheduleExpression::parse(s.schedule)));
}

void StandaloneTasks::start() {
  for (std::size_t i = 0; i < specs_.size(); ++i) sim_.schedule_at(specs_[i].at, Callback{&fire, this, i});
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
    platform_.run_task(std::move(r));
  }
  schedule_next(index);
}

// The schedule is anchored where the first run happened (`at`); cron times are whole minutes
// of UTC calendar time, so t = 0 maps to start_time.
void StandaloneTasks::schedule_next(std::uint64_t index) {
  if (!schedules_[index]) return;
  const std::int64_t now_unix = start_unix_ + sim_.now().ns() / kNsPerSecond;
  const std::int64_t anchor = start_unix_ + specs_[index].at.ns() / kNsPerSecond;
  const auto next = schedules_[index]->next_after(now_unix, anchor);
  if (!next) return;
  sim_.schedule_at(SimTime::from_ns((*next - start_unix_) * kNsPerSecond), Callback{&fire, this, index});
}

namespace {
void fire(void* self, std::uint64_t i) { static_cast<StandaloneTasks*>(self)->run(i); }
}  // namespace

}  // namespace fargatelab::detail
