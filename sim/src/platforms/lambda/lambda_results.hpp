// Lambda's block of a function's (service's) results: invocations, cold starts, throttles and
// execution environments over the measured period (summary.json: services.<name>.lambda).
#pragma once

#include "results/platform_block.hpp"

namespace fargatelab::detail {

struct LambdaResults final : DescribedBlock<LambdaResults> {
  Number invocations, cold_starts;
  Number cold_start_rate, cold_start_pct;  // of invocations (share, percent); none without one
  Number throttles, async_retries;
  Number sqs_batches;        // batches its SQS event source mapping delivered; none without a queue
  Number environments_mean;  // execution environments, time-averaged over the measured period
  Number environments_at_end, environments_max;
  Number vcpu_per_environment;  // from its memory setting

  static constexpr auto fields() {
    using S = LambdaResults;
    return std::tuple{field("invocations", &S::invocations),
                      field("cold_starts", &S::cold_starts),
                      field("cold_start_rate", &S::cold_start_rate),
                      field("cold_start_pct", &S::cold_start_pct),
                      field("throttles", &S::throttles),
                      field("async_retries", &S::async_retries),
                      field("sqs_batches", &S::sqs_batches),
                      field("environments_mean", &S::environments_mean),
                      field("environments_at_end", &S::environments_at_end),
                      field("environments_max", &S::environments_max),
                      field("vcpu_per_environment", &S::vcpu_per_environment)};
  }
  std::string_view key() const noexcept override { return "lambda"; }
  std::optional<FunctionFigures> function_figures() const override {
    return FunctionFigures{invocations, cold_starts, environments_mean};
  }
  // The "function" table of `fargatelab run`: one row per function.
  BlockTable summary_table(const std::string& owner) const override {
    return {"function",
            {{"invocations", 0}, {"cold starts", 0}, {"cold %", 2}, {"throttled", 0}, {"environments mean", 1}, {"max", 0}},
            {{owner, {invocations, cold_starts, cold_start_pct, throttles, environments_mean, environments_max}}}};
  }
};

}  // namespace fargatelab::detail
