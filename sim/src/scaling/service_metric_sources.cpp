#include "scaling/service_metric_sources.hpp"

#include <memory>

#include "scaling/metric_keys.hpp"

namespace fargatelab::detail {
namespace {

// The change of a cumulative counter since the previous close.
struct Delta {
  double last = 0;
  double take(double now) {
    const double d = now - last;
    last = now;
    return d;
  }
};

double cpu_seconds(const Service& s) {
  double total = 0;
  for (const auto& t : s.servers()) total += t->cpu_seconds();
  return total;
}

class CpuUtilization final : public DatapointSource {
 public:
  explicit CpuUtilization(Service& s) : s_(s) {}
  std::optional<double> close(SimTime, SimTime) override {
    const double used = cpu_.take(cpu_seconds(s_));
    const double reserved = reserved_.take(s_.reserved_vcpu_seconds());
    if (reserved <= 0) return std::nullopt;
    return 100.0 * used / reserved;
  }

 private:
  Service& s_;
  Delta cpu_, reserved_;
};

class MemoryUtilization final : public DatapointSource {
 public:
  explicit MemoryUtilization(const Service& s) : s_(s) {}
  std::optional<double> close(SimTime, SimTime) override {
    double used = 0;
    std::size_t tasks = 0;
    for (std::uint32_t k = 0; k < s_.servers().size(); ++k) {
      if (!s_.alive(k)) continue;
      ++tasks;
      used += s_.memory_used_mib(k);
    }
    if (tasks == 0) return std::nullopt;
    return 100.0 * used / (static_cast<double>(s_.spec().task.memory_mib) * static_cast<double>(tasks));
  }

 private:
  const Service& s_;
};

class RunningTaskCount final : public DatapointSource {
 public:
  explicit RunningTaskCount(const Service& s) : s_(s) {}
  std::optional<double> close(SimTime start, SimTime end) override {
    return tasks_.take(s_.live_task_seconds()) / (end - start).to_seconds();
  }

 private:
  const Service& s_;
  Delta tasks_;
};

class AlbRequestCount final : public DatapointSource {
 public:
  AlbRequestCount(const Service& s, bool per_target) : s_(s), per_target_(per_target) {}
  std::optional<double> close(SimTime, SimTime) override {
    const double n = received_.take(static_cast<double>(s_.requests_received()));
    if (!per_target_) return n > 0 ? std::optional<double>(n) : std::nullopt;
    std::size_t targets = s_.targets_in_service();
    if (targets == 0) targets = s_.live_servers();
    return n / static_cast<double>(targets == 0 ? 1 : targets);
  }

 private:
  const Service& s_;
  bool per_target_;
  Delta received_;
};

// The ALB's response metrics of a target group, from the requests that leave the service (an
// observer of request_done). AWS/ApplicationELB publishes them only for periods that had such
// requests, so an empty period is a missing datapoint (alarms on them want TreatMissingData
// notBreaching), as in CloudWatch:
//  * HTTPCode_Target_5XX_Count: answers a target generated as an error (the task's own error (app_error),
//    a failed dependency call, a full task queue);
//  * HTTPCode_ELB_5XX_Count: errors the load balancer generated itself (503 with no target to
//    route to, 502 when the target reset the connection: its task was killed);
//  * TargetResponseTime (Average, seconds): from the request's arrival to its answer, answered ones.
enum class AlbFigure { target_5xx, elb_5xx, response_time };

// The service's answers so far, counted once per request for all three figures (one observer
// of request_done, whatever the number of figures read from it).
struct AlbResponseCounts {
  double target_5xx = 0, elb_5xx = 0, ok = 0, ok_seconds = 0;
  explicit AlbResponseCounts(Service& s) {
    s.request_done.connect([this, &s](RequestId id, Outcome o) {
      switch (o) {
        case Outcome::dependency:
        case Outcome::rejected:
        case Outcome::app_error: target_5xx += 1; break;
        case Outcome::no_capacity:
        case Outcome::reset: elb_5xx += 1; break;
        case Outcome::ok:
          ok += 1;
          ok_seconds += (s.now() - s.request(id).arrival).to_seconds();
          break;
        default: break;
      }
    });
  }
};

class AlbResponses final : public DatapointSource {
 public:
  AlbResponses(std::shared_ptr<const AlbResponseCounts> counts, AlbFigure figure) : counts_(std::move(counts)), figure_(figure) {}
  std::optional<double> close(SimTime, SimTime) override {
    const AlbResponseCounts& c = *counts_;
    if (figure_ == AlbFigure::response_time) {
      const double n = ok_.take(c.ok), seconds = seconds_.take(c.ok_seconds);
      return n > 0 ? std::optional<double>(seconds / n) : std::nullopt;
    }
    const double n = count_.take(figure_ == AlbFigure::target_5xx ? c.target_5xx : c.elb_5xx);
    return n > 0 ? std::optional<double>(n) : std::nullopt;
  }

 private:
  std::shared_ptr<const AlbResponseCounts> counts_;
  AlbFigure figure_;
  Delta count_, ok_, seconds_;
};

enum class QueueFigure { visible, in_flight, oldest_age };

class QueueGauge final : public DatapointSource {
 public:
  QueueGauge(const Service& s, QueueFigure figure) : s_(s), figure_(figure) {}
  std::optional<double> close(SimTime, SimTime) override {
    switch (figure_) {
      case QueueFigure::visible: return static_cast<double>(s_.queue_visible());
      case QueueFigure::in_flight: return static_cast<double>(s_.queue_in_flight());
      case QueueFigure::oldest_age: return s_.queue_oldest_age();
    }
    return std::nullopt;
  }

 private:
  const Service& s_;
  QueueFigure figure_;
};

}  // namespace

std::unique_ptr<DatapointSource> cpu_utilization_source(Service& s) { return std::make_unique<CpuUtilization>(s); }
std::unique_ptr<DatapointSource> memory_utilization_source(const Service& s) { return std::make_unique<MemoryUtilization>(s); }
std::unique_ptr<DatapointSource> running_task_count_source(const Service& s) { return std::make_unique<RunningTaskCount>(s); }
std::unique_ptr<DatapointSource> alb_request_count_source(const Service& s) { return std::make_unique<AlbRequestCount>(s, false); }
std::unique_ptr<DatapointSource> alb_request_count_per_target_source(const Service& s) {
  return std::make_unique<AlbRequestCount>(s, true);
}
std::unique_ptr<DatapointSource> sqs_visible_messages_source(const Service& s) {
  return std::make_unique<QueueGauge>(s, QueueFigure::visible);
}
std::unique_ptr<DatapointSource> sqs_in_flight_messages_source(const Service& s) {
  return std::make_unique<QueueGauge>(s, QueueFigure::in_flight);
}
std::unique_ptr<DatapointSource> sqs_oldest_message_age_source(const Service& s) {
  return std::make_unique<QueueGauge>(s, QueueFigure::oldest_age);
}

void publish_service_metrics(CloudWatch& cw, Service& s, bool ecs_tasks, Duration resolution) {
  namespace k = metric_keys;
  const std::string& name = s.spec().name;
  if (ecs_tasks) {
    cw.add(k::ecs_service("CPUUtilization", name, Statistic::average, resolution), MetricUnit::percent, cpu_utilization_source(s));
    cw.add(k::ecs_service("MemoryUtilization", name, Statistic::average, resolution), MetricUnit::percent,
           memory_utilization_source(s));
    cw.add(k::running_task_count(name), MetricUnit::count, running_task_count_source(s));
  }
  if (s.spec().load_balancer == LoadBalancerKind::alb) {
    cw.add(k::alb_request_count(name), MetricUnit::count, alb_request_count_source(s));
    cw.add(k::alb_request_count_per_target(name), MetricUnit::count, alb_request_count_per_target_source(s));
    const auto counts = std::make_shared<const AlbResponseCounts>(s);
    cw.add(k::alb_target_group("HTTPCode_Target_5XX_Count", name), MetricUnit::count,
           std::make_unique<AlbResponses>(counts, AlbFigure::target_5xx));
    cw.add(k::alb_target_group("HTTPCode_ELB_5XX_Count", name), MetricUnit::count,
           std::make_unique<AlbResponses>(counts, AlbFigure::elb_5xx));
    cw.add(k::alb_target_group("TargetResponseTime", name, Statistic::average), MetricUnit::seconds,
           std::make_unique<AlbResponses>(counts, AlbFigure::response_time));
  }
  if (s.spec().queue.enabled) {
    cw.add(k::sqs("ApproximateNumberOfMessagesVisible", name), MetricUnit::count, sqs_visible_messages_source(s));
    cw.add(k::sqs("ApproximateNumberOfMessagesNotVisible", name), MetricUnit::count, sqs_in_flight_messages_source(s));
    cw.add(k::sqs("ApproximateAgeOfOldestMessage", name), MetricUnit::seconds, sqs_oldest_message_age_source(s));
  }
}

}  // namespace fargatelab::detail
