#include "scenario/call_graph.hpp"

#include <algorithm>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>

namespace fargatelab::detail {
namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;

// Records the first back edge and the DFS tree parents, from which the cycle is read.
struct CycleFinder : boost::default_dfs_visitor {
  std::vector<Vertex>* parent;
  std::pair<Vertex, Vertex>* back;
  bool* found;
  template <class Edge, class G>
  void tree_edge(Edge e, const G& g) const {
    (*parent)[boost::target(e, g)] = boost::source(e, g);
  }
  template <class Edge, class G>
  void back_edge(Edge e, const G& g) const {
    if (!*found) {
      *back = {boost::source(e, g), boost::target(e, g)};
      *found = true;
    }
  }
};

}  // namespace

std::vector<std::size_t> find_call_cycle(std::size_t n, const std::vector<std::pair<std::size_t, std::size_t>>& edges) {
  Graph g(n);
  for (const auto& [a, b] : edges) boost::add_edge(a, b, g);
  std::vector<Vertex> parent(n);
  for (std::size_t i = 0; i < n; ++i) parent[i] = i;
  std::pair<Vertex, Vertex> back{};
  bool found = false;
  std::vector<boost::default_color_type> color(n);
  boost::depth_first_search(g, CycleFinder{{}, &parent, &back, &found},
                            boost::make_iterator_property_map(color.begin(), boost::get(boost::vertex_index, g)));
  if (!found) return {};
  // back = (u, v) with v an ancestor of u: the cycle is v -> ... -> u -> v.
  std::vector<std::size_t> cycle{back.first};
  for (Vertex x = back.first; x != back.second; x = parent[x]) cycle.push_back(parent[x]);
  std::reverse(cycle.begin(), cycle.end());
  cycle.push_back(back.second);
  return cycle;
}

}  // namespace fargatelab::detail
