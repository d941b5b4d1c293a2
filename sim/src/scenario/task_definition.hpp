// The model's ECS task definition: containers, their start dependencies and health checks,
// validation that reports every problem at once, the CPU share each container can count on,
// import of a real `aws ecs register-task-definition --cli-input-json` document. Scenario code:
// the launch types read the parsed TaskDefinition; the task sizes each accepts are its
// platform's check (Fargate's: platforms/fargate/task_size.hpp).
//
// Sources:
//   ContainerDefinition, ContainerDependency, HealthCheck, EphemeralStorage, RuntimePlatform
//   (Amazon ECS API Reference); Amazon EKS User Guide, "Understand Fargate Pod configuration
//   details"; Docker HEALTHCHECK reference for health-check timing.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "fargatelab/diagnostics.hpp"
#include "fargatelab/random.hpp"
#include "fargatelab/time.hpp"

namespace fargatelab::detail {

// A container image as the pull model sees it. ECS JSON has no image size: it comes from the
// "x-fargatelab" extension object of a container, else these defaults.
struct ImageSpec {
  double size_mb = 250;  // compressed MB in the registry; ~250 MB: containers-roadmap#696's typical image, AWS's SOCI threshold (E.4, B.8)
  int layers = 8;        // assumption: AWS publishes no typical layer count; 8 is a common app image (base + runtime + app)
  enum Compression { gzip, zstd } compression = gzip;  // gzip: the builders' default (AWS zstd blog, B.8)
  bool soci = false;     // a SOCI index exists in the registry (lazy loading, B.8)
  enum Source { ecr, public_registry } source = ecr;
};

// dependsOn entry: `container` must reach `condition` before the dependent starts.
struct Dependency {
  std::string container;
  // START: started; COMPLETE: exited (any code); SUCCESS: exited with code 0; HEALTHY: passed
  // its health check (ECS API ContainerDependency).
  enum class Condition { start, complete, success, healthy } condition = Condition::start;
};

// ECS container health check. Defaults and ranges from the ECS API HealthCheck type:
// interval 5-300 s (default 30), timeout 2-60 s (default 5), retries 1-10 (default 3),
// startPeriod 0-300 s (default: off = 0).
struct HealthCheck {
  Duration interval = seconds(30);    // ECS API HealthCheck default
  Duration timeout = seconds(5);      // ECS API HealthCheck default
  int retries = 3;                    // ECS API HealthCheck default
  Duration start_period = seconds(0); // ECS API HealthCheck: disabled by default
};

// Container runtime create + start, seconds: the one default for every container, whether a
// task is described by its task-level fields or by an ECS task definition. AWS publishes
// nothing; 1 s is about what is left of elasticscale's 57 s createdAt->startedAt (aws-facts
// E.4) after ~10 s provisioning and the 45.4 s modelled pull of their 413 MB image
// (57 - 10 - 45.4 = 1.6 s; image_pull.hpp).
inline constexpr double kContainerStartSeconds = 1.0;

struct ContainerDef {
  std::string name;
  bool essential = true;  // ECS default: essential unless marked false
  int cpu_units = 0;      // ECS container `cpu`: 0 = not set (shares the task's unreserved CPU)
  int memory_mib = 0;     // memoryReservation if set, else memory; 0 = not set
  ImageSpec image;
  std::vector<Dependency> depends_on;
  std::optional<HealthCheck> health_check;
  Distribution start_time = Constant{kContainerStartSeconds};
  // Application initialisation work in CPU seconds on one full vCPU, single-threaded: init
  // takes init_cpu_seconds / min(1, vCPU share). 0 = not modelled. For scale:
  // serverless-openclaw measured ~35 s at 1 vCPU (aws-facts E.4).
  Distribution init_cpu_seconds = Constant{0.0};
  // For containers that exit (init containers, batch): seconds after init; nullopt = long-running.
  std::optional<Distribution> run_time;
  int exit_code = 0;  // exit code of a container that exits
  // Secrets Manager / SSM values retrieved at task start: its `secrets`, plus one for
  // repositoryCredentials (a private registry's credentials are a secret too).
  int secrets = 0;
};

struct TaskDefinition {
  std::string family;
  int cpu_units = 256;   // task-level cpu, required on Fargate
  int memory_mib = 512;  // task-level memory, required on Fargate
  std::string os = "linux";            // "linux" or "windows"
  std::string architecture = "x86_64"; // "x86_64" or "arm64"
  int ephemeral_storage_gib = 20;      // Fargate default 20 GiB; configurable up to 200 (aws-facts B.2)
  Duration stop_timeout = seconds(30); // SIGTERM -> SIGKILL; Fargate default 30 s, max 120 s (ECS API stopTimeout)
  std::vector<ContainerDef> containers;
};

// ECS quota "containers per task definition" (aws-facts B.5).
inline constexpr int kMaxContainersPerTaskDefinition = 10;
// Fargate maximum stopTimeout (ECS API ContainerDefinition.stopTimeout).
inline constexpr int kMaxFargateStopTimeoutSeconds = 120;

// Every problem with `td`, each at a JSON pointer below `pointer` named as in ECS JSON
// (e.g. pointer + "/containerDefinitions/1/dependsOn/0/containerName"); empty if valid.
// Checks (those of every launch type; the task size is its platform's check): at least one
// container and at least one essential one; at most 10 containers; unique names; dependsOn
// targets exist, are not the container itself, form no cycle (each cycle is named); HEALTHY only on a container with a health check;
// COMPLETE/SUCCESS only on a container that exits (has run_time) and is not essential;
// health-check ranges; container cpu and memory sums within the task's; stop timeout in
// [0, 120] s; ephemeral storage in [20, 200] GiB; image size > 0 and layers >= 1.
std::vector<Diagnostic> validate(const TaskDefinition& td, const std::string& pointer);

// The vCPU `container` can count on while every container that may run beside it is busy.
// Rule (reading of the ECS ContainerDefinition.cpu docs: container cpu maps to Linux
// cpu-shares, a relative weight, and the total reserved must not exceed the task cpu; on
// Fargate the task cpu is the hard cap):
//   * containers that must have exited before `container` starts (COMPLETE/SUCCESS targets,
//     directly or through its other dependencies) take no share;
//   * a container with cpu_units gets cpu_units / 1024 vCPU guaranteed (its weight is at
//     least its fraction of the task because the reservations sum to <= the task cpu);
//   * containers without cpu share the unreserved remainder equally;
//   * if every container has cpu_units, the remainder goes to them in proportion to their
//     units ("Linux containers share unallocated CPU units with other containers ... with
//     the same ratio as their allocated amount", ECS docs).
// Note: raw cgroup weights would give an unreserved container only 2 shares (the ECS agent
// passes cpu 0 as 2) against a busy reserved sidecar; the equal split models the common case
// where sidecars stay within their reservation. Throws std::invalid_argument for an unknown name.
double app_vcpu_share(const TaskDefinition& td, const std::string& container);
// Same with the task's CPU given in units (e.g. an EKS pod rounded up to a larger size).
double app_vcpu_share(const TaskDefinition& td, const std::string& container, double task_cpu_units);

// Builds the model's task definition from the `aws ecs register-task-definition
// --cli-input-json` shape (also accepts `describe-task-definition` output, unwrapping
// "taskDefinition"). Read: family, cpu and memory (integers or strings such as "1024",
// "1 vCPU", "0.25 vcpu", "2 GB", "512"), requiresCompatibilities (must include FARGATE if
// present), runtimePlatform.{cpuArchitecture, operatingSystemFamily}, ephemeralStorage.sizeInGiB,
// containerDefinitions[].{name, image, cpu, memory, memoryReservation, essential,
// dependsOn[].{containerName, condition}, healthCheck.{command, interval, timeout, retries,
// startPeriod}, stopTimeout} and the extension object containerDefinitions[]."x-fargatelab"
// {image_size_mb, layers, compression: "gzip"|"zstd", soci, source: "ecr"|"public_registry",
// start_time, init_cpu_seconds, run_time (distributions: a number or "lognormal(mean=1, sd=0.2)"),
// exit_code}. The image source defaults to ecr for "<acct>.dkr.ecr.<region>.amazonaws.com/..."
// images and public_registry otherwise. The task stop_timeout is the largest container
// stopTimeout (default 30 s).
// Every other member present is appended to `ignored_fields` as a JSON pointer (e.g.
// "/containerDefinitions/0/portMappings"). Problems go to `out` with their pointers; when the
// document parsed cleanly, validate(td, "") runs too and its findings are appended.
TaskDefinition from_ecs_json(const nlohmann::json& register_task_definition_input, std::vector<Diagnostic>& out,
                             std::vector<std::string>& ignored_fields);


// The condition as written in ECS JSON ("START", ...) and back.
const char* to_string(Dependency::Condition c) noexcept;
std::optional<Dependency::Condition> parse_condition(const std::string& ecs_name);

}  // namespace fargatelab::detail
