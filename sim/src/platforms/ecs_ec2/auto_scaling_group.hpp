// An EC2 Auto Scaling group behind an ECS capacity provider: it launches instances (which become
// container instances of its cluster after the launch time), balances them across its zones,
// keeps its desired capacity (replacing instances that terminate), and for Spot instances
// delivers interruptions with a notice before termination.
//
//   launch ---(ec2.instance_launch)---> ACTIVE (registered; tasks may be placed)
//   ACTIVE --terminate()--> terminated (billing stops; removed from the cluster once empty)
//   ACTIVE --Spot notice--> DRAINING --(ec2.spot_warning)--> terminated, and a replacement launches
//
// Zone balance (EC2 Auto Scaling "Availability Zone distribution"): a new instance goes to the
// zone with the fewest launching or active instances (ties: the zone listed first) whose subnet
// has a free address for the instance's primary network interface; with none, the launch fails
// and repair() (called every metric period) tries again, as an ASG keeps its desired capacity.
// Spot interruptions: each Spot instance, once active, is interrupted after an exponential time
// with the hazard that gives the provider's monthly interruption probability over 730 h (see
// spot_hazard_per_hour); interruptions of instances still launching are not modelled.
// EC2 bills an instance from launch to the start of termination (EC2 User Guide, "Instance
// lifecycle": usage is not billed in shutting-down/terminated), which is what records() keep.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "fargatelab/engine.hpp"
#include "fargatelab/random.hpp"
#include "fargatelab/scenario.hpp"
#include "fargatelab/signal.hpp"
#include "network/subnet_pool.hpp"
#include "platforms/ecs_ec2/cluster.hpp"
#include "platforms/ecs_ec2/ec2_spec.hpp"

namespace fargatelab::detail {

struct InstanceRecord {
  enum class State : std::uint8_t { launching, active, draining, terminated };
  State state = State::launching;
  InstanceId id = 0;           // container instance id once registered (0 before)
  std::uint32_t zone = 0;      // index into the group's zones
  std::size_t subnet = 0;      // index into NetworkSpec::subnets (the instance's primary ENI)
  SimTime launched_at;
  std::optional<SimTime> registered_at, notice_at, terminated_at;
  bool spot = false;
  bool interrupted = false;    // terminated by a Spot interruption
  bool at_start = false;       // already running at t = 0 (not warming up)
  bool lost = false;           // terminated by an availability zone outage
  EventId spot_clock;          // the pending interruption notice
};

class AutoScalingGroup {
 public:
  // `zone_subnets`: for each zone of the group, the subnet its instances use (the group's first
  // subnet in that zone). Draws launch times from `launch_rs`, interruptions from `spot_rs`.
  // `pools` (may be null): the VPC's subnets, where each instance holds an address while it exists.
  AutoScalingGroup(Simulation& sim, const Ec2CapacityProviderSpec& spec, const Ec2Spec& ec2, std::vector<std::string> zones,
                   std::vector<std::size_t> zone_subnets, RandomStream launch_rs, RandomStream spot_rs, RandomStream placement_rs,
                   std::vector<SubnetPool>* pools = nullptr);
  AutoScalingGroup(const AutoScalingGroup&) = delete;
  AutoScalingGroup& operator=(const AutoScalingGroup&) = delete;

  // Registers desired_capacity instances at once (a cluster already running at t = 0).
  void start();
  // Raises the desired capacity to n (at most max_size), launching the difference.
  void scale_out_to(int n);
  // Launches instances for any shortfall against the desired capacity (failed launches).
  void repair();
  // Terminates an ACTIVE instance and lowers the desired capacity by one (never below min_size:
  // returns false and does nothing then). The instance must hold no task.
  bool scale_in(InstanceId id);
  // A task left instance `id`: a terminated instance leaves the cluster once empty.
  void task_released(InstanceId id);
  // An availability zone outage: every instance of the group in zone `az` (launching ones
  // included) terminates now, none launches there until restore_zone, and the group launches
  // replacements in its other zones (it keeps its desired capacity). EC2 Auto Scaling's own
  // rebalancing once the zone is back (launch there, then terminate elsewhere) is not modelled:
  // the instances stay where they are.
  void lose_zone(const std::string& az);
  void restore_zone(const std::string& az);

  const Ec2CapacityProviderSpec& spec() const noexcept { return spec_; }
  const InstanceType& type() const noexcept { return *type_; }
  Cluster& cluster() noexcept { return cluster_; }
  const Cluster& cluster() const noexcept { return cluster_; }
  int desired() const noexcept { return desired_; }
  int launching() const noexcept { return launching_; }
  int active() const noexcept { return active_; }  // registered and not draining
  // Within the warmup period of its launch (ManagedScaling instanceWarmupPeriod).
  bool any_warming_up() const noexcept;
  std::span<const InstanceRecord> records() const noexcept { return records_; }
  const InstanceRecord& record(InstanceId id) const { return records_[record_of_.at(id)]; }
  const std::vector<std::string>& zones() const noexcept { return zones_; }
  std::uint64_t scale_outs() const noexcept { return scale_outs_; }
  std::uint64_t scale_ins() const noexcept { return scale_ins_; }
  std::uint64_t launch_failures() const noexcept { return launch_failures_; }

  Signal<InstanceId> registered;  // a container instance became ACTIVE
  Signal<InstanceId> notice;      // a Spot interruption notice: the instance is DRAINING
  Signal<InstanceId> terminated;  // billing stopped; tasks still on it are being stopped

 private:
  void launch_one();
  bool launch(bool at_start);
  std::optional<std::uint32_t> zone_for_launch() const;
  void register_instance(std::size_t record);
  void on_notice(std::size_t record);
  void on_spot_termination(std::size_t record);
  void terminate(std::size_t record);

  Simulation& sim_;
  const Ec2CapacityProviderSpec& spec_;
  const Ec2Spec& ec2_;
  const InstanceType* type_;
  std::vector<std::string> zones_;
  std::vector<std::size_t> zone_subnets_;
  std::vector<SubnetPool>* pools_;
  RandomStream launch_rs_, spot_rs_;
  Cluster cluster_;
  std::vector<InstanceRecord> records_;
  std::vector<std::size_t> record_of_;  // by container instance id: index into records_
  std::vector<int> per_zone_;           // launching + active instances per zone
  std::vector<bool> zone_down_;         // per zone: in an outage
  int desired_ = 0, launching_ = 0, active_ = 0, draining_ = 0;
  double spot_hazard_per_s_ = 0;
  std::uint64_t scale_outs_ = 0, scale_ins_ = 0, launch_failures_ = 0;
};

}  // namespace fargatelab::detail
