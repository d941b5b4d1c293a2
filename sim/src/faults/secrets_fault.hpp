// A secrets fault: from `start` to `end` AWS Secrets Manager is unavailable. A task whose
// containers reference secrets (TaskSpec::secrets) retrieves them with the task execution role
// at the start of PENDING, before the image pull (Fargate PV 1.4.0 fetches secrets and registry
// auth through the task ENI: aws-facts-2 §5); in the window the retrieval fails and the task
// stops: TaskFailedToStart, "ResourceInitializationError: unable to pull secrets or registry
// auth: ..." (AWS re:Post knowledge center, ecs-unable-to-pull-secrets). The SDK's own retries
// take well under a second and are not modelled. A task without secrets is unaffected.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/diagnostics.hpp"
#include "fargatelab/scenario.hpp"
#include "fargatelab/time.hpp"

namespace fargatelab::detail {

struct TaskDefinition;

struct SecretsFault {
  std::size_t item = 0;  // its index in the scenario's "faults"
  Duration start, end;   // [start, end)
  bool active_at(SimTime t) const noexcept { return start <= t && t < end; }
};

// In ECS's words (the re:Post article's message, the secret's ARN left out).
inline constexpr const char* kSecretsUnavailable =
    "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable "
    "to retrieve secret from asm: service call has been retried 5 time(s): ServiceUnavailableException: Secrets "
    "Manager is unavailable";

void check_secrets_fault(const nlohmann::json& item, const std::string& pointer, std::vector<Diagnostic>& out);
SecretsFault build_secrets_fault(const nlohmann::json& item, std::size_t index);

// The secrets a task retrieves at start: each container's secrets plus repositoryCredentials.
int task_definition_secrets(const TaskDefinition& def);
// The fault (index into `faults`) that makes a task with `secrets` secrets fail at `now`, if any.
std::optional<std::size_t> secrets_fault_at(const std::vector<SecretsFault>& faults, int secrets, SimTime now);

}  // namespace fargatelab::detail
