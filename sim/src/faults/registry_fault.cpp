#include "faults/registry_fault.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "fargatelab/registry.hpp"
#include "faults/fault_window.hpp"

namespace fargatelab::detail {

Duration RegistryFault::delay_after(int k) const noexcept {
  const double d = retry_delay.to_seconds() * std::pow(retry_factor, k - 1);
  return std::min(SimTime::from_seconds(d), retry_delay_max);
}

std::string RegistryFault::stopped_reason() const {
  // Fargate's message for Docker Hub's 429 (AWS re:Post, ecs-pull-container-error-rate-limit);
  // the 503 of an outage in the same shape.
  if (mode == Mode::throttle)
    return fmt::format("CannotPullContainerError: inspect image has been retried {} time(s): httpReaderSeeker: failed open: "
                       "unexpected status code Too Many Requests - Server message: toomanyrequests: Rate exceeded",
                       attempts);
  return fmt::format("CannotPullContainerError: inspect image has been retried {} time(s): httpReaderSeeker: failed open: "
                     "unexpected status code 503 Service Unavailable",
                     attempts);
}

void check_registry_fault(const nlohmann::json& item, const std::string& pointer, std::vector<Diagnostic>& out) {
  check_fault_window(item, pointer, out);
  try {
    if (item.contains("retry_delay") && item.contains("retry_delay_max") &&
        parse_duration(item.at("retry_delay_max")) < parse_duration(item.at("retry_delay")))
      out.push_back({pointer + "/retry_delay_max", "must be at least retry_delay"});
  } catch (const std::exception&) {
  }
}

RegistryFault build_registry_fault(const nlohmann::json& item, std::size_t index) {
  RegistryFault f;
  f.item = index;
  f.start = parse_duration(item.at("start"));
  f.end = parse_duration(item.at("end"));
  f.mode = item.at("mode") == "throttle" ? RegistryFault::Mode::throttle : RegistryFault::Mode::fail;
  f.throttle_rate = item.at("throttle_rate").get<double>();
  f.attempts = item.at("pull_attempts").get<int>();
  f.retry_delay = parse_duration(item.at("retry_delay"));
  f.retry_factor = item.at("retry_factor").get<double>();
  f.retry_delay_max = parse_duration(item.at("retry_delay_max"));
  f.refused_after = parse_duration(item.at("refused_after"));
  return f;
}

ImageRegistry::ImageRegistry(const std::vector<RegistryFault>& faults) : faults_(faults) {
  for (const RegistryFault& f : faults)
    throttles_.push_back(f.mode == RegistryFault::Mode::throttle ? std::optional<TokenBucket>(TokenBucket(1, f.throttle_rate))
                                                                 : std::nullopt);
}

std::optional<std::size_t> ImageRegistry::refuses(SimTime now) {
  for (std::size_t i = 0; i < faults_.size(); ++i) {
    if (!faults_[i].active_at(now)) continue;
    if (!throttles_[i]) return i;
    if (throttles_[i]->available_at(now) > now) return i;  // 429: no token now
  }
  // Accepted: every throttle in force counts the pull.
  for (std::size_t i = 0; i < faults_.size(); ++i)
    if (throttles_[i] && faults_[i].active_at(now)) throttles_[i]->reserve(now);
  return std::nullopt;
}

std::optional<Duration> PullAttempts::attempt(SimTime now) {
  if (done_ || !registry_ || !registry_->any()) return std::nullopt;
  ++made_;
  const auto refused = registry_->refuses(now);
  if (!refused) {
    done_ = true;
    return std::nullopt;
  }
  const RegistryFault& f = registry_->faults()[*refused];
  if (made_ >= f.attempts) {  // the last one: its error comes back, then the task fails
    done_ = true;
    failed_ = &f;
    return f.refused_after;
  }
  return f.refused_after + f.delay_after(made_);
}

}  // namespace fargatelab::detail
