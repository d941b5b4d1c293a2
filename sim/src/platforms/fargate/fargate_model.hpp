// The fargate platform's model (platform.hpp), registered in platforms.cpp.
#pragma once

#include "platforms/platform.hpp"

namespace fargatelab::detail {

const PlatformModel& fargate_model();

}  // namespace fargatelab::detail
