// A platform block whose JSON and aggregation come from its field list: a platform's results
// type derives from DescribedBlock<itself> and gives key() and fields() (and the figures of
// PlatformBlock shared code reads); to_json() and aggregate() then follow the rules of every
// other result structure (results/result_fields.hpp).
#pragma once

#include <memory>
#include <vector>

#include "fargatelab/results.hpp"
#include "results/result_fields.hpp"

namespace fargatelab::detail {

template <class Derived>
class DescribedBlock : public PlatformBlock {
 public:
  nlohmann::json to_json() const override { return result_fields::to_json(static_cast<const Derived&>(*this)); }
  // Blocks of the same key are of the same type: one platform makes them.
  Aggregate aggregate(const std::vector<const PlatformBlock*>& replications) const override {
    std::vector<const Derived*> typed;
    for (const PlatformBlock* b : replications) typed.push_back(static_cast<const Derived*>(b));
    auto mean = std::make_shared<Derived>(), ci = std::make_shared<Derived>();
    result_fields::aggregate(typed, *mean, *ci);
    return {std::move(mean), std::move(ci)};
  }
};

}  // namespace fargatelab::detail
