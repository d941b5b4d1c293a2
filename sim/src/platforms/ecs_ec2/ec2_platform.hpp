// The EC2 launch type: ECS tasks on container instances of the cluster's Auto Scaling group
// capacity providers. The ECS service scheduler drives it through the same LaunchType calls as
// Fargate; the differences are where the task runs and what its launch costs:
//
//   PROVISIONING  the service's launch token; ECS task placement on a container instance of the
//                 task's capacity provider (resources -> constraints -> strategies: Cluster).
//                 When nothing fits, the task waits in PROVISIONING for capacity (managed
//                 scaling counts it) and is stopped after ec2.provisioning_timeout with the
//                 placement failure as its reason. awsvpc: an address in the service's subnet in
//                 the instance's zone, and the ENI attached to the instance (fargate.eni_attach,
//                 the same EC2 AttachNetworkInterface model); bridge: no ENI.
//   PENDING       no microVM: the agent pulls the image over the instance's network path (a
//                 pull whose layers are already on the instance costs only ec2.cached_pull, or
//                 nothing under once/prefer-cached), then starts the containers (as on Fargate).
//   ACTIVATING .. STOPPED as on Fargate; the instance's CPU, memory and ENI slot are released
//                 when the containers have stopped.
//
// Capacity: one Auto Scaling group per capacity provider (AutoScalingGroup), kept at its
// desired capacity; with managed scaling, every ec2.metric_period the provider's
// CapacityProviderReservation is computed (managed_scaling.hpp) and the group scaled out at once
// or in after ec2.scale_in_datapoints low periods, terminating only instances without
// non-daemon tasks (managed termination protection) and not while an instance warms up.
// A Spot interruption notice drains the instance: its tasks get SpotInterruption and must be
// gone by the end of the two-minute notice; the service scheduler replaces them elsewhere.
// DAEMON services: one task per ACTIVE instance, placed ahead of waiting replica tasks.
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "ecs/ecs_spec.hpp"
#include "ecs/image_pull.hpp"
#include "ecs/launch_type.hpp"
#include "ecs/task.hpp"
#include "ecs/task_wind_down.hpp"
#include "fargatelab/engine.hpp"
#include "fargatelab/random.hpp"
#include "fargatelab/scenario.hpp"
#include "fargatelab/signal.hpp"
#include "faults/faults_spec.hpp"
#include "network/subnet_pool.hpp"
#include "platforms/ecs_ec2/auto_scaling_group.hpp"
#include "platforms/ecs_ec2/cluster.hpp"
#include "platforms/ecs_ec2/ec2_spec.hpp"

namespace fargatelab::detail {

class Ec2Platform final : public LaunchType {
 public:
  // `subnets`: the VPC's address pools, shared with the Fargate launch type.
  // `registry`: the image registry with the scenario's faults, shared with Fargate (null: its own).
  Ec2Platform(Simulation& sim, const ScenarioSpec& spec, RandomStreams& streams, std::vector<SubnetPool>& subnets,
              ImageRegistry* registry = nullptr);
  Ec2Platform(const Ec2Platform&) = delete;
  Ec2Platform& operator=(const Ec2Platform&) = delete;

  // Registers the groups' initial instances and starts managed scaling. Call before the
  // schedulers start (their warm tasks need the instances).
  void start();

  Task& launch(const LaunchRequest& r) override;
  void run_task(LaunchRequest r) override { launch(r); }
  Task* adopt_running(const LaunchRequest& r) override;
  void stop(Task& t, StopCode code, std::string reason) override;
  std::deque<Task>& tasks() noexcept override { return tasks_; }
  const std::string& zone_of_subnet(std::size_t subnet) const override { return subnets_.at(subnet).az(); }
  std::string provider_name(const Task& t) const override {
    return t.ec2 >= 0 ? ec2_.capacity_providers[static_cast<std::size_t>(t.ec2)].name : to_string(t.provider);
  }
  // A task waiting for capacity: the service event of its last placement failure.
  std::string waiting_for(const Task& t) const override;

  // Container instances ACTIVE in every group (DAEMON services run one task on each).
  int active_instances() const noexcept;
  std::size_t groups() const noexcept { return groups_.size(); }
  const AutoScalingGroup& group(std::size_t i) const { return *groups_.at(i); }
  // Tasks waiting in PROVISIONING for capacity of provider i.
  std::size_t waiting(std::size_t i) const { return waiting_.at(i).size(); }
  // The last CapacityProviderReservation computed for provider i (NaN before the first period
  // or without managed scaling).
  double reservation(std::size_t i) const { return last_reservation_.at(i); }

  const PullMeter& pulled() const noexcept { return pulled_; }

  Signal<> instances_changed;  // an instance became ACTIVE, started draining or terminated

 private:
  Task& new_task(const LaunchRequest& r);
  Process lifecycle(Task& t, LaunchRequest r, bool warm);
  void set_state(Task& t, TaskState s);
  PlacementRequest placement_request(const Task& t) const;
  bool try_place(Task& t);  // reserves an instance for t; false (reason kept) if none fits
  bool place_daemon(Task& t);
  void release_instance(Task& t);
  void retry_waiting(std::size_t provider);
  void on_registered(std::size_t provider, InstanceId id);
  void on_notice(std::size_t provider, InstanceId id);
  void on_terminated(std::size_t provider, InstanceId id);
  void on_zone_lost(const std::string& az) override;       // the groups' instances there terminate
  void on_zone_restored(const std::string& az) override;
  void stop_tasks_on(std::size_t provider, InstanceId id, StopCode code, const std::string& reason);
  void evaluate_scaling();
  int non_daemon_tasks(std::size_t provider, InstanceId id) const;
  std::deque<std::uint32_t>& waiting_of(const Task& t);

  Simulation& sim_;
  const ScenarioSpec& spec_;
  const Ec2Spec& ec2_;  // the scenario's ec2 section
  const EcsSpec& ecs_;  // ECS's settings (ENI, ACTIVATING, image pull)
  std::vector<SubnetPool>& subnets_;
  std::vector<std::unique_ptr<AutoScalingGroup>> groups_;
  RandomStream eni_rs_, pull_rs_, start_rs_, stop_rs_;
  std::deque<Task> tasks_;
  std::vector<std::optional<TaskReservation>> reservation_;  // per task id, while it holds an instance
  std::vector<PlacementFailure> failure_;                     // per task id: why it last could not be placed
  std::vector<std::deque<std::uint32_t>> waiting_;            // per provider: task ids waiting for capacity
  std::vector<std::vector<PlacementStrategy>> strategies_;    // per service
  std::vector<std::vector<PlacementConstraint>> constraints_; // per service
  std::vector<bool> awsvpc_;                                  // per service: network mode awsvpc (else bridge)
  std::vector<std::vector<int>> non_daemon_;                  // per provider, by instance id: replica tasks placed
  std::set<std::tuple<std::size_t, InstanceId, std::int32_t>> daemons_;  // (provider, instance, service) with a daemon task
  std::vector<int> low_periods_;                              // per provider: consecutive periods below target
  std::vector<double> last_reservation_;
  WindDown down_;
  PullMeter pulled_;
  std::unique_ptr<ImageRegistry> own_registry_;  // when none is shared
  ImageRegistry* registry_;
  const FaultsSpec& faults_;
};

}  // namespace fargatelab::detail
