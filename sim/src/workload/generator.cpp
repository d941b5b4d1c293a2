#include "workload/generator.hpp"

#include <algorithm>

namespace fargatelab::detail {

WorkloadGenerator::WorkloadGenerator(Simulation& sim, RequestPool& pool, const WorkloadSpec& spec, std::uint32_t index,
                                     Service& target, RandomStreams& streams, SimTime measure_from, double trace_rate,
                                     std::int64_t start_unix_seconds)
    : sim_(sim),
      pool_(pool),
      spec_(spec),
      index_(index),
      target_(target),
      arrivals_(spec.users > 0 ? ArrivalModel(PoissonArrivals{1.0}) : arrival_registry().build(spec.arrival)),
      arrival_stream_(streams.stream("workload/" + spec.name + "/arrivals")),
      request_stream_(streams.stream("workload/" + spec.name + "/requests")),
      off_cpu_stream_(streams.stream("workload/" + spec.name + "/off_cpu")),
      trace_stream_(streams.stream("workload/" + spec.name + "/traces")),
      measure_from_(measure_from),
      trace_rate_(trace_rate) {
  for (const RequestSpec& c : spec.classes) class_weight_total_ += c.weight;
  if (auto* scheduled = std::get_if<ScheduleArrivals>(&arrivals_)) scheduled->set_start_unix(start_unix_seconds);
  if (spec.connections > 0)
    target.declare_connections(static_cast<std::uint16_t>(index), spec.connections, spec.connection_max_age);
  if (spec.retry && !spec.async_invocation && !target.has_queue()) {
    retry_ = std::make_unique<ClientRetry>(sim, pool, spec, target, streams.stream("workload/" + spec.name + "/retries"),
                                           spec.users > 0 ? this : nullptr);
    target.set_client_retry(index, retry_.get());
  }
  if (spec.users > 0) {
    clients_.resize(static_cast<std::size_t>(spec.users));
    target.request_done.connect([this](RequestId id, Outcome) {
      if (pool_[id].workload == index_) on_response(id);
    });
  }
}

void WorkloadGenerator::start() {
  if (clients_.empty()) {
    schedule_next();
    return;
  }
  for (std::uint32_t c = 0; c < clients_.size(); ++c) think(c);
}

void WorkloadGenerator::think(std::uint32_t client) {
  clients_[client].request = ~0u;
  const double z = std::max(0.0, spec_.think_time.sample(arrival_stream_));
  sim_.schedule_in(SimTime::from_seconds(z), Callback{[](void* self, std::uint64_t c) {
                                                      static_cast<WorkloadGenerator*>(self)->on_think_done(c);
                                                    },
                                                    this, client});
}

void WorkloadGenerator::on_think_done(std::uint64_t client) {
  const RequestId id = make_request(static_cast<std::uint32_t>(client));
  Client& c = clients_[client];
  c.request = id;
  if (retry_) {  // the retries' timeouts decide when the user gives up
    retry_->send(id);
    return;
  }
  if (!pool_[id].deadline.is_infinite())
    c.give_up = sim_.schedule_at(pool_[id].deadline, Callback{[](void* self, std::uint64_t c) {
                                                             static_cast<WorkloadGenerator*>(self)->on_give_up(c);
                                                           },
                                                           this, client});
  target_.submit(id);  // an error may answer at once, so c.request is set first
}

// The client stops waiting; a late response is still counted (as a timeout) by the metrics.
void WorkloadGenerator::on_give_up(std::uint64_t client) {
  clients_[client].give_up = EventId{};
  think(static_cast<std::uint32_t>(client));
}

void WorkloadGenerator::give_up(std::uint32_t client, RequestId id) {
  if (clients_[client].request == id) think(client);
}

void WorkloadGenerator::on_response(RequestId id) {
  if (pool_[id].retried) return;  // the user waits for the retry
  Client& c = clients_[pool_[id].client];
  if (c.request != id) return;  // the client gave up on it already
  sim_.cancel(c.give_up);
  c.give_up = EventId{};
  think(pool_[id].client);
}

// One arrival event is pending at a time; a process that has ended (infinity) schedules none.
void WorkloadGenerator::schedule_next() {
  const SimTime t = next_arrival(arrivals_, sim_.now(), arrival_stream_);
  if (!t.is_infinite()) sim_.schedule_at(t, bind<&WorkloadGenerator::on_arrival>(this));
}

void WorkloadGenerator::on_arrival() {
  schedule_next();
  const RequestId id = make_request(0);
  if (retry_) {
    retry_->send(id);
    return;
  }
  target_.submit(id);
}

RequestId WorkloadGenerator::make_request(std::uint32_t client) {
  const RequestId id = pool_.acquire();
  Request& r = pool_[id];
  const SimTime now = sim_.now();
  r.arrival = now;
  // One class: no draw, so adding classes elsewhere never shifts this workload's demands.
  std::size_t k = 0;
  if (spec_.classes.size() > 1) {
    const double u = request_stream_.uniform01() * class_weight_total_;
    double acc = 0;
    for (k = 0; k + 1 < spec_.classes.size(); ++k)
      if (u < (acc += spec_.classes[k].weight)) break;
  }
  const RequestSpec& rc = spec_.classes[k];
  // A negative draw (possible with a normal distribution) means no work at all.
  r.demand = std::max(0.0, rc.cpu_time.sample(request_stream_));
  r.off_cpu = rc.off_cpu_time ? std::max(0.0, rc.off_cpu_time->sample(off_cpu_stream_)) : 0.0;
  // Producers of messages and of Lambda events do not wait for an answer.
  r.async_event = spec_.async_invocation;
  r.deadline = target_.has_queue() || r.async_event || rc.timeout.is_infinite() ? SimTime::infinity() : now + rc.timeout;
  r.kind = RequestKind::client;
  r.root = true;
  r.cls = static_cast<std::uint16_t>(k);
  r.workload = index_;
  r.service = target_.index();
  r.client = client;
  r.caller = static_cast<std::uint16_t>(index_);
  if (spec_.connections > 0) {
    r.conn = static_cast<std::uint16_t>(next_connection_);
    next_connection_ = (next_connection_ + 1) % static_cast<std::uint32_t>(spec_.connections);
  }
  r.measured = now >= measure_from_;
  if (trace_rate_ >= 1.0 || (trace_rate_ > 0.0 && trace_stream_.uniform01() < trace_rate_)) r.trace = r.seq;
  measured_arrivals_ += r.measured;
  return id;
}

}  // namespace fargatelab::detail
