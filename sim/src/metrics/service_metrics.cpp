#include "metrics/service_metrics.hpp"

#include <cmath>

namespace fargatelab::detail {
namespace {

void fnv(std::uint64_t& h, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) {
    h ^= (v >> (8 * i)) & 0xff;
    h *= 1099511628211ull;
  }
}

// JSON has no NaN: an undefined statistic (no samples) is null.
nlohmann::json num(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json latency_json(const QuantileSketch& s) {
  auto ms = [&](double q) { return num(s.quantile(q) * 1e3); };
  return {{"mean", num(s.mean() * 1e3)}, {"p50", ms(0.5)},    {"p90", ms(0.9)},  {"p95", ms(0.95)},
          {"p99", ms(0.99)},             {"p99_9", ms(0.999)}, {"max", ms(1.0)}};
}

}  // namespace

const std::vector<std::string>& timeseries_columns() {
  static const std::vector<std::string> c = {
      "requests",         "ok",           "timeouts",         "rejected",       "no_capacity",         "resets",
      "latency_p50_ms",   "latency_p95_ms", "latency_p99_ms", "in_flight",      "queued",              "desired_count",
      "tasks_provisioning", "tasks_pending", "tasks_activating", "tasks_running", "tasks_stopping",     "tasks_in_service",
      "cpu_utilization_pct"};
  return c;
}

ServiceMetrics::ServiceMetrics(Simulation& sim, RequestPool& pool, std::vector<Service*> services,
                               std::vector<WorkloadGenerator*> workloads, const TaskMetrics& tasks, Duration interval,
                               int replication, std::vector<TimeSeriesRow>& rows)
    : sim_(sim),
      pool_(pool),
      services_(std::move(services)),
      workloads_(std::move(workloads)),
      tasks_(tasks),
      interval_(interval),
      replication_(replication),
      rows_(rows),
      per_service_(services_.size()),
      per_workload_(workloads_.size()),
      interval_start_(sim.now()),
      measure_start_(sim.now()) {
  for (auto* s : services_) {
    const std::uint32_t index = s->index();
    s->request_done.connect([this, index](RequestId id, Outcome o) { on_done(index, id, o); });
  }
  struct Sampler {
    static void fire(void* self, std::uint64_t) { static_cast<ServiceMetrics*>(self)->sample(); }
  };
  if (interval_ > Duration::zero())
    sim_.every(interval_, Callback{&Sampler::fire, this, 0}, sim_.now() + interval_, Priority::late);
}

double ServiceMetrics::cpu_seconds(std::size_t service) const {
  double total = 0;
  for (const auto& t : services_[service]->servers()) total += t->cpu_seconds();
  return total;
}

void ServiceMetrics::begin_measurement() {
  measure_start_ = sim_.now();
  for (std::size_t i = 0; i < services_.size(); ++i) {
    per_service_[i].cpu_at_measure_start = cpu_seconds(i);
    per_service_[i].reserved_at_measure_start = services_[i]->reserved_vcpu_seconds();
  }
}

void ServiceMetrics::on_done(std::uint32_t service, RequestId id, Outcome outcome) {
  const Request& r = pool_[id];
  const double latency = (sim_.now() - r.arrival).to_seconds();
  const double timeout = workloads_[r.workload]->spec().request.timeout.to_seconds();
  auto count = [&](Counts& c) {
    switch (outcome) {
      case Outcome::ok: (latency > timeout ? c.timeout : c.ok)++; break;
      case Outcome::rejected: c.rejected++; break;
      case Outcome::no_capacity: c.no_capacity++; break;
      case Outcome::reset: c.reset++; break;
    }
  };
  const bool good = outcome == Outcome::ok && latency <= timeout;
  fnv(fingerprint_, static_cast<std::uint64_t>(sim_.now().ns()));
  fnv(fingerprint_, (std::uint64_t{service} << 8) | static_cast<std::uint64_t>(outcome));
  PerService& ps = per_service_[service];
  count(ps.interval_counts);
  if (good) ps.interval_latency.add(latency);
  if (!r.measured) return;
  count(ps.counts);
  count(per_workload_[r.workload].counts);
  if (good) {
    ps.latency.add(latency);
    per_workload_[r.workload].latency.add(latency);
  }
}

void ServiceMetrics::sample() {
  const SimTime now = sim_.now();
  const double span = (now - interval_start_).to_seconds();
  if (span <= 0) return;
  for (std::size_t i = 0; i < services_.size(); ++i) {
    PerService& ps = per_service_[i];
    Service& s = *services_[i];
    double in_flight = 0, queued = 0;
    for (const auto& t : s.servers()) {
      in_flight += static_cast<double>(t->in_service() + t->queued());
      queued += static_cast<double>(t->queued());
    }
    const double cpu = cpu_seconds(i);
    const double reserved = s.reserved_vcpu_seconds();
    const double util = reserved > ps.reserved_at_interval_start
                            ? 100.0 * (cpu - ps.cpu_at_interval_start) / (reserved - ps.reserved_at_interval_start)
                            : NAN;
    ps.cpu_at_interval_start = cpu;
    ps.reserved_at_interval_start = reserved;
    const Counts& c = ps.interval_counts;
    const auto& st = tasks_.service_states(i);
    auto n = [&](TaskState x) { return double(st[static_cast<std::size_t>(x)]); };
    rows_.push_back({replication_, now.to_seconds(), s.spec().name,
                     {double(c.total()), double(c.ok), double(c.timeout), double(c.rejected), double(c.no_capacity),
                      double(c.reset), ps.interval_latency.quantile(0.5) * 1e3, ps.interval_latency.quantile(0.95) * 1e3,
                      ps.interval_latency.quantile(0.99) * 1e3, in_flight, queued, double(tasks_.desired_count(i)),
                      n(TaskState::provisioning), n(TaskState::pending), n(TaskState::activating), n(TaskState::running),
                      n(TaskState::deactivating) + n(TaskState::stopping) + n(TaskState::deprovisioning),
                      double(s.targets_in_service()), util}});
    ps.interval_counts = {};
    ps.interval_latency.clear();
  }
  interval_start_ = now;
}

nlohmann::json ServiceMetrics::finish() {
  const SimTime now = sim_.now();
  if (now > interval_start_) sample();
  const double measured = (now - measure_start_).to_seconds();
  // Requests still in flight: a client whose timeout has passed has seen an error.
  std::vector<std::uint64_t> in_flight(services_.size(), 0);
  for (std::size_t i = 0; i < services_.size(); ++i)
    for (const auto& t : services_[i]->servers())
      t->for_each_request([&](RequestId id) {
        const Request& r = pool_[id];
        if (!r.measured) return;
        const bool timed_out = (now - r.arrival) > workloads_[r.workload]->spec().request.timeout;
        if (timed_out) {
          per_service_[i].counts.timeout++;
          per_workload_[r.workload].counts.timeout++;
        } else {
          in_flight[i]++;
        }
      });

  nlohmann::json services = nlohmann::json::object();
  for (std::size_t i = 0; i < services_.size(); ++i) {
    const PerService& ps = per_service_[i];
    const Service& s = *services_[i];
    const double cpu = cpu_seconds(i) - ps.cpu_at_measure_start;
    const double reserved = s.reserved_vcpu_seconds() - ps.reserved_at_measure_start;
    const std::uint64_t errors = ps.counts.timeout + ps.counts.rejected + ps.counts.no_capacity + ps.counts.reset;
    const std::uint64_t requests = ps.counts.total() + in_flight[i];
    services[s.spec().name] = {
        {"requests", requests},
        {"ok", ps.counts.ok},
        {"errors", {{"timeout", ps.counts.timeout}, {"rejected", ps.counts.rejected}, {"no_capacity", ps.counts.no_capacity},
                    {"reset", ps.counts.reset}}},
        {"in_flight_at_end", in_flight[i]},
        {"error_rate", num(requests ? double(errors) / double(requests) : NAN)},
        {"throughput_rps", num(measured > 0 ? double(ps.counts.ok) / measured : NAN)},
        {"latency_ms", latency_json(ps.latency)},
        {"cpu_utilization_pct", num(reserved > 0 ? 100.0 * cpu / reserved : NAN)},
        {"tasks", num(measured > 0 ? reserved / (s.spec().task.vcpu() * measured) : NAN)},
        {"tasks_at_end", s.live_servers()},
    };
  }
  nlohmann::json workloads = nlohmann::json::object();
  for (std::size_t w = 0; w < workloads_.size(); ++w) {
    const PerWorkload& pw = per_workload_[w];
    workloads[workloads_[w]->spec().name] = {
        {"arrivals", workloads_[w]->measured_arrivals()},
        {"ok", pw.counts.ok},
        {"errors", {{"timeout", pw.counts.timeout}, {"rejected", pw.counts.rejected}, {"no_capacity", pw.counts.no_capacity},
                    {"reset", pw.counts.reset}}},
        {"latency_ms", latency_json(pw.latency)},
    };
  }
  return {{"services", services}, {"workloads", workloads}};
}

}  // namespace fargatelab::detail
