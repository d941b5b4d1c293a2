#include "workload/generator.hpp"

#include <algorithm>

namespace fargatelab::detail {

WorkloadGenerator::WorkloadGenerator(Simulation& sim, RequestPool& pool, const WorkloadSpec& spec, std::uint32_t index,
                                     Service& target, RandomStreams& streams, SimTime measure_from)
    : sim_(sim),
      pool_(pool),
      spec_(spec),
      index_(index),
      target_(target),
      arrivals_(spec.users > 0 ? ArrivalModel(PoissonArrivals{1.0}) : arrival_registry().build(spec.arrival)),
      arrival_stream_(streams.stream("workload/" + spec.name + "/arrivals")),
      request_stream_(streams.stream("workload/" + spec.name + "/requests")),
      measure_from_(measure_from) {
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
  Client& c = clients_[client];
  c.give_up = sim_.schedule_in(spec_.request.timeout, Callback{[](void* self, std::uint64_t c) {
                                                                 static_cast<WorkloadGenerator*>(self)->on_give_up(c);
                                                               },
                                                               this, client});
  c.request = make_request(static_cast<std::uint32_t>(client));
  target_.submit(c.request);  // an error may answer at once, so c.request is set first
}

// The client stops waiting; a late response is still counted (as a timeout) by the metrics.
void WorkloadGenerator::on_give_up(std::uint64_t client) {
  clients_[client].give_up = EventId{};
  think(static_cast<std::uint32_t>(client));
}

void WorkloadGenerator::on_response(RequestId id) {
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
  target_.submit(make_request(0));
}

RequestId WorkloadGenerator::make_request(std::uint32_t client) {
  const RequestId id = pool_.acquire();
  Request& r = pool_[id];
  r.arrival = sim_.now();
  // A negative draw (possible with a normal distribution) means no work at all.
  r.demand = std::max(0.0, spec_.request.cpu_time.sample(request_stream_));
  r.workload = index_;
  r.service = target_.index();
  r.client = client;
  r.measured = sim_.now() >= measure_from_;
  measured_arrivals_ += r.measured;
  return id;
}

}  // namespace fargatelab::detail
