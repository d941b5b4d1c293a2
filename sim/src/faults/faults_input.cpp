#include "faults/faults_spec.hpp"

#include <fmt/format.h>

namespace fargatelab::detail {

void check_start_faults(const nlohmann::json& doc, std::vector<Diagnostic>& out) {
  const auto f = doc.find("faults");
  if (f == doc.end() || !f->is_array()) return;  // the schema reports it
  for (std::size_t i = 0; i < f->size(); ++i) {
    const nlohmann::json& item = (*f)[i];
    if (!item.is_object() || !item.contains("type")) continue;
    const std::string pointer = fmt::format("/faults/{}", i);
    if (item.at("type") == "registry") check_registry_fault(item, pointer, out);
    if (item.at("type") == "secrets") check_secrets_fault(item, pointer, out);
  }
}

FaultsSpec build_start_faults(const nlohmann::json& doc) {
  FaultsSpec s;
  const auto f = doc.find("faults");
  if (f == doc.end()) return s;
  for (std::size_t i = 0; i < f->size(); ++i) {
    const nlohmann::json& item = (*f)[i];
    if (item.at("type") == "registry") s.registry.push_back(build_registry_fault(item, i));
    if (item.at("type") == "secrets") s.secrets.push_back(build_secrets_fault(item, i));
  }
  return s;
}

const FaultsSpec& faults_of(const ScenarioSpec& spec) {
  static const FaultsSpec none;
  return spec.start_faults ? *spec.start_faults : none;
}

}  // namespace fargatelab::detail
