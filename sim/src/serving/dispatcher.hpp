// How a platform that places requests itself plugs into a service's serving side. A service on
// ECS tasks routes each request to a task through its front door (ALB, NLB, DNS; or a waiting
// line in front of the tasks, see ServingSpec::front_queue_limit) and needs neither interface.
// A platform whose servers are its own (Lambda execution environments) implements
// RequestDispatcher; one that consumes a service's queue in batches instead of task pollers
// (a Lambda SQS event source mapping) implements QueueConsumer. Both talk back to the service
// through its dispatcher API (Service::add_server, deliver_to, finish, kill_server and the
// queue's receive/delete/abandon), never through its internals.
#pragma once

#include <cstdint>

#include "serving/request.hpp"

namespace fargatelab::detail {

class RequestDispatcher {
 public:
  virtual ~RequestDispatcher() = default;
  // A request (not a queue's message) reached the service: place it on a server with
  // Service::deliver_to, now or later, or end it with Service::finish. Called once per attempt.
  virtual void dispatch(RequestId id) = 0;
  // The request's work on `server` is done (its synchronous calls answered). Returns true when
  // the platform keeps the request to try it again later (it calls dispatch() itself then);
  // false: the service answers it now.
  virtual bool on_complete(RequestId id, std::uint32_t server) = 0;
  // True if an asynchronous call to this service is an invocation event the platform queues
  // and retries (Request::async_event), rather than a fire-and-forget call.
  virtual bool takes_events() const noexcept { return false; }
};

class QueueConsumer {
 public:
  virtual ~QueueConsumer() = default;
  // Messages may be visible in the service's queue: receive what the consumer can take now.
  virtual void poll() = 0;
  // A batch request (RequestKind::batch) the consumer made has ended, ok or not; the service
  // releases the batch request after this call.
  virtual void on_batch_done(RequestId batch, bool ok) = 0;
};

}  // namespace fargatelab::detail
