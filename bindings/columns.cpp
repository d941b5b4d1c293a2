#include "columns.hpp"

#include <cmath>
#include <vector>

#include <pybind11/numpy.h>

namespace py = pybind11;
using fargatelab::TableColumn;

namespace {

py::object from_json(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null: return py::none();
    case nlohmann::json::value_t::boolean: return py::bool_(j.get<bool>());
    case nlohmann::json::value_t::number_integer: return py::int_(j.get<std::int64_t>());
    case nlohmann::json::value_t::number_unsigned: return py::int_(j.get<std::uint64_t>());
    case nlohmann::json::value_t::number_float: return py::float_(j.get<double>());
    case nlohmann::json::value_t::string: return py::str(j.get_ref<const std::string&>());
    case nlohmann::json::value_t::array: {
      py::list out;
      for (const auto& v : j) out.append(from_json(v));
      return std::move(out);
    }
    case nlohmann::json::value_t::object: {
      py::dict out;
      for (const auto& [k, v] : j.items()) out[py::str(k)] = from_json(v);
      return std::move(out);
    }
    default: return py::float_(NAN);  // discarded: the row has no value
  }
}

// An object array holding `values` (new references, stolen).
py::array objects(std::vector<py::object> values) {
  py::array out(py::dtype("O"), std::vector<py::ssize_t>{static_cast<py::ssize_t>(values.size())});
  auto** cells = static_cast<PyObject**>(out.mutable_data());
  for (std::size_t i = 0; i < values.size(); ++i) {
    Py_XDECREF(cells[i]);
    cells[i] = values[i].release().ptr();
  }
  return out;
}

py::array column(const TableColumn& c) {
  switch (c.type) {
    case TableColumn::Type::integer: return py::array_t<std::int64_t>(c.integers.size(), c.integers.data());
    case TableColumn::Type::real: return py::array_t<double>(c.reals.size(), c.reals.data());
    case TableColumn::Type::text: {
      // One str per distinct value, shared by the rows that hold it.
      std::vector<py::object> distinct;
      distinct.reserve(c.dictionary.size());
      for (const auto& s : c.dictionary) distinct.push_back(py::str(s));
      const py::object missing = py::float_(NAN);
      std::vector<py::object> values;
      values.reserve(c.codes.size());
      for (std::uint32_t code : c.codes) values.push_back(code == TableColumn::kMissing ? missing : distinct[code]);
      return objects(std::move(values));
    }
    case TableColumn::Type::json: {
      std::vector<py::object> values;
      values.reserve(c.json.size());
      for (const auto& v : c.json) values.push_back(from_json(v));
      return objects(std::move(values));
    }
  }
  throw std::logic_error("unknown column type");
}

}  // namespace

py::dict to_python(const fargatelab::Table& table) {
  py::dict out;
  for (const auto& c : table.columns) out[py::str(c.name)] = column(c);
  return out;
}
