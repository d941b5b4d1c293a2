#include "experiment/replication.hpp"

#include <algorithm>
#include <memory>

#include <fmt/format.h>

#include "ecs/deployment/deployment_log.hpp"
#include "ecs/service_scheduler.hpp"
#include "ecs/standalone_tasks.hpp"
#include "faults/faults_spec.hpp"
#include "fargatelab/engine.hpp"
#include "faults/faults.hpp"
#include "metrics/service_metrics.hpp"
#include "metrics/stopped_task_log.hpp"
#include "metrics/task_metrics.hpp"
#include "network/subnet_pool.hpp"
#include "platforms/platform.hpp"
#include "pricing/billing_meter.hpp"
#include "pricing/price_catalog.hpp"
#include "scaling/service_auto_scaling.hpp"
#include "serving/service.hpp"
#include "workload/generator.hpp"

namespace fargatelab::detail {
namespace {

// Standalone tasks (RunTask) run on Fargate; so do the idle ECS schedulers of services whose
// platform has servers of its own.
constexpr std::string_view kStandaloneTasksPlatform = "fargate";

// The platforms a replication deploys, and the points at which it calls them, in registry
// order (platform.hpp): the same scenario and seed give the same events.
struct Platforms {
  std::vector<std::unique_ptr<PlatformRuntime>> owned;
  std::vector<PlatformRuntime*> all;
  std::vector<PlatformRuntime*> of_service;  // by service index
  std::vector<LaunchType*> launch_types;     // each once, in registry order

  void begin_measurement() {
    for (PlatformRuntime* p : all) p->begin_measurement();
  }
};

}  // namespace

ReplicationOutput run_replication(const ScenarioSpec& spec, std::uint64_t seed, int replication,
                                  const std::function<bool(double)>& progress, RunResult& result,
                                  const std::vector<CustomPolicy>& custom_policies) {
  Simulation sim;
  RandomStreams streams(seed, static_cast<std::uint32_t>(replication));
  RequestPool pool;
  const SimTime end = spec.warmup + spec.duration;
  if (spec.output.event_log)
    result.events.push_back({result.next_seq++, replication, 0.0, "run_start", spec.name,
                             {{"seed", seed}, {"duration_s", spec.duration.to_seconds()}, {"warmup_s", spec.warmup.to_seconds()}}});

  // The VPC's subnets, then every platform the scenario needs (launch types first: they share
  // the subnets), then the serving side and the ECS scheduler of each service.
  std::vector<SubnetPool> subnets = make_subnet_pools(spec.network);
  ImageRegistry registry(faults_of(spec).registry);  // one registry for every launch type's pulls
  Deployment deployment{sim, spec, streams, pool, subnets, {}, {}, {}, &registry};
  Platforms platforms;
  for (const PlatformModel* m : platform_models()) {
    if (!m->needed(spec)) continue;
    platforms.owned.push_back(m->deploy(deployment));
    PlatformRuntime* rt = platforms.owned.back().get();
    platforms.all.push_back(rt);
    deployment.runtimes.emplace_back(std::string(m->name()), rt);
    if (LaunchType* lt = rt->launch_type();
        lt && std::find(platforms.launch_types.begin(), platforms.launch_types.end(), lt) == platforms.launch_types.end())
      platforms.launch_types.push_back(lt);
  }
  LaunchType& standalone_launch_type = *deployment.runtime(kStandaloneTasksPlatform)->launch_type();
  std::vector<std::unique_ptr<Service>> services;
  std::vector<std::unique_ptr<ServiceScheduler>> schedulers;
  for (std::size_t i = 0; i < spec.services.size(); ++i) {
    PlatformRuntime* rt = deployment.runtime(spec.services[i].platform);
    platforms.of_service.push_back(rt);
    services.push_back(std::make_unique<Service>(sim, pool, spec.services[i], static_cast<std::uint32_t>(i), streams));
    LaunchType* lt = rt->launch_type();
    schedulers.push_back(std::make_unique<ServiceScheduler>(sim, lt ? *lt : standalone_launch_type, *services.back(),
                                                            spec.services[i], static_cast<std::uint32_t>(i), ecs_settings(spec)));
    if (spec.services[i].deployments) schedulers.back()->set_random(streams.stream("deployment/" + spec.services[i].name));
    deployment.services.push_back(services.back().get());
    deployment.schedulers.push_back(schedulers.back().get());
  }
  DeploymentLog deployment_log(spec, deployment.schedulers, replication, result);
  auto to_scheduler = [&](Task& t, TaskState previous) {
    if (t.service >= 0) schedulers[static_cast<std::size_t>(t.service)]->on_state(t, previous);
  };
  for (LaunchType* lt : platforms.launch_types) lt->state_changed.connect(to_scheduler);
  TaskMetrics task_metrics(sim, spec, platforms.launch_types, subnets, platforms.all, deployment.schedulers,
                           spec.output.metrics_interval, replication, result, spec.output.event_log);
  StoppedTaskLog stopped_tasks(spec, platforms.launch_types, deployment.schedulers, replication, result);
  StandaloneTasks standalone(sim, standalone_launch_type, spec.tasks, spec.start_unix_seconds);
  for (PlatformRuntime* p : platforms.all) p->observe(deployment);
  BillingMeter billing(sim, spec);

  std::vector<std::unique_ptr<WorkloadGenerator>> generators;
  std::vector<WorkloadGenerator*> generator_ptrs;
  for (std::size_t w = 0; w < spec.workloads.size(); ++w) {
    const WorkloadSpec& ws = spec.workloads[w];
    generators.push_back(std::make_unique<WorkloadGenerator>(sim, pool, ws, static_cast<std::uint32_t>(w),
                                                             *services[ws.target_index], streams, spec.warmup,
                                                             spec.output.trace_sample_rate, spec.start_unix_seconds));
    generator_ptrs.push_back(generators.back().get());
  }
  for (auto& s : services) s->connect(deployment.services, spec.workloads.size(), streams);
  Faults faults(spec, {sim, deployment.services, platforms.launch_types});
  std::vector<TraceSpan> spans;
  ServiceMetrics metrics(sim, pool, deployment.services, generator_ptrs, task_metrics, spec.output.metrics_interval, replication,
                         result.timeseries, &spans, spec.output.trace_max_spans);
  metrics.set_slo(spec.output.slo);
  metrics.set_app_errors(spec.app_errors);
  if (spec.warmup > Duration::zero())
    sim.schedule_at(spec.warmup, bind<&ServiceMetrics::begin_measurement>(&metrics), Priority::urgent);

  // The platforms take over their services (dispatchers, scalers, daemons); Application Auto
  // Scaling follows the ECS services' tasks from before they start, and scales the targets
  // the platforms give (Lambda provisioned concurrency).
  for (PlatformRuntime* p : platforms.all) p->attach(deployment);
  AutoScaling auto_scaling(sim, spec, deployment.services, deployment.schedulers, platforms.of_service, replication, result,
                           custom_policies);
  // Platform counters and the bill start with the measured period.
  struct Measure {
    Platforms* platforms;
    BillingMeter* billing;
    void fire() {
      platforms->begin_measurement();
      billing->begin_measurement();
    }
  } measure{&platforms, &billing};
  if (spec.warmup > Duration::zero()) sim.schedule_at(spec.warmup, bind<&Measure::fire>(&measure), Priority::urgent);

  for (PlatformRuntime* p : platforms.all) p->start();
  auto_scaling.start();
  for (std::size_t i = 0; i < spec.services.size(); ++i) platforms.of_service[i]->start_service(i);
  standalone.start();
  for (auto& g : generators) g->start();

  if (progress)
    sim.set_poll_hook([&] { return progress(end.ns() > 0 ? double(sim.now().ns()) / double(end.ns()) : 1.0); });
  const RunStats st = sim.run(end);
  if (st.stopped) throw RunCancelled();

  ReplicationOutput out;
  metrics.finish(out.results);
  task_metrics.finish(out.results);
  stopped_tasks.finish();
  const double measured_s = (sim.now() - spec.warmup).to_seconds();
  for (std::size_t i = 0; i < services.size(); ++i) {
    platforms.of_service[i]->report_service(i, measured_s, out.results.services[spec.services[i].name]);
    auto_scaling.report_service(i, out.results.services[spec.services[i].name]);
    deployment_log.report_service(i, out.results.services[spec.services[i].name]);
  }
  auto_scaling.collect_forecasts();
  try {
    out.bill = billing.finish(platforms.all, result.timeseries, result.timeseries_columns, replication,
                              auto_scaling.cloudwatch_usage());
    out.results.cost = BillingMeter::cost(*out.bill);
  } catch (const RateUnavailable& e) {  // a rate the region's catalog does not have
    out.results.cost = {.error = Text{e.what()}};
    out.warnings.push_back(fmt::format("no bill: {}", e.what()));
  } catch (const std::invalid_argument& e) {  // no catalog for the pricing region
    out.results.cost = {.error = Text{e.what()}};
    out.warnings.push_back(fmt::format("no bill: {}", e.what()));
  }
  result.traces.insert(result.traces.end(), std::make_move_iterator(spans.begin()), std::make_move_iterator(spans.end()));
  for (const PlatformRuntime* p : platforms.all) p->report(out.results);
  out.kernel_events = st.events;
  out.fingerprint = metrics.fingerprint();
  for (const auto& w : st.waiting)
    out.warnings.push_back(fmt::format("process '{}' was still waiting for {} at the end (since t={:.3f} s)", w.name,
                                       w.waiting_for, w.since.to_seconds()));
  if (spec.output.event_log)
    result.events.push_back({result.next_seq++, replication, sim.now().to_seconds(), "run_end", spec.name,
                             {{"kernel_events", st.events}, {"requests_in_pool", pool.capacity()}}});
  return out;
}

}  // namespace fargatelab::detail
