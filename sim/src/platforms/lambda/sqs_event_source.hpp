// A Lambda function fed by an SQS queue through an event source mapping ("Configuring scaling
// behavior for SQS event source mappings", Lambda developer guide):
//  * pollers take up to batch_size visible messages (default 10) and invoke the function once
//    per batch, synchronously; the batch's work is the sum of its messages';
//  * while messages are waiting, the mapping processes 5 batches at once, then up to 300 more
//    every minute, at most 1,000 (or maximum_concurrency); with an empty queue, back to 5;
//  * a batch that succeeds deletes its messages; one that fails (function timeout) or is
//    throttled leaves them to reappear after their visibility timeout, counting a receive, so
//    the queue's redrive policy eventually moves them to the dead-letter queue.
//  * with a batching window, a poller that finds fewer messages than a full batch waits: the
//    batch leaves when it is full or when the window has passed since the poller started
//    gathering (MaximumBatchingWindowInSeconds); without one it leaves at once.
#pragma once

#include <cstdint>
#include <vector>

#include "fargatelab/engine.hpp"
#include "platforms/lambda/lambda_spec.hpp"
#include "serving/dispatcher.hpp"
#include "serving/request.hpp"

namespace fargatelab::detail {

class Service;
class LambdaFunction;

class SqsEventSource final : public QueueConsumer {
 public:
  SqsEventSource(Simulation& sim, RequestPool& pool, Service& service, LambdaFunction& function, const LambdaSpec& spec);
  void start();
  // Forms batches while pollers are free and messages visible, at the end of the current
  // instant, so messages sent together can share a batch (a poll returns what is visible).
  void dispatch();
  void poll() override { dispatch(); }
  // A batch's invocation ended (ok, function_timeout or throttled).
  void on_batch_done(RequestId batch, bool ok) override;

  std::size_t concurrent_batches_allowed() const noexcept { return allowed_; }
  std::uint64_t batches() const noexcept { return batches_; }

 private:
  void rescale();
  void form_batches();
  void on_window(std::uint64_t generation);
  bool pending_ = false;  // a form_batches() is scheduled for this instant

  Simulation& sim_;
  RequestPool& pool_;
  Service& service_;
  LambdaFunction& function_;
  const LambdaSpec& spec_;
  std::size_t allowed_ = 5;      // concurrent batches the mapping processes now
  std::size_t in_flight_ = 0;    // batches invoked and not yet done
  std::uint64_t batches_ = 0;
  bool gathering_ = false;        // a batching window is open
  bool window_over_ = false;      // ...and has passed: the next batch leaves as it is
  std::uint64_t window_generation_ = 0;  // stale window timers are ignored
  std::vector<std::vector<RequestId>> members_;  // by batch request id: its messages
};

}  // namespace fargatelab::detail
