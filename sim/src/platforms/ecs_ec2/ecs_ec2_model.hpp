// The ecs_ec2 platform's model (platform.hpp), registered in platforms.cpp.
#pragma once

#include "platforms/platform.hpp"

namespace fargatelab::detail {

const PlatformModel& ecs_ec2_model();

}  // namespace fargatelab::detail
