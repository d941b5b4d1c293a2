#include "scaling/deployment_alarms.hpp"

#include <algorithm>

#include "scaling/metric_keys.hpp"

namespace fargatelab::detail {

DeploymentAlarms::DeploymentAlarms(Simulation& sim, const MetricView& metrics, ServiceScheduler& scheduler,
                                   const std::vector<AlarmSpec>& specs, const std::vector<std::string>& names,
                                   Duration publication_delay)
    : sim_(sim), metrics_(metrics), scheduler_(scheduler) {
  for (const AlarmSpec& a : specs)
    if (std::find(names.begin(), names.end(), a.name) != names.end()) alarms_.push_back(std::make_unique<Alarm>(a));
  for (const auto& a : alarms_) {
    // Long enough for the alarm to evaluate EvaluationPeriods whole periods that began after the
    // bake did: one period for the one in progress, N more, and the publication delay.
    scheduler_.set_alarm_window(a->name(), a->spec().period() * (a->spec().evaluation_periods + 1) + publication_delay);
  }
  for (const auto& a : alarms_)
    a->state_changed.connect([this](const Alarm& al, const AlarmStateChange& c) {
      scheduler_.on_alarm(al.name(), c.to == AlarmState::alarm, c.reason);
    });
}

DeploymentAlarms::~DeploymentAlarms() {
  for (TimerId t : timers_) sim_.cancel_timer(t);
}

void DeploymentAlarms::start() {
  for (std::size_t i = 0; i < alarms_.size(); ++i) {
    const Duration every = std::min(alarms_[i]->spec().period(), metric_keys::kStandardPeriod);
    timers_.push_back(sim_.every(every, bind<&DeploymentAlarms::evaluate>(this, i), sim_.now() + every, Priority::late));
  }
}

void DeploymentAlarms::evaluate(std::uint64_t index) { alarms_[index]->evaluate(metrics_, sim_.now()); }

}  // namespace fargatelab::detail
