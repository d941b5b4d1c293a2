// A service's serving side: one TaskServer per task that has reached RUNNING, and the load
// balancer's set of targets in service. Requests enter with submit(); every request leaves
// through request_done exactly once, so observers can account for all of them.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "fargatelab/engine.hpp"
#include "fargatelab/random.hpp"
#include "fargatelab/scenario.hpp"
#include "fargatelab/signal.hpp"
#include "serving/request.hpp"
#include "serving/task_server.hpp"

namespace fargatelab::detail {

// ok: answered; rejected: the task's queue was full (503); no_capacity: no task in service
// (503); reset: the task was killed while the request was in it (the client sees a reset/502).
enum class Outcome : std::uint8_t { ok, rejected, no_capacity, reset };

class Service {
 public:
  Service(Simulation& sim, RequestPool& pool, const ServiceSpec& spec, std::uint32_t index, RandomStreams& streams);

  // Routes the request to a target in service: round robin for an ALB (its default routing
  // algorithm); a uniformly random target for an NLB or none (flow hashing over many short
  // connections).
  void submit(RequestId id);

  // A task reached RUNNING: it gets a server (its vCPUs count as reserved from now).
  std::uint32_t add_server();
  // The load balancer starts / stops sending new requests to the server.
  void put_in_service(std::uint32_t server);
  void take_out_of_service(std::uint32_t server);
  // The task is killed: requests still in it end with Outcome::reset; its vCPUs are freed.
  void kill_server(std::uint32_t server);

  const ServiceSpec& spec() const noexcept { return spec_; }
  std::uint32_t index() const noexcept { return index_; }
  const std::vector<std::unique_ptr<TaskServer>>& servers() const noexcept { return servers_; }
  std::size_t targets_in_service() const noexcept { return targets_.size(); }
  std::size_t live_servers() const noexcept { return live_; }
  // Integral of reserved vCPUs over time (vCPU-seconds) up to now.
  double reserved_vcpu_seconds() const noexcept;

  Signal<RequestId, Outcome> request_done;

 private:
  void on_task_done(std::uint64_t id);
  void finish(RequestId id, Outcome outcome);
  void account_reserved() noexcept;

  Simulation& sim_;
  RequestPool& pool_;
  ServiceSpec spec_;
  std::uint32_t index_;
  RandomStream lb_stream_;
  std::vector<std::unique_ptr<TaskServer>> servers_;
  std::vector<bool> alive_;
  std::vector<std::uint32_t> targets_;  // servers in service, in registration order
  std::size_t next_target_ = 0;
  std::size_t live_ = 0;
  double reserved_vcpu_seconds_ = 0;
  SimTime reserved_since_;
};

}  // namespace fargatelab::detail
