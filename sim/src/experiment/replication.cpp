#include "experiment/replication.hpp"

#include <memory>

#include <fmt/format.h>

#include "fargatelab/engine.hpp"
#include "metrics/service_metrics.hpp"
#include "serving/service.hpp"
#include "workload/generator.hpp"

namespace fargatelab::detail {

ReplicationOutput run_replication(const ScenarioSpec& spec, std::uint64_t seed, int replication,
                                  const std::function<bool(double)>& progress, std::vector<TimeSeriesRow>& rows,
                                  std::vector<EventRecord>& events) {
  Simulation sim;
  RandomStreams streams(seed, static_cast<std::uint32_t>(replication));
  RequestPool pool;
  const SimTime end = spec.warmup + spec.duration;
  auto log = [&](std::string kind, std::string entity, nlohmann::json fields) {
    if (spec.output.event_log)
      events.push_back({replication, sim.now().to_seconds(), std::move(kind), std::move(entity), std::move(fields)});
  };

  std::vector<std::unique_ptr<Service>> services;
  std::vector<Service*> service_ptrs;
  for (std::size_t i = 0; i < spec.services.size(); ++i) {
    services.push_back(std::make_unique<Service>(sim, pool, spec.services[i], static_cast<std::uint32_t>(i), streams));
    service_ptrs.push_back(services.back().get());
  }
  log("run_start", spec.name, {{"seed", seed}, {"duration_s", spec.duration.to_seconds()}, {"warmup_s", spec.warmup.to_seconds()}});
  // Tasks are running from the start; the launch pipeline (provisioning, image pull, ...) is
  // modelled by the Fargate platform and replaces this when it arrives.
  for (auto& s : services)
    for (int t = 0; t < s->spec().desired_count; ++t) {
      const std::size_t index = s->add_task();
      log("task_state", fmt::format("{}/task-{}", s->spec().name, index + 1),
          {{"state", "RUNNING"}, {"cpu", s->spec().task.cpu_units}, {"memory", s->spec().task.memory_mib}});
    }

  std::vector<std::unique_ptr<WorkloadGenerator>> generators;
  std::vector<WorkloadGenerator*> generator_ptrs;
  for (std::size_t w = 0; w < spec.workloads.size(); ++w) {
    const WorkloadSpec& ws = spec.workloads[w];
    generators.push_back(std::make_unique<WorkloadGenerator>(sim, pool, ws, static_cast<std::uint32_t>(w),
                                                             *services[ws.target_index], streams, spec.warmup));
    generator_ptrs.push_back(generators.back().get());
  }
  ServiceMetrics metrics(sim, pool, service_ptrs, generator_ptrs, spec.output.metrics_interval, replication, rows);
  if (spec.warmup > Duration::zero())
    sim.schedule_at(spec.warmup, bind<&ServiceMetrics::begin_measurement>(&metrics), Priority::urgent);
  for (auto& g : generators) g->start();

  if (progress)
    sim.set_poll_hook([&] { return progress(end.ns() > 0 ? double(sim.now().ns()) / double(end.ns()) : 1.0); });
  const RunStats st = sim.run(end);
  if (st.stopped) throw RunCancelled();

  ReplicationOutput out;
  out.summary = metrics.finish();
  out.kernel_events = st.events;
  out.fingerprint = metrics.fingerprint();
  for (const auto& w : st.waiting)
    out.warnings.push_back(fmt::format("process '{}' was still waiting for {} at the end (since t={:.3f} s)", w.name,
                                       w.waiting_for, w.since.to_seconds()));
  log("run_end", spec.name, {{"kernel_events", st.events}, {"requests_in_pool", pool.capacity()}});
  return out;
}

}  // namespace fargatelab::detail
