#include "scaling/policy_evaluator.hpp"

#include <algorithm>
#include <stdexcept>

namespace fargatelab::detail {

PolicyEvaluator::PolicyEvaluator(Simulation& sim, ScalableTarget& target, const MetricView& metrics, Duration period)
    : sim_(sim), target_(target), metrics_(metrics), period_(period) {
  if (period_ <= Duration::zero())
    throw std::invalid_argument("the evaluation period of " + target.resource_id() + " must be > 0");
}

PolicyEvaluator::~PolicyEvaluator() { stop(); }

void PolicyEvaluator::add(std::string name, std::unique_ptr<ScalingPolicy> policy) {
  if (!policy) throw std::invalid_argument("scaling policy \"" + name + "\" is null");
  policies_.push_back({std::move(name), std::move(policy)});
}

void PolicyEvaluator::start(SimTime first) {
  stop();
  timer_ = sim_.every(period_, bind<&PolicyEvaluator::evaluate>(this), first, Priority::late);
}

void PolicyEvaluator::stop() noexcept {
  if (timer_.valid()) sim_.cancel_timer(timer_);
  timer_ = {};
}

void PolicyEvaluator::evaluate() {
  ++evaluations_;
  const TargetState state{sim_.now(),        target_.desired_capacity(), target_.current_capacity(), target_.limits(),
                          target_.suspended(), last_out_,                  last_in_};
  recommendations_.clear();
  for (auto& p : policies_) recommendations_.push_back(p.policy->evaluate(metrics_, state));
  const auto decision = combine_recommendations(state.desired, recommendations_);
  if (!decision) return;
  const bool out = decision->desired > state.desired;
  if (out ? state.suspended.dynamic_scaling_out : state.suspended.dynamic_scaling_in) return;
  if (!out && target_.scale_in_blocked()) return;  // an ECS deployment is in progress
  CapacityLimits limits = state.limits;
  if (const auto& raised = recommendations_[decision->policy].max_capacity; out && raised && *raised > limits.max) {
    limits.max = *raised;
    target_.set_limits(limits);
  }
  const int clamped = limits.clamp(decision->desired);
  const int to = out ? std::max(clamped, state.desired) : std::min(clamped, state.desired);
  if (to == state.desired) return;
  target_.set_desired_capacity(to);
  ScalingActivity a{state.now, state.desired, to, decision->desired, policies_[decision->policy].name,
                    std::move(recommendations_[decision->policy].cause)};
  (out ? last_out_ : last_in_) = a;
  scaled.emit(a);
}

}  // namespace fargatelab::detail
