#include "platforms/ecs_ec2/auto_scaling_group.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace fargatelab::detail {
namespace {

Duration secs(double s) { return SimTime::from_seconds(std::max(0.0, s)); }

}  // namespace

AutoScalingGroup::AutoScalingGroup(Simulation& sim, const Ec2CapacityProviderSpec& spec, const Ec2Spec& ec2,
                                   std::vector<std::string> zones, std::vector<std::size_t> zone_subnets, RandomStream launch_rs,
                                   RandomStream spot_rs, RandomStream placement_rs, std::vector<SubnetPool>* pools)
    : sim_(sim),
      spec_(spec),
      ec2_(ec2),
      type_(find_instance_type(spec.instance_type)),
      zones_(std::move(zones)),
      zone_subnets_(std::move(zone_subnets)),
      pools_(pools),
      launch_rs_(launch_rs),
      spot_rs_(spot_rs),
      cluster_(placement_rs),
      per_zone_(zones_.size(), 0),
      zone_down_(zones_.size(), false) {
  if (!type_) throw std::invalid_argument(fmt::format("unknown instance type \"{}\"", spec.instance_type));
  if (zones_.empty()) throw std::invalid_argument(fmt::format("capacity provider \"{}\" has no subnet", spec.name));
  if (spec.spot) spot_hazard_per_s_ = spot_hazard_per_hour(spec.spot_monthly_interruption) / 3600.0;
}

// The zone with the fewest instances among those not in an outage whose subnet has a free
// address; nullopt if none.
std::optional<std::uint32_t> AutoScalingGroup::zone_for_launch() const {
  std::optional<std::uint32_t> best;
  for (std::uint32_t z = 0; z < per_zone_.size(); ++z)
    if (!zone_down_[z] && (!pools_ || (*pools_)[zone_subnets_[z]].free() > 0) && (!best || per_zone_[z] < per_zone_[*best]))
      best = z;
  return best;
}

// One instance: its primary network interface takes an address in its zone's subnet (EC2
// RunInstances fails with InsufficientFreeAddressesInSubnet when no zone has one: counted, and
// repair() tries again). `at_start`: already running at t = 0.
bool AutoScalingGroup::launch(bool at_start) {
  const auto zone = zone_for_launch();
  if (!zone) {
    ++launch_failures_;
    return false;
  }
  InstanceRecord& r = records_.emplace_back();
  r.zone = *zone;
  r.subnet = zone_subnets_[r.zone];
  r.spot = spec_.spot;
  r.launched_at = sim_.now();
  r.at_start = at_start;
  if (pools_) (*pools_)[r.subnet].allocate();
  ++per_zone_[r.zone];
  ++launching_;
  if (at_start) {
    register_instance(records_.size() - 1);
    return true;
  }
  struct Registered {
    static void fire(void* self, std::uint64_t i) { static_cast<AutoScalingGroup*>(self)->register_instance(i); }
  };
  sim_.schedule_in(secs(ec2_.instance_launch.sample(launch_rs_)), Callback{&Registered::fire, this, records_.size() - 1});
  return true;
}

void AutoScalingGroup::start() {
  desired_ = spec_.desired_capacity;
  for (int i = 0; i < desired_; ++i) launch(true);
}

void AutoScalingGroup::launch_one() { launch(false); }

void AutoScalingGroup::repair() {
  // A draining (Spot-noticed) instance still counts until it terminates: its replacement launches then.
  int missing = desired_ - launching_ - active_ - draining_;
  while (missing-- > 0 && launch(false)) {
  }
}

void AutoScalingGroup::scale_out_to(int n) {
  n = std::min(n, spec_.max_size);
  if (n <= desired_) return;
  ++scale_outs_;
  const int more = n - desired_;
  desired_ = n;
  for (int i = 0; i < more; ++i) launch_one();
}

bool AutoScalingGroup::scale_in(InstanceId id) {
  if (desired_ <= spec_.min_size) return false;
  const std::size_t i = record_of_.at(id);
  if (records_[i].state != InstanceRecord::State::active) return false;
  --desired_;
  ++scale_ins_;
  terminate(i);
  return true;
}

void AutoScalingGroup::register_instance(std::size_t i) {
  InstanceRecord& r = records_[i];
  if (r.state == InstanceRecord::State::terminated) return;  // lost with its zone while launching
  InstanceOptions options;
  options.trunking = spec_.trunking;
  options.reserved_memory_mib = spec_.reserved_memory_mib;
  r.id = cluster_.add_instance(*type_, zones_[r.zone], options);
  if (record_of_.size() <= r.id) record_of_.resize(r.id + 1, 0);
  record_of_[r.id] = i;
  r.state = InstanceRecord::State::active;
  r.registered_at = sim_.now();
  --launching_;
  ++active_;
  if (spot_hazard_per_s_ > 0) {
    struct Notice {
      static void fire(void* self, std::uint64_t k) { static_cast<AutoScalingGroup*>(self)->on_notice(k); }
    };
    r.spot_clock = sim_.schedule_in(secs(Exponential{spot_hazard_per_s_}.sample(spot_rs_)), Callback{&Notice::fire, this, i});
  }
  registered.emit(r.id);
}

void AutoScalingGroup::on_notice(std::size_t i) {
  InstanceRecord& r = records_[i];
  r.spot_clock = EventId{};
  if (r.state != InstanceRecord::State::active) return;
  r.state = InstanceRecord::State::draining;
  r.notice_at = sim_.now();
  --active_;
  ++draining_;
  cluster_.set_draining(r.id);
  notice.emit(r.id);
  struct Reclaim {
    static void fire(void* self, std::uint64_t k) { static_cast<AutoScalingGroup*>(self)->on_spot_termination(k); }
  };
  sim_.schedule_in(ec2_.spot_warning, Callback{&Reclaim::fire, this, i});
}

void AutoScalingGroup::on_spot_termination(std::size_t i) {
  if (records_[i].state == InstanceRecord::State::terminated) return;  // lost with its zone meanwhile
  records_[i].interrupted = true;
  terminate(i);
  // The group keeps its desired capacity: a replacement launches now.
  launch_one();
}

void AutoScalingGroup::terminate(std::size_t i) {
  InstanceRecord& r = records_[i];
  if (r.state == InstanceRecord::State::terminated) return;
  if (r.state == InstanceRecord::State::launching) {  // lost with its zone before it registered
    --launching_;
    r.state = InstanceRecord::State::terminated;
    r.terminated_at = sim_.now();
    --per_zone_[r.zone];
    if (pools_) (*pools_)[r.subnet].release();
    return;
  }
  if (r.state == InstanceRecord::State::active) --active_;
  if (r.state == InstanceRecord::State::draining) --draining_;
  if (r.spot_clock.valid()) sim_.cancel(r.spot_clock);
  r.state = InstanceRecord::State::terminated;
  r.terminated_at = sim_.now();
  --per_zone_[r.zone];
  if (pools_) (*pools_)[r.subnet].release();  // the primary network interface is deleted
  cluster_.set_draining(r.id);
  terminated.emit(r.id);
  if (cluster_.contains(r.id) && cluster_.instance(r.id).tasks == 0) cluster_.remove_instance(r.id);
}

void AutoScalingGroup::task_released(InstanceId id) {
  const InstanceRecord& r = records_[record_of_.at(id)];
  if (r.state == InstanceRecord::State::terminated && cluster_.contains(id) && cluster_.instance(id).tasks == 0)
    cluster_.remove_instance(id);
}

void AutoScalingGroup::lose_zone(const std::string& az) {
  const auto z = static_cast<std::size_t>(std::find(zones_.begin(), zones_.end(), az) - zones_.begin());
  if (z >= zones_.size() || zone_down_[z]) return;
  zone_down_[z] = true;
  for (std::size_t i = 0; i < records_.size(); ++i)
    if (records_[i].zone == z && records_[i].state != InstanceRecord::State::terminated) {
      records_[i].lost = true;
      terminate(i);
    }
  repair();  // replacements in the other zones
}

void AutoScalingGroup::restore_zone(const std::string& az) {
  const auto z = static_cast<std::size_t>(std::find(zones_.begin(), zones_.end(), az) - zones_.begin());
  if (z < zones_.size()) zone_down_[z] = false;
}

bool AutoScalingGroup::any_warming_up() const noexcept {
  if (launching_ > 0) return true;
  for (auto it = records_.rbegin(); it != records_.rend(); ++it)
    if (!it->at_start && sim_.now() - it->launched_at < spec_.instance_warmup && it->state != InstanceRecord::State::terminated)
      return true;
  return false;
}

}  // namespace fargatelab::detail
