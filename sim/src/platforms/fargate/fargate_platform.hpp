// The Fargate launch type: takes tasks from RunTask (or the service scheduler) through the
// launch pipeline and back down, on shared capacity (launch rate, subnet addresses, hosts).
//
//   PROVISIONING  account launch bucket, ENI in a subnet with a free address, capacity found,
//                 microVM booted on a host
//   PENDING       image pulled (size, layers, path through NAT or VPC endpoint, SOCI, zstd),
//                 containers started, application initialised (single-threaded: time scales
//                 with min(1, vCPU))
//   ACTIVATING    load balancer / service discovery registration
//   RUNNING       serving (a service task) or working until its essential container exits
//   DEACTIVATING  deregistration: draining for the deregistration delay (not for Spot)
//   STOPPING      SIGTERM; the application exits after its shutdown time or is killed at
//                 stopTimeout (for Spot, at most at the end of the two-minute warning)
//   DEPROVISIONING ENI detached, address released
//   STOPPED
//
// Every transition is emitted on state_changed; serving, scheduling and metrics listen.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "ecs/launch_type.hpp"
#include "ecs/task_wind_down.hpp"
#include "ecs/task.hpp"
#include "ecs/token_bucket.hpp"
#include "fargatelab/engine.hpp"
#include "fargatelab/random.hpp"
#include "fargatelab/scenario.hpp"
#include "fargatelab/signal.hpp"
#include "network/subnet_pool.hpp"
#include "ecs/ecs_spec.hpp"
#include "ecs/image_pull.hpp"
#include "faults/faults_spec.hpp"
#include "platforms/fargate/fargate_spec.hpp"
#include "platforms/fargate/host_fleet.hpp"
#include "platforms/fargate/isolation.hpp"
#include "scenario/task_definition.hpp"

namespace fargatelab::detail {


class FargatePlatform final : public LaunchType {
 public:
  // `subnets`: the VPC's address pools (make_subnet_pools), shared with the EC2 launch type;
  // `registry`: the image registry with the scenario's faults, shared too (null: its own).
  FargatePlatform(Simulation& sim, const ScenarioSpec& spec, RandomStreams& streams, std::vector<SubnetPool>& subnets,
                  ImageRegistry* registry = nullptr);
  FargatePlatform(const FargatePlatform&) = delete;
  FargatePlatform& operator=(const FargatePlatform&) = delete;

  Task& launch(const LaunchRequest& r) override;
  // The throttled phase still counts from the call. Memory follows the tasks granted, not a
  // backlog of calls.
  void run_task(LaunchRequest r) override;
  // A task that is already RUNNING at t = 0 (a service in steady state): address and host
  // taken, no launch phases. Returns nullptr if there is no address or capacity for it.
  Task* adopt_running(const LaunchRequest& r) override;
  // Asks a task to stop (ServiceSchedulerInitiated, UserInitiated or SpotInterruption). A task
  // already stopping keeps its course, except that a Spot interruption shortens it.
  void stop(Task& t, StopCode code, std::string reason) override;
  std::deque<Task>& tasks() noexcept override { return tasks_; }
  const std::string& zone_of_subnet(std::size_t subnet) const override { return subnets_.at(subnet).az(); }

  const HostFleet& fleet() const noexcept { return *fleet_; }
  std::size_t spot_tasks_in(const std::string& az) const;
  const PullMeter& pulled() const noexcept { return pulled_; }

 private:
  Task& new_task(const LaunchRequest& r);  // the record and its side tables, not yet announced
  Process lifecycle(Task& t, LaunchRequest r, bool warm);
  void set_state(Task& t, TaskState s);
  std::optional<std::size_t> allocate_address(const LaunchRequest& r, std::string& az_out);
  PullPath pull_path(const Task& t) const;
  void start_spot_clock(Task& t);
  void on_spot_wave(std::uint64_t wave);
  void release_capacity(Task& t);

  Simulation& sim_;
  const ScenarioSpec& spec_;
  const FargateSpec& fargate_;  // the scenario's fargate section, Fargate's part
  const EcsSpec& ecs_;          // ECS's part (ENI, ACTIVATING, image pull)
  TokenBucket account_bucket_;
  std::vector<SubnetPool>& subnets_;
  std::unique_ptr<HostFleet> fleet_;
  IsolationProfile isolation_;
  RandomStream provisioning_rs_, eni_rs_, pull_rs_, start_rs_, stop_rs_, placement_rs_, spot_rs_;
  std::deque<Task> tasks_;
  std::vector<std::size_t> spot_running_per_az_;
  std::vector<std::string> zones_;
  std::vector<EventId> spot_clock_;                 // per task id: its pending interruption
  std::vector<std::optional<Placement>> placement_;  // per task id: its host while it has one
  std::deque<LaunchRequest> throttled_calls_;        // RunTask calls waiting for a token, in grant order
  void on_token_granted();
  WindDown down_;
  PullMeter pulled_;
  std::unique_ptr<ImageRegistry> own_registry_;  // when none is shared
  ImageRegistry* registry_;
  const FaultsSpec& faults_;
};

}  // namespace fargatelab::detail
