// The capacity side of ECS on EC2: a cluster of container instances and ECS task placement
// onto them. Self-contained; the ECS service scheduler's launch path will call place(), then
// commit() the chosen instance, and release() when the task has stopped.
//
// Placement follows the Amazon ECS Developer Guide, "Amazon ECS task placement": ECS
//   1. identifies the instances that satisfy the CPU, memory and port (here: ENI) requirements,
//   2. then those that satisfy the task placement constraints,
//   3. then those that satisfy the task placement strategies, and
//   4. selects the instance.
// Strategies are applied in the order given, like ECS `placementStrategy`; each keeps only the
// best candidates by its rule and hands the ties to the next one; remaining ties go to the
// lowest instance id (this model's rule; ECS does not document one).
//   binpack(cpu | memory): "Place tasks based on the least available amount of CPU or memory"
//     -- keep the instances with the least remaining of that field (all of them fit the task).
//   spread(field): "Place tasks evenly based on the specified value ... Service tasks are spread
//     based on the tasks from that service" -- keep the instances whose value of the field
//     (instanceId/host, attribute:ecs.availability-zone, attribute:ecs.instance-type,
//     attribute:ecs.cpu-architecture) currently has the fewest tasks of the request's group.
//     Counts are over the whole cluster, so a zone whose instances are full still counts.
//   random: "Place tasks randomly" -- one candidate uniformly, from the cluster's placement
//     stream; later strategies then have nothing left to choose between.
// Strategies are best effort (a full zone does not block spread); constraints are binding.
// Constraints (ECS "Amazon ECS task placement constraints"):
//   distinctInstance: "Place each task on a different container instance" -- at most one task
//     of the request's group per instance.
//   memberOf(expression): instances matching a cluster query language expression; the subset
//     accepted is documented at PlacementConstraint::member_of.
// Not modelled: host ports (bridge mode is placed as if every task used dynamic host ports),
// GPUs, agent disconnection, custom attributes, task:group expressions.
//
// When nothing fits, place() reports the reason ECS gives (API failures "RESOURCE:CPU",
// "RESOURCE:MEMORY", "RESOURCE:ENI"; a constraint by its name) and the service event message.
// How ECS picks "the closest matching container-instance" is not published; here it is the
// instance failing the fewest of the three resource checks (ties: lowest id), and the reason is
// its first failing check in the order CPU, memory, ENI.
//
// Cost per place(): O(instances * (1 + constraints + strategies)), one linear scan per stage
// over a candidate buffer the cluster keeps; no allocation once the buffer has grown to the
// cluster's size (add_instance grows it). commit() may allocate the first time a group has a
// task on an instance or the first time a group is seen.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "fargatelab/random.hpp"
#include "platforms/ecs_ec2/instance_types.hpp"

namespace fargatelab::detail {

using InstanceId = std::uint32_t;  // container instance id, 1, 2, ... in the order added
using TaskGroup = std::uint32_t;   // the service (or standalone task group) a task belongs to

// A task definition's networkMode: awsvpc gives each task its own ENI (one attachment point on
// the instance); bridge shares the instance's network (no ENI).
enum class NetworkMode : std::uint8_t { awsvpc, bridge };

struct PlacementStrategy {
  enum class Type : std::uint8_t { binpack, spread, random };
  enum class Field : std::uint8_t {
    none,               // random
    cpu,                // binpack
    memory,             // binpack
    instance_id,        // spread "instanceId" or "host"
    availability_zone,  // spread "attribute:ecs.availability-zone"
    instance_type,      // spread "attribute:ecs.instance-type"
    cpu_architecture,   // spread "attribute:ecs.cpu-architecture"
  };
  Type type = Type::random;
  Field field = Field::none;

  static constexpr PlacementStrategy binpack_cpu() noexcept { return {Type::binpack, Field::cpu}; }
  static constexpr PlacementStrategy binpack_memory() noexcept { return {Type::binpack, Field::memory}; }
  static constexpr PlacementStrategy spread_instances() noexcept { return {Type::spread, Field::instance_id}; }
  static constexpr PlacementStrategy spread_zones() noexcept { return {Type::spread, Field::availability_zone}; }
  static constexpr PlacementStrategy random() noexcept { return {Type::random, Field::none}; }
  friend constexpr bool operator==(const PlacementStrategy&, const PlacementStrategy&) = default;
};

// One ECS placementStrategy item: type "binpack" (field "cpu" | "memory"), "spread" (field
// "instanceId" | "host" | "attribute:ecs.availability-zone" | "attribute:ecs.instance-type" |
// "attribute:ecs.cpu-architecture") or "random" (field empty). std::invalid_argument otherwise.
PlacementStrategy parse_placement_strategy(std::string_view type, std::string_view field = {});
// "binpack(memory)", "spread(attribute:ecs.availability-zone)", "random".
std::string describe(const PlacementStrategy& s);

class PlacementConstraint {
 public:
  enum class Type : std::uint8_t { distinct_instance, member_of };

  static PlacementConstraint distinct_instance();
  // memberOf with an expression in this subset of the ECS cluster query language (anything
  // else is std::invalid_argument naming what is not supported):
  //   expression := term { ("and" | "&&") term }
  //   term       := "attribute:" name operator argument
  //   name       := ecs.instance-type | ecs.availability-zone | ecs.cpu-architecture
  //   operator   := "==" | "equals" | "!=" | "not_equals"           (argument: a value)
  //               | "in" | "!in" | "not_in"                          (argument: [v1, v2, ...])
  //               | "=~" | "matches" | "!~" | "not_matches"          (argument: a pattern)
  // Values may be quoted with ' or ". A pattern is a Java regular expression restricted to
  // letters, digits, '-', '_', '\.' (a literal dot), '.' (any character) and '.*' (any run),
  // matched against the whole value, e.g. "t2.*" or "m5\.large" ("m[56].*" is rejected). Not accepted:
  // "or"/"||", "not"/"!", parentheses, exists, ordering operators, task:group and other subjects.
  static PlacementConstraint member_of(std::string_view expression);
  // One ECS placementConstraints item: type "distinctInstance" (no expression) or "memberOf".
  static PlacementConstraint parse(std::string_view type, std::string_view expression = {});

  Type type() const noexcept { return type_; }
  std::string_view name() const noexcept { return type_ == Type::distinct_instance ? "distinctInstance" : "memberOf"; }
  const std::string& expression() const noexcept { return expression_; }
  // Whether an instance of this type in this zone satisfies a memberOf expression (true for
  // distinctInstance, which depends on the tasks placed: see Cluster::place).
  bool admits(const InstanceType& type, std::string_view availability_zone) const noexcept;

 private:
  enum class Subject : std::uint8_t { instance_type, availability_zone, cpu_architecture };
  enum class Op : std::uint8_t { equals, not_equals, in, not_in, matches, not_matches };
  struct PatternToken {
    enum class Kind : std::uint8_t { literal, any, any_run } kind;
    char c;
  };
  struct Term {
    Subject subject;
    Op op;
    std::vector<std::string> values;     // ==, !=: one; in, !in: the list
    std::vector<PatternToken> pattern;   // =~, !~
  };
  static bool matches(std::span<const PatternToken> pattern, std::string_view s) noexcept;
  static bool holds(const Term& t, std::string_view value) noexcept;

  Type type_ = Type::distinct_instance;
  std::string expression_;
  std::vector<Term> terms_;
};

// How an instance joins the cluster.
struct InstanceOptions {
  // The account had opted in to awsvpcTrunking when the instance launched. Only trunking-capable
  // types get the higher ENI limit; on others this changes nothing (as in ECS).
  bool trunking = false;
  // The agent's ECS_RESERVED_MEMORY, MiB: memory removed from what the instance registers.
  int reserved_memory_mib = 0;
};

// A container instance's state. Only the cluster changes it.
struct ContainerInstance {
  InstanceId id = 0;
  const InstanceType* type = nullptr;
  std::uint32_t zone = 0;              // index, name in Cluster::az_name
  std::uint32_t type_slot = 0;         // the cluster's index of `type`
  bool trunking = false;               // has the trunking ENI limit
  int registered_cpu_units = 0;        // vcpu * 1024
  int remaining_cpu_units = 0;
  int registered_memory_mib = 0;       // memory - ECS_RESERVED_MEMORY
  int remaining_memory_mib = 0;
  int eni_capacity = 0;                // attachment points for awsvpc tasks
  int enis_in_use = 0;
  int tasks = 0;                       // tasks placed (committed, not yet released)
  bool draining = false;               // DRAINING: no new task is placed here
  std::set<std::string, std::less<>> images;               // image ids already pulled here
  std::vector<std::pair<TaskGroup, int>> group_tasks;      // tasks per group, groups with > 0

  int enis_available() const noexcept { return eni_capacity - enis_in_use; }
  int tasks_of(TaskGroup g) const noexcept;
};

struct PlacementRequest {
  TaskGroup group = 0;      // spread and distinctInstance count the tasks of this group
  int cpu_units = 0;        // task CPU, ECS units (>= 0; 0 reserves none)
  int memory_mib = 0;       // task memory, MiB (> 0)
  NetworkMode network_mode = NetworkMode::awsvpc;
  std::span<const PlacementStrategy> strategies{};    // applied in order
  std::span<const PlacementConstraint> constraints{};  // all must hold
};

// Why a task could not be placed.
struct PlacementFailure {
  enum class Kind : std::uint8_t { no_container_instances, cpu, memory, eni, distinct_instance, member_of };
  Kind kind = Kind::no_container_instances;
  std::optional<InstanceId> closest;  // the closest matching instance, for cpu, memory, eni

  // "RESOURCE:CPU", "RESOURCE:MEMORY", "RESOURCE:ENI" (ECS API failure reasons),
  // "distinctInstance", "memberOf" (the constraint), or "NO_CONTAINER_INSTANCES" (this model's
  // label for the event reason "No Container Instances were found in your cluster").
  std::string_view reason() const noexcept;
  // The service event, as ECS words it ("Service event messages"): CPU and memory name the
  // closest matching instance; ENI and constraints get the documented general sentence, which
  // names no cause.
  std::string message(std::string_view service) const;
};

// What commit() reserved; release() needs nothing else.
struct TaskReservation {
  InstanceId instance = 0;
  TaskGroup group = 0;
  int cpu_units = 0;
  int memory_mib = 0;
  bool eni = false;
};

class Cluster {
 public:
  // `placement_stream` is drawn from only by the random strategy, and only when a task is placed.
  explicit Cluster(RandomStream placement_stream = {});

  // Registers an instance in availability zone `az`; ids are 1, 2, ... and never reused. The
  // type must outlive the cluster (table entries do). std::invalid_argument for an empty zone,
  // an unusable type, a bad reserve, or an unknown type name (the message lists the known ones).
  InstanceId add_instance(const InstanceType& type, std::string_view az, const InstanceOptions& options = {});
  InstanceId add_instance(std::string_view type_name, std::string_view az, const InstanceOptions& options = {});
  // Deregisters an instance that has no tasks (std::logic_error if it has, std::out_of_range if
  // there is no such instance): release its tasks first.
  void remove_instance(InstanceId id);

  // Chooses the instance for a task, reserving nothing (commit does); nullopt if none qualifies,
  // with the reason in *why when given. std::invalid_argument for cpu_units < 0 or
  // memory_mib <= 0.
  std::optional<InstanceId> place(const PlacementRequest& r, PlacementFailure* why = nullptr);
  // Reserves the task's CPU, memory and (awsvpc) ENI on the instance and counts it for its group.
  // Checks resources only, not constraints: commit what place() chose. std::logic_error if the
  // task does not fit, std::out_of_range for an unknown instance.
  TaskReservation commit(InstanceId id, const PlacementRequest& r);
  // Gives back what a commit reserved (std::logic_error if that is more than is reserved).
  void release(const TaskReservation& t);

  // Puts an instance in DRAINING: place() no longer chooses it (its tasks stay until released).
  void set_draining(InstanceId id);

  // Images pulled on an instance (later used to skip pulls).
  void cache_image(InstanceId id, std::string_view image);
  bool has_image(InstanceId id, std::string_view image) const;

  bool contains(InstanceId id) const noexcept;
  const ContainerInstance& instance(InstanceId id) const;  // std::out_of_range if absent
  std::span<const ContainerInstance> instances() const noexcept { return instances_; }  // by id
  std::size_t size() const noexcept { return instances_.size(); }

  std::size_t az_count() const noexcept { return zones_.size(); }
  const std::string& az_name(std::size_t zone) const { return zones_.at(zone); }
  const std::string& az_of(InstanceId id) const { return zones_[instance(id).zone]; }
  // Tasks of a group: in total, in a zone (0 for an unknown zone).
  int tasks_of(TaskGroup g) const noexcept;
  int tasks_in_az(TaskGroup g, std::string_view az) const noexcept;

 private:
  struct GroupCounts {
    int total = 0;
    std::vector<int> by_zone;   // index: zone
    std::vector<int> by_type;   // index: type slot
    std::array<int, 2> by_arch{};
  };
  std::size_t index_of(InstanceId id) const;                   // std::out_of_range if absent
  std::int64_t spread_count(const GroupCounts* g, const ContainerInstance& c, PlacementStrategy::Field f,
                            TaskGroup group) const noexcept;
  void validate(const PlacementRequest& r) const;

  RandomStream placement_stream_;
  std::vector<ContainerInstance> instances_;        // sorted by id
  std::vector<std::string> zones_;
  std::vector<const InstanceType*> type_slots_;
  std::unordered_map<TaskGroup, GroupCounts> groups_;
  std::vector<std::uint32_t> candidates_;           // scratch for place(): indices into instances_
  InstanceId next_id_ = 1;
};

}  // namespace fargatelab::detail
