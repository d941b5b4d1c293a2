// A service: its running tasks behind a load balancer. Requests enter with submit(); every
// request leaves through exactly one of the signals below, so observers can account for all.
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

enum class Outcome : std::uint8_t { ok, rejected, no_capacity };

class Service {
 public:
  Service(Simulation& sim, RequestPool& pool, const ServiceSpec& spec, std::uint32_t index, RandomStreams& streams);

  // Routes the request to a task. Round robin for an ALB (its default routing algorithm);
  // a uniformly random task for an NLB or none (flow hashing over many short connections).
  void submit(RequestId id);
  // Starts a task with the service's size; returns its index.
  std::size_t add_task();

  const ServiceSpec& spec() const noexcept { return spec_; }
  std::uint32_t index() const noexcept { return index_; }
  std::vector<std::unique_ptr<TaskServer>>& tasks() noexcept { return tasks_; }
  const std::vector<std::unique_ptr<TaskServer>>& tasks() const noexcept { return tasks_; }

  // (request id, outcome): emitted when the response (or the error) reaches the client. The
  // request is released to the pool right after.
  Signal<RequestId, Outcome> request_done;

 private:
  void on_task_done(std::uint64_t id);
  void finish(RequestId id, Outcome outcome);

  Simulation& sim_;
  RequestPool& pool_;
  ServiceSpec spec_;
  std::uint32_t index_;
  RandomStream lb_stream_;
  std::vector<std::unique_ptr<TaskServer>> tasks_;
  std::size_t next_task_ = 0;
};

}  // namespace fargatelab::detail
