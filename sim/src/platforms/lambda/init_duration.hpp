// Lambda cold-start Init Duration by runtime, package type and architecture, calibrated from
// maxday/lambda-perf (scenarios/data/lambda-perf-init-durations, snapshot 2026-08-22): each
// hello-world function is deployed fresh and invoked as a forced cold start 10 times per memory
// size (128, 256, 512, 1024 MB). Init Duration barely depends on memory there, so the model
// pools the four sizes: a lognormal with the median of the 40 inits and sigma = the standard
// deviation of log(init / median). It excludes the platform's placement and microVM start
// (not in the REPORT line), which is a separate parameter.
#pragma once

#include <string>
#include <vector>

#include "fargatelab/random.hpp"

namespace fargatelab::detail {

struct InitCalibration {
  const char* runtime;
  const char* package;       // "zip" or "image"
  const char* architecture;  // "x86_64" or "arm64"
  double median_ms;
  double log_sigma;
  int samples;
};

const std::vector<InitCalibration>& lambda_init_calibration();
// Runtimes with a calibration, for validation messages.
std::vector<std::string> lambda_runtimes();
// The calibrated Init Duration (seconds) or nullptr if the combination is not in the data.
const InitCalibration* find_init_calibration(const std::string& runtime, const std::string& package,
                                             const std::string& architecture);
// A lognormal in seconds with the calibration's median and log-sigma.
Distribution init_duration_distribution(const InitCalibration& c);

}  // namespace fargatelab::detail
