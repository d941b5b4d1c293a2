// The app_runner platform's model (platform.hpp), registered in platforms.cpp.
#pragma once

#include "platforms/platform.hpp"

namespace fargatelab::detail {

const PlatformModel& app_runner_model();

}  // namespace fargatelab::detail
