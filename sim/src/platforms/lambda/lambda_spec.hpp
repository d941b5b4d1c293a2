// The "lambda" section of a service: its function settings.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "fargatelab/random.hpp"
#include "fargatelab/scenario.hpp"
#include "fargatelab/time.hpp"

namespace fargatelab::detail {

// A service on AWS Lambda: one function whose execution environments serve one request at a
// time. Defaults and limits from the Lambda developer guide (quotas, scaling behaviour).
struct LambdaSpec final : PlatformServiceSpec {
  int memory_mb = 128;                      // 128-10,240; CPU share: 1,769 MB = 1 vCPU
  std::string runtime = "python3.12";
  std::string package = "zip";              // "zip" or "image"
  std::string architecture = "x86_64";
  Duration timeout = SimTime::from_ns(3'000'000'000);  // Lambda's default; at most 900 s
  int reserved_concurrency = -1;            // -1: none (the function shares the account's)
  int account_concurrency = 1000;           // regional account concurrency
  int provisioned_concurrency = 0;          // environments initialised ahead, never expiring
  // A raised provisioned concurrency level: allocation starts "after a minute or two" (Lambda
  // developer guide, provisioned concurrency, 2023; aws-facts D.3), then each new environment
  // runs Init. At most `burst` environments at once, then `per_minute` (same source: initial
  // burst up to 3,000 depending on the region, then 500 per minute).
  Duration provisioned_allocation_delay = SimTime::from_ns(60'000'000'000);
  double provisioned_allocation_burst = 3000;
  double provisioned_allocation_per_minute = 500;
  Distribution idle_expiry;                 // seconds an idle on-demand environment is kept
  std::optional<Distribution> init;         // Init Duration (s); nullopt: the runtime's calibration
  double init_cpu_seconds = 0;              // the function's own initialisation, CPU s at 1 vCPU
  Distribution placement;                   // s before Init: placement and microVM start
  bool snapstart = false;                   // new environments restore a snapshot instead of Init
  Distribution snapstart_restore;           // s, the Restore Duration
  int sqs_batch_size = 10;                  // event source mapping from the service's queue: messages per invocation
  int sqs_maximum_concurrency = 0;          // its MaximumConcurrency (2-1000); 0: none (1,000 batches)
  Duration sqs_batching_window;             // MaximumBatchingWindowInSeconds (0: a batch leaves at once)
  int async_max_retries = 2;                // asynchronous invocations: retries after a function error (0-2)
  Duration async_max_event_age = SimTime::from_ns(21'600'000'000'000);  // 6 h: then the event is dropped
  double scale_burst = 1000;                // new environments at once, per function...
  double scale_per_second = 100;            // ...refilled at 1,000 per 10 s
  double vcpu() const noexcept { return std::min(6.0, memory_mb / 1769.0); }
};

}  // namespace fargatelab::detail
