// A platform is a plug-in: everything that differs between Fargate, ECS on EC2, Lambda and App
// Runner lives in its folder behind these two interfaces, and the rest of the simulator (the
// scenario loader, the replication, the metrics and the billing observer) knows platforms only
// through them.
//
//   PlatformModel    one per platform, registered by short name (platforms.cpp): it checks and
//                    builds its services' section of a scenario and deploys a runtime into
//                    each replication that needs it.
//   PlatformRuntime  the platform inside one replication: it owns its launch type or servers,
//                    takes over its services (a RequestDispatcher for a platform that places
//                    requests itself), starts them, adds its rows to the capacity series, writes
//                    its summary blocks and prices what it ran.
//
// The replication calls the runtimes in registry order at fixed points (deploy -> attach ->
// observe -> start -> start_service in service order -> begin_measurement -> sample_capacity
// each metrics interval -> report -> bill), so the same scenario and seed give the same events.
// Adding a platform: sim/README.md, "Adding a platform".
#pragma once

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/diagnostics.hpp"
#include "fargatelab/engine.hpp"
#include "fargatelab/random.hpp"
#include "fargatelab/results.hpp"
#include "fargatelab/run.hpp"
#include "fargatelab/scenario.hpp"
#include "scaling/service_scaling_spec.hpp"
#include "serving/request.hpp"

namespace fargatelab::detail {

class CloudWatch;
class LaunchType;
class PlatformRuntime;
class ImageRegistry;
class ScalableTarget;
class PriceCatalog;
class Service;
class ServiceScheduler;
class SubnetPool;

// What a replication deploys its platforms into. Services and schedulers are filled in before
// PlatformRuntime::attach(); `runtimes` holds the platforms deployed so far, in registry order.
struct Deployment {
  Simulation& sim;
  const ScenarioSpec& spec;
  RandomStreams& streams;
  RequestPool& pool;
  std::vector<SubnetPool>& subnets;  // the VPC's address pools, shared by every launch type
  std::vector<Service*> services;    // by service index
  std::vector<ServiceScheduler*> schedulers;
  std::vector<std::pair<std::string, PlatformRuntime*>> runtimes;
  // The image registry as this replication's pulls see it (faults/registry_fault.hpp), shared by
  // every launch type; null: each launch type keeps its own.
  ImageRegistry* registry = nullptr;

  // The runtime of a deployed platform, or null.
  PlatformRuntime* runtime(std::string_view platform) const;
  // The service indices on `platform`, in order.
  std::vector<std::size_t> services_on(std::string_view platform) const;
};

// The measured period being billed, and the meters shared by platforms: what they add here the
// billing observer prices once, for the whole VPC.
struct BillingPeriod {
  const PriceCatalog& catalog;
  SimTime from, to;       // the measured period [warmup, end]
  double hours = 0;       // its length
  double month_fraction = 0;  // hours / the 730-hour pricing month
  double nat_gateway_mb = 0;   // image bytes pulled through NAT gateways in the period
  double vpc_endpoint_mb = 0;  // image bytes pulled through the S3 gateway endpoint
  double public_ip_hours = 0;  // address-hours of tasks in public subnets
  // Seconds of [a, b] inside the period.
  double clipped(SimTime a, SimTime b) const noexcept;
};

class PlatformRuntime {
 public:
  virtual ~PlatformRuntime() = default;
  // The ECS launch type this platform's tasks go on, or null (a platform with servers of its
  // own; its services keep an idle ECS scheduler on the standalone tasks' launch type).
  virtual LaunchType* launch_type() noexcept { return nullptr; }
  // Services and schedulers exist: take over this platform's services (dispatchers, scalers,
  // daemon wiring). Called once, after the request metrics are set up.
  virtual void attach(Deployment&) {}
  // --- Application Auto Scaling (scaling/service_auto_scaling.hpp), called after attach() ---
  // The scalable target of one of its services whose capacity is not an ECS service's desired
  // count (Lambda: the function's provisioned concurrency), owned by the runtime; null for the
  // ECS platforms (Auto Scaling follows the service's tasks on launch_type() itself) and for
  // a platform that scales itself. Its scalable_dimension()'s prefix ("lambda:...") is the
  // AAS ServiceNamespace the policies are instantiated for.
  virtual ScalableTarget* scalable_target(std::size_t /*service*/) { return nullptr; }
  // Adds the CloudWatch metrics the platform emits for one of its services (AWS/Lambda) to
  // the replication's pipeline, when there is one (metrics observe, never change the model).
  virtual void publish_metrics(std::size_t /*service*/, CloudWatch& /*cloudwatch*/) {}
  // Called once after the task observer connected to the launch types: billing observers of
  // the platform's own connect here, so every observer sees transitions in the same order.
  virtual void observe(Deployment&) {}
  // Before any service starts (EC2 registers its container instances).
  virtual void start() {}
  // One of this platform's services starts, in service order: its initial capacity.
  virtual void start_service(std::size_t service) = 0;
  // The measured period starts now (end of the warm-up): platform counters restart here.
  virtual void begin_measurement() {}
  // Each metrics interval, inside the task observer's sampling event: capacity rows of the
  // platform's own (Fargate zones, EC2 capacity providers), in CapacityRow column order.
  virtual void sample_capacity(double /*now_s*/, int /*replication*/, std::vector<CapacityRow>& /*rows*/) {}
  // What the platform adds to one of its services' results (`measured_s`: the measured period
  // in seconds): the ECS fields (report_ecs_service) or a block of its own, a type of its folder
  // (ServiceResults::platform).
  virtual void report_service(std::size_t /*service*/, double /*measured_s*/, ServiceResults& /*results*/) const {}
  // Its replication-wide blocks (Fargate's zones, EC2's capacity providers: Results::platforms).
  virtual void report(Results& /*results*/) const {}
  // Prices what the platform ran in the period into `bill`, and adds to the shared meters.
  // Throws RateUnavailable when the catalog lacks a rate it needs.
  virtual void bill(BillingPeriod& /*period*/, Bill& /*bill*/) {}
};

// PlatformModel::check's index for the checks of scenario-wide sections.
inline constexpr std::size_t kWholeScenario = static_cast<std::size_t>(-1);

class PlatformModel {
 public:
  virtual ~PlatformModel() = default;
  // The short name a scenario's services.*.platform gives.
  virtual std::string_view name() const noexcept = 0;
  // One line for listings and error suggestions.
  virtual std::string_view description() const noexcept = 0;

  // --- Scenario ----------------------------------------------------------------------------
  // Meaning checks of its section of a service (services[index] of `doc`, already valid
  // against the JSON Schema) and of scenario-wide sections it owns; each problem with its JSON
  // pointer. Called for every service on this platform, and once for every platform with
  // index = kWholeScenario.
  virtual void check(const nlohmann::json& /*doc*/, std::size_t /*index*/, std::vector<Diagnostic>& /*out*/) const {}
  // Builds the platform's part of a service: its settings (ServiceSpec::platform_spec) and what
  // the platform implies for the shared fields (serving, load balancer, desired count).
  virtual void build_service(const nlohmann::json& /*service_doc*/, ServiceSpec& /*service*/, ScenarioSpec& /*scenario*/) const {}
  // After every service is built: scenario-wide parts (EC2 capacity providers).
  virtual void build_scenario(const nlohmann::json& /*doc*/, ScenarioSpec& /*scenario*/) const {}
  // What a service's "scaling" section scales on this platform (ScalingTargetKind,
  // scaling/service_scaling_spec.hpp); default: the ECS service's desired count.
  // `service_doc`: the service, valid against the schema with its defaults filled in.
  virtual ScalingTargetKind scaling_target(const nlohmann::json& service_doc) const;

  // True if an asynchronous call or workload to its services is an invocation event the
  // platform queues and retries (Lambda); otherwise such a workload is called synchronously.
  virtual bool takes_events() const noexcept { return false; }

  // --- Replication -------------------------------------------------------------------------
  // Deployed in a replication when this is true; default: some service is on this platform.
  virtual bool needed(const ScenarioSpec& spec) const;
  virtual std::unique_ptr<PlatformRuntime> deploy(Deployment& d) const = 0;
};

// Every platform, in registry (deployment) order: fargate, ecs_ec2, lambda, app_runner.
const std::vector<const PlatformModel*>& platform_models();
// The model registered under `name`, or null.
const PlatformModel* find_platform(std::string_view name);
// "fargate, ecs_ec2, ..." for messages.
std::string platform_names();

// A service's platform settings as the platform's own type (the platform's folder only).
template <class T>
const T& platform_settings(const ServiceSpec& s) {
  return static_cast<const T&>(*s.platform_spec);
}

// A platform's scenario-wide settings as its own type T (the platform's folder only), from the
// slot named T::kPlatform. Throws std::logic_error when the platform's model did not build them.
template <class T>
const T& platform_settings(const ScenarioSpec& s) {
  const auto it = s.platform_specs.find(T::kPlatform);
  if (it == s.platform_specs.end() || !it->second)
    throw std::logic_error("the scenario has no settings of platform \"" + std::string(T::kPlatform) + "\"");
  return static_cast<const T&>(*it->second);
}

// For a platform without the ECS deployment controller: every item of the service's
// "deployments" is reported (its own deployment model is not simulated yet).
void refuse_ecs_deployments(const nlohmann::json& service, const std::string& base, std::string_view platform,
                            std::vector<Diagnostic>& out);

}  // namespace fargatelab::detail
