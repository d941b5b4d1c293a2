// A service's serving side: one TaskServer per task that has reached RUNNING, the front door
// requests come through (a load balancer, DNS discovery or a queue), and the calls its
// requests make to other services. Requests enter with submit(); every request leaves through
// request_done exactly once, so observers can account for all of them.
//
// Implementation by topic: service.cpp (targets, submit, finish), service_routing.cpp (ALB,
// NLB, DNS), service_calls.cpp (the call graph), service_queue.cpp (SQS pollers),
// target_health.cpp (load balancer health checks).
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "fargatelab/engine.hpp"
#include "fargatelab/random.hpp"
#include "fargatelab/scenario.hpp"
#include "fargatelab/signal.hpp"
#include "serving/dispatcher.hpp"
#include "serving/request.hpp"
#include "serving/request_effects.hpp"
#include "serving/target_health.hpp"
#include "serving/task_server.hpp"

namespace fargatelab::detail {

class ClientRetry;   // workload/client_retry.hpp
class RetryQuota;    // serving/retry.hpp
struct RetryCounts;

// What the caller sees. ok: answered; rejected: the task's queue was full (503); no_capacity:
// no task in service (503); reset: the task was killed while the request was in it (reset or
// 502); dependency: a synchronous call it made failed or timed out (502/504); unreachable:
// DNS pointed the client at a task that no longer exists (connection refused); expired: a
// message outlived the queue's retention period; dead_letter: a message moved to the
// dead-letter queue after max_receive_count receives; throttled: Lambda had no concurrency or
// scaling token for a new environment (429); function_timeout: cut at the Lambda timeout;
// app_error: the application answered with an error (500: a bad version, a faulty dependency).
enum class Outcome : std::uint8_t {
  ok, rejected, no_capacity, reset, dependency, unreachable, expired, dead_letter, throttled, function_timeout, app_error
};
constexpr std::size_t kOutcomeCount = 11;
const char* outcome_name(Outcome o) noexcept;

class Service {
 public:
  Service(Simulation& sim, RequestPool& pool, const ServiceSpec& spec, std::uint32_t index, RandomStreams& streams);

  // Wires the call graph: `all` is every service by index; `workloads` the number of
  // workloads (callers 0..workloads-1 are workloads, workloads + s is service s).
  void connect(const std::vector<Service*>& all, std::size_t workloads, RandomStreams& streams);
  // A platform that places requests on servers of its own (dispatcher.hpp); null: ECS tasks.
  void set_dispatcher(RequestDispatcher* d) noexcept { dispatcher_ = d; }
  // True if a platform's dispatcher places the requests on servers of its own (not ECS tasks).
  bool places_requests_itself() const noexcept { return dispatcher_ != nullptr; }
  // A platform that takes the queue's messages in batches instead of task pollers.
  void set_queue_consumer(QueueConsumer* c) noexcept { consumer_ = c; }

  // --- The dispatcher API (dispatcher.hpp) ---------------------------------------------------
  // Puts the request on `server` (which must be alive); rejected if the server's queue is full.
  void deliver_to(std::uint32_t server, RequestId id);
  // Ends the request with `outcome`: observers see it (request_done) and a synchronous caller
  // gets the answer.
  void finish(RequestId id, Outcome outcome);

  // --- The queue's consumer side (SQS): receive, delete, or leave to reappear -----------------
  // The next visible message, received (invisible for the visibility timeout, receive counted;
  // expired or dead-lettered ones are finished on the way), or kNoRequest.
  RequestId receive_message();
  // Processed: deleted from the queue and answered ok.
  void delete_message(RequestId id);
  // Not deleted (its batch failed): it reappears when its visibility timeout ends.
  void abandon_message(RequestId id);
  // A caller's long-lived connections (NLB flows): `count` connections, reconnecting after
  // `max_age` (zero: never).
  void declare_connections(std::uint16_t caller, int count, Duration max_age);

  // A request arrives at the service's front door. Its kind, deadline, demand, caller and
  // connection are set; the service picks the task (or queues the message).
  void submit(RequestId id);

  // --- Targets (tasks), driven by the ECS service scheduler -------------------------------
  // A task reached RUNNING: it gets a server (its vCPUs count as reserved from now).
  // `task_vcpu`: the task's size (a revision may change it); 0: the service's task.
  std::uint32_t add_server(double task_vcpu = 0);
  // Registers the server with the front door. Behind a load balancer it is health checked and
  // enters service after passing (at once if `healthy`, e.g. a warm start); with DNS or a
  // queue it is in service at once.
  void register_target(std::uint32_t server, bool healthy = false);
  // Deregisters: no new requests; requests in it finish (the deregistration delay is the
  // scheduler's business).
  void deregister_target(std::uint32_t server);
  // The task is killed: requests still in it end with Outcome::reset (messages return to the
  // queue when their visibility timeout ends); its vCPUs are freed.
  void kill_server(std::uint32_t server);
  // A registered server's load balancer health checks all fail from now on (no effect without
  // a load balancer).
  void fail_health_checks(std::uint32_t server) {
    if (health_) health_->set_failing(server);
  }
  // --- Two target groups behind one listener rule (ECS native blue/green, linear, canary) ----
  // A server's target group (0 or 1), set before register_target; every server is in group 0
  // unless told otherwise. While weighted, the production listener sends each request to group 1
  // with probability `share1` (ALB weighted target groups: per request; NLB: per new flow) and
  // routes it among that group's targets; a group with no healthy target fails open within
  // itself, one with no registered target answers no_capacity (the ALB's 503). Unweighted (the
  // default), the groups do not matter.
  void set_target_group(std::uint32_t server, std::uint8_t group) noexcept { targets_[server].group = group; }
  void set_group_weight(double share1) noexcept {
    weighted_ = true;
    share1_ = share1;
  }
  void clear_group_weight() noexcept { weighted_ = false; }
  std::size_t targets_in_service(std::uint8_t group) const noexcept { return groups_[group].in_service.size(); }

  // A bad version's effects on every request the server takes from now on (null: none); the
  // effects outlive the replication (they are the scenario's).
  void set_server_effects(std::uint32_t server, const RequestEffects* e);
  // A bad version's memory leak on a server from now on, MiB per second of its serving time (0:
  // none). memory_used_mib() counts it, so MemoryUtilization sees the leak grow.
  void set_server_memory_leak(std::uint32_t server, double mib_per_second);
  // A server's memory in use (MiB): the serving baseline, each request in it (in service, held
  // or queued) and its leak since it started serving.
  double memory_used_mib(std::uint32_t server) const noexcept;
  // A fault's effects on every request any server of the service takes while it is set (null:
  // none), e.g. a dependency failing during a window (faults/dependency_fault.cpp).
  void set_fault_effects(const RequestEffects* e) noexcept { fault_ = e; }
  // A workload's client retries (workload/client_retry.hpp): told of each of its requests' end
  // before any observer, so a retried attempt is marked before it is counted.
  void set_client_retry(std::uint32_t workload, ClientRetry* r);
  // The retries of the calls this service makes on its call edge `edge` (measured period).
  const RetryCounts* call_retry_counts(std::size_t edge) const noexcept;
  Signal<std::uint32_t> target_healthy;    // a registered server entered service
  Signal<std::uint32_t> target_unhealthy;  // a server in service failed unhealthy_threshold checks

  const ServiceSpec& spec() const noexcept { return spec_; }
  SimTime now() const noexcept { return sim_.now(); }
  // A request in flight (valid while it is: inside request_done observers, for instance).
  const Request& request(RequestId id) const noexcept { return pool_[id]; }
  std::uint32_t index() const noexcept { return index_; }
  const std::vector<std::unique_ptr<TaskServer>>& servers() const noexcept { return servers_; }
  bool alive(std::uint32_t server) const noexcept { return targets_[server].alive; }
  const TargetHealth* health() const noexcept { return health_.get(); }
  // Requests (not health checks) a server has finished, since it started.
  std::uint64_t served(std::uint32_t server) const noexcept { return served_[server]; }
  std::size_t targets_in_service() const noexcept { return in_service_.size(); }
  // Requests that reached the front door (submit), every kind, since t = 0: what the ALB's
  // RequestCount counts for a service behind it.
  std::uint64_t requests_received() const noexcept { return received_; }
  std::size_t live_servers() const noexcept { return live_; }
  // Integral of reserved vCPUs over time (vCPU-seconds) up to now.
  double reserved_vcpu_seconds() const noexcept;
  // Integral of live servers (tasks) over time (task-seconds) up to now.
  double live_task_seconds() const noexcept;
  // The queue (SQS): messages visible, received and not yet deleted, age of the oldest visible (s).
  bool has_queue() const noexcept { return spec_.queue.enabled; }
  // Requests wait in a line in front of the servers when every worker is busy
  // (ServingSpec::front_queue_limit), instead of in the servers' own queues.
  bool front_queue() const noexcept { return spec_.serving.front_queue_limit >= 0; }
  // Requests in service or waiting on a call, in every live server, plus those waiting in front.
  std::size_t concurrency() const noexcept;
  std::size_t queue_visible() const noexcept { return queue_.size(); }
  std::size_t queue_in_flight() const noexcept { return queue_in_flight_; }
  double queue_oldest_age() const noexcept;
  template <class F>
  void for_each_queued(F&& f) const {
    queue_.for_each(f);
  }

  // Every request that reaches the front door (submit), before it is queued, routed or dispatched.
  Signal<RequestId> request_arrived;
  // Every request that leaves the service (probes excepted), with its outcome. A request with a
  // synchronous caller stays in the pool until its response reaches the caller.
  Signal<RequestId, Outcome> request_done;

 private:
  friend class TargetHealth;
  struct Target {
    bool alive = false;
    bool registered = false;
    bool healthy = false;
    SimTime slow_start_from;  // ALB slow start: the share grows linearly from here...
    SimTime slow_start_until; // ...to full at this time (zero: not in slow start)
    std::uint8_t group = 0;   // its target group (set_target_group)
    double vcpu = 0;          // its task's reserved vCPUs
  };
  struct GroupTargets {       // one target group's share of in_service_ and registered_, same order
    std::vector<std::uint32_t> in_service, registered;
    std::size_t next = 0;     // its round robin position
  };
  struct Pin {  // an NLB flow: a connection bound to a target
    std::int32_t server = -1;
    SimTime since;
  };
  struct Connections {
    std::vector<Pin> pins;
    Duration max_age;
  };
  struct DnsAnswer {  // a caller's cached Cloud Map answer
    std::vector<std::uint32_t> records;
    SimTime expires;
    bool valid = false;
  };
  struct CallRetries;  // service_calls.cpp
  struct Callee {
    Service* service;
    const CallSpec* spec;
    RandomStream stream;  // "call/<caller>/<callee>": whether the call is made, its demand
    RandomStream off_cpu_stream;  // ".../off_cpu": its own, so adding a wait shifts no other draw
    std::shared_ptr<CallRetries> retries;  // the caller's SDK retries on this edge; null: none
  };

  // service.cpp
  void account_reserved() noexcept;
  void enter_service(std::uint32_t server);
  void leave_service(std::uint32_t server);
  static void erase_in_service(std::vector<std::uint32_t>& list, std::size_t& next, std::uint32_t server);
  void on_cpu_done(std::uint64_t id);
  void on_off_cpu_done(std::uint64_t handle);  // generation << 32 | request id
  void after_work(RequestId id);               // CPU and off-CPU time done: calls, or the answer
  void release_worker(RequestId id);
  // service_routing.cpp: the server for the request, or -1 with the outcome that ends it.
  std::int32_t route(RequestId id, Outcome& fail);
  std::int32_t route_alb(const std::vector<std::uint32_t>& pool, std::size_t& next);
  std::int32_t route_nlb(const Request& r, const std::vector<std::uint32_t>& pool);
  std::int32_t route_dns(const Request& r, Outcome& fail);
  double slow_start_share(std::uint32_t server) const noexcept;
  // service_calls.cpp
  bool make_calls(RequestId id);  // false: nothing (more) to wait for
  void send_call(RequestId parent, std::size_t edge);
  bool call_expired(RequestId parent, const CallSpec& cs);  // the caller's deadline has passed: fail it, unsent
  void send_attempt(RequestId parent, std::size_t edge, double demand, double off_cpu, int attempt, int retry_cost);
  // A failed attempt of a call with retries: true if another attempt is scheduled.
  bool retry_call(RequestId attempt, bool timed_out, Outcome outcome);
  void on_retry_due(std::uint64_t carrier);
  void apply_effects(std::uint32_t server, Request& r);
  void on_call_arrives(std::uint64_t id);
  void on_response(std::uint64_t child);
  void on_call_timeout(std::uint64_t child);
  void on_call_expired(std::uint64_t parent);
  void call_answered(RequestId parent, bool ok);
  void complete(RequestId id);
  // service_queue.cpp
  void enqueue(RequestId id);
  void enqueue_request(RequestId id);
  void dispatch();
  void on_visibility_timeout(std::uint64_t handle);
  void add_pollers(std::uint32_t server, std::size_t n);

  Simulation& sim_;
  RequestPool& pool_;
  ServiceSpec spec_;
  std::uint32_t index_;
  RandomStream lb_stream_;
  std::vector<Service*> all_;
  std::size_t workloads_ = 0;
  std::vector<Callee> callees_;
  bool holds_ = false;  // some call is synchronous: workers wait for answers
  std::vector<std::unique_ptr<TaskServer>> servers_;
  std::vector<Target> targets_;
  std::vector<std::uint64_t> served_;  // by server
  std::uint64_t received_ = 0;
  std::vector<std::uint32_t> in_service_;  // registered and healthy, in the order they became so
  std::vector<std::uint32_t> registered_;  // registered, healthy or not (ALB/NLB fail open)
  std::size_t next_target_ = 0;
  std::array<GroupTargets, 2> groups_;
  bool weighted_ = false;
  double share1_ = 0;
  RandomStream weight_stream_;             // "service/<name>/weights": which group a request goes to
  std::vector<Connections> connections_;   // by caller
  std::vector<DnsAnswer> dns_;             // by caller
  std::unique_ptr<TargetHealth> health_;
  std::vector<const RequestEffects*> effects_;  // by server; empty while no server has any
  std::vector<double> leak_mib_per_s_;          // by server; empty while no server leaks
  const RequestEffects* fault_ = nullptr;
  RandomStream error_stream_;    // "service/<name>/app_errors": which affected requests fail
  RandomStream latency_stream_;  // "service/<name>/extra_latency": their extra off-CPU time
  std::vector<ClientRetry*> client_retry_;     // by workload; empty while none retries
  RequestDispatcher* dispatcher_ = nullptr;
  QueueConsumer* consumer_ = nullptr;
  RequestQueue queue_;                     // SQS: visible messages; or the waiting line in front
  std::deque<std::uint32_t> pollers_;      // one entry per idle poller, by server
  std::size_t queue_in_flight_ = 0;
  std::size_t live_ = 0;
  double reserved_vcpu_seconds_ = 0;
  double live_vcpu_ = 0;          // reserved vCPUs of the live servers
  double live_task_seconds_ = 0;
  SimTime reserved_since_;
};

}  // namespace fargatelab::detail
