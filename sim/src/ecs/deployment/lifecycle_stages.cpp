// Names of the blue/green family's strategies and lifecycle stages, and its traffic steps
// (declared in deployment_spec.hpp).
#include <algorithm>
#include <array>
#include <cmath>

#include "ecs/deployment/deployment_spec.hpp"

namespace fargatelab::detail {
namespace {
constexpr std::array<const char*, kLifecycleStageCount> kStageNames = {
    "RECONCILE_SERVICE", "PRE_SCALE_UP", "SCALE_UP", "POST_SCALE_UP", "TEST_TRAFFIC_SHIFT", "POST_TEST_TRAFFIC_SHIFT",
    "PRE_PRODUCTION_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT", "BAKE_TIME", "CLEAN_UP"};
}

const char* to_string(DeploymentStrategy s) noexcept {
  switch (s) {
    case DeploymentStrategy::blue_green: return "BLUE_GREEN";
    case DeploymentStrategy::linear: return "LINEAR";
    case DeploymentStrategy::canary: return "CANARY";
    case DeploymentStrategy::rolling:
    default: return "ROLLING";
  }
}

const char* to_string(LifecycleStage s) noexcept { return kStageNames[static_cast<std::size_t>(s)]; }

std::optional<LifecycleStage> parse_lifecycle_stage(const std::string& s) noexcept {
  for (std::size_t i = 0; i < kStageNames.size(); ++i)
    if (s == kStageNames[i]) return static_cast<LifecycleStage>(i);
  return std::nullopt;
}

const char* codedeploy_event_name(LifecycleStage s) noexcept {
  switch (s) {
    case LifecycleStage::pre_scale_up: return "BeforeInstall";
    case LifecycleStage::scale_up: return "Install";
    case LifecycleStage::post_scale_up: return "AfterInstall";
    case LifecycleStage::test_traffic_shift: return "AllowTestTraffic";
    case LifecycleStage::post_test_traffic_shift: return "AfterAllowTestTraffic";
    case LifecycleStage::pre_production_traffic_shift: return "BeforeAllowTraffic";
    case LifecycleStage::production_traffic_shift: return "AllowTraffic";
    case LifecycleStage::post_production_traffic_shift: return "AfterAllowTraffic";
    case LifecycleStage::bake_time: return "TerminationWait";
    case LifecycleStage::clean_up: return "TerminateOriginalTaskSet";
    case LifecycleStage::reconcile_service:
    default: return nullptr;
  }
}

const std::vector<std::string>& codedeploy_hook_events() {
  static const std::vector<std::string> names = {"BeforeInstall", "AfterInstall", "AfterAllowTestTraffic", "BeforeAllowTraffic",
                                                 "AfterAllowTraffic"};
  return names;
}

std::optional<LifecycleStage> parse_codedeploy_hook_event(const std::string& s) noexcept {
  for (LifecycleStage st : {LifecycleStage::pre_scale_up, LifecycleStage::post_scale_up, LifecycleStage::post_test_traffic_shift,
                            LifecycleStage::pre_production_traffic_shift, LifecycleStage::post_production_traffic_shift})
    if (s == codedeploy_event_name(st)) return st;
  return std::nullopt;
}

bool takes_hooks(LifecycleStage s) noexcept {
  return s != LifecycleStage::scale_up && s != LifecycleStage::bake_time && s != LifecycleStage::clean_up;
}

bool takes_pause_hooks(LifecycleStage s) noexcept {
  return takes_hooks(s) && s != LifecycleStage::test_traffic_shift && s != LifecycleStage::production_traffic_shift;
}

// BLUE_GREEN: 100 at once. CANARY: canaryPercent, then 100. LINEAR: stepPercent, 2 x stepPercent,
// ... each step adding stepPercent, the last one capped at 100 (ECS deployment-type-linear).
std::vector<double> TrafficShiftConfig::steps(DeploymentStrategy s) const {
  switch (s) {
    case DeploymentStrategy::canary:
      return step_percent >= 100 ? std::vector<double>{100} : std::vector<double>{step_percent, 100};
    case DeploymentStrategy::linear: {
      std::vector<double> out;
      const int n = static_cast<int>(std::ceil(100.0 / step_percent - 1e-9));
      for (int k = 1; k < n; ++k) out.push_back(k * step_percent);
      out.push_back(100);
      return out;
    }
    default: return {100};
  }
}

}  // namespace fargatelab::detail
