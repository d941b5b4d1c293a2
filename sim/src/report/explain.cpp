// `fargatelab explain` and the stopped_tasks table: stopped_task_groups() and its renderings.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string_view>
#include <tuple>

#include <fmt/format.h>

#include "faults/fault_window.hpp"
#include "report/stopped_task_groups.hpp"
#include "report/text_table.hpp"

namespace fargatelab::detail {
namespace {

template <class T>
void add_unique(std::vector<T>& v, const T& x) {
  if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
}

std::string join(const std::vector<std::string>& v, const char* sep = ", ") { return fmt::format("{}", fmt::join(v, sep)); }

double row_time(const StoppedTaskRow& r) { return std::isnan(r.stopped_s) ? r.created_s : r.stopped_s; }

std::string window_of(const StoppedTaskRow& r) {
  return window_text(SimTime::from_seconds(r.fault_start_s), SimTime::from_seconds(r.fault_end_s));
}

// The first row of each fault the rows name, in order.
std::vector<const StoppedTaskRow*> first_of_each_fault(const std::vector<const StoppedTaskRow*>& rows) {
  std::set<int> seen;
  std::vector<const StoppedTaskRow*> out;
  for (const auto* r : rows)
    if (seen.insert(r->fault).second) out.push_back(r);
  return out;
}

// The first steps: what made the tasks fail (or stop), from the rows' facts.
void cause_steps(const std::vector<const StoppedTaskRow*>& rows, std::vector<std::string>& chain) {
  const StoppedTaskRow& first = *rows.front();
  if (first.cause == "no_free_address") {
    std::vector<std::pair<std::string, int>> subnets;
    for (const auto* r : rows)
      for (const auto& s : r->subnets) add_unique(subnets, s);
    std::vector<std::string> names;
    for (const auto& [name, usable] : subnets) names.push_back(fmt::format("{} ({} usable)", name, usable));
    chain.push_back(fmt::format("{} {} {} 0 free addresses", subnets.size() == 1 ? "subnet" : "subnets", join(names, " and "),
                                subnets.size() == 1 ? "has" : "have"));
    chain.push_back("InsufficientFreeAddressesInSubnet");
  } else if (first.cause == "no_pull_path") {
    std::vector<std::string> names;
    for (const auto* r : rows)
      for (const auto& s : r->subnets) add_unique(names, s.first);
    chain.push_back(fmt::format("{} private with no NAT gateway, public IP or ECR VPC endpoints: no route to the registry",
                                names.size() == 1 ? "subnet " + names.front() + " is" : "subnets " + join(names) + " are"));
    chain.push_back("ResourceInitializationError");
  } else if (first.cause == "registry") {
    for (const auto* r : first_of_each_fault(rows))
      chain.push_back(r->fault_mode == "throttle"
                          ? fmt::format("registry throttling {} to {:g} pull/s (faults/{}: 429 TooManyRequests)", window_of(*r),
                                        r->throttle_rate, r->fault)
                          : fmt::format("registry failing {} (faults/{}: 503 Service Unavailable)", window_of(*r), r->fault));
    int attempts = 0;
    for (const auto* r : rows) attempts = std::max(attempts, r->pull_attempts);
    chain.push_back(fmt::format("every pull attempt refused ({} attempts with the agent's backoff)", attempts));
    chain.push_back("CannotPullContainerError");
  } else if (first.cause == "secrets") {
    for (const auto* r : first_of_each_fault(rows))
      chain.push_back(fmt::format("Secrets Manager unavailable {} (faults/{})", window_of(*r), r->fault));
    chain.push_back("the task's secrets cannot be retrieved at start");
    chain.push_back("ResourceInitializationError");
  } else if (first.cause == "az_outage") {
    for (const auto* r : first_of_each_fault(rows))
      chain.push_back(fmt::format("availability zone {} unavailable {} (faults/{})", r->zone, window_of(*r), r->fault));
    chain.push_back("its hosts and containers lost at once (no draining, requests in flight reset)");
  } else if (first.cause == "out_of_memory") {
    const double headroom = std::max(0.0, first.memory_mib - first.memory_baseline_mib);
    chain.push_back(fmt::format("revision {} leaks {:g} MiB/h from RUNNING: the {:g} MiB its {:g} MiB leave above the {:g} MiB "
                                "baseline fill in {}",
                                first.revision, first.memory_leak_mib_per_hour, headroom, first.memory_mib,
                                first.memory_baseline_mib, duration_text(3600.0 * headroom / first.memory_leak_mib_per_hour)));
    chain.push_back("the kernel's OOM killer stops its essential container (exit code 137)");
  } else {
    // Causes of one sentence: by the start failure's kind, else by the stop code.
    static constexpr std::pair<std::string_view, std::string_view> kOneLine[] = {
        {"no_capacity", "no capacity to place the task"},
        {"container", "a container could not start or became unhealthy"},
        {"ServiceSchedulerInitiated", "the service scheduler stopped it (scale-in, deployment, AZ rebalancing or failed health checks)"},
        {"SpotInterruption", "Fargate Spot reclaimed its capacity (two-minute warning)"},
        {"EssentialContainerExited", "its essential container exited"},
        {"UserInitiated", "a user stopped it"}};
    const std::string& key = first.cause.empty() ? first.stop_code : first.cause;
    for (const auto& [k, text] : kOneLine)
      if (key == k) chain.emplace_back(text);
  }
}

// The last steps: how the schedulers reacted (restart backoff, circuit breaker).
void reaction_steps(const RunResult& result, const std::vector<const StoppedTaskRow*>& rows, std::vector<std::string>& chain) {
  double lo = INFINITY, hi = 0;
  int most = 0;
  bool standalone = false;
  for (const auto* r : rows) {
    if (r->consecutive_failures > 0) {
      lo = std::min(lo, r->restart_delay_s);
      hi = std::max(hi, r->restart_delay_s);
      most = std::max(most, r->consecutive_failures);
    }
    if (!r->service && r->stop_code == "TaskFailedToStart") standalone = true;
  }
  if (most > 0)
    chain.push_back(lo == hi ? fmt::format("the service backs off (next attempt in {})", duration_text(hi))
                             : fmt::format("the service backs off (next attempt in {} to {}, after up to {} consecutive failures)",
                                           duration_text(lo), duration_text(hi), most));
  if (standalone) chain.push_back("RunTask does not retry a standalone task");
  if (std::any_of(rows.begin(), rows.end(), [](const StoppedTaskRow* r) { return r->cause == "out_of_memory"; }))
    chain.push_back("the service replaces them, and each replacement leaks the same way: a crash loop");
  if (std::any_of(rows.begin(), rows.end(), [](const StoppedTaskRow* r) { return r->cause == "az_outage" && r->service; }))
    chain.push_back("the service replaces them in the zones still up (not counted by the circuit breaker or the throttle)");
  std::vector<std::string> trips;
  for (const CircuitBreakerTrip& t : result.breaker_trips)
    for (const auto* r : rows)
      if (r->counted_by_circuit_breaker && r->replication == t.replication && r->group == t.service && r->revision == t.revision) {
        add_unique(trips, fmt::format("circuit breaker: deployment {} of {} ({}) failed at {} ({} failed tasks, threshold {}){}",
                                      t.deployment, t.service, t.revision, clock_text(t.at_s), t.failed_tasks, t.threshold,
                                      t.rolled_back_to.empty() ? ", no rollback: the deployment stalls"
                                                               : ", rolled back to " + t.rolled_back_to));
        break;
      }
  chain.insert(chain.end(), trips.begin(), trips.end());
}

}  // namespace

std::string duration_text(double seconds) {
  const auto s = static_cast<long long>(std::floor(seconds + 0.5));
  if (s < 60) return fmt::format("{} s", s);
  if (s < 3600) return s % 60 ? fmt::format("{} min {} s", s / 60, s % 60) : fmt::format("{} min", s / 60);
  return s / 60 % 60 ? fmt::format("{} h {} min", s / 3600, s / 60 % 60) : fmt::format("{} h", s / 3600);
}

std::vector<StoppedTaskGroup> stopped_task_groups(const RunResult& result) {
  // (not started, stop code, reason, last state) -> the group's rows, in log order
  std::map<std::tuple<bool, std::string, std::string, std::string>, std::vector<const StoppedTaskRow*>> by_key;
  for (const StoppedTaskRow& r : result.stopped_tasks) {
    const bool not_started = r.last_state != "STOPPED";
    by_key[{not_started, r.stop_code, not_started ? r.waiting_for : r.stopped_reason, r.last_state}].push_back(&r);
  }
  std::vector<StoppedTaskGroup> groups;
  for (const auto& [key, rows] : by_key) {
    StoppedTaskGroup g;
    g.started = !std::get<0>(key);
    g.stop_code = std::get<1>(key);
    g.stopped_reason = std::get<2>(key);
    g.last_state = std::get<3>(key);
    g.tasks = rows.size();
    g.first_s = INFINITY;
    g.last_s = -INFINITY;
    for (const auto* r : rows) {
      g.first_s = std::min(g.first_s, row_time(*r));
      g.last_s = std::max(g.last_s, row_time(*r));
      add_unique(g.services, r->group);
      add_unique(g.revisions, r->revision);
    }
    if (g.started) {
      cause_steps(rows, g.chain);
      if (!g.stop_code.empty()) g.chain.push_back(g.stop_code);
      g.chain.push_back(fmt::format("{} task{}", g.tasks, g.tasks == 1 ? "" : "s"));
      reaction_steps(result, rows, g.chain);
    } else {
      g.chain.push_back(fmt::format("still {} at the end", g.last_state));
      g.chain.push_back(g.stopped_reason);
      g.chain.push_back(fmt::format("{} task{}", g.tasks, g.tasks == 1 ? "" : "s"));
    }
    groups.push_back(std::move(g));
  }
  std::stable_sort(groups.begin(), groups.end(), [](const StoppedTaskGroup& a, const StoppedTaskGroup& b) {
    const bool a_later = !a.started, b_later = !b.started;
    return std::tie(a_later, a.first_s, a.stop_code, a.stopped_reason) < std::tie(b_later, b.first_s, b.stop_code, b.stopped_reason);
  });
  return groups;
}

}  // namespace fargatelab::detail

namespace fargatelab {

std::string explain_text(const RunResult& result) {
  using namespace detail;
  const auto groups = stopped_task_groups(result);
  std::string out = fmt::format("explain: {} (seed {}, {} replication{})\n", result.info.scenario, result.info.seed,
                                result.info.replications, result.info.replications == 1 ? "" : "s, counts summed over them");
  if (groups.empty()) return out + "\nno task stopped, and every task started.\n";
  std::vector<std::vector<std::string>> rows = {
      {"#", "stop code", "last state", "tasks", "first", "last", "services", "revisions"}};
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const auto& g = groups[i];
    rows.push_back({std::to_string(i + 1), g.stop_code.empty() ? "-" : g.stop_code, g.last_state, std::to_string(g.tasks),
                    clock_text(g.first_s), clock_text(g.last_s), fmt::format("{}", fmt::join(g.services, ", ")),
                    fmt::format("{}", fmt::join(g.revisions, ", "))});
  }
  out += "\n" + text_table(rows);
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const auto& g = groups[i];
    out += fmt::format("\n{}. {}{}\n", i + 1, g.started ? g.stop_code + ": " : "not started: ", g.stopped_reason);
    for (std::size_t k = 0; k < g.chain.size(); ++k) out += fmt::format("   {}{}\n", k == 0 ? "" : "\u2192 ", g.chain[k]);
  }
  return out;
}

nlohmann::ordered_json explain_json(const RunResult& result) {
  nlohmann::ordered_json groups = nlohmann::ordered_json::array();
  for (const auto& g : detail::stopped_task_groups(result))
    groups.push_back({{"stop_code", g.stop_code},
                      {"stopped_reason", g.stopped_reason},
                      {"last_state", g.last_state},
                      {"tasks", g.tasks},
                      {"first_s", g.first_s},
                      {"last_s", g.last_s},
                      {"services", g.services},
                      {"revisions", g.revisions},
                      {"chain", g.chain}});
  return {{"scenario", result.info.scenario},
          {"seed", result.info.seed},
          {"replications", result.info.replications},
          {"groups", std::move(groups)}};
}

}  // namespace fargatelab
