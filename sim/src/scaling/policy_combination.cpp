#include "scaling/policy_combination.hpp"

namespace fargatelab::detail {

std::optional<CombinedDecision> combine_recommendations(int desired, std::span<const Recommendation> recommendations) {
  auto asks_below = [desired](const Recommendation& r) { return r.desired && *r.desired < desired; };
  std::optional<CombinedDecision> out, in;
  bool voters_agree = true;
  for (std::size_t i = 0; i < recommendations.size(); ++i) {
    const Recommendation& r = recommendations[i];
    if (r.votes_on_scale_in && !asks_below(r)) voters_agree = false;
    if (r.desired && *r.desired > desired && (!out || *r.desired > out->desired)) out = CombinedDecision{*r.desired, i};
  }
  if (out) return out;
  for (std::size_t i = 0; i < recommendations.size(); ++i) {
    const Recommendation& r = recommendations[i];
    if (r.floor || !asks_below(r) || (r.votes_on_scale_in && !voters_agree)) continue;
    if (!in || *r.desired > in->desired) in = CombinedDecision{*r.desired, i};
  }
  // Floors never scale in themselves; they keep a scale-in from going below them.
  for (std::size_t i = 0; in && i < recommendations.size(); ++i) {
    const Recommendation& r = recommendations[i];
    if (!r.floor || !r.desired) continue;
    if (*r.desired >= desired) return std::nullopt;
    if (*r.desired > in->desired) in = CombinedDecision{*r.desired, i};
  }
  return in;
}

}  // namespace fargatelab::detail
