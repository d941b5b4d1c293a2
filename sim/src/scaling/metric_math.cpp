#include "scaling/metric_math.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace fargatelab::detail {

// Recursive descent: expr = term {(+|-) term}; term = unary {(*|/) unary};
// unary = - unary | primary; primary = number | id | ( expr ). Emits postfix.
class ExpressionParser {
 public:
  ExpressionParser(std::string_view s, const std::vector<std::string>& ids) : s_(s), ids_(ids) {}

  MetricExpression parse() {
    MetricExpression e;
    e.text_ = std::string(s_);
    out_ = &e.program_;
    expr();
    skip_ws();
    if (pos_ < s_.size()) fail(fmt::format("unexpected '{}'", s_[pos_]));
    return e;
  }

 private:
  using Op = MetricExpression::Op;
  [[noreturn]] void fail(const std::string& what) const {
    throw std::invalid_argument(fmt::format("in \"{}\" at position {}: {}", s_, pos_ + 1, what));
  }
  void skip_ws() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool eat(char c) {
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void expr() {
    term();
    for (;;) {
      if (eat('+')) term(), out_->push_back({Op::add});
      else if (eat('-')) term(), out_->push_back({Op::sub});
      else return;
    }
  }
  void term() {
    unary();
    for (;;) {
      if (eat('*')) unary(), out_->push_back({Op::mul});
      else if (eat('/')) unary(), out_->push_back({Op::div});
      else return;
    }
  }
  void unary() {
    if (eat('-')) {
      unary();
      out_->push_back({Op::neg});
      return;
    }
    primary();
  }
  void primary() {
    skip_ws();
    if (eat('(')) {
      expr();
      if (!eat(')')) fail("expected ')'");
      return;
    }
    if (pos_ >= s_.size()) fail("expected a number, a metric id or '(' before the end");
    const std::size_t start = pos_;
    if (std::isdigit(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '.') {
      while (pos_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '.')) ++pos_;
      const std::string number(s_.substr(start, pos_ - start));
      std::size_t used = 0;
      double v = 0;
      try {
        v = std::stod(number, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != number.size()) fail(fmt::format("\"{}\" is not a number", number));
      out_->push_back({Op::number, v});
      return;
    }
    if (std::isalpha(static_cast<unsigned char>(s_[pos_]))) {
      while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) ++pos_;
      const std::string id(s_.substr(start, pos_ - start));
      const auto it = std::find(ids_.begin(), ids_.end(), id);
      if (it == ids_.end()) {
        pos_ = start;
        fail(fmt::format("unknown metric id \"{}\" (ids: {}); functions such as FILL are not modelled", id,
                         fmt::join(ids_, ", ")));
      }
      out_->push_back({Op::id, 0, static_cast<std::size_t>(it - ids_.begin())});
      return;
    }
    fail(fmt::format("unexpected '{}'", s_[pos_]));
  }

  std::string_view s_;
  const std::vector<std::string>& ids_;
  std::size_t pos_ = 0;
  std::vector<Op>* out_ = nullptr;
};

MetricExpression MetricExpression::parse(std::string_view text, const std::vector<std::string>& ids) {
  return ExpressionParser(text, ids).parse();
}

std::optional<double> MetricExpression::evaluate(std::span<const std::optional<double>> values) const {
  std::vector<double> stack;
  stack.reserve(program_.size());
  for (const Op& op : program_) {
    if (op.kind == Op::number) {
      stack.push_back(op.value);
    } else if (op.kind == Op::id) {
      if (op.index >= values.size() || !values[op.index]) return std::nullopt;
      stack.push_back(*values[op.index]);
    } else if (op.kind == Op::neg) {
      stack.back() = -stack.back();
    } else {
      const double b = stack.back();
      stack.pop_back();
      double& a = stack.back();
      if (op.kind == Op::add) a += b;
      else if (op.kind == Op::sub) a -= b;
      else if (op.kind == Op::mul) a *= b;
      else if (b == 0) return std::nullopt;  // no datapoint for this period
      else a /= b;
    }
  }
  return stack.back();
}

MetricSource::MetricSource(MetricKey key) : queries_{{"m1", std::move(key)}} {}

MetricSource::MetricSource(std::vector<MetricQuery> queries, std::string id, MetricExpression expression)
    : queries_(std::move(queries)), id_(std::move(id)), expression_(std::move(expression)) {
  if (queries_.empty()) throw std::invalid_argument("metric math needs at least one metric");
  for (const auto& q : queries_)
    if (q.key.period != queries_.front().key.period)
      throw std::invalid_argument(fmt::format("every metric of an expression must have the same period: {} has {} s, {} has {} s",
                                              q.id, q.key.period.to_seconds(), queries_.front().id,
                                              queries_.front().key.period.to_seconds()));
}

std::vector<std::optional<double>> MetricSource::last(const MetricView& metrics, std::size_t n, SimTime end) const {
  auto series_values = [&](const MetricKey& k) {
    const MetricSeries* s = metrics.find(k);
    return s ? s->last(n, end) : std::vector<std::optional<double>>(n);
  };
  if (!expression_) return series_values(queries_.front().key);
  std::vector<std::vector<std::optional<double>>> columns;
  columns.reserve(queries_.size());
  for (const auto& q : queries_) columns.push_back(series_values(q.key));
  std::vector<std::optional<double>> out(n), row(queries_.size());
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t q = 0; q < columns.size(); ++q) row[q] = columns[q][i];
    out[i] = expression_->evaluate(row);
  }
  return out;
}

std::string MetricSource::describe() const {
  if (!expression_) return to_string(queries_.front().key);
  std::vector<std::string> parts;
  for (const auto& q : queries_) parts.push_back(q.id + ": " + to_string(q.key));
  return fmt::format("{} = {} ({})", id_, expression_->text(), fmt::join(parts, "; "));
}

}  // namespace fargatelab::detail
