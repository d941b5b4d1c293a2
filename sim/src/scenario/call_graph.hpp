// The service call graph (Boost.Graph): which service calls which.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace fargatelab::detail {

// Services are 0..n-1; edges are (caller, callee). Returns one cycle as a list of vertices
// (first == last), or an empty list if the graph is acyclic.
std::vector<std::size_t> find_call_cycle(std::size_t n, const std::vector<std::pair<std::size_t, std::size_t>>& edges);

}  // namespace fargatelab::detail
