// Calculator mode: price a usage description with the region's price catalog. The bill
// crosses to Python as JSON (amounts unrounded) plus its text table; fargatelab/pricing.py wraps
// it. Invalid usage raises fargatelab.ScenarioError (via bind_scenario's translator) listing every
// problem with its JSON pointer.
#include <optional>
#include <string>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "fargatelab/constants.hpp"
#include "pricing/calculator.hpp"
#include "pricing/price_catalog.hpp"

namespace py = pybind11;
using namespace fargatelab::detail;

void bind_pricing(py::module_& m) {
  m.def(
      "price_usage",
      [](const std::string& text, std::optional<std::string> region, bool free_tier, const std::string& source) {
        CalculatorOptions options;
        options.region = std::move(region);
        options.free_tier = free_tier;
        Bill bill;
        {
          py::gil_scoped_release nogil;
          bill = price_usage_text(text, options, source);
        }
        return py::make_tuple(bill.to_json().dump(), bill.table());
      },
      py::arg("text"), py::arg("region") = py::none(), py::arg("free_tier") = false, py::arg("source") = "<string>",
      "Prices a usage JSON text; returns (bill JSON, bill table).");
  m.def("price_regions", &PriceCatalog::known_regions, "Regions with an embedded price catalog.");
  m.attr("MONTH_HOURS") = fargatelab::month_hours;
}
