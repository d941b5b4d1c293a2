// The "scaling" section of a service: checked with every problem at its JSON pointer, then
// built into a ServiceScalingSpec. Two forms:
//  * an array of policies in the registry's short form, e.g.
//    ["target_tracking(metric=cpu, target=60)"], with the default limits below;
//  * an object: {"min_capacity", "max_capacity", "suspended": {...}, "policies": [...],
//    "high_resolution_metrics": bool}; min/max/suspended may also come as AWS's own
//    `register-scalable-target` input ({"MinCapacity", "MaxCapacity", "SuspendedState"}) under
//    "scalable_target".
// Default limits (fargatelab's, since RegisterScalableTarget requires both for a new target):
// min_capacity 1, max_capacity 10 x max(initial capacity, 1) (an ECS service's desired_count,
// a Lambda function's provisioned concurrency).
// The target's kind (its platform's PlatformModel::scaling_target) gives the ServiceNamespace a
// put-scaling-policy or register-scalable-target document must name.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/diagnostics.hpp"
#include "scaling/service_scaling_spec.hpp"

namespace fargatelab::detail {

// Appends every problem of `scaling` (the service's "scaling" value; `base` its pointer).
void check_service_scaling(const nlohmann::json& scaling, const std::string& base, const std::string& service,
                           const ScalingTargetKind& target, std::vector<Diagnostic>& out);
// The spec of a value that passed check_service_scaling; null when it has no policy (the
// service does not scale). Throws ScenarioError if it does not pass.
std::shared_ptr<const ServiceScalingSpec> build_service_scaling(const nlohmann::json& scaling, const std::string& base,
                                                                const std::string& service,
                                                                const ScalingTargetKind& target);

}  // namespace fargatelab::detail
