// Several policies on one scalable target: Application Auto Scaling "scales out if any of the
// policies is ready to scale out, and scales in only if all of the target tracking policies
// (with the scale-in portion enabled) are ready to scale in"; when several act, the one giving
// the largest capacity wins (AAS user guide, target tracking and step scaling; aws-facts-2 1.1).
#pragma once

#include <cstddef>
#include <optional>
#include <span>

#include "scaling/scaling_policy.hpp"

namespace fargatelab::detail {

struct CombinedDecision {
  int desired = 0;         // the capacity to set (before clamping to the target's limits)
  std::size_t policy = 0;  // index of the winning recommendation (the first one on a tie)
};

// The decision for a target whose desired capacity is `desired`, from one recommendation per
// policy, in policy order. A pure function:
//  1. scale out: if any recommendation asks for more than `desired`, the largest of them;
//  2. else scale in: the largest capacity below `desired` among the non-voting policies'
//     requests and, if every voting policy asks for less than `desired`, the voters' requests;
//  3. floors (Recommendation::floor) take part in neither: once a scale-in is chosen, it is
//     raised to the largest floor, and cancelled if a floor is at `desired`;
//  4. else nullopt (no change).
// Suspension and the limits are applied by the caller (PolicyEvaluator).
std::optional<CombinedDecision> combine_recommendations(int desired, std::span<const Recommendation> recommendations);

}  // namespace fargatelab::detail
