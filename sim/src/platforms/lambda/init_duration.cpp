#include "platforms/lambda/init_duration.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace fargatelab::detail {

// Computed from scenarios/data/lambda-perf-init-durations/2026-08-22.json (maxday/lambda-perf,
// Apache-2.0; see its SOURCE.md) by pooling the 10
// Init Durations of each memory size (128-1024 MB): median (ms), population standard deviation
// of log(init / median), number of inits. Runtime names as in the data ("go" and "rust" are
// the provided.al2023 custom runtimes).
const std::vector<InitCalibration>& lambda_init_calibration() {
  static const std::vector<InitCalibration> table = {
    {"python3.12", "zip", "x86_64", 82.8, 0.086, 40},
    {"python3.12", "zip", "arm64", 81.7, 0.146, 40},
    {"python3.12", "image", "x86_64", 154.0, 0.346, 40},
    {"python3.12", "image", "arm64", 131.7, 0.371, 40},
    {"python3.13", "zip", "x86_64", 85.0, 0.083, 40},
    {"python3.13", "zip", "arm64", 80.7, 0.144, 40},
    {"python3.13", "image", "x86_64", 148.6, 0.288, 40},
    {"python3.13", "image", "arm64", 132.6, 0.315, 40},
    {"nodejs20.x", "zip", "x86_64", 138.8, 0.067, 40},
    {"nodejs20.x", "zip", "arm64", 131.6, 0.104, 40},
    {"nodejs20.x", "image", "x86_64", 240.5, 0.253, 40},
    {"nodejs20.x", "image", "arm64", 226.3, 0.276, 40},
    {"nodejs22.x", "zip", "x86_64", 139.1, 0.092, 40},
    {"nodejs22.x", "zip", "arm64", 130.2, 0.115, 40},
    {"nodejs22.x", "image", "x86_64", 283.4, 0.295, 39},
    {"nodejs22.x", "image", "arm64", 230.4, 0.373, 40},
    {"java21", "zip", "x86_64", 237.4, 0.056, 40},
    {"java21", "zip", "arm64", 256.4, 0.133, 40},
    {"java21", "image", "x86_64", 332.1, 0.245, 40},
    {"java21", "image", "arm64", 320.9, 0.298, 40},
    {"dotnet8", "zip", "x86_64", 246.6, 0.117, 40},
    {"dotnet8", "zip", "arm64", 294.6, 0.164, 40},
    {"dotnet8", "image", "x86_64", 410.4, 0.262, 40},
    {"dotnet8", "image", "arm64", 471.7, 0.201, 40},
    {"go", "zip", "x86_64", 49.6, 0.058, 40},
    {"go", "zip", "arm64", 43.4, 0.058, 40},
    {"go", "image", "x86_64", 47.5, 0.337, 40},
    {"go", "image", "arm64", 40.7, 0.248, 40},
    {"rust", "zip", "x86_64", 15.4, 0.174, 40},
    {"rust", "zip", "arm64", 13.7, 0.110, 40},
    {"rust", "image", "x86_64", 35.0, 0.287, 40},
    {"rust", "image", "arm64", 29.7, 0.271, 40},
    {"ruby3.3", "zip", "x86_64", 232.2, 0.162, 40},
    {"ruby3.3", "zip", "arm64", 262.4, 0.244, 40},
    {"ruby3.3", "image", "x86_64", 268.0, 0.159, 40},
    {"ruby3.3", "image", "arm64", 287.4, 0.190, 40},
  };
  return table;
}

std::vector<std::string> lambda_runtimes() {
  std::vector<std::string> out;
  for (const auto& c : lambda_init_calibration())
    if (std::find(out.begin(), out.end(), c.runtime) == out.end()) out.push_back(c.runtime);
  return out;
}

const InitCalibration* find_init_calibration(const std::string& runtime, const std::string& package,
                                             const std::string& architecture) {
  for (const auto& c : lambda_init_calibration())
    if (runtime == c.runtime && package == c.package && architecture == c.architecture) return &c;
  return nullptr;
}

Distribution init_duration_distribution(const InitCalibration& c) {
  // A lognormal with median m and log-sigma s has mu = ln m.
  return Distribution{LogNormal{std::log(c.median_ms / 1000.0), c.log_sigma}};
}

}  // namespace fargatelab::detail
