// A fargatelab::Table as a dict of numpy arrays, column name -> array, in column order: int64 for
// integer columns, float64 for real ones (NaN where undefined), object arrays of str for text
// (float NaN where a row has none, as pandas reads a missing field) and object arrays of Python
// values for JSON columns. pandas.DataFrame(dict) makes the DataFrame without parsing anything.
#pragma once

#include <pybind11/pybind11.h>

#include "fargatelab/table.hpp"

pybind11::dict to_python(const fargatelab::Table& table);
