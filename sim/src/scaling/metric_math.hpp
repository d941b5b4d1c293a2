// The metric an alarm or a target tracking policy reads: one CloudWatch series, or metric math
// over several (CloudWatch "Use metric math": e1 = m1 / m2, e.g. SQS backlog per task =
// ApproximateNumberOfMessagesVisible / RunningTaskCount, AAS user guide
// target-tracking-metric-math.md). An expression is evaluated period by period on the queries'
// datapoints of that period; a period where any query has no datapoint, or where the expression
// divides by zero, has no datapoint (missing, never zero: an alarm then applies TreatMissingData
// and a target tracking policy does not scale in).
//
// Expressions: numbers, query ids, + - * /, unary minus and parentheses ("m1 / m2",
// "(m1 + m2) / 2", "100 * m1 / m2"). CloudWatch's functions (FILL, SUM, ...) are not modelled.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scaling/metric_view.hpp"

namespace fargatelab::detail {

// An arithmetic expression over query ids, parsed once.
class MetricExpression {
 public:
  // Throws std::invalid_argument ("at position 4: unknown metric id \"m3\" (ids: m1, m2)") for a
  // syntax error or an id not in `ids`.
  static MetricExpression parse(std::string_view text, const std::vector<std::string>& ids);

  const std::string& text() const noexcept { return text_; }
  // values[i] is the datapoint of ids[i] for one period. nullopt if any operand used is missing or
  // a division by zero occurs.
  std::optional<double> evaluate(std::span<const std::optional<double>> values) const;

 private:
  // Postfix program: a number, an id index, or an operator.
  struct Op {
    enum Kind : std::uint8_t { number, id, add, sub, mul, div, neg } kind;
    double value = 0;
    std::size_t index = 0;
  };
  std::string text_;
  std::vector<Op> program_;
  friend class ExpressionParser;
};

// One metric of a math expression: its id ("m1") and series.
struct MetricQuery {
  std::string id;
  MetricKey key;
};

class MetricSource {
 public:
  // A single series.
  explicit MetricSource(MetricKey key);
  // Math: the queries (same period, std::invalid_argument otherwise; ids unique) and the
  // expression over their ids; `id` is the expression's own id ("e1").
  MetricSource(std::vector<MetricQuery> queries, std::string id, MetricExpression expression);

  Duration period() const noexcept { return queries_.front().key.period; }
  bool is_math() const noexcept { return expression_.has_value(); }
  const std::vector<MetricQuery>& queries() const noexcept { return queries_; }
  const std::optional<MetricExpression>& expression() const noexcept { return expression_; }

  // The n periods ending at `end` (MetricSeries::last's convention), oldest first: the series'
  // datapoints, or the expression's value per period; nullopt where missing. A series nobody
  // publishes is missing throughout.
  std::vector<std::optional<double>> last(const MetricView& metrics, std::size_t n, SimTime end) const;
  // "AWS/ECS CPUUtilization {...} Average 60s" or "e1 = m1 / m2 (m1: ..., m2: ...)".
  std::string describe() const;

 private:
  std::vector<MetricQuery> queries_;
  std::string id_;
  std::optional<MetricExpression> expression_;
};

}  // namespace fargatelab::detail
