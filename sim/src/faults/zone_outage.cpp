#include "faults/zone_outage.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ecs/launch_type.hpp"
#include "faults/fault_window.hpp"
#include "scenario/checks.hpp"

namespace fargatelab::detail {

void check_zone_outage(const nlohmann::json& item, const std::string& pointer, const FaultContext& context,
                       std::vector<Diagnostic>& out) {
  const std::string az = str_or(item, "az", "");
  if (!az.empty() && std::find(context.zones.begin(), context.zones.end(), az) == context.zones.end())
    out.push_back({pointer + "/az", fmt::format("no subnet is in zone \"{}\" (the scenario's zones: {})", az, fmt::join(context.zones, ", "))});
  check_fault_window(item, pointer, out);
}

std::shared_ptr<const FaultSpec> build_zone_outage(const nlohmann::json& item, std::size_t index, const ScenarioSpec& s) {
  auto f = std::make_shared<ZoneOutageSpec>();
  f->type = "az_outage";
  f->item = index;
  f->start = parse_duration(item.at("start"));
  f->end = parse_duration(item.at("end"));
  f->az = item.at("az").get<std::string>();
  f->reason = fmt::format("Task stopped: availability zone {}{} became unavailable ({} outage); its host and containers were lost",
                          s.region, f->az, window_text(f->start, f->end));
  return f;
}

const ZoneOutageSpec* zone_outage_of(const ScenarioSpec& s, const std::string& az, SimTime at) {
  for (const auto& f : s.faults)
    if (const auto* z = dynamic_cast<const ZoneOutageSpec*>(f.get()); z && z->az == az && z->start <= at && at < z->end) return z;
  return nullptr;
}

namespace {

class ZoneOutage final : public FaultRuntime {
 public:
  ZoneOutage(const ZoneOutageSpec& f, const FaultTargets& targets) : f_(f), sim_(targets.sim), launch_types_(targets.launch_types) {
    sim_.schedule_at(f.start, bind<&ZoneOutage::begin>(this), Priority::urgent);
    sim_.schedule_at(f.end, bind<&ZoneOutage::end>(this), Priority::urgent);
  }

 private:
  void begin() {
    for (LaunchType* lt : launch_types_) lt->lose_zone(f_.az, f_.reason, sim_.now());
  }
  void end() {
    for (LaunchType* lt : launch_types_) lt->restore_zone(f_.az);
  }
  const ZoneOutageSpec& f_;
  Simulation& sim_;
  std::vector<LaunchType*> launch_types_;
};

}  // namespace

std::unique_ptr<FaultRuntime> start_zone_outage(const FaultSpec& f, const FaultTargets& targets) {
  return std::make_unique<ZoneOutage>(static_cast<const ZoneOutageSpec&>(f), targets);
}

}  // namespace fargatelab::detail
