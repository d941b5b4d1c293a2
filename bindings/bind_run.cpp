// Running scenarios: the GIL is released during the run; Ctrl-C stops it promptly. Results and
// comparisons cross as typed columns and rows, not text.
#include <optional>

#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "fargatelab/compare.hpp"
#include "fargatelab/policy_bench.hpp"
#include "fargatelab/constants.hpp"
#include "fargatelab/run.hpp"
#include "fargatelab/table.hpp"

#include "columns.hpp"

namespace py = pybind11;
using namespace fargatelab;

void bind_run(py::module_& m) {
  // The tables cross as typed columns (columns.hpp), built from the run's vectors when asked for.
  py::class_<RunResult>(m, "RunResult")
      .def_property_readonly("summary_json", [](const RunResult& r) { return summary_json_text(r); })
      .def_property_readonly("timeseries", [](const RunResult& r) { return to_python(timeseries_table(r)); })
      .def_property_readonly("capacity", [](const RunResult& r) { return to_python(capacity_table(r)); })
      .def_property_readonly("tasks", [](const RunResult& r) { return to_python(tasks_table(r)); })
      .def_property_readonly("traces", [](const RunResult& r) { return to_python(traces_table(r)); })
      .def_property_readonly("cloudwatch", [](const RunResult& r) { return to_python(cloudwatch_table(r)); })
      .def_property_readonly("forecasts", [](const RunResult& r) { return to_python(forecasts_table(r)); })
      .def_property_readonly("events", [](const RunResult& r) { return to_python(events_table(r)); })
      .def_property_readonly("stopped_tasks", [](const RunResult& r) { return to_python(stopped_tasks_table(r)); })
      .def_property_readonly("explanation", [](const RunResult& r) { return explain_text(r); })
      .def_property_readonly("table", [](const RunResult& r) { return summary_table(r); })
      // The typed results across replications as tables (Result.services(), Result.workloads()).
      .def_property_readonly("services", [](const RunResult& r) { return to_python(service_results_table(r)); })
      .def_property_readonly("workloads", [](const RunResult& r) { return to_python(workload_results_table(r)); })
      .def_readonly("events_processed", &RunResult::events_processed)
      .def_readonly("wall_seconds", &RunResult::wall_seconds)
      .def("write", [](const RunResult& r, const Scenario& s, const std::string& dir) { write_outputs(r, s, dir); },
           py::arg("scenario"), py::arg("dir"));

  m.def(
      "run",
      [](const Scenario& scenario, std::optional<std::uint64_t> seed, std::optional<int> runs,
         std::optional<py::function> progress, std::optional<py::dict> policies) {
        RunOptions opt;
        opt.seed = seed;
        opt.runs = runs;
        // Set when a signal handler (Ctrl-C: KeyboardInterrupt), the callback or a policy raised:
        // the Python error is pending and is raised once the run has unwound.
        bool interrupted = false;
        // A custom policy per service: decide(observation dict) -> int or None, called on this
        // thread with the GIL taken, once per period.
        if (policies)
          for (const auto& [service, fn] : *policies) {
            CustomPolicy p;
            p.service = py::cast<std::string>(service);
            const py::function f = py::reinterpret_borrow<py::function>(fn);
            p.name = py::hasattr(f, "__name__") ? py::cast<std::string>(f.attr("__name__")) : std::string("custom");
            p.decide = [f, &interrupted](const PolicyObservation& o) -> std::optional<int> {
              py::gil_scoped_acquire gil;
              if (interrupted) return std::nullopt;
              py::dict metrics;
              for (const auto& [name, point] : o.metrics) metrics[py::str(name)] = point.second;
              py::dict obs;
              obs["time_s"] = o.time_s;
              obs["desired"] = o.desired;
              obs["running"] = o.running;
              obs["min_capacity"] = o.min_capacity;
              obs["max_capacity"] = o.max_capacity;
              obs["metrics"] = metrics;
              try {
                py::object answer = f(obs);
                if (answer.is_none()) return std::nullopt;
                return answer.cast<int>();
              } catch (py::error_already_set& e) {
                e.restore();  // raised once the run has unwound (the next poll stops it)
                interrupted = true;
                return std::nullopt;
              } catch (const py::cast_error&) {
                PyErr_SetString(PyExc_TypeError, "a scaling policy must return an int (the desired count) or None");
                interrupted = true;
                return std::nullopt;
              }
            };
            opt.policies.push_back(std::move(p));
          }
        // Called on this thread, with the GIL released by the run, every 65,536 kernel events (the
        // poll hook) and once at the end: signals are checked before each report, so a Ctrl-C
        // stops the run at the first poll after it, however fast or loaded the machine.
        opt.progress = [&](double fraction) {
          py::gil_scoped_acquire gil;
          if (interrupted) return false;  // a policy raised
          if (PyErr_CheckSignals() != 0) {
            interrupted = true;
            return false;
          }
          if (progress) {
            try {
              py::object keep_going = (*progress)(fraction);
              if (!keep_going.is_none() && !keep_going.cast<bool>()) return false;
            } catch (py::error_already_set& e) {
              e.restore();  // re-raised below, once the run has unwound
              interrupted = true;
              return false;
            }
          }
          return true;
        };
        RunResult result;
        try {
          py::gil_scoped_release nogil;
          result = run(scenario, opt);
        } catch (const RunCancelled&) {
          if (interrupted && PyErr_Occurred()) throw py::error_already_set();
          throw;
        }
        // Interrupted at the last report, after the simulation had ended (the run does not stop
        // for it): raise the pending error rather than return a result with it set, which Python
        // would turn into a SystemError.
        if (interrupted && PyErr_Occurred()) throw py::error_already_set();
        return result;
      },
      py::arg("scenario"), py::arg("seed") = py::none(), py::arg("runs") = py::none(), py::arg("progress") = py::none(),
      py::arg("policies") = py::none());

  // Comparisons: the options, the scenario moved onto one, and the rows of a comparison.
  py::tuple names(compare_option_names.size());
  for (std::size_t i = 0; i < compare_option_names.size(); ++i) names[i] = py::str(std::string(compare_option_names[i]));
  m.attr("COMPARE_OPTIONS") = names;
  m.def("compare_options", [] {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& o : compare_options()) out.emplace_back(o.name, o.description);
    return out;
  });
  m.def("scenario_for_option", &scenario_for_option, py::arg("scenario"), py::arg("option"), py::arg("fixed_capacity") = false);
  // A comparison row per run (compare.hpp), read from a comparison.json, and as tables.
  py::class_<ComparisonRow> row(m, "ComparisonRow");
  row.def_readonly("option", &ComparisonRow::option)
      .def_readonly("replications", &ComparisonRow::replications)
      .def_readonly("duration_s", &ComparisonRow::duration_s)
      .def_readonly("warmup_s", &ComparisonRow::warmup_s)
      .def_readonly("seed", &ComparisonRow::seed)
      .def_readonly("slo_ms", &ComparisonRow::slo_ms);
  for (const auto& f : comparison_fields()) row.def_readonly(f.name, f.value);
  m.def("comparison_row", &comparison_row, py::arg("result"), py::arg("option"));
  py::class_<PolicyBenchRow>(m, "PolicyBenchRow")
      .def_readonly("policy", &PolicyBenchRow::policy)
      .def_readonly("figures", &PolicyBenchRow::figures)
      .def_readonly("minutes_in_breach", &PolicyBenchRow::minutes_in_breach)
      .def_readonly("minutes_in_breach_ci", &PolicyBenchRow::minutes_in_breach_ci)
      .def_readonly("task_hours_paid", &PolicyBenchRow::task_hours_paid)
      .def_readonly("task_hours_paid_ci", &PolicyBenchRow::task_hours_paid_ci)
      .def_readonly("task_hours_needed", &PolicyBenchRow::task_hours_needed)
      .def_readonly("task_hours_needed_ci", &PolicyBenchRow::task_hours_needed_ci)
      .def_readonly("scaling_actions", &PolicyBenchRow::scaling_actions)
      .def_readonly("first_scale_out_s", &PolicyBenchRow::first_scale_out_s)
      .def_readonly("first_response_after_zero_s", &PolicyBenchRow::first_response_after_zero_s)
      .def_readonly("publication_delay_s", &PolicyBenchRow::publication_delay_s);
  m.attr("FIXED_CAPACITY") = kFixedCapacity;
  m.def("scenario_for_policy", &scenario_for_policy, py::arg("scenario"), py::arg("policy"),
        py::arg("services") = std::vector<std::string>{});
  m.def("policy_bench_row", &policy_bench_row, py::arg("result"), py::arg("scenario"), py::arg("policy"));
  m.def("policy_bench_table", [](const std::vector<PolicyBenchRow>& rows) { return to_python(policy_bench_table(rows)); },
        py::arg("rows"));
  m.def("policy_bench_text", &policy_bench_text, py::arg("scenario"), py::arg("rows"));
  m.def(
      "comparison_rows_from_json", [](const std::string& text) { return comparison_rows_from_json(nlohmann::json::parse(text)); },
      py::arg("text"));
  m.def(
      "comparison_table", [](const std::vector<ComparisonRow>& rows) { return to_python(comparison_table(rows)); },
      py::arg("rows"));
  m.def(
      "service_comparison_table",
      [](const std::vector<ComparisonRow>& rows) { return to_python(service_comparison_table(rows)); }, py::arg("rows"));
  m.def(
      "bill_table", [](const ComparisonRow& r) { return to_python(bill_table(r)); }, py::arg("row"));

  py::register_exception<RunCancelled>(m, "RunCancelled", PyExc_RuntimeError);
  m.def("version", &version);
}
