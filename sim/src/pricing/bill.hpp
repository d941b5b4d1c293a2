// The bill (fargatelab/bill.hpp, public) and the display helpers the pricing rules share.
#pragma once

#include <string>

#include "fargatelab/bill.hpp"

namespace fargatelab::detail {

using fargatelab::Bill;
using fargatelab::LineItem;

// Display helpers shared by the pricing rules (deterministic, locale-independent):
// 1234567 -> "1,234,567"; 0.5 -> "0.5"; 2628000.25 -> "2,628,000.25"; up to 6 decimals.
std::string format_quantity(double x);
// A rate with every significant digit the catalog has (up to 10 decimals): "$0.0000166667".
std::string format_rate(double usd);
// An amount rounded to cents: "$29.55", "-$1.20".
std::string format_usd(double usd);

}  // namespace fargatelab::detail
