#include "faults/secrets_fault.hpp"

#include "fargatelab/registry.hpp"
#include "faults/fault_window.hpp"
#include "scenario/task_definition.hpp"

namespace fargatelab::detail {

void check_secrets_fault(const nlohmann::json& item, const std::string& pointer, std::vector<Diagnostic>& out) {
  check_fault_window(item, pointer, out);
}

SecretsFault build_secrets_fault(const nlohmann::json& item, std::size_t index) {
  return {index, parse_duration(item.at("start")), parse_duration(item.at("end"))};
}

int task_definition_secrets(const TaskDefinition& def) {
  int n = 0;
  for (const ContainerDef& c : def.containers) n += c.secrets;
  return n;
}

std::optional<std::size_t> secrets_fault_at(const std::vector<SecretsFault>& faults, int secrets, SimTime now) {
  if (secrets <= 0) return std::nullopt;
  for (std::size_t i = 0; i < faults.size(); ++i)
    if (faults[i].active_at(now)) return i;
  return std::nullopt;
}

}  // namespace fargatelab::detail
