// Plain-text tables for the terminal: the first row is the header, underlined; the first column
// is left-aligned, the others right-aligned, two spaces apart.
#pragma once

#include <string>
#include <vector>

namespace fargatelab::detail {

std::string text_table(const std::vector<std::vector<std::string>>& rows);

}  // namespace fargatelab::detail
