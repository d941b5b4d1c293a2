// fargatelab._core: the compiled module behind the Python package (practice 14).
#include <pybind11/pybind11.h>

namespace py = pybind11;

void bind_scenario(py::module_& m);
void bind_run(py::module_& m);
void bind_pricing(py::module_& m);
void bind_deployments(py::module_& m);

PYBIND11_MODULE(_core, m) {
  m.doc() = "fargatelab's compiled core. Use the fargatelab package, not this module.";
  bind_scenario(m);
  bind_run(m);
  bind_pricing(m);
  bind_deployments(m);
}
