// Sends one workload's requests to its target service: arrival times from the workload's own
// stream "workload/<name>/arrivals" and request classes and demands from
// "workload/<name>/requests", so the traffic is identical whatever serves it (common random
// numbers). Requests are spread over the workload's long-lived connections round robin.
//
// Open loop: arrivals follow the arrival model regardless of responses. Closed loop: each of
// `users` clients thinks (think_time), sends one request and waits for its response, an error,
// or its timeout, whichever comes first, then thinks again.
#pragma once

#include "fargatelab/engine.hpp"
#include "fargatelab/random.hpp"
#include "fargatelab/scenario.hpp"
#include "serving/request.hpp"
#include "serving/service.hpp"
#include "workload/arrivals.hpp"
#include "workload/client_retry.hpp"

#include <memory>
#include <vector>

namespace fargatelab::detail {

class WorkloadGenerator {
 public:
  WorkloadGenerator(Simulation& sim, RequestPool& pool, const WorkloadSpec& spec, std::uint32_t index, Service& target,
                    RandomStreams& streams, SimTime measure_from, double trace_rate = 0,
                    std::int64_t start_unix_seconds = 0);
  // Schedules the first arrival (the arrival model's first time after now; none if it has ended).
  void start();

  std::uint64_t measured_arrivals() const noexcept { return measured_arrivals_; }
  const WorkloadSpec& spec() const noexcept { return spec_; }
  // Its clients' retries (null without a retry mode).
  const RetryCounts* retry_counts() const noexcept { return retry_ ? &retry_->counts() : nullptr; }
  // Closed loop with retries (ClientRetry): user `client` now waits for attempt `id`; or gives
  // up on attempt `id` (its timeout passed with no retry left) and thinks again.
  void waits_for(std::uint32_t client, RequestId id) { clients_[client].request = id; }
  void give_up(std::uint32_t client, RequestId id);

 private:
  void on_arrival();
  void schedule_next();
  RequestId make_request(std::uint32_t client);  // a new request from the pool, not yet submitted
  // Closed loop.
  struct Client {
    EventId give_up;           // the pending timeout of its request
    RequestId request = ~0u;   // the request it waits for (~0u: thinking)
  };
  void think(std::uint32_t client);
  void on_think_done(std::uint64_t client);
  void on_give_up(std::uint64_t client);
  void on_response(RequestId id);
  std::vector<Client> clients_;

  Simulation& sim_;
  RequestPool& pool_;
  const WorkloadSpec& spec_;
  std::uint32_t index_;
  Service& target_;
  ArrivalModel arrivals_;  // stateful (trace cursor, MMPP phase): advanced by schedule_next()
  RandomStream arrival_stream_;
  RandomStream request_stream_;
  RandomStream off_cpu_stream_;  // off-CPU waits: their own stream, so adding one shifts no other draw
  RandomStream trace_stream_;  // which requests are traced: its own stream, so tracing changes nothing else
  SimTime measure_from_;
  double trace_rate_;
  double class_weight_total_ = 0;
  std::uint32_t next_connection_ = 0;
  std::uint64_t measured_arrivals_ = 0;
  std::unique_ptr<ClientRetry> retry_;  // synchronous requests with a retry mode
};

}  // namespace fargatelab::detail
