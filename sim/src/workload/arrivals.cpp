#include "workload/arrivals.hpp"

namespace fargatelab::detail {
namespace {

ParamSpec rate_param() {
  ParamSpec p;
  p.name = "rate";
  p.required = true;
  p.min = 0.0;
  p.min_exclusive = true;
  p.doc = "requests per second, > 0";
  return p;
}

Registry<ArrivalModel> make() {
  Registry<ArrivalModel> r("arrival process");
  r.add({"poisson", "Poisson arrivals (exponential gaps) at a constant rate.", {rate_param()}},
        [](const Params& p, Problems&) -> std::optional<ArrivalModel> { return PoissonArrivals{p.number("rate")}; });
  r.add({"deterministic", "Evenly spaced arrivals at a constant rate.", {rate_param()}},
        [](const Params& p, Problems&) -> std::optional<ArrivalModel> { return DeterministicArrivals{p.number("rate")}; });
  return r;
}

}  // namespace

const Registry<ArrivalModel>& arrival_registry() {
  static const Registry<ArrivalModel> r = make();
  return r;
}

}  // namespace fargatelab::detail
