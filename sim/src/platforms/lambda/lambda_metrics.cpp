#include "platforms/lambda/lambda_metrics.hpp"

#include <cmath>

#include "scaling/metric_keys.hpp"

namespace fargatelab::detail {
namespace {

enum class Figure { concurrent, invocations, provisioned_busy, provisioned_utilization, provisioned_utilization_mean };

class LambdaMetric final : public DatapointSource {
 public:
  LambdaMetric(LambdaFunction& f, Figure figure) : f_(f), figure_(figure), invocations_(f.invocations()) {}
  std::optional<double> close(SimTime, SimTime) override {
    const std::uint64_t invoked = f_.invocations() - invocations_;
    invocations_ = f_.invocations();
    // Every figure's running maximum restarts each period, datapoint or not.
    double value = 0;
    switch (figure_) {
      case Figure::concurrent: value = static_cast<double>(f_.take_max_concurrent()); break;
      case Figure::invocations: value = static_cast<double>(invoked); break;
      case Figure::provisioned_busy: value = f_.take_max_provisioned_busy(); break;
      case Figure::provisioned_utilization: value = f_.take_max_provisioned_utilization(); break;
      case Figure::provisioned_utilization_mean: value = f_.take_mean_provisioned_utilization(); break;
    }
    // In flight from an earlier period counts as activity: a long invocation keeps emitting.
    const bool active = invoked > 0 || f_.concurrent_executions() > 0 ||
                        (figure_ == Figure::concurrent && value > 0);
    if (!active || std::isnan(value)) return std::nullopt;
    const bool pc_metric = figure_ == Figure::provisioned_busy || figure_ == Figure::provisioned_utilization ||
                           figure_ == Figure::provisioned_utilization_mean;
    if (pc_metric && f_.provisioned_configured() == 0 && value == 0) return std::nullopt;
    return value;
  }

 private:
  LambdaFunction& f_;
  Figure figure_;
  std::uint64_t invocations_;
};

}  // namespace

void publish_lambda_metrics(CloudWatch& cw, LambdaFunction& f, const std::string& name) {
  namespace k = metric_keys;
  cw.add(k::lambda("ConcurrentExecutions", name), MetricUnit::count, std::make_unique<LambdaMetric>(f, Figure::concurrent));
  cw.add(k::lambda("Invocations", name, Statistic::sum), MetricUnit::count, std::make_unique<LambdaMetric>(f, Figure::invocations));
  cw.add(k::lambda_alias("ProvisionedConcurrentExecutions", name), MetricUnit::count,
         std::make_unique<LambdaMetric>(f, Figure::provisioned_busy));
  cw.add(k::lambda_alias("ProvisionedConcurrencyUtilization", name), MetricUnit::none,
         std::make_unique<LambdaMetric>(f, Figure::provisioned_utilization));
  // The Average statistic, which the target tracking alarms read: "Both of the Application Auto
  // Scaling alarms use the average statistic by default" (Lambda developer guide, "Configuring
  // provisioned concurrency"), i.e. the time average of the utilisation over the minute.
  cw.add(k::lambda_alias("ProvisionedConcurrencyUtilization", name, k::kLambdaAlias, Statistic::average), MetricUnit::none,
         std::make_unique<LambdaMetric>(f, Figure::provisioned_utilization_mean));
}

}  // namespace fargatelab::detail
