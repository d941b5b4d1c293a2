// Distributions by name for scenario files: "exponential(mean=0.05)", "lognormal(mean=1, sd=2)".
#pragma once

#include "fargatelab/random.hpp"
#include "fargatelab/registry.hpp"

namespace fargatelab::detail {
const Registry<Distribution>& distribution_registry();
}
