// CloudWatch metrics as AWS documents spell them, into MetricKey / MetricSource:
//  * a Metric {Namespace, MetricName, Dimensions: [{Name, Value}]} with a statistic and period
//    (PutMetricAlarm's single-metric fields, MetricStat, CustomizedMetricSpecification);
//  * a Metrics array of MetricDataQuery / TargetTrackingMetricDataQuery {Id, MetricStat |
//    Expression, Label, ReturnData}: exactly one returns data (ReturnData defaults to true), and
//    it is either one MetricStat or one expression over the MetricStat ids.
// Dimensions become "Name=Value,..." sorted by name (CloudWatch treats them as a set; the
// pipeline's keys, metric_keys.hpp, are written in that order).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/diagnostics.hpp"
#include "scaling/json_fields.hpp"
#include "scaling/metric_math.hpp"

namespace fargatelab::detail {

// "Average", "Sum", "Minimum", "Maximum", "SampleCount"; nullopt otherwise (percentiles too).
std::optional<Statistic> parse_statistic(std::string_view s) noexcept;
std::vector<std::string> statistic_names();

// Reads Namespace, MetricName and Dimensions from `fields` (the reader of the object that holds
// them). Reports problems through `fields`.
struct MetricIdentity {
  std::string ns, name, dimensions;
};
std::optional<MetricIdentity> read_metric_identity(JsonFields& fields);

// The Metrics array at `pointer`. `period`: the period every MetricStat has (target tracking:
// 60 s, its MetricStat has none); nullopt: each MetricStat gives Period (alarms), and all must
// agree. Reports every problem to `out`.
std::optional<MetricSource> read_metric_queries(const nlohmann::json& metrics, const std::string& pointer,
                                                std::optional<Duration> period, std::vector<Diagnostic>& out);

}  // namespace fargatelab::detail
