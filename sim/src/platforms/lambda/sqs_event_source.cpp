#include "platforms/lambda/sqs_event_source.hpp"

#include <algorithm>

#include "platforms/lambda/lambda_function.hpp"
#include "serving/service.hpp"

namespace fargatelab::detail {
namespace {
constexpr std::size_t kStartBatches = 5;      // "starts processing five batches at a time"
constexpr std::size_t kBatchesPerMinute = 300; // "up to 300 more instances per minute"
constexpr std::size_t kMaxBatches = 1000;      // "The maximum number of batches ... is 1,000"
}  // namespace

SqsEventSource::SqsEventSource(Simulation& sim, RequestPool& pool, Service& service, LambdaFunction& function,
                               const LambdaSpec& spec)
    : sim_(sim), pool_(pool), service_(service), function_(function), spec_(spec) {}

void SqsEventSource::start() {
  sim_.every(SimTime::from_ns(60'000'000'000), bind<&SqsEventSource::rescale>(this), sim_.now() + SimTime::from_ns(60'000'000'000));
}

void SqsEventSource::rescale() {
  const std::size_t cap = spec_.sqs_maximum_concurrency > 0 ? static_cast<std::size_t>(spec_.sqs_maximum_concurrency) : kMaxBatches;
  allowed_ = service_.queue_visible() > 0 ? std::min(cap, allowed_ + kBatchesPerMinute) : std::min(cap, kStartBatches);
  dispatch();
}

void SqsEventSource::dispatch() {
  if (pending_) return;
  pending_ = true;
  sim_.schedule_in(Duration::zero(), bind<&SqsEventSource::form_batches>(this), Priority::late);
}

void SqsEventSource::form_batches() {
  pending_ = false;
  const std::size_t cap = spec_.sqs_maximum_concurrency > 0 ? static_cast<std::size_t>(spec_.sqs_maximum_concurrency) : kMaxBatches;
  allowed_ = std::min(allowed_, cap);
  while (in_flight_ < allowed_ && service_.queue_visible() > 0) {
    const auto want = static_cast<std::size_t>(spec_.sqs_batch_size);
    if (spec_.sqs_batching_window > Duration::zero() && service_.queue_visible() < want && !window_over_) {
      if (!gathering_) {  // start gathering: the batch leaves when full or at the window's end
        gathering_ = true;
        sim_.schedule_in(spec_.sqs_batching_window, bind<&SqsEventSource::on_window>(this, ++window_generation_));
      }
      break;
    }
    gathering_ = window_over_ = false;
    ++window_generation_;
    std::vector<RequestId> batch;
    double demand = 0;
    while (batch.size() < static_cast<std::size_t>(spec_.sqs_batch_size)) {
      const RequestId m = service_.receive_message();
      if (m == kNoRequest) break;
      batch.push_back(m);
      demand += pool_[m].demand;
    }
    if (batch.empty()) break;  // what was visible expired or went to the dead-letter queue
    const RequestId id =
        pool_.acquire_internal(RequestKind::batch, sim_.now(), SimTime::infinity(), service_.index(), demand);
    if (members_.size() <= id) members_.resize(id + 1u);
    members_[id] = std::move(batch);
    ++in_flight_;
    ++batches_;
    function_.invoke(id);
  }
}

void SqsEventSource::on_window(std::uint64_t generation) {
  if (generation != window_generation_ || !gathering_) return;  // the batch filled up before
  window_over_ = true;
  form_batches();
}

void SqsEventSource::on_batch_done(RequestId batch, bool ok) {
  std::vector<RequestId> messages = std::move(members_[batch]);
  members_[batch].clear();
  --in_flight_;
  for (RequestId m : messages) {
    if (ok)
      service_.delete_message(m);
    else
      service_.abandon_message(m);  // visible again when its visibility timeout ends
  }
  dispatch();
}

}  // namespace fargatelab::detail
