// The typed results' JSON and their aggregation across replications (rules: result_fields.hpp).
#include "fargatelab/results.hpp"

#include "results/result_fields.hpp"

namespace fargatelab {
namespace detail::result_fields {

// Matched by key; each block aggregates itself (platform_block.hpp).
bool aggregate(const std::vector<const PlatformBlocks*>& reps, PlatformBlocks& mean, PlatformBlocks& ci) {
  mean.clear();
  ci.clear();
  if (!reps.front()) return true;
  for (const auto& block : *reps.front()) {
    std::vector<const PlatformBlock*> same;
    for (const PlatformBlocks* r : reps) {
      const PlatformBlock* match = nullptr;
      if (r)
        for (const auto& b : *r)
          if (b->key() == block->key()) match = b.get();
      same.push_back(match);
    }
    auto [m, c] = block->aggregate(same);
    mean.push_back(std::move(m));
    ci.push_back(std::move(c));
  }
  return true;
}

}  // namespace detail::result_fields

std::optional<FunctionFigures> function_figures(const PlatformBlocks& blocks) {
  for (const auto& b : blocks)
    if (auto f = b->function_figures()) return f;
  return std::nullopt;
}

AggregatedResults aggregate(const std::vector<const Results*>& replications) {
  AggregatedResults out;
  detail::result_fields::aggregate(replications, out.mean, out.ci95);
  return out;
}

nlohmann::json to_json(const Results& results) { return detail::result_fields::to_json(results); }

nlohmann::json to_json(const ReplicationResults& r) {
  nlohmann::json j = to_json(r.results);
  j["replication"] = r.replication;
  j["kernel_events"] = r.kernel_events;
  j["fingerprint"] = r.fingerprint;
  if (r.bill) j["bill"] = r.bill->to_json();
  return j;
}

}  // namespace fargatelab
