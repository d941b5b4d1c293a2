#include "metrics/service_metrics.hpp"

#include <cmath>
#include <iterator>
#include <map>
#include <utility>

#include "serving/retry.hpp"

namespace fargatelab::detail {
namespace {

void fnv(std::uint64_t& h, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) {
    h ^= (v >> (8 * i)) & 0xff;
    h *= 1099511628211ull;
  }
}

LatencySummary latency_of(const QuantileSketch& s) {
  auto ms = [&](double q) { return Number(s.quantile(q) * 1e3); };
  return {Number(s.mean() * 1e3), ms(0.5), ms(0.9), ms(0.95), ms(0.99), ms(0.999), ms(1.0)};
}

// A ratio or statistic with nothing to measure is none (null in JSON).
constexpr double kNone = NAN;

RetryResults retry_results(const RetryCounts& n) {
  return {n.first_attempts, n.attempts, n.retries, n.quota_refusals, n.exhausted,
          n.first_attempts ? double(n.attempts) / double(n.first_attempts) : kNone, n.rate_limited, n.rate_limit_wait_s};
}

}  // namespace

const std::vector<std::string>& timeseries_columns() {
  static const std::vector<std::string> c = {
      "requests",         "ok",           "timeouts",         "rejected",       "no_capacity",         "resets",
      "latency_p50_ms",   "latency_p95_ms", "latency_p99_ms", "in_flight",      "queued",              "desired_count",
      "tasks_provisioning", "tasks_pending", "tasks_activating", "tasks_running", "tasks_stopping",     "tasks_in_service",
      "cpu_utilization_pct", "dependency_errors", "unreachable", "queue_visible", "queue_in_flight", "queue_oldest_age_s"};
  return c;
}

ServiceMetrics::ServiceMetrics(Simulation& sim, RequestPool& pool, std::vector<Service*> services,
                               std::vector<WorkloadGenerator*> workloads, const TaskMetrics& tasks, Duration interval,
                               int replication, std::vector<TimeSeriesRow>& rows, std::vector<TraceSpan>* traces,
                               std::int64_t max_spans)
    : sim_(sim),
      pool_(pool),
      services_(std::move(services)),
      workloads_(std::move(workloads)),
      tasks_(tasks),
      interval_(interval),
      replication_(replication),
      rows_(rows),
      traces_(traces),
      max_spans_(max_spans),
      per_service_(services_.size()),
      per_workload_(workloads_.size()),
      interval_start_(sim.now()),
      measure_start_(sim.now()) {
  for (std::size_t w = 0; w < workloads_.size(); ++w) per_workload_[w].classes.resize(workloads_[w]->spec().classes.size());
  for (auto* s : services_) {
    const std::uint32_t index = s->index();
    s->request_done.connect([this, index](RequestId id, Outcome o) { on_done(index, id, o); });
    if (s->spec().scaling) s->request_arrived.connect([this, index](RequestId) { on_arrival(index); });
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
    // A wait at zero that began in the warm-up is not measured.
    per_service_[i].zero_arrival_s = per_service_[i].first_response_after_zero_s = kNone;
    per_service_[i].cpu_at_measure_start = cpu_seconds(i);
    per_service_[i].reserved_at_measure_start = services_[i]->reserved_vcpu_seconds();
    auto& served = per_service_[i].served_at_measure_start;
    served.clear();
    auto& cpu = per_service_[i].cpu_at_measure_start_by_server;
    cpu.clear();
    for (std::uint32_t k = 0; k < services_[i]->servers().size(); ++k) {
      served.push_back(services_[i]->served(k));
      cpu.push_back(services_[i]->servers()[k]->cpu_seconds());
    }
  }
}

std::uint64_t ServiceMetrics::Counts::total() const noexcept {
  std::uint64_t n = timeout;
  for (std::uint64_t v : by) n += v;
  return n;
}

// A caller that has given up (its deadline passed) sees a timeout, whatever answer comes later.
void ServiceMetrics::count(Counts& c, Outcome outcome, bool late) {
  if (late)
    c.timeout++;
  else
    c.by[static_cast<std::size_t>(outcome)]++;
}

Errors ServiceMetrics::errors_of(const Counts& c) const {
  // Each error outcome's field (outcome_name() is its JSON key: results_test checks they agree).
  static constexpr std::pair<Outcome, Number Errors::*> fields[] = {
      {Outcome::rejected, &Errors::rejected},       {Outcome::no_capacity, &Errors::no_capacity},
      {Outcome::reset, &Errors::reset},             {Outcome::dependency, &Errors::dependency},
      {Outcome::unreachable, &Errors::unreachable}, {Outcome::expired, &Errors::expired},
      {Outcome::dead_letter, &Errors::dead_letter}, {Outcome::throttled, &Errors::throttled},
      {Outcome::function_timeout, &Errors::function_timeout}};
  static_assert(std::size(fields) == kOutcomeCount - 2, "an error outcome without its field in Errors");
  Errors e;
  e.timeout = c.timeout;
  for (const auto& [o, member] : fields) e.*member = c.by[static_cast<std::size_t>(o)];
  if (app_errors_) e.app_error = Number(c.by[static_cast<std::size_t>(Outcome::app_error)]);
  return e;
}

void ServiceMetrics::record_span(const Request& r, Outcome outcome) {
  if (!traces_ || spans_ >= max_spans_) return;
  ++spans_;
  static constexpr const char* kinds[] = {"client", "call", "message", "probe", "batch"};
  const WorkloadSpec& w = workloads_[r.workload]->spec();
  const bool late = sim_.now() > r.deadline;  // as count(): a given-up caller saw a timeout
  traces_->push_back({replication_, r.trace, r.seq, r.parent_seq, w.name, w.classes[r.cls].name,
                      services_[r.service]->spec().name, kinds[static_cast<std::size_t>(r.kind)],
                      late ? "timeout" : outcome_name(outcome),
                      r.state == RequestState::queued ? -1 : static_cast<std::int32_t>(r.task), r.arrival.to_seconds(),
                      sim_.now().to_seconds()});
}

// The first request of a scaled service that finds no live server (no RUNNING task) opens
// the wait the first ok answer closes (on_done).
void ServiceMetrics::on_arrival(std::uint32_t service) {
  PerService& ps = per_service_[service];
  if (std::isnan(ps.zero_arrival_s) && services_[service]->live_servers() == 0) ps.zero_arrival_s = sim_.now().to_seconds();
}

void ServiceMetrics::on_done(std::uint32_t service, RequestId id, Outcome outcome) {
  const Request& r = pool_[id];
  const SimTime now = sim_.now();
  {
    PerService& zero = per_service_[service];
    if (outcome == Outcome::ok && !r.duplicate && std::isfinite(zero.zero_arrival_s) && std::isnan(zero.first_response_after_zero_s))
      zero.first_response_after_zero_s = now.to_seconds() - zero.zero_arrival_s;
  }
  const double latency = (now - r.arrival).to_seconds();
  const bool late = now > r.deadline;
  const bool good = outcome == Outcome::ok && !late;
  fnv(fingerprint_, static_cast<std::uint64_t>(now.ns()));
  fnv(fingerprint_, (std::uint64_t{service} << 8) | static_cast<std::uint64_t>(outcome));
  if (r.trace != 0) record_span(r, outcome);
  PerService& ps = per_service_[service];
  if (r.duplicate) {  // a second delivery of a message: extra work, not a request
    if (r.measured) ++(outcome == Outcome::dead_letter ? ps.dead_lettered_copies : ps.duplicates);
    return;
  }
  count(ps.interval_counts, outcome, late);
  if (good) ps.interval_latency.add(latency);
  if (!r.measured) return;
  count(ps.counts, outcome, late);
  if (good) ps.latency.add(latency);
  if (!r.root || r.retried) return;  // a client attempt it retried is not its answer
  PerWorkload& pw = per_workload_[r.workload];
  PerClass& pc = pw.classes[r.cls];
  count(pw.counts, outcome, late);
  count(pc.counts, outcome, late);
  if (good) {
    // From the first attempt, and from before any wait for the adaptive limiter's token.
    const double client_latency = r.attempt > 1 || r.client_waited ? (now - r.origin).to_seconds() : latency;
    pw.latency.add(client_latency);
    pc.latency.add(client_latency);
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
      in_flight += static_cast<double>(t->in_service() + t->held() + t->queued());
      queued += static_cast<double>(t->queued());
    }
    ps.max_queue_visible = std::max(ps.max_queue_visible, s.queue_visible());
    const double cpu = cpu_seconds(i);
    const double reserved = s.reserved_vcpu_seconds();
    const double util = reserved > ps.reserved_at_interval_start
                            ? 100.0 * (cpu - ps.cpu_at_interval_start) / (reserved - ps.reserved_at_interval_start)
                            : NAN;
    ps.cpu_at_interval_start = cpu;
    ps.reserved_at_interval_start = reserved;
    const Counts& c = ps.interval_counts;
    const auto& st = tasks_.service_states(i);
    // A platform with servers of its own (Lambda) has no ECS tasks: its running "tasks" are its
    // live servers (execution environments).
    const bool own_servers = s.places_requests_itself();
    auto n = [&](TaskState x) {
      if (own_servers) return x == TaskState::running ? double(s.live_servers()) : 0.0;
      return double(st[static_cast<std::size_t>(x)]);
    };
    auto n_of = [&](Outcome o) { return double(c.by[static_cast<std::size_t>(o)]); };
    rows_.push_back({replication_, now.to_seconds(), s.spec().name,
                     {double(c.total()), n_of(Outcome::ok), double(c.timeout), n_of(Outcome::rejected),
                      n_of(Outcome::no_capacity), n_of(Outcome::reset), ps.interval_latency.quantile(0.5) * 1e3,
                      ps.interval_latency.quantile(0.95) * 1e3,
                      ps.interval_latency.quantile(0.99) * 1e3, in_flight, queued, double(tasks_.desired_count(i)),
                      n(TaskState::provisioning), n(TaskState::pending), n(TaskState::activating), n(TaskState::running),
                      n(TaskState::deactivating) + n(TaskState::stopping) + n(TaskState::deprovisioning),
                      double(s.targets_in_service()), util, n_of(Outcome::dependency), n_of(Outcome::unreachable),
                      double(s.queue_visible()), double(s.queue_in_flight()), s.queue_oldest_age()}});
    ps.interval_counts = {};
    ps.interval_latency.clear();
  }
  interval_start_ = now;
}

void ServiceMetrics::finish(Results& out) {
  const SimTime now = sim_.now();
  if (now > interval_start_) sample();
  const double measured = (now - measure_start_).to_seconds();
  // Requests still in flight: a caller whose deadline has passed has seen an error.
  std::vector<std::uint64_t> in_flight(services_.size(), 0);
  auto settle = [&](std::size_t i, RequestId id) {
    const Request& r = pool_[id];
    if (!r.measured || r.duplicate) return;
    if (now > r.deadline) {
      per_service_[i].counts.timeout++;
      if (r.root && !r.retried) {
        per_workload_[r.workload].counts.timeout++;
        per_workload_[r.workload].classes[r.cls].counts.timeout++;
      }
    } else {
      in_flight[i]++;
    }
  };
  for (std::size_t i = 0; i < services_.size(); ++i) {
    for (const auto& t : services_[i]->servers()) t->for_each_request([&](RequestId id) { settle(i, id); });
    services_[i]->for_each_queued([&](RequestId id) { settle(i, id); });
  }

  for (std::size_t i = 0; i < services_.size(); ++i) {
    const PerService& ps = per_service_[i];
    const Service& s = *services_[i];
    const double cpu = cpu_seconds(i) - ps.cpu_at_measure_start;
    const double reserved = s.reserved_vcpu_seconds() - ps.reserved_at_measure_start;
    const std::uint64_t requests = ps.counts.total() + in_flight[i];
    // Load per task: requests each live task finished during the measured period.
    // and each one's CPU utilisation over the part of the period it was up.
    RunningStats load, util;
    for (std::size_t k = 0; k < s.servers().size(); ++k) {
      if (!s.alive(static_cast<std::uint32_t>(k))) continue;
      const bool before_start = k < ps.served_at_measure_start.size();
      load.add(static_cast<double>(s.served(static_cast<std::uint32_t>(k)) - (before_start ? ps.served_at_measure_start[k] : 0)));
      TaskServer& t = *s.servers()[k];
      const double up = (now - std::max(measure_start_, t.started())).to_seconds();
      const double used = t.cpu_seconds() - (before_start ? ps.cpu_at_measure_start_by_server[k] : 0.0);
      if (up > 0) util.add(100.0 * used / (t.vcpu() * up));
    }
    ServiceResults& sr = out.services[s.spec().name];
    sr.requests = requests;
    sr.ok = ps.counts.by[0];
    sr.errors = errors_of(ps.counts);
    sr.errors_total = ps.counts.errors();
    sr.in_flight_at_end = in_flight[i];
    sr.error_rate = requests ? double(ps.counts.errors()) / double(requests) : kNone;
    sr.throughput_rps = measured > 0 ? double(ps.counts.by[0]) / measured : kNone;
    sr.latency_ms = latency_of(ps.latency);
    sr.cpu_utilization_pct = reserved > 0 ? 100.0 * cpu / reserved : kNone;
    sr.tasks = measured > 0 ? reserved / (s.spec().task.vcpu() * measured) : kNone;
    sr.vcpu_mean = measured > 0 ? reserved / measured : kNone;  // vCPU the tasks (environments) hold, time-averaged
    sr.tasks_at_end = s.live_servers();
    sr.task_load = {load.count(),
                    load.count() ? load.min() : kNone,
                    load.count() ? load.mean() : kNone,
                    load.count() ? load.max() : kNone,
                    load.count() && load.mean() > 0 ? load.max() / load.mean() : kNone,
                    load.count() > 1 && load.mean() > 0 ? load.stddev() / load.mean() : kNone,
                    util.count() ? util.min() : kNone,
                    util.count() ? util.mean() : kNone,
                    util.count() ? util.max() : kNone};
    if (std::isfinite(ps.first_response_after_zero_s)) sr.first_response_after_zero_s = Number(ps.first_response_after_zero_s);
    if (s.has_queue()) sr.queue = QueueResults{ps.duplicates, ps.dead_lettered_copies, s.queue_visible(), ps.max_queue_visible};
    std::map<std::string, RetryCounts> by_callee;  // two edges to one service add up under its name
    for (std::size_t e = 0; e < s.spec().calls.size(); ++e)
      if (const RetryCounts* n = s.call_retry_counts(e)) by_callee[s.spec().calls[e].service].add(*n);
    if (!by_callee.empty()) {
      sr.call_retries.emplace();
      for (const auto& [callee, n] : by_callee) (*sr.call_retries)[callee] = retry_results(n);
    }
  }
  for (std::size_t w = 0; w < workloads_.size(); ++w) {
    const PerWorkload& pw = per_workload_[w];
    const WorkloadSpec& spec = workloads_[w]->spec();
    WorkloadResults& wr = out.workloads[spec.name];
    if (const RetryCounts* n = workloads_[w]->retry_counts()) wr.retries = retry_results(*n);
    for (std::size_t k = 0; k < spec.classes.size(); ++k)
      wr.classes[spec.classes[k].name] = {pw.classes[k].counts.total(), pw.classes[k].counts.by[0],
                                          errors_of(pw.classes[k].counts), latency_of(pw.classes[k].latency)};
    static_cast<ClientResults&>(wr) = clients_of(pw.counts, pw.latency, workloads_[w]->measured_arrivals());
  }
  // Every client request of every workload together: what a comparison ranks options by.
  Counts all;
  QuantileSketch all_latency;
  std::uint64_t arrivals = 0;
  for (std::size_t w = 0; w < workloads_.size(); ++w) {
    const PerWorkload& pw = per_workload_[w];
    for (std::size_t k = 0; k < all.by.size(); ++k) all.by[k] += pw.counts.by[k];
    all.timeout += pw.counts.timeout;
    all_latency.merge(pw.latency);
    arrivals += workloads_[w]->measured_arrivals();
  }
  out.clients = clients_of(all, all_latency, arrivals);
}

ClientResults ServiceMetrics::clients_of(const Counts& c, const QuantileSketch& latency, std::uint64_t arrivals) const {
  const double slo_s = slo_.to_seconds();
  return {arrivals,
          c.by[0],
          errors_of(c),
          c.errors(),
          latency_of(latency),
          slo_s * 1e3,
          c.total() > 0 ? double(latency.count_at_most(slo_s)) / double(c.total()) : kNone};
}

}  // namespace fargatelab::detail
