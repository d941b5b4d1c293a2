#include "experiment/replication.hpp"

#include <memory>

#include <fmt/format.h>

#include "ecs/service_scheduler.hpp"
#include "ecs/standalone_tasks.hpp"
#include "fargatelab/engine.hpp"
#include "metrics/service_metrics.hpp"
#include "metrics/task_metrics.hpp"
#include "platforms/ecs_ec2/ec2_platform.hpp"
#include "platforms/fargate/fargate_platform.hpp"
#include "platforms/app_runner/app_runner_scaler.hpp"
#include "platforms/lambda/lambda_function.hpp"
#include "platforms/lambda/sqs_event_source.hpp"
#include "pricing/billing_meter.hpp"
#include "pricing/price_catalog.hpp"
#include "serving/service.hpp"
#include "workload/generator.hpp"

namespace fargatelab::detail {

ReplicationOutput run_replication(const ScenarioSpec& spec, std::uint64_t seed, int replication,
                                  const std::function<bool(double)>& progress, RunResult& result) {
  Simulation sim;
  RandomStreams streams(seed, static_cast<std::uint32_t>(replication));
  RequestPool pool;
  const SimTime end = spec.warmup + spec.duration;
  if (spec.output.event_log)
    result.events.push_back({result.next_seq++, replication, 0.0, "run_start", spec.name,
                             {{"seed", seed}, {"duration_s", spec.duration.to_seconds()}, {"warmup_s", spec.warmup.to_seconds()}}});

  // The launch types (EC2 capacity only if the scenario has some; it shares the VPC's subnets),
  // then the serving side and the scheduler of each service.
  FargatePlatform platform(sim, spec, streams);
  std::unique_ptr<Ec2Platform> ec2;
  if (!spec.ec2.capacity_providers.empty()) ec2 = std::make_unique<Ec2Platform>(sim, spec, streams, platform.subnet_pools());
  std::vector<std::unique_ptr<Service>> services;
  std::vector<std::unique_ptr<ServiceScheduler>> schedulers;
  std::vector<Service*> service_ptrs;
  std::vector<ServiceScheduler*> scheduler_ptrs;
  for (std::size_t i = 0; i < spec.services.size(); ++i) {
    services.push_back(std::make_unique<Service>(sim, pool, spec.services[i], static_cast<std::uint32_t>(i), streams));
    LaunchType& launch_type = spec.services[i].platform == Platform::ecs_ec2 ? static_cast<LaunchType&>(*ec2) : platform;
    schedulers.push_back(std::make_unique<ServiceScheduler>(sim, launch_type, *services.back(), spec.services[i],
                                                            static_cast<std::uint32_t>(i), spec.fargate));
    if (spec.services[i].platform == Platform::ecs_ec2 && spec.services[i].ec2.daemon) {
      Ec2Platform* e = ec2.get();
      ServiceScheduler* s = schedulers.back().get();
      s->set_daemon_count([e] { return e->active_instances(); });
      e->instances_changed.connect([s] { s->follow_instances(); });
    }
    service_ptrs.push_back(services.back().get());
    scheduler_ptrs.push_back(schedulers.back().get());
  }
  auto to_scheduler = [&](Task& t, TaskState previous) {
    if (t.service >= 0) schedulers[static_cast<std::size_t>(t.service)]->on_state(t, previous);
  };
  platform.state_changed.connect(to_scheduler);
  if (ec2) ec2->state_changed.connect(to_scheduler);
  TaskMetrics task_metrics(sim, platform, ec2.get(), spec, scheduler_ptrs, spec.output.metrics_interval, replication, result,
                           spec.output.event_log);
  StandaloneTasks standalone(sim, platform, spec.tasks, spec.start_unix_seconds);
  BillingMeter billing(sim, spec, platform, ec2.get());

  std::vector<std::unique_ptr<WorkloadGenerator>> generators;
  std::vector<WorkloadGenerator*> generator_ptrs;
  for (std::size_t w = 0; w < spec.workloads.size(); ++w) {
    const WorkloadSpec& ws = spec.workloads[w];
    generators.push_back(std::make_unique<WorkloadGenerator>(sim, pool, ws, static_cast<std::uint32_t>(w),
                                                             *services[ws.target_index], streams, spec.warmup,
                                                             spec.output.trace_sample_rate, spec.start_unix_seconds));
    generator_ptrs.push_back(generators.back().get());
  }
  for (auto& s : services) s->connect(service_ptrs, spec.workloads.size(), streams);
  std::vector<TraceSpan> spans;
  ServiceMetrics metrics(sim, pool, service_ptrs, generator_ptrs, task_metrics, spec.output.metrics_interval, replication,
                         result.timeseries, &spans, spec.output.trace_max_spans);
  metrics.set_slo(spec.output.slo);
  if (spec.warmup > Duration::zero())
    sim.schedule_at(spec.warmup, bind<&ServiceMetrics::begin_measurement>(&metrics), Priority::urgent);

  // Lambda functions place their own invocations; their ECS scheduler stays idle.
  std::vector<std::unique_ptr<LambdaFunction>> functions(spec.services.size());
  std::vector<std::unique_ptr<SqsEventSource>> event_sources(spec.services.size());
  for (std::size_t i = 0; i < spec.services.size(); ++i)
    if (spec.services[i].platform == Platform::lambda) {
      functions[i] = std::make_unique<LambdaFunction>(sim, pool, *services[i], spec.services[i], streams);
      services[i]->set_dispatcher(functions[i].get());
      if (spec.services[i].queue.enabled) {
        event_sources[i] = std::make_unique<SqsEventSource>(sim, pool, *services[i], *functions[i], spec.services[i].lambda);
        services[i]->set_queue_consumer(event_sources[i].get());
      }
    }
  // App Runner services scale their ECS scheduler by concurrency.
  std::vector<std::unique_ptr<AppRunnerScaler>> app_runners(spec.services.size());
  for (std::size_t i = 0; i < spec.services.size(); ++i)
    if (spec.services[i].platform == Platform::app_runner)
      app_runners[i] = std::make_unique<AppRunnerScaler>(sim, *services[i], *schedulers[i], spec.services[i].app_runner);
  // Platform counters start with the measured period.
  std::vector<double> active_at_measure(spec.services.size(), 0.0);
  std::vector<std::uint64_t> activations_at_measure(spec.services.size(), 0);
  std::vector<double> billed_active_at_measure(spec.services.size(), 0.0);
  struct MeasurePlatforms {
    std::vector<std::unique_ptr<LambdaFunction>>* fns;
    std::vector<std::unique_ptr<AppRunnerScaler>>* runners;
    std::vector<double>* active;
    std::vector<std::uint64_t>* activations;
    std::vector<double>* billed_active;
    BillingMeter* billing;
    void fire() {
      for (auto& f : *fns)
        if (f) f->begin_measurement();
      for (std::size_t i = 0; i < runners->size(); ++i)
        if ((*runners)[i]) {
          (*active)[i] = (*runners)[i]->active_instance_seconds();
          (*activations)[i] = (*runners)[i]->activations();
          (*billed_active)[i] = (*runners)[i]->billed_active_seconds();
        }
      billing->begin_measurement();
    }
  } measure_platforms{&functions, &app_runners, &active_at_measure, &activations_at_measure, &billed_active_at_measure, &billing};
  if (spec.warmup > Duration::zero())
    sim.schedule_at(spec.warmup, bind<&MeasurePlatforms::fire>(&measure_platforms), Priority::urgent);

  if (ec2) ec2->start();  // the instances first: warm-started tasks are placed on them
  for (std::size_t i = 0; i < schedulers.size(); ++i) {
    if (event_sources[i]) event_sources[i]->start();
    if (functions[i])
      functions[i]->start();
    else
      schedulers[i]->start();
    if (app_runners[i]) app_runners[i]->start();
  }
  standalone.start();
  for (auto& g : generators) g->start();

  if (progress)
    sim.set_poll_hook([&] { return progress(end.ns() > 0 ? double(sim.now().ns()) / double(end.ns()) : 1.0); });
  const RunStats st = sim.run(end);
  if (st.stopped) throw RunCancelled();

  ReplicationOutput out;
  out.summary = metrics.finish();
  nlohmann::json tasks = task_metrics.finish();
  for (auto& [name, s] : out.summary["services"].items()) s["tasks_launch"] = tasks["services"][name];
  const double measured_s = (sim.now() - spec.warmup).to_seconds();
  for (std::size_t i = 0; i < services.size(); ++i) {
    nlohmann::json& sj = out.summary["services"][spec.services[i].name];
    if (const LambdaFunction* f = functions[i].get()) {
      const double inv = static_cast<double>(f->measured_invocations());
      sj["lambda"] = {{"invocations", f->measured_invocations()},
                      {"cold_starts", f->measured_cold_starts()},
                      {"cold_start_rate", inv > 0 ? nlohmann::json(f->measured_cold_starts() / inv) : nlohmann::json(nullptr)},
                      {"cold_start_pct", inv > 0 ? nlohmann::json(100.0 * f->measured_cold_starts() / inv) : nlohmann::json(nullptr)},
                      {"throttles", f->measured_throttles()},
                      {"async_retries", f->async_retries()},
                      {"sqs_batches", event_sources[i] ? nlohmann::json(event_sources[i]->batches()) : nlohmann::json(nullptr)},
                      {"environments_mean", measured_s > 0 ? nlohmann::json(f->measured_environment_seconds() / measured_s)
                                                           : nlohmann::json(nullptr)},
                      {"environments_at_end", f->environments()},
                      {"environments_max", f->environments_max()},
                      {"vcpu_per_environment", spec.services[i].lambda.vcpu()}};
      continue;
    }
    if (const AppRunnerScaler* a = app_runners[i].get())
      sj["app_runner"] = {{"active_instances_mean",
                           measured_s > 0 ? nlohmann::json((a->active_instance_seconds() - active_at_measure[i]) / measured_s)
                                          : nlohmann::json(nullptr)},
                          {"instances_at_end", a->desired()},
                          {"scale_outs", a->scale_outs()},
                          {"scale_ins", a->scale_ins()}};
    sj["tasks_replaced_unhealthy"] = schedulers[i]->unhealthy_replaced();
    if (const TargetHealth* h = services[i]->health())
      sj["health_checks"] = {{"probes", h->probes()}, {"failed", h->failed_probes()}};
  }
  try {
    const Bill bill = billing.finish(functions, app_runners, billed_active_at_measure, activations_at_measure, result.timeseries,
                                     result.timeseries_columns, replication);
    out.summary["cost"] = BillingMeter::cost_json(bill, spec);
    out.summary["bill"] = bill.to_json();
  } catch (const RateUnavailable& e) {  // a rate the region's catalog does not have
    out.summary["cost"] = {{"error", e.what()}};
    out.warnings.push_back(fmt::format("no bill: {}", e.what()));
  } catch (const std::invalid_argument& e) {  // no catalog for the pricing region
    out.summary["cost"] = {{"error", e.what()}};
    out.warnings.push_back(fmt::format("no bill: {}", e.what()));
  }
  result.traces.insert(result.traces.end(), std::make_move_iterator(spans.begin()), std::make_move_iterator(spans.end()));
  out.summary["standalone_tasks"] = tasks["standalone_tasks"];
  out.summary["network"] = {{"subnets", tasks["subnets"]}};
  out.summary["capacity"] = {{"zones", tasks["zones"]}};
  if (!tasks["ec2"].empty()) out.summary["ec2"] = {{"capacity_providers", tasks["ec2"]}};
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
