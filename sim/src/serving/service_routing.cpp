// The front door of a service: which task a request goes to.
//  * ALB: per request, round robin (the default algorithm) or least outstanding requests, over
//    the healthy targets; slow start ramps a new target's share linearly (round robin only).
//    With no healthy target the ALB fails open and uses every registered target.
//  * NLB: per connection (flow hashing): a request on a long-lived connection goes where the
//    connection was hashed when it opened, so new targets get only new connections. Without
//    connections each request is a new flow: a uniformly random target.
//  * none: a uniformly random target from the current list (client-side balancing).
//  * cloud_map: the caller resolves the DNS name, caches the answer (up to 8 random records,
//    Route 53 multivalue answers) for the TTL and picks a record at random; a record of a task
//    that has stopped since gives a connection error (unreachable).
#include <algorithm>

#include "serving/service.hpp"

namespace fargatelab::detail {
namespace {
constexpr std::size_t kMaxDnsRecords = 8;  // Route 53 multivalue answer routing: "up to eight healthy records"
}

void Service::declare_connections(std::uint16_t caller, int count, Duration max_age) {
  if (connections_.size() <= caller) connections_.resize(caller + 1u);
  connections_[caller].pins.assign(static_cast<std::size_t>(count), Pin{});
  connections_[caller].max_age = max_age;
}

double Service::slow_start_share(std::uint32_t server) const noexcept {
  const Target& t = targets_[server];
  const SimTime now = sim_.now();
  if (now >= t.slow_start_until) return 1.0;
  return (now - t.slow_start_from).to_seconds() / (t.slow_start_until - t.slow_start_from).to_seconds();
}

std::int32_t Service::route(RequestId id, Outcome& fail) {
  const Request& r = pool_[id];
  if (spec_.load_balancer == LoadBalancerKind::cloud_map) return route_dns(r, fail);
  const std::vector<std::uint32_t>* serving = &in_service_;
  const std::vector<std::uint32_t>* registered = &registered_;
  std::size_t* next = &next_target_;
  if (weighted_) {  // the listener rule's weighted forward: first the target group, then a target in it
    GroupTargets& g = groups_[weight_stream_.uniform01() < share1_ ? 1 : 0];
    serving = &g.in_service;
    registered = &g.registered;
    next = &g.next;
  }
  const bool fail_open = serving->empty() && health_;
  const std::vector<std::uint32_t>& targets = fail_open ? *registered : *serving;
  fail = Outcome::no_capacity;
  if (targets.empty()) return -1;
  switch (spec_.load_balancer) {
    case LoadBalancerKind::alb: return route_alb(targets, *next);
    case LoadBalancerKind::nlb: return route_nlb(r, targets);
    default: return static_cast<std::int32_t>(targets[static_cast<std::size_t>(lb_stream_.below(targets.size()))]);
  }
}

std::int32_t Service::route_alb(const std::vector<std::uint32_t>& targets, std::size_t& next) {
  const std::size_t n = targets.size();
  if (next >= n) next = 0;
  if (spec_.least_outstanding_requests) {
    // The target with the fewest requests in it; ties go to the earliest after the last pick,
    // so equal targets still take turns. O(targets) per request.
    std::size_t best = next;
    std::size_t fewest = SIZE_MAX;
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t i = (next + k) % n;
      const TaskServer& s = *servers_[targets[i]];
      const std::size_t outstanding = s.in_service() + s.held() + s.queued();
      if (outstanding < fewest) {
        fewest = outstanding;
        best = i;
      }
    }
    next = (best + 1) % n;
    return static_cast<std::int32_t>(targets[best]);
  }
  // Round robin; a target in slow start takes its turn with probability equal to its share,
  // so over many requests it receives that fraction of a full target's requests.
  std::uint32_t pick = targets[next];
  for (std::size_t k = 0; k < n; ++k) {
    pick = targets[next];
    next = (next + 1) % n;
    const double share = spec_.slow_start > Duration::zero() ? slow_start_share(pick) : 1.0;
    if (share >= 1.0 || lb_stream_.uniform01() < share) break;
  }
  return static_cast<std::int32_t>(pick);
}

std::int32_t Service::route_nlb(const Request& r, const std::vector<std::uint32_t>& targets) {
  auto hash_new_flow = [&] { return targets[static_cast<std::size_t>(lb_stream_.below(targets.size()))]; };
  if (r.conn == kNoConnection || r.caller >= connections_.size() || connections_[r.caller].pins.empty())
    return static_cast<std::int32_t>(hash_new_flow());
  Connections& c = connections_[r.caller];
  Pin& pin = c.pins[r.conn % c.pins.size()];
  const SimTime now = sim_.now();
  const bool usable = pin.server >= 0 && targets_[static_cast<std::size_t>(pin.server)].registered &&
                      (c.max_age == Duration::zero() || now - pin.since < c.max_age);
  if (!usable) {
    pin.server = static_cast<std::int32_t>(hash_new_flow());  // reconnect: a new flow
    pin.since = now;
  }
  return pin.server;
}

std::int32_t Service::route_dns(const Request& r, Outcome& fail) {
  if (dns_.size() <= r.caller) dns_.resize(r.caller + 1u);
  DnsAnswer& a = dns_[r.caller];
  const SimTime now = sim_.now();
  if (!a.valid || now >= a.expires) {
    a.records = registered_;
    if (a.records.size() > kMaxDnsRecords) {  // a random subset: partial Fisher-Yates
      for (std::size_t i = 0; i < kMaxDnsRecords; ++i)
        std::swap(a.records[i], a.records[i + static_cast<std::size_t>(lb_stream_.below(a.records.size() - i))]);
      a.records.resize(kMaxDnsRecords);
    }
    a.expires = now + spec_.dns_ttl;
    a.valid = !a.records.empty();  // no negative caching
  }
  fail = Outcome::no_capacity;
  if (a.records.empty()) return -1;
  const std::uint32_t server = a.records[static_cast<std::size_t>(lb_stream_.below(a.records.size()))];
  if (!targets_[server].alive) {
    fail = Outcome::unreachable;
    return -1;
  }
  return static_cast<std::int32_t>(server);
}

}  // namespace fargatelab::detail
