#include "random/distribution_registry.hpp"

#include <fmt/format.h>

namespace fargatelab::detail {
namespace {

ParamSpec num(std::string name, std::string doc, bool required = true, std::optional<double> min = std::nullopt,
              bool exclusive = false) {
  ParamSpec p;
  p.name = std::move(name);
  p.doc = std::move(doc);
  p.required = required;
  p.min = min;
  p.min_exclusive = exclusive;
  return p;
}
ParamSpec list(std::string name, std::string doc) {
  ParamSpec p = num(std::move(name), std::move(doc));
  p.type = ParamType::number_list;
  return p;
}

// Exactly one of two alternative parameters must be given.
bool one_of(const Params& p, const char* a, const char* b, Problems& problems) {
  if (p.has(a) == p.has(b)) {
    problems.push_back(fmt::format("give exactly one of \"{}\" and \"{}\"", a, b));
    return false;
  }
  return true;
}

Registry<Distribution> make() {
  Registry<Distribution> r("distribution");
  r.add({"constant", "Always the same value.", {num("value", "the value")}},
        [](const Params& p, Problems&) -> std::optional<Distribution> { return Constant{p.number("value")}; });
  r.add({"uniform", "Uniform on [low, high).", {num("low", "lower bound"), num("high", "upper bound")}},
        [](const Params& p, Problems& e) -> std::optional<Distribution> {
          if (!(p.number("high") > p.number("low"))) {
            e.push_back("high must be greater than low");
            return std::nullopt;
          }
          return Uniform{p.number("low"), p.number("high")};
        });
  r.add({"exponential", "Exponential, by rate (events per unit) or mean.",
         {num("rate", "events per unit, > 0", false, 0.0, true), num("mean", "mean, > 0", false, 0.0, true)}},
        [](const Params& p, Problems& e) -> std::optional<Distribution> {
          if (!one_of(p, "rate", "mean", e)) return std::nullopt;
          return Exponential{p.has("rate") ? p.number("rate") : 1.0 / p.number("mean")};
        });
  r.add({"normal", "Normal (Gaussian).", {num("mean", "mean"), num("sd", "standard deviation, >= 0", true, 0.0)}},
        [](const Params& p, Problems&) -> std::optional<Distribution> { return Normal{p.number("mean"), p.number("sd")}; });
  r.add({"lognormal", "Log-normal, by its own mean and sd, or by mu and sigma of the underlying normal.",
         {num("mean", "mean, > 0", false, 0.0, true), num("sd", "standard deviation, >= 0", false, 0.0),
          num("mu", "mean of log", false), num("sigma", "sd of log, >= 0", false, 0.0)}},
        [](const Params& p, Problems& e) -> std::optional<Distribution> {
          const bool by_moments = p.has("mean") && p.has("sd") && !p.has("mu") && !p.has("sigma");
          const bool by_log = p.has("mu") && p.has("sigma") && !p.has("mean") && !p.has("sd");
          if (!by_moments && !by_log) {
            e.push_back("give either mean and sd, or mu and sigma");
            return std::nullopt;
          }
          if (by_moments) return LogNormal::from_mean_sd(p.number("mean"), p.number("sd"));
          return LogNormal{p.number("mu"), p.number("sigma")};
        });
  r.add({"gamma", "Gamma, by shape and scale, or shape and mean.",
         {num("shape", "shape k, > 0", true, 0.0, true), num("scale", "scale theta, > 0", false, 0.0, true),
          num("mean", "mean = k theta, > 0", false, 0.0, true)}},
        [](const Params& p, Problems& e) -> std::optional<Distribution> {
          if (!one_of(p, "scale", "mean", e)) return std::nullopt;
          const double k = p.number("shape");
          return Gamma{k, p.has("scale") ? p.number("scale") : p.number("mean") / k};
        });
  r.add({"weibull", "Weibull.", {num("shape", "shape k, > 0", true, 0.0, true), num("scale", "scale lambda, > 0", true, 0.0, true)}},
        [](const Params& p, Problems&) -> std::optional<Distribution> { return Weibull{p.number("shape"), p.number("scale")}; });
  r.add({"pareto", "Pareto type I: P(X > x) = (scale / x)^alpha for x >= scale.",
         {num("scale", "minimum x_m, > 0", true, 0.0, true), num("alpha", "tail index, > 0", true, 0.0, true)}},
        [](const Params& p, Problems&) -> std::optional<Distribution> { return Pareto{p.number("scale"), p.number("alpha")}; });
  r.add({"bernoulli", "1 with probability p, else 0.", {[] {
           ParamSpec s = num("p", "probability in [0, 1]", true, 0.0);
           s.max = 1.0;
           return s;
         }()}},
        [](const Params& p, Problems&) -> std::optional<Distribution> { return Bernoulli{p.number("p")}; });
  r.add({"empirical", "Resamples measured values, interpolating between order statistics.",
         {list("values", "at least two distinct measured values")}},
        [](const Params& p, Problems& e) -> std::optional<Distribution> {
          try {
            return Empirical::from_sample(p.numbers("values"));
          } catch (const std::invalid_argument& ex) {
            e.push_back(ex.what());
            return std::nullopt;
          }
        });
  r.add({"histogram", "Piecewise uniform over bins: edges e0 < e1 < ... and one weight per bin.",
         {list("edges", "increasing bin edges"), list("weights", "one non-negative weight per bin")}},
        [](const Params& p, Problems& e) -> std::optional<Distribution> {
          try {
            return Empirical::from_histogram(p.numbers("edges"), p.numbers("weights"));
          } catch (const std::invalid_argument& ex) {
            e.push_back(ex.what());
            return std::nullopt;
          }
        });
  return r;
}

}  // namespace

const Registry<Distribution>& distribution_registry() {
  static const Registry<Distribution> r = make();
  return r;
}

}  // namespace fargatelab::detail
