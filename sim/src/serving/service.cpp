#include "serving/service.hpp"

namespace fargatelab::detail {

Service::Service(Simulation& sim, RequestPool& pool, const ServiceSpec& spec, std::uint32_t index, RandomStreams& streams)
    : sim_(sim), pool_(pool), spec_(spec), index_(index), lb_stream_(streams.stream("service/" + spec.name + "/lb")) {}

std::size_t Service::add_task() {
  tasks_.push_back(std::make_unique<TaskServer>(sim_, pool_, spec_.task.vcpu(), spec_.serving.concurrency,
                                                spec_.serving.queue_limit, bind<&Service::on_task_done>(this)));
  return tasks_.size() - 1;
}

void Service::submit(RequestId id) {
  if (tasks_.empty()) {
    finish(id, Outcome::no_capacity);
    return;
  }
  std::size_t t;
  if (spec_.load_balancer == LoadBalancerKind::alb) {
    t = next_task_;
    next_task_ = (next_task_ + 1) % tasks_.size();
  } else {
    t = static_cast<std::size_t>(lb_stream_.below(tasks_.size()));
  }
  pool_[id].task = static_cast<std::uint32_t>(t);
  if (!tasks_[t]->submit(id)) finish(id, Outcome::rejected);
}

void Service::on_task_done(std::uint64_t id) { finish(static_cast<RequestId>(id), Outcome::ok); }

void Service::finish(RequestId id, Outcome outcome) {
  request_done.emit(id, outcome);
  pool_.release(id);
}

}  // namespace fargatelab::detail
