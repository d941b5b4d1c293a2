// CloudWatch alarms: M of N, each TreatMissingData mode against the CloudWatch user guide's two
// tables ("How alarm state is evaluated when data is missing"), the state history in
// CloudWatch's words, and metric math with a division by zero. Every expected value is worked
// out by hand in the comment beside it.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "scaling/alarm.hpp"
#include "scaling/metric_keys.hpp"

using namespace fargatelab;
using namespace fargatelab::detail;

namespace {

MetricKey cpu() { return metric_keys::ecs_service("CPUUtilization", "api"); }

// Publishes a pattern over consecutive 60 s periods from t = 0: '0' = 10 (not breaching a
// "> 50" alarm), 'X' = 80 (breaching), '-' = no datapoint. Spaces are ignored.
void publish_pattern(MetricStore& store, const std::string& pattern) {
  MetricSeries& s = store.series(cpu(), MetricUnit::percent);
  int k = 0;
  for (char c : pattern) {
    if (c == ' ') continue;
    if (c != '-') s.publish({seconds(60 * k), c == 'X' ? 80.0 : 10.0});
    ++k;
  }
}

AlarmSpec cpu_alarm(int n, int m, TreatMissingData missing) {
  AlarmSpec a{"cpu-high", MetricSource(cpu())};
  a.evaluation_periods = n;
  a.datapoints_to_alarm = m;
  a.threshold = 50;
  a.comparison = ComparisonOperator::greater;
  a.treat_missing_data = missing;
  return a;
}

// The state a fresh alarm (INSUFFICIENT_DATA) reaches on a 5-period pattern, evaluated at the
// end of the fifth period (300 s): the evaluation range is the 5 periods [0, 300).
AlarmState state_on(const std::string& pattern, int n, int m, TreatMissingData missing) {
  MetricStore store;
  publish_pattern(store, pattern);
  Alarm a(cpu_alarm(n, m, missing));
  REQUIRE(a.spec().range() == 5);  // N + 2 = 5, the guide's examples
  return a.evaluate(store, seconds(300));
}

constexpr auto OK = AlarmState::ok;
constexpr auto ALARM = AlarmState::alarm;
constexpr auto INSUFFICIENT = AlarmState::insufficient_data;
// "Retain current state": a fresh alarm keeps INSUFFICIENT_DATA.
constexpr auto RETAINED = AlarmState::insufficient_data;

// One row of the guide's tables: the pattern and the state under each TreatMissingData.
struct Row {
  const char* points;
  AlarmState missing, ignore, breaching, not_breaching;
};
void check_rows(const std::vector<Row>& rows, int n, int m) {
  for (const auto& r : rows) {
    INFO(r.points << ", " << m << " of " << n);
    CHECK(state_on(r.points, n, m, TreatMissingData::missing) == r.missing);
    CHECK(state_on(r.points, n, m, TreatMissingData::ignore) == r.ignore);
    CHECK(state_on(r.points, n, m, TreatMissingData::breaching) == r.breaching);
    CHECK(state_on(r.points, n, m, TreatMissingData::not_breaching) == r.not_breaching);
  }
}

}  // namespace

TEST_CASE("alarm: 3 of 3, each TreatMissingData mode, as the CloudWatch guide's first table", "[scaling][alarm]") {
  const std::vector<Row> rows = {
      {"0 - X - X", OK, OK, OK, OK},                  // 3 real: 0 X X -> 2 breaching < 3
      {"0 - - - -", OK, OK, OK, OK},                  // breaching: 0 + 2 filled X -> 2 < 3
      {"- - - - -", INSUFFICIENT, RETAINED, ALARM, OK},
      {"0 X X - X", ALARM, ALARM, ALARM, ALARM},      // 4 real: the 3 newest X X X
      {"- - - - X", INSUFFICIENT, RETAINED, ALARM, OK},
      {"X - - - -", ALARM, RETAINED, ALARM, OK},      // the oldest is breaching, none is not
  };
  check_rows(rows, 3, 3);
}

TEST_CASE("alarm: 2 of 3 (M out of N), as the CloudWatch guide's second table", "[scaling][alarm]") {
  const std::vector<Row> rows = {
      {"0 - X - X", ALARM, ALARM, ALARM, ALARM},  // 0 X X: 2 of 3 breach
      {"0 0 X 0 X", ALARM, ALARM, ALARM, ALARM},  // newest 3: X 0 X
      {"0 - X - -", OK, OK, ALARM, OK},           // breaching: X + 1 filled = 2
      {"- - - - 0", OK, OK, ALARM, OK},           // breaching: 2 filled
      {"- - - - X", INSUFFICIENT, RETAINED, ALARM, OK},
  };
  check_rows(rows, 3, 2);
}

TEST_CASE("alarm: ignore keeps ALARM when the data stops, missing goes to INSUFFICIENT_DATA", "[scaling][alarm]") {
  MetricStore store;
  publish_pattern(store, "XXX");  // [0,180) breaching, then nothing
  Alarm ignore(cpu_alarm(3, 3, TreatMissingData::ignore));
  Alarm missing(cpu_alarm(3, 3, TreatMissingData::missing));
  REQUIRE(ignore.evaluate(store, seconds(180)) == ALARM);
  REQUIRE(missing.evaluate(store, seconds(180)) == ALARM);
  // At 420 s the range [120, 420) holds only [120,180) = X, the oldest: missing says ALARM (the
  // guide's "X - - - -"), ignore keeps ALARM.
  REQUIRE(ignore.evaluate(store, seconds(420)) == ALARM);
  REQUIRE(missing.evaluate(store, seconds(420)) == ALARM);
  // At 480 s the range [180, 480) is empty: missing -> INSUFFICIENT_DATA, ignore keeps ALARM.
  REQUIRE(ignore.evaluate(store, seconds(480)) == ALARM);
  REQUIRE(missing.evaluate(store, seconds(480)) == INSUFFICIENT);
  REQUIRE(ignore.history().size() == 1);
  REQUIRE(missing.history().size() == 2);
  REQUIRE(missing.history()[1].reason == "Insufficient Data: 3 datapoints were unknown.");
}

TEST_CASE("alarm: no datapoint at all is INSUFFICIENT_DATA, and no state change is recorded", "[scaling][alarm]") {
  MetricStore store;  // nothing publishes the metric
  Alarm a(cpu_alarm(3, 3, TreatMissingData::missing));
  REQUIRE(a.state() == INSUFFICIENT);
  for (int t = 60; t <= 600; t += 60) REQUIRE(a.evaluate(store, seconds(t)) == INSUFFICIENT);
  REQUIRE(a.history().empty());
  REQUIRE(a.evaluated().empty());
}

TEST_CASE("alarm: each state change is recorded with CloudWatch's reason", "[scaling][alarm]") {
  MetricStore store;
  MetricSeries& s = store.series(cpu(), MetricUnit::percent);
  Alarm a(cpu_alarm(3, 3, TreatMissingData::missing));
  std::vector<AlarmStateChange> emitted;
  a.state_changed.connect([&](const Alarm&, const AlarmStateChange& c) { emitted.push_back(c); });
  // 40 % in [0,60), 80 % from 60 s on.
  s.publish({seconds(0), 40.0});
  a.evaluate(store, seconds(60));  // 1 real, not breaching -> OK
  for (int t = 60; t <= 180; t += 60) s.publish({seconds(t), 80.0});
  a.evaluate(store, seconds(120));  // 40, 80: 1 breaching of 3 -> OK, no change
  a.evaluate(store, seconds(180));  // 40, 80, 80 -> OK
  a.evaluate(store, seconds(240));  // 80, 80, 80 -> ALARM
  REQUIRE(a.history().size() == 2);
  REQUIRE(emitted.size() == 2);
  const auto& ok = a.history()[0];
  CHECK(ok.at == seconds(60));
  CHECK(ok.from == INSUFFICIENT);
  CHECK(ok.to == OK);
  CHECK(ok.reason ==
        "Threshold Crossed: 1 out of the last 3 datapoints [40.0 (00:00:00)] was not greater than the threshold (50.0) "
        "(minimum 1 datapoint for INSUFFICIENT_DATA -> OK transition).");
  const auto& alarm = a.history()[1];
  CHECK(alarm.at == seconds(240));
  CHECK(alarm.to == ALARM);
  CHECK(alarm.reason ==
        "Threshold Crossed: 3 out of the last 3 datapoints [80.0 (00:03:00), 80.0 (00:02:00), 80.0 (00:01:00)] were greater "
        "than the threshold (50.0) (minimum 3 datapoints for OK -> ALARM transition).");
  // The datapoints the last evaluation used, oldest first.
  REQUIRE(a.evaluated().size() == 3);
  CHECK(a.evaluated().front().timestamp == seconds(60));
  CHECK(emitted[1].reason == alarm.reason);
}

TEST_CASE("alarm: missing datapoints treated as breaching are named in the reason", "[scaling][alarm]") {
  MetricStore store;
  store.series(cpu(), MetricUnit::percent);  // published, but no datapoint yet
  Alarm a(cpu_alarm(2, 2, TreatMissingData::breaching));
  REQUIRE(a.evaluate(store, seconds(120)) == ALARM);
  CHECK(a.history()[0].reason ==
        "Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints were treated as [Breaching].");
}

TEST_CASE("alarm: the comparison operators, strict and not", "[scaling][alarm]") {
  CHECK_FALSE(breaches(ComparisonOperator::greater, 50, 50));  // GreaterThanThreshold is strict
  CHECK(breaches(ComparisonOperator::greater_or_equal, 50, 50));
  CHECK_FALSE(breaches(ComparisonOperator::less, 45, 45));
  CHECK(breaches(ComparisonOperator::less_or_equal, 45, 45));
  CHECK(parse_comparison_operator("GreaterThanOrEqualToThreshold") == ComparisonOperator::greater_or_equal);
  CHECK_FALSE(parse_comparison_operator("GreaterThan"));
  CHECK(parse_treat_missing_data("notBreaching") == TreatMissingData::not_breaching);
  CHECK(cloudwatch_number(72.5) == "72.5");
  CHECK(cloudwatch_number(80) == "80.0");
  CHECK(cloudwatch_timestamp(seconds(93784)) == "(1d 02:03:04)");  // 86400 + 7384
  CHECK(valid_alarm_period(seconds(20)));
  CHECK(valid_alarm_period(seconds(120)));
  CHECK_FALSE(valid_alarm_period(seconds(45)));
}

// ---- metric math ------------------------------------------------------------------------------

TEST_CASE("metric math: backlog per task, and a division by zero gives no datapoint", "[scaling][alarm][math]") {
  MetricStore store;
  const MetricKey visible = metric_keys::sqs("ApproximateNumberOfMessagesVisible", "worker");
  const MetricKey running = metric_keys::running_task_count("worker");
  MetricSeries& m1 = store.series(visible, MetricUnit::count);
  MetricSeries& m2 = store.series(running, MetricUnit::count);
  // [0,60): 300 messages / 3 tasks = 100; [60,120): 50 / 0 tasks -> none; [120,180): 40 and no
  // task count -> none; [180,240): 0 / 2 = 0.
  m1.publish({seconds(0), 300});
  m2.publish({seconds(0), 3});
  m1.publish({seconds(60), 50});
  m2.publish({seconds(60), 0});
  m1.publish({seconds(120), 40});
  m1.publish({seconds(180), 0});
  m2.publish({seconds(180), 2});
  const MetricSource backlog({{"m1", visible}, {"m2", running}}, "e1", MetricExpression::parse("m1 / m2", {"m1", "m2"}));
  using V = std::vector<std::optional<double>>;
  REQUIRE(backlog.last(store, 4, seconds(240)) == V{100.0, std::nullopt, std::nullopt, 0.0});
  REQUIRE(backlog.is_math());

  // An alarm on it, > 50 for 1 of 1 (range 3 periods). At 60 s: [0,60) = 100 -> ALARM. At 180 s
  // the range [0,180) has one real datapoint, 100 (CloudWatch looks back past the missing
  // ones) -> still ALARM. At 240 s the range [60,240) has only [180,240) = 0 -> OK.
  AlarmSpec spec{"backlog-high", backlog};
  spec.threshold = 50;
  Alarm a(spec);
  REQUIRE(a.evaluate(store, seconds(60)) == ALARM);
  REQUIRE(a.evaluate(store, seconds(180)) == ALARM);
  REQUIRE(a.evaluate(store, seconds(240)) == OK);
  REQUIRE(a.history().size() == 2);
}

TEST_CASE("metric math: operators, precedence and errors", "[scaling][alarm][math]") {
  const std::vector<std::string> ids = {"m1", "m2"};
  const std::vector<std::optional<double>> v = {6.0, 3.0};
  CHECK(MetricExpression::parse("m1 + m2 * 2", ids).evaluate(v) == 12.0);    // 6 + 6
  CHECK(MetricExpression::parse("(m1 + m2) * 2", ids).evaluate(v) == 18.0);  // 9 x 2
  CHECK(MetricExpression::parse("-m1 / m2", ids).evaluate(v) == -2.0);
  CHECK(MetricExpression::parse("100 * m2 / m1", ids).evaluate(v) == 50.0);
  const std::vector<std::optional<double>> gap = {6.0, std::nullopt};
  CHECK_FALSE(MetricExpression::parse("m1 + m2", ids).evaluate(gap));
  CHECK(MetricExpression::parse("m1 * 2", ids).evaluate(gap) == 12.0);  // m2 unused
  CHECK_THROWS_WITH(MetricExpression::parse("m1 / m3", ids), Catch::Contains("unknown metric id \"m3\" (ids: m1, m2)"));
  CHECK_THROWS_WITH(MetricExpression::parse("m1 / (m2", ids), Catch::Contains("expected ')'"));
  CHECK_THROWS_WITH(MetricExpression::parse("m1 m2", ids), Catch::Contains("unexpected 'm'"));
  CHECK_THROWS_AS(MetricSource({{"m1", metric_keys::sqs("X", "q")}, {"m2", metric_keys::sqs("Y", "q", Statistic::average, seconds(300))}},
                               "e1", MetricExpression::parse("m1 / m2", ids)),
                  std::invalid_argument);  // periods differ
}
