#include "serving/target_health.hpp"

#include "serving/service.hpp"

namespace fargatelab::detail {

TargetHealth::TargetHealth(Simulation& sim, RequestPool& pool, Service& service, const HealthCheckSpec& spec,
                           RandomStream stream)
    : sim_(sim), pool_(pool), service_(service), spec_(spec), stream_(stream) {}

void TargetHealth::start(std::uint32_t server, bool healthy) {
  if (states_.size() <= server) states_.resize(server + 1);
  State& s = states_[server];
  const std::uint32_t epoch = s.epoch;
  s = State{};
  s.epoch = epoch;
  s.probing = true;
  s.initial = !healthy;
  s.healthy = healthy;
  const SimTime first = sim_.now() + SimTime::from_seconds(stream_.uniform01() * spec_.interval.to_seconds());
  s.timer = sim_.every(spec_.interval, bind<&TargetHealth::probe>(this, server), first);
}

void TargetHealth::set_failing(std::uint32_t server) {
  if (server < states_.size()) states_[server].failing = true;
}

void TargetHealth::stop(std::uint32_t server) {
  if (server >= states_.size() || !states_[server].probing) return;
  State& s = states_[server];
  sim_.cancel_timer(s.timer);
  s.probing = false;
  ++s.epoch;
}

void TargetHealth::probe(std::uint64_t server) {
  const auto sv = static_cast<std::uint32_t>(server);
  const RequestId id = pool_.acquire_internal(RequestKind::probe, sim_.now(), sim_.now() + spec_.timeout, service_.index(),
                                              spec_.cpu_seconds);
  Request& r = pool_[id];
  r.client = states_[sv].epoch;
  r.task = sv;
  ++probes_;
  r.timer = sim_.schedule_at(r.deadline, bind<&TargetHealth::on_deadline>(this, pool_.handle(id)));
  service_.deliver_to(sv, id);
}

// No answer within the timeout: the check fails now; the late answer is ignored.
void TargetHealth::on_deadline(std::uint64_t handle) {
  if (!pool_.current(handle)) return;
  Request& r = pool_[RequestPool::id_of(handle)];
  r.timer = EventId{};
  r.failed = true;  // judged
  if (r.client == states_[r.task].epoch && states_[r.task].probing) record(r.task, false);
}

void TargetHealth::on_probe_done(RequestId id, bool ok) {
  Request& r = pool_[id];
  if (r.failed) return;  // already failed at its deadline
  sim_.cancel(r.timer);
  r.timer = EventId{};
  if (r.task < states_.size() && r.client == states_[r.task].epoch && states_[r.task].probing)
    record(r.task, ok && sim_.now() <= r.deadline);
}

void TargetHealth::record(std::uint32_t server, bool ok) {
  State& s = states_[server];
  ok = ok && !s.failing;
  if (!ok) ++failed_;
  if (ok) {
    s.failures = 0;
    ++s.passes;
  } else {
    s.passes = 0;
    ++s.failures;
  }
  if (s.healthy) {
    if (s.failures >= spec_.unhealthy_threshold) {
      s.healthy = false;
      s.passes = 0;
      service_.leave_service(server);
      service_.target_unhealthy.emit(server);
    }
    return;
  }
  const int needed = s.initial ? 1 : spec_.healthy_threshold;
  if (s.passes >= needed) {
    s.healthy = true;
    s.initial = false;
    s.failures = 0;
    service_.enter_service(server);
    service_.target_healthy.emit(server);
  } else if (s.initial && s.failures >= spec_.unhealthy_threshold) {
    s.initial = false;  // unhealthy from now on: healthy_threshold passes to recover
    service_.target_unhealthy.emit(server);
  }
}

}  // namespace fargatelab::detail
