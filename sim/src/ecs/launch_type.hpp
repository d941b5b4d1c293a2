// What the ECS schedulers need from a launch type (Fargate today, EC2 capacity next): start
// tasks, stop them, and report every transition. The service scheduler and RunTask talk only
// to this interface; one virtual call per launch or stop, never per event.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ecs/task.hpp"
#include "fargatelab/scenario.hpp"
#include "fargatelab/signal.hpp"

namespace fargatelab::detail {

struct LaunchRequest {
  std::int32_t service = -1;
  std::int32_t standalone = -1;
  std::string name;
  const TaskSpec* spec = nullptr;
  CapacityProvider provider = CapacityProvider::fargate;
  std::int32_t ec2 = -1;   // provider == ec2: the capacity provider (index into the ecs_ec2 platform's capacity providers)
  bool daemon = false;     // a DAEMON service's task: the platform picks an instance that lacks one
  const std::vector<std::size_t>* subnets = nullptr;  // allowed subnets
  std::string preferred_az;                           // "" = the allowed subnet with most free addresses
  SimTime not_before;                                 // e.g. the service's own launch-rate token
  std::optional<SimTime> requested_at;                // set once the account token is held (RunTask)
};

class LaunchType {
 public:
  virtual ~LaunchType() = default;
  // Creates the task in PROVISIONING now and starts its lifecycle (which waits for the launch
  // tokens: the service scheduler's tasks exist while throttled).
  virtual Task& launch(const LaunchRequest& r) = 0;
  // RunTask: the call waits for the account's launch token; the task exists from then on.
  virtual void run_task(LaunchRequest r) = 0;
  // A task already RUNNING at t = 0 (steady state); nullptr if it cannot be placed.
  virtual Task* adopt_running(const LaunchRequest& r) = 0;
  // Asks a task to stop with an ECS stop code and reason.
  virtual void stop(Task& t, StopCode code, std::string reason) = 0;
  // Every task ever launched, by id (stable references).
  virtual std::deque<Task>& tasks() noexcept = 0;
  // The availability zone of a subnet (index into the scenario's subnets).
  virtual const std::string& zone_of_subnet(std::size_t subnet) const = 0;
  // The capacity provider a task runs on, as ECS names it (FARGATE, FARGATE_SPOT, or the name of
  // an Auto Scaling group capacity provider).
  virtual std::string provider_name(const Task& t) const { return to_string(t.provider); }
  // What a task not yet RUNNING waits for, in ECS's words, when the launch type knows more than
  // its launch phases say (EC2: the placement failure of a task waiting for capacity); "" otherwise.
  virtual std::string waiting_for(const Task&) const { return {}; }

  // Availability zone outages (faults/zone_outage.hpp). lose_zone: every task of this launch type
  // in `az` that has not stopped is lost at `now` (lose_task: `reason`), the launch type's own
  // capacity there goes (on_zone_lost: Fargate hosts, EC2 instances), and nothing is placed
  // there until restore_zone. Each emits zone_changed after acting; a second call is a no-op.
  void lose_zone(const std::string& az, const std::string& reason, SimTime now);
  void restore_zone(const std::string& az);
  bool zone_up(std::string_view az) const noexcept;

  Signal<Task&, TaskState> state_changed;  // (task, previous state); creation comes "from STOPPED"
  Signal<const std::string&, bool> zone_changed;  // (zone, up)

 protected:
  virtual void on_zone_lost(const std::string& /*az*/) {}
  virtual void on_zone_restored(const std::string& /*az*/) {}
  // Takes a task down at once, wherever it is (Task::lost_at): TaskFailedToStart before RUNNING,
  // EssentialContainerExited after (its containers are gone), unless it was already stopping
  // with a code of its own, which it keeps. Interrupts its process.
  static void lose_task(Task& t, const std::string& reason, SimTime now);

 private:
  std::vector<std::string> zones_down_;
};

}  // namespace fargatelab::detail
