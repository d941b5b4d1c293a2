// Scenario loading and validation errors.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "fargatelab/scenario.hpp"

namespace py = pybind11;
using namespace fargatelab;

void bind_scenario(py::module_& m) {
  // ScenarioError is defined in Python (fargatelab/_errors.py) so it can carry the list of
  // (pointer, message) pairs; C++ ScenarioErrors are translated into it here.
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const ScenarioError& e) {
      py::list errors;
      for (const auto& d : e.diagnostics()) errors.append(py::make_tuple(d.pointer, d.message));
      py::object cls = py::module_::import("fargatelab._errors").attr("ScenarioError");
      py::object instance = cls(e.what(), errors);
      PyErr_SetObject(cls.ptr(), instance.ptr());
    }
  });

  py::class_<Scenario>(m, "Scenario")
      .def_static("from_file", &Scenario::from_file, py::arg("path"), py::arg("overrides") = std::vector<std::string>{})
      .def_static(
          "from_text",
          [](const std::string& text, const std::vector<std::string>& overrides, const std::string& source) {
            return Scenario::from_text(text, overrides, source);
          },
          py::arg("text"), py::arg("overrides") = std::vector<std::string>{}, py::arg("source") = "<string>")
      .def_static("builtin_default", &Scenario::builtin_default, py::arg("overrides") = std::vector<std::string>{})
      .def_static("builtin_comparison", &Scenario::builtin_comparison, py::arg("overrides") = std::vector<std::string>{})
      .def("with_overrides", &Scenario::with_overrides, py::arg("overrides"))
      .def("document_json", [](const Scenario& s) { return s.document().dump(); })
      .def("input_json", [](const Scenario& s) { return s.input().dump(); })
      .def_property_readonly("name", [](const Scenario& s) { return s.spec().name; })
      .def_property_readonly("notes", [](const Scenario& s) { return s.spec().notes; });

  m.def("scenario_schema", [] { return std::string(scenario_schema()); });
  m.def("default_scenario_text", [] { return std::string(default_scenario_text()); });
}
