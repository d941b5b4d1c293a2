#include "serving/service.hpp"

#include <algorithm>
#include <cstdint>

namespace fargatelab::detail {

Service::Service(Simulation& sim, RequestPool& pool, const ServiceSpec& spec, std::uint32_t index, RandomStreams& streams)
    : sim_(sim), pool_(pool), spec_(spec), index_(index), lb_stream_(streams.stream("service/" + spec.name + "/lb")) {}

void Service::account_reserved() noexcept {
  const SimTime now = sim_.now();
  reserved_vcpu_seconds_ += static_cast<double>(live_) * spec_.task.vcpu() * (now - reserved_since_).to_seconds();
  reserved_since_ = now;
}

double Service::reserved_vcpu_seconds() const noexcept {
  return reserved_vcpu_seconds_ + static_cast<double>(live_) * spec_.task.vcpu() * (sim_.now() - reserved_since_).to_seconds();
}

std::uint32_t Service::add_server() {
  account_reserved();
  const double vcpu = spec_.serving.vcpu > 0 ? spec_.serving.vcpu : spec_.task.vcpu();  // sidecars keep theirs
  servers_.push_back(std::make_unique<TaskServer>(sim_, pool_, vcpu, spec_.serving.concurrency,
                                                  spec_.serving.queue_limit, bind<&Service::on_task_done>(this)));
  alive_.push_back(true);
  ++live_;
  return static_cast<std::uint32_t>(servers_.size() - 1);
}

void Service::put_in_service(std::uint32_t server) {
  if (alive_[server] && std::find(targets_.begin(), targets_.end(), server) == targets_.end()) targets_.push_back(server);
}

void Service::take_out_of_service(std::uint32_t server) {
  const auto it = std::find(targets_.begin(), targets_.end(), server);
  if (it == targets_.end()) return;
  const auto pos = static_cast<std::size_t>(it - targets_.begin());
  targets_.erase(it);
  if (next_target_ > pos) --next_target_;
  if (next_target_ >= targets_.size()) next_target_ = 0;
}

void Service::kill_server(std::uint32_t server) {
  if (!alive_[server]) return;
  take_out_of_service(server);
  account_reserved();
  alive_[server] = false;
  --live_;
  servers_[server]->abort_all([&](RequestId id) { finish(id, Outcome::reset); });
}

void Service::submit(RequestId id) {
  if (targets_.empty()) {
    finish(id, Outcome::no_capacity);
    return;
  }
  std::uint32_t server;
  if (spec_.load_balancer == LoadBalancerKind::alb && spec_.least_outstanding_requests) {
    // The target with the fewest requests in it; ties go to the earliest after the last pick,
    // so equal targets still take turns. O(targets) per request.
    std::size_t best = next_target_;
    std::size_t fewest = SIZE_MAX;
    for (std::size_t k = 0; k < targets_.size(); ++k) {
      const std::size_t i = (next_target_ + k) % targets_.size();
      const TaskServer& s = *servers_[targets_[i]];
      const std::size_t outstanding = s.in_service() + s.queued();
      if (outstanding < fewest) {
        fewest = outstanding;
        best = i;
      }
    }
    server = targets_[best];
    next_target_ = (best + 1) % targets_.size();
  } else if (spec_.load_balancer == LoadBalancerKind::alb) {
    server = targets_[next_target_];
    next_target_ = (next_target_ + 1) % targets_.size();
  } else {
    server = targets_[static_cast<std::size_t>(lb_stream_.below(targets_.size()))];
  }
  pool_[id].task = server;
  if (!servers_[server]->submit(id)) finish(id, Outcome::rejected);
}

void Service::on_task_done(std::uint64_t id) { finish(static_cast<RequestId>(id), Outcome::ok); }

void Service::finish(RequestId id, Outcome outcome) {
  request_done.emit(id, outcome);
  pool_.release(id);
}

}  // namespace fargatelab::detail
