#include "serving/retry.hpp"

namespace fargatelab::detail {
namespace {

Registry<std::optional<RetrySpec>> make() {
  using PT = ParamType;
  Registry<std::optional<RetrySpec>> r("retry mode");
  r.add({"none", "No retries: the first attempt's outcome is what the client sees.", {}},
        [](const Params&, Problems&) -> std::optional<std::optional<RetrySpec>> { return std::optional<RetrySpec>{}; });
  // Defaults: the SDKs' standard mode (serving/retry.hpp lists the sources of each number).
  const std::vector<ParamSpec> standard_params = {
      {.name = "max_attempts", .type = PT::integer, .default_value = 3, .min = 1.0, .max = 100.0,
       .doc = "attempts in all, the first included (SDK default 3)"},
      {.name = "base_backoff", .type = PT::duration, .default_value = "1s", .min = 0.0,
       .doc = "the backoff's scale: retry i waits up to base_backoff x 2^(i-1) (SDK: 1 s)"},
      {.name = "max_backoff", .type = PT::duration, .default_value = "20s", .min = 0.0,
       .doc = "the longest backoff (SDK MAXIMUM_RETRY_DELAY: 20 s)"},
      {.name = "quota", .type = PT::boolean, .default_value = true,
       .doc = "the retry quota (token bucket); false: retries are never refused"},
      {.name = "quota_tokens", .type = PT::integer, .default_value = 500, .min = 0.0,
       .doc = "the bucket's initial and largest size, tokens (SDK INITIAL_RETRY_TOKENS: 500)"},
      {.name = "retry_cost", .type = PT::integer, .default_value = 5, .min = 0.0,
       .doc = "tokens a retry after an error takes (SDK RETRY_COST: 5)"},
      {.name = "timeout_cost", .type = PT::integer, .default_value = 10, .min = 0.0,
       .doc = "tokens a retry after a timeout takes (SDK TIMEOUT_RETRY_COST: 10)"},
      {.name = "success_increment", .type = PT::integer, .default_value = 1, .min = 0.0,
       .doc = "tokens a success without retries returns (SDK NO_RETRY_INCREMENT: 1); a retried success "
              "returns its retry's cost"}};
  auto build = [](bool adaptive) {
    return [adaptive](const Params& p, Problems& problems) -> std::optional<std::optional<RetrySpec>> {
      RetrySpec s;
      s.max_attempts = static_cast<int>(p.integer("max_attempts"));
      s.base_backoff = p.duration("base_backoff");
      s.max_backoff = p.duration("max_backoff");
      s.quota = p.boolean("quota");
      s.quota_tokens = static_cast<int>(p.integer("quota_tokens"));
      s.retry_cost = static_cast<int>(p.integer("retry_cost"));
      s.timeout_cost = static_cast<int>(p.integer("timeout_cost"));
      s.success_increment = static_cast<int>(p.integer("success_increment"));
      s.adaptive = adaptive;
      if (s.max_backoff < s.base_backoff) problems.push_back("max_backoff must be at least base_backoff");
      // One attempt: no retries (the adaptive limiter still paces the first attempts).
      if (s.max_attempts <= 1 && !adaptive) return std::optional<RetrySpec>{};
      return std::optional<RetrySpec>{s};
    };
  };
  r.add({"standard",
         "The AWS SDKs' standard retry mode: a retryable failure (throttling, 5xx, timeout, refused connection) is "
         "sent again after U(0,1) x base_backoff x 2^(i-1) (at most max_backoff) while attempts remain and the "
         "client's retry quota (a token bucket) holds the retry's cost.",
         standard_params},
        build(false));
  r.add({"adaptive",
         "The AWS SDKs' adaptive retry mode: standard retries plus a client-side rate limiter. After the first "
         "throttling (429) answer every attempt takes a token from a bucket refilled at a rate that drops to 0.7 x "
         "the measured response rate at each throttle and climbs back along a CUBIC curve (botocore's adaptive.py): "
         "the client waits for its token instead of adding to the overload. For a workload's clients.",
         standard_params},
        build(true));
  return r;
}

}  // namespace

const Registry<std::optional<RetrySpec>>& retry_registry() {
  static const Registry<std::optional<RetrySpec>> r = make();
  return r;
}

std::optional<RetrySpec> build_retry(const nlohmann::json& value) {
  if (value.is_null()) return std::nullopt;
  return retry_registry().build(model_call_from_json(value));
}

}  // namespace fargatelab::detail
