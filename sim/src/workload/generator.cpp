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
      arrivals_(arrival_registry().build(spec.arrival)),
      arrival_stream_(streams.stream("workload/" + spec.name + "/arrivals")),
      request_stream_(streams.stream("workload/" + spec.name + "/requests")),
      measure_from_(measure_from) {}

void WorkloadGenerator::start() { schedule_next(); }

// One arrival event is pending at a time; a process that has ended (infinity) schedules none.
void WorkloadGenerator::schedule_next() {
  const SimTime t = next_arrival(arrivals_, sim_.now(), arrival_stream_);
  if (!t.is_infinite()) sim_.schedule_at(t, bind<&WorkloadGenerator::on_arrival>(this));
}

void WorkloadGenerator::on_arrival() {
  schedule_next();
  const RequestId id = pool_.acquire();
  Request& r = pool_[id];
  r.arrival = sim_.now();
  // A negative draw (possible with a normal distribution) means no work at all.
  r.demand = std::max(0.0, spec_.request.cpu_time.sample(request_stream_));
  r.workload = index_;
  r.service = target_.index();
  r.measured = sim_.now() >= measure_from_;
  measured_arrivals_ += r.measured;
  target_.submit(id);
}

}  // namespace fargatelab::detail
