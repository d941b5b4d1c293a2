// The fargatelab command line: a thin layer over the library (run, compare, policies, explain,
// validate, price, schema).
// Exit codes: 0 success, 2 bad input (every problem listed on stderr), 1 internal error,
// 130 interrupted.
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>

#include "fargatelab/compare.hpp"
#include "fargatelab/deployment_bench.hpp"
#include "fargatelab/policy_bench.hpp"
#include "fargatelab/run.hpp"
#include "fargatelab/scenario.hpp"
// Calculator mode lives in the private pricing module (no public header yet).
#include "../src/pricing/calculator.hpp"

namespace {

using namespace fargatelab;

constexpr const char* kUsage = R"(fargatelab — a discrete-event simulator of serverless container platforms

usage:
  fargatelab run [SCENARIO] [--seed N] [--runs R] [--set PATH=VALUE ...] [--out DIR]
                 [--format table|json] [--quiet] [--platforms P1,P2,...]
  fargatelab compare [SCENARIO] [--options O1,O2,...] [--runs R] [--seed N] [--set PATH=VALUE ...]
                     [--out DIR] [--report FILE.html] [--itemised] [--fixed-capacity]
                     [--format table|json] [--quiet]
  fargatelab policies [SCENARIO] [--policy P ...] [--service NAME ...] [--runs R] [--seed N]
                      [--set PATH=VALUE ...] [--out DIR] [--report FILE.html] [--format table|json] [--quiet]
  fargatelab deployments SCENARIO [--strategy S ...] [--service NAME ...] [--runs R] [--seed N]
                         [--set PATH=VALUE ...] [--out DIR] [--format table|json] [--quiet]
  fargatelab explain SCENARIO [--seed N] [--runs R] [--set PATH=VALUE ...] [--format table|json] [--quiet]
  fargatelab validate SCENARIO [--set PATH=VALUE ...]
  fargatelab price USAGE.json [--region R] [--json] [--free-tier]
  fargatelab schema
  fargatelab --version | --help

SCENARIO is a JSON file, or '-' for standard input; `run` without one uses the embedded
default scenario (`compare` without one: the embedded one-day HTTP API). PATH is dotted (services.api.task.cpu, services.0.task.cpu) or a JSON
pointer (/services/0/task/cpu); VALUE is JSON, or text taken as a string.
--out DIR writes summary.json, timeseries.csv, capacity.csv, tasks.csv, traces.csv,
events.jsonl and scenario.json; files appear only when complete.
--platforms fargate,lambda runs the scenario once with every service on each platform (same
seed and workload streams) and prints one row per platform, as `compare` does (and takes its
--itemised and --report); --out then writes DIR/<platform>/ and DIR/comparison.json.

`compare` runs the scenario with every service on each option -- fargate, fargate_spot, ecs_ec2,
ecs_ec2_spot, lambda, app_runner (default: all) -- with the same seed and workload streams, and
prints one row per option: monthly cost, latency, SLO attainment, errors, throttles, cold starts,
CPU used and paid-but-idle capacity (± 95 % CI with --runs > 1). On the ECS options a service
without scaling policies scales with target tracking on CPU at 60 %; --fixed-capacity keeps its
desired count and schedule instead. --itemised adds each monthly
bill; --out writes DIR/<option>/ and DIR/comparison.json; --report writes an HTML report with
plots (it needs the Python package next to this program).

`policies` is the policy bench: the scenario (default: the embedded one) under each scaling
policy P -- a short form such as 'target_tracking(metric=cpu, target=60)', an AWS
put-scaling-policy JSON document, or 'fixed' (the scenario's own desired counts) -- on every
service (or each --service), with the same seed and workload streams, one row per policy: SLO
attainment, minutes in breach, p99, errors, cost, task-hours paid and needed, scaling actions,
first scale-out. Without --policy: fixed, target tracking on CPU at 60 % (60 s and 20 s
metrics) and Kubernetes HPA at 60 %. With --runs > 1 the figures carry ± 95 % CI half-widths.
--out writes DIR/<n>/ per policy and DIR/policies.json; --report writes an HTML report: the
table, and per policy desired vs running tasks, the metric it reads and its alarms' states.

`deployments` is the deployment scorecard: every release (deployment) of the scenario's
services (or each --service) under each strategy S -- 'rolling', 'blue_green(bake=10m)',
'canary(percent=10, bake=5m)', 'linear(percent=20, bake=1m)' or a deploymentConfiguration JSON
document; without --strategy, the scenario's own -- with the same seed and workload streams, one
row per release: outcome, duration, time to detect and to roll back, peak extra tasks, extra
task-hours, the release's cost (against the same run without deployments), errors, SLO breach
minutes and worst p99 while it ran, requests served by the new revision. --out writes DIR/<n>/
per strategy, DIR/baseline/ and DIR/deployments.json.

`explain` runs the scenario and groups its stopped tasks by stop code and stopped reason (count,
first and last time, services, revisions), and the tasks that never left PROVISIONING or PENDING
by what they waited for; for each group it prints the chain of causes in ECS's words, e.g.
subnet a has 0 free addresses -> InsufficientFreeAddressesInSubnet -> TaskFailedToStart ->
16 tasks -> the service backs off, next attempt in 15 min.
--format json prints the groups as JSON (each chain a list of steps).

`price` prices a usage description (tasks x size x hours, invocations x duration x memory,
instances x hours, GB through NAT, ...) without simulating, printing every line item with its
arithmetic; USAGE.json may be '-' for standard input. --region overrides the file's region
(default us-east-1); --free-tier applies the perpetual free tiers.

exit codes: 0 ok, 1 internal error, 2 bad input, 130 interrupted
)";

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Args {
  std::string command;
  std::string scenario;
  std::vector<std::string> sets;
  std::optional<std::uint64_t> seed;
  std::optional<int> runs;
  std::string out;
  std::string format = "table";
  bool quiet = false;
  std::vector<std::string> platforms;  // run --platforms, or compare --options
  std::string report;
  bool itemised = false;
  bool fixed_capacity = false;        // compare --fixed-capacity
  std::vector<std::string> policies;  // policies --policy
  std::vector<std::string> services;  // policies / deployments --service
  std::vector<std::string> strategies;  // deployments --strategy
};

std::uint64_t parse_unsigned(const std::string& flag, const std::string& v, std::uint64_t max) {
  std::size_t used = 0;
  unsigned long long x = 0;
  try {
    if (!v.empty() && v[0] != '-') x = std::stoull(v, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != v.size() || x > max)
    throw UsageError(fmt::format("{} expects a whole number from 0 to {}, got \"{}\"", flag, max, v));
  return x;
}

Args parse_args(int argc, char** argv) {
  Args a;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      const auto eq = arg.find('=');
      if (eq != std::string::npos && arg.rfind("--", 0) == 0 && arg != "--set") return arg.substr(eq + 1);
      if (i + 1 >= argc) throw UsageError(fmt::format("{} needs a value", arg));
      return argv[++i];
    };
    const std::string flag = arg.substr(0, arg.find('='));
    if (flag == "--seed") a.seed = parse_unsigned("--seed", value(), UINT64_MAX);
    else if (flag == "--runs") {
      const auto r = parse_unsigned("--runs", value(), 10000);
      if (r < 1) throw UsageError("--runs must be at least 1");
      a.runs = static_cast<int>(r);
    } else if (arg == "--set") {
      if (i + 1 >= argc) throw UsageError("--set needs PATH=VALUE");
      a.sets.push_back(argv[++i]);
    } else if (flag == "--out") a.out = value();
    else if (flag == "--policy") a.policies.push_back(value());
    else if (flag == "--service") a.services.push_back(value());
    else if (flag == "--strategy") a.strategies.push_back(value());
    else if (flag == "--format") {
      a.format = value();
      if (a.format != "table" && a.format != "json") throw UsageError("--format is table or json, got \"" + a.format + "\"");
    } else if (flag == "--report") a.report = value();
    else if (arg == "--itemised" || arg == "--itemized") a.itemised = true;
    else if (arg == "--fixed-capacity") a.fixed_capacity = true;
    else if (flag == "--platforms" || flag == "--options") {
      const std::string list = value();
      std::size_t start = 0;
      while (start <= list.size()) {
        const std::size_t comma = list.find(',', start);
        const std::string p = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (p.empty()) throw UsageError(flag + " expects names separated by commas, e.g. fargate,lambda");
        a.platforms.push_back(p);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    } else if (arg == "--quiet" || arg == "-q") a.quiet = true;
    else if (arg == "--help" || arg == "-h") a.command = "help";
    else if (arg == "--version") a.command = "version";
    else if (arg.size() > 1 && arg[0] == '-' && arg != "-") throw UsageError("unknown option " + arg);
    else positional.push_back(arg);
  }
  if (!a.command.empty()) return a;
  if (positional.empty()) throw UsageError("no command given");
  a.command = positional[0];
  if (positional.size() > 2) throw UsageError(fmt::format("unexpected argument \"{}\"", positional[2]));
  if (positional.size() == 2) a.scenario = positional[1];
  return a;
}

Scenario load(const Args& a) {
  if (a.scenario.empty()) return Scenario::builtin_default(a.sets);
  if (a.scenario == "-") {
    std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    return Scenario::from_text(text, a.sets, "<stdin>");
  }
  return Scenario::from_file(a.scenario, a.sets);
}

std::atomic<bool> g_interrupted{false};
extern "C" void on_sigint(int) { g_interrupted = true; }

// A progress bar on stderr, shown only on a terminal and only once a run has taken a second.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled), start_(clock::now()) {}
  bool update(double fraction) {
    if (g_interrupted) return false;
    if (!enabled_) return true;
    const auto now = clock::now();
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    if (elapsed < 1.0 || (shown_ && now - last_ < std::chrono::milliseconds(100) && fraction < 1.0)) return true;
    last_ = now;
    shown_ = true;
    const int width = 40;
    const int filled = static_cast<int>(fraction * width + 0.5);
    const double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
    std::fprintf(stderr, "\r[%s%s] %5.1f%%  %.0fs elapsed, ~%.0fs left ", std::string(filled, '#').c_str(),
                 std::string(width - filled, '.').c_str(), 100 * fraction, elapsed, eta);
    std::fflush(stderr);
    return true;
  }
  void done() {
    if (shown_) std::fprintf(stderr, "\r%s\r", std::string(80, ' ').c_str());
  }

 private:
  using clock = std::chrono::steady_clock;
  bool enabled_;
  bool shown_ = false;
  clock::time_point start_, last_;
};

// Runs one scenario with the progress bar (when not quiet and stderr is a terminal); nullopt
// after a Ctrl-C, once that has been said.
std::optional<RunResult> run_with_progress(const Scenario& scenario, const Args& a) {
  ProgressBar bar(!a.quiet && ::isatty(STDERR_FILENO));
  RunOptions opt;
  opt.seed = a.seed;
  opt.runs = a.runs;
  opt.progress = [&](double f) { return bar.update(f); };
  try {
    RunResult r = run(scenario, opt);
    bar.done();
    return r;
  } catch (const RunCancelled&) {
    bar.done();
    std::fprintf(stderr, "interrupted: no output written\n");
    return std::nullopt;
  }
}

// The Python interpreter installed with this program (a venv's bin/python next to bin/fargatelab),
// else python3 on the PATH.
std::string python_next_to_program() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto candidate = self.parent_path() / "python";
    if (std::filesystem::exists(candidate)) return candidate.string();
  }
  return "python3";
}

// Where a command's per-run outputs go: --out DIR, else (for --report alone) a scratch directory
// under the temporary directory, removed when this goes out of scope; empty: nowhere.
struct ScratchDir {
  std::string dir;
  std::filesystem::path scratch;
  ScratchDir(const Args& a, const char* command) : dir(a.out) {
    if (dir.empty() && !a.report.empty()) {
      scratch = std::filesystem::temp_directory_path() / fmt::format("fargatelab-{}-{}", command, ::getpid());
      dir = scratch.string();
    }
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!scratch.empty()) std::filesystem::remove_all(scratch, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
};

// --report FILE.html: `python -m <module> DIR FILE.html` (the module writes it atomically: no file
// when it fails). 0 when written or not asked for, 1 when it could not be written.
int write_html_report(const Args& a, const char* module, const std::string& dir) {
  if (a.report.empty()) return 0;
  const std::string cmd = fmt::format("\"{}\" -m {} \"{}\" \"{}\"", python_next_to_program(), module, dir, a.report);
  if (std::system(cmd.c_str()) != 0) {
    std::fprintf(stderr, "fargatelab: the HTML report could not be written (%s)\n", cmd.c_str());
    return 1;
  }
  if (!a.quiet) std::fprintf(stderr, "report: %s\n", a.report.c_str());
  return 0;
}

// Runs each (option, scenario) in turn -- all were validated before -- and prints one row per
// option; --out writes DIR/<option>/ and DIR/comparison.json, --report an HTML report.
int run_comparison(const Args& a, const std::string& name, const std::vector<std::pair<std::string, Scenario>>& scenarios) {
  std::signal(SIGINT, on_sigint);
  std::vector<RunResult> runs;
  std::vector<ComparisonRow> rows;
  for (const auto& [option, scenario] : scenarios) {
    if (!a.quiet) std::fprintf(stderr, "running %s...\n", option.c_str());
    auto r = run_with_progress(scenario, a);
    if (!r) return 130;
    rows.push_back(comparison_row(*r, option));
    runs.push_back(std::move(*r));
  }
  const auto doc = comparison_json(name, rows);
  // The per-option outputs and the rows: in --out, or for the report in a scratch directory.
  const ScratchDir scratch(a, "compare");
  const std::string& dir = scratch.dir;
  if (!dir.empty()) {
    for (std::size_t i = 0; i < runs.size(); ++i) write_outputs(runs[i], scenarios[i].second, dir + "/" + scenarios[i].first);
    std::ofstream(dir + "/comparison.json") << doc.dump(2) << "\n";
  }
  std::fputs(a.format == "json" ? (doc.dump(2) + "\n").c_str() : comparison_text(name, rows, a.itemised, a.fixed_capacity || a.command != "compare").c_str(), stdout);
  std::fflush(stdout);
  return write_html_report(a, "fargatelab.report", dir);
}

// `run --platforms`: the scenario once per platform, every service moved to it.
int cmd_platforms(const Args& a) {
  const Scenario base = load(a);
  std::vector<std::pair<std::string, Scenario>> scenarios;
  for (const auto& p : a.platforms) {
    std::vector<std::string> sets;
    for (std::size_t i = 0; i < base.spec().services.size(); ++i) sets.push_back(fmt::format("services.{}.platform={}", i, p));
    scenarios.emplace_back(p, base.with_overrides(sets));
  }
  return run_comparison(a, base.spec().name, scenarios);
}

// `compare`: the scenario on each option (every service moved to it, the option's capacity providers).
int cmd_compare(const Args& a) {
  const Scenario base = a.scenario.empty() ? Scenario::builtin_comparison(a.sets) : load(a);
  if (a.scenario.empty() && !a.quiet)
    std::fprintf(stderr, "comparing on the embedded default scenario \"%s\"\n", base.spec().name.c_str());
  std::vector<std::string> options = a.platforms;
  if (options.empty())
    for (const auto& o : compare_options()) options.push_back(o.name);
  std::vector<std::pair<std::string, Scenario>> scenarios;
  for (const auto& o : options) scenarios.emplace_back(o, scenario_for_option(base, o, a.fixed_capacity));
  return run_comparison(a, base.spec().name, scenarios);
}

// `policies`: the policy bench.
int cmd_policies(const Args& a) {
  const Scenario base = load(a);
  if (a.scenario.empty() && !a.quiet) std::fprintf(stderr, "policy bench on the embedded default scenario \"%s\"\n", base.spec().name.c_str());
  std::vector<std::string> policies = a.policies;
  if (policies.empty())
    policies = {kFixedCapacity, "target_tracking(metric=cpu, target=60)", "target_tracking(metric=cpu_high_resolution, target=60)",
                "hpa(metric=cpu, target=60)"};
  std::vector<Scenario> scenarios;  // every policy checked before anything runs
  for (const auto& p : policies) scenarios.push_back(scenario_for_policy(base, p, a.services));
  // The report plots the CloudWatch datapoints each policy read: keep them (an output only; the
  // figures are the same with or without).
  if (!a.report.empty())
    for (auto& s : scenarios) s = s.with_overrides({"output.cloudwatch_metrics=true"});
  std::signal(SIGINT, on_sigint);
  // The per-policy outputs DIR/<n>/ and policies.json: in --out, or for the report in a scratch directory.
  const ScratchDir scratch(a, "policies");
  const std::string& dir = scratch.dir;
  std::vector<PolicyBenchRow> rows;
  for (std::size_t i = 0; i < policies.size(); ++i) {
    if (!a.quiet) std::fprintf(stderr, "running %s...\n", policies[i].c_str());
    auto r = run_with_progress(scenarios[i], a);
    if (!r) return 130;
    rows.push_back(policy_bench_row(*r, scenarios[i], policies[i]));
    if (!dir.empty()) write_outputs(*r, scenarios[i], fmt::format("{}/{}", dir, i + 1));
  }
  const auto doc = policy_bench_json(base.spec().name, rows);
  if (!dir.empty()) std::ofstream(dir + "/policies.json") << doc.dump(2) << "\n";
  std::fputs(a.format == "json" ? (doc.dump(2) + "\n").c_str() : policy_bench_text(base.spec().name, rows).c_str(), stdout);
  std::fflush(stdout);
  return write_html_report(a, "fargatelab.policy_report", dir);
}

// `deployments`: the deployment scorecard, per strategy, against a baseline without deployments.
int cmd_deployments(const Args& a) {
  if (a.scenario.empty()) throw UsageError("deployments needs a SCENARIO file (with services that have deployments)");
  const Scenario base = load(a);
  const bool own = a.strategies.empty();
  const std::vector<std::string> strategies = own ? std::vector<std::string>{"(as given)"} : a.strategies;
  std::vector<Scenario> scenarios;  // every strategy checked before anything runs
  for (const auto& s : strategies)
    scenarios.push_back(own ? base.with_overrides({"output.event_log=true"}) : scenario_for_strategy(base, s, a.services));
  const Scenario baseline = scenario_without_deployments(base, a.services);
  std::signal(SIGINT, on_sigint);
  if (!a.quiet) std::fprintf(stderr, "running the baseline (no deployments)...\n");
  auto b = run_with_progress(baseline, a);
  if (!b) return 130;
  std::vector<DeploymentScore> rows;
  std::vector<RunResult> results;
  for (std::size_t i = 0; i < strategies.size(); ++i) {
    if (!a.quiet) std::fprintf(stderr, "running %s...\n", strategies[i].c_str());
    auto r = run_with_progress(scenarios[i], a);
    if (!r) return 130;
    for (auto& row : deployment_scores(*r, scenarios[i], strategies[i], &*b, a.services)) rows.push_back(std::move(row));
    results.push_back(std::move(*r));
  }
  const auto doc = deployment_scores_json(base.spec().name, rows);
  if (!a.out.empty()) {  // written once every run is done: nothing partial
    write_outputs(*b, baseline, a.out + "/baseline");
    for (std::size_t i = 0; i < results.size(); ++i) write_outputs(results[i], scenarios[i], fmt::format("{}/{}", a.out, i + 1));
    std::ofstream(a.out + "/deployments.json") << doc.dump(2) << "\n";
  }
  std::fputs(a.format == "json" ? (doc.dump(2) + "\n").c_str() : deployment_scores_text(base.spec().name, rows).c_str(), stdout);
  std::fflush(stdout);
  return 0;
}

int cmd_run(const Args& a) {
  if (!a.platforms.empty()) return cmd_platforms(a);
  const Scenario scenario = load(a);
  if (a.scenario.empty() && !a.quiet) std::fprintf(stderr, "running the embedded default scenario \"%s\"\n", scenario.spec().name.c_str());
  std::signal(SIGINT, on_sigint);
  auto run_result = run_with_progress(scenario, a);
  if (!run_result) return 130;
  const RunResult& result = *run_result;
  if (!a.out.empty()) write_outputs(result, scenario, a.out);
  if (a.format == "json")
    std::fputs(summary_json_text(result).c_str(), stdout);
  else
    std::fputs(summary_table(result).c_str(), stdout);
  std::fflush(stdout);
  if (!a.quiet)
    std::fprintf(stderr, "\n%s kernel events in %.2f s wall (%.2f million events/s)%s\n",
                 fmt::format("{:L}", result.events_processed).c_str(), result.wall_seconds,
                 result.wall_seconds > 0 ? result.events_processed / result.wall_seconds / 1e6 : 0.0,
                 a.out.empty() ? "" : fmt::format("; results in {}/", a.out).c_str());
  return 0;
}

int cmd_explain(const Args& a) {
  if (a.scenario.empty()) throw UsageError("explain needs a SCENARIO file");
  const Scenario scenario = load(a);
  std::signal(SIGINT, on_sigint);
  auto result = run_with_progress(scenario, a);
  if (!result) return 130;
  std::fputs(a.format == "json" ? (explain_json(*result).dump(2) + "\n").c_str() : explain_text(*result).c_str(), stdout);
  std::fflush(stdout);
  return 0;
}

int cmd_validate(const Args& a) {
  if (a.scenario.empty()) throw UsageError("validate needs a SCENARIO file");
  const Scenario s = load(a);
  std::printf("%s: valid (%zu service%s, %zu workload%s)\n", a.scenario.c_str(), s.spec().services.size(),
              s.spec().services.size() == 1 ? "" : "s", s.spec().workloads.size(), s.spec().workloads.size() == 1 ? "" : "s");
  for (const auto& note : s.spec().notes) std::printf("note: %s\n", note.c_str());
  return 0;
}

// `price USAGE.json [--region R] [--json] [--free-tier]`: calculator mode, its own arguments.
int cmd_price(int argc, char** argv) {
  detail::CalculatorOptions options;
  bool json = false;
  std::string file;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--json") json = true;
    else if (arg == "--free-tier") options.free_tier = true;
    else if (arg == "--region" || arg.rfind("--region=", 0) == 0) {
      if (arg == "--region" && i + 1 >= argc) throw UsageError("--region needs a value");
      options.region = arg == "--region" ? std::string(argv[++i]) : arg.substr(9);
    } else if (arg.size() > 1 && arg[0] == '-' && arg != "-") throw UsageError("unknown option " + arg);
    else if (file.empty()) file = arg;
    else throw UsageError(fmt::format("unexpected argument \"{}\"", arg));
  }
  if (file.empty()) throw UsageError("price needs a USAGE.json file");
  detail::Bill bill;
  if (file == "-") {
    std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    bill = detail::price_usage_text(text, options, "<stdin>");
  } else {
    bill = detail::price_usage_file(file, options);
  }
  std::fputs(json ? (bill.to_json().dump(2) + "\n").c_str() : bill.table().c_str(), stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc >= 2 && std::string(argv[1]) == "price") return cmd_price(argc, argv);
    const Args a = parse_args(argc, argv);
    if (a.command == "help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (a.command == "version") {
      std::printf("fargatelab %s\n", version().c_str());
      return 0;
    }
    if (a.command == "run") return cmd_run(a);
    if (a.command == "compare") return cmd_compare(a);
    if (a.command == "policies") return cmd_policies(a);
    if (a.command == "deployments") return cmd_deployments(a);
    if (a.command == "validate") return cmd_validate(a);
    if (a.command == "explain") return cmd_explain(a);
    if (a.command == "schema") {
      std::fputs(std::string(scenario_schema()).c_str(), stdout);
      return 0;
    }
    throw UsageError(fmt::format("unknown command \"{}\"", a.command));
  } catch (const UsageError& e) {
    std::fprintf(stderr, "fargatelab: %s\n\n%s", e.what(), kUsage);
    return 2;
  } catch (const ScenarioError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fargatelab: internal error: %s\n", e.what());
    return 1;
  }
}
