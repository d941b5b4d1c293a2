// The lambda platform's model (platform.hpp), registered in platforms.cpp.
#pragma once

#include "platforms/platform.hpp"

namespace fargatelab::detail {

const PlatformModel& lambda_model();

}  // namespace fargatelab::detail
