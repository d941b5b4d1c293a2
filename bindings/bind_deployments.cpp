// The deployment scorecard (deployment_bench.hpp) for fargatelab.compare_deployments(): the
// scenario per strategy, its baseline, and each release's score as a typed row.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "fargatelab/deployment_bench.hpp"

namespace py = pybind11;
using namespace fargatelab;

void bind_deployments(py::module_& m) {
  py::class_<DeploymentScore>(m, "DeploymentScore")
      .def_readonly("strategy", &DeploymentScore::strategy)
      .def_readonly("service", &DeploymentScore::service)
      .def_readonly("revision", &DeploymentScore::revision)
      .def_readonly("at_s", &DeploymentScore::at_s)
      .def_readonly("replications", &DeploymentScore::replications)
      .def_readonly("completed", &DeploymentScore::completed)
      .def_readonly("rolled_back", &DeploymentScore::rolled_back)
      .def_readonly("failed", &DeploymentScore::failed)
      .def_readonly("in_progress", &DeploymentScore::in_progress)
      .def_readonly("duration_s", &DeploymentScore::duration_s)
      .def_readonly("detect_s", &DeploymentScore::detect_s)
      .def_readonly("rollback_s", &DeploymentScore::rollback_s)
      .def_readonly("peak_tasks", &DeploymentScore::peak_tasks)
      .def_readonly("peak_extra_tasks", &DeploymentScore::peak_extra_tasks)
      .def_readonly("extra_task_hours", &DeploymentScore::extra_task_hours)
      .def_readonly("release_cost_usd", &DeploymentScore::release_cost_usd)
      .def_readonly("requests", &DeploymentScore::requests)
      .def_readonly("errors", &DeploymentScore::errors)
      .def_readonly("breach_minutes", &DeploymentScore::breach_minutes)
      .def_readonly("p99_max_ms", &DeploymentScore::p99_max_ms)
      .def_readonly("served_by_revision", &DeploymentScore::served_by_revision);
  m.def("scenario_for_strategy", &scenario_for_strategy, py::arg("scenario"), py::arg("strategy"),
        py::arg("services") = std::vector<std::string>{});
  m.def("scenario_without_deployments", &scenario_without_deployments, py::arg("scenario"),
        py::arg("services") = std::vector<std::string>{});
  m.def(
      "deployment_scores",
      [](const RunResult& result, const Scenario& scenario, const std::string& strategy, const RunResult& baseline,
         const std::vector<std::string>& services) { return deployment_scores(result, scenario, strategy, &baseline, services); },
      py::arg("result"), py::arg("scenario"), py::arg("strategy"), py::arg("baseline"), py::arg("services") = std::vector<std::string>{});
  m.def("deployment_scores_text", &deployment_scores_text, py::arg("scenario"), py::arg("rows"));
}
