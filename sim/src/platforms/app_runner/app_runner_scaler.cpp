#include "platforms/app_runner/app_runner_scaler.hpp"

#include <algorithm>

#include "ecs/service_scheduler.hpp"
#include "serving/service.hpp"

namespace fargatelab::detail {

AppRunnerScaler::AppRunnerScaler(Simulation& sim, Service& service, ServiceScheduler& scheduler, const AppRunnerSpec& spec,
                                 Duration interval)
    : sim_(sim), service_(service), scheduler_(scheduler), spec_(spec), interval_(interval) {}

void AppRunnerScaler::start() {
  sim_.every(interval_, bind<&AppRunnerScaler::evaluate>(this), sim_.now() + interval_, Priority::late);
}

int AppRunnerScaler::desired() const noexcept { return scheduler_.desired(); }

double AppRunnerScaler::active_instance_seconds() const {
  double total = 0;
  for (const auto& s : service_.servers()) total += s->busy_seconds();
  return total;
}

std::uint64_t AppRunnerScaler::activations() const {
  std::uint64_t n = 0;
  for (const auto& s : service_.servers()) n += s->activations();
  return n;
}

double AppRunnerScaler::billed_active_seconds() const {
  double total = 0;
  for (const auto& s : service_.servers()) total += s->active_seconds();
  return total;
}

void AppRunnerScaler::evaluate() {
  const auto c = static_cast<long long>(service_.concurrency());
  const long long per = spec_.max_concurrency;
  const int wanted = static_cast<int>(std::clamp<long long>((c + per - 1) / per, spec_.min_size, spec_.max_size));
  const int current = scheduler_.desired();
  if (wanted > current) {
    scheduler_.set_desired(wanted);
    ++scale_outs_;
    low_since_ = SimTime::infinity();
  } else if (wanted < current) {
    // Stabilisation: scale in to the most the window asked for, not to one second's value.
    if (low_since_.is_infinite()) {
      low_since_ = sim_.now();
      window_max_ = wanted;
    }
    window_max_ = std::max(window_max_, wanted);
    if (sim_.now() - low_since_ >= spec_.scale_in_delay) {
      scheduler_.set_desired(window_max_);
      ++scale_ins_;
      low_since_ = SimTime::infinity();
    }
  } else {
    low_since_ = SimTime::infinity();
  }
}

}  // namespace fargatelab::detail
