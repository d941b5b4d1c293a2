// The "app_runner" section of a service.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "fargatelab/random.hpp"
#include "fargatelab/scenario.hpp"
#include "fargatelab/time.hpp"

namespace fargatelab::detail {

// A service on AWS App Runner: instances (Fargate tasks underneath) that each serve up to
// max_concurrency requests; requests beyond every instance's concurrency wait in front, up to
// queue_limit, else 429. The number of instances follows the concurrency, between min and max.
struct AppRunnerSpec final : PlatformServiceSpec {
  int max_concurrency = 100;  // AutoScalingConfiguration MaxConcurrency (1-200)
  int min_size = 1;           // MinSize: provisioned instances, billed for memory while idle
  int max_size = 25;          // MaxSize
  int queue_limit = 100;      // requests waiting for a free slot (not published; a parameter)
  Duration scale_in_delay = SimTime::from_ns(60'000'000'000);  // low concurrency this long before instances go
};

}  // namespace fargatelab::detail
