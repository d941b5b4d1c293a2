#include "scenario/task_definition.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "fargatelab/registry.hpp"
#include "random/distribution_registry.hpp"

namespace fargatelab::detail {
namespace {

using json = nlohmann::json;
using Condition = Dependency::Condition;

// RFC 6901 escaping of one reference token.
std::string escape_token(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string ptr(const std::string& base, const std::string& token) { return base + "/" + escape_token(token); }
std::string ptr(const std::string& base, std::size_t index) { return base + "/" + std::to_string(index); }

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool valid_container_name(const std::string& n) {
  if (n.empty() || n.size() > 255) return false;
  return std::all_of(n.begin(), n.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

// Containers that have necessarily exited before container `i` starts: targets of its
// COMPLETE/SUCCESS dependencies, and, transitively, those of every container it waits for.
// Unknown names and cycles are skipped (validate reports them).
std::set<std::size_t> exited_before(const TaskDefinition& td, std::size_t i) {
  std::map<std::string, std::size_t> index;
  for (std::size_t k = 0; k < td.containers.size(); ++k) index.emplace(td.containers[k].name, k);
  std::set<std::size_t> out, visited;
  std::function<void(std::size_t)> walk = [&](std::size_t c) {
    if (!visited.insert(c).second) return;
    for (const auto& d : td.containers[c].depends_on) {
      const auto it = index.find(d.container);
      if (it == index.end()) continue;
      if (d.condition == Condition::complete || d.condition == Condition::success) out.insert(it->second);
      walk(it->second);
    }
  };
  walk(i);
  out.erase(i);
  return out;
}

}  // namespace

const char* to_string(Condition c) noexcept {
  switch (c) {
    case Condition::start: return "START";
    case Condition::complete: return "COMPLETE";
    case Condition::success: return "SUCCESS";
    case Condition::healthy: return "HEALTHY";
  }
  return "?";
}

std::optional<Condition> parse_condition(const std::string& s) {
  if (s == "START") return Condition::start;
  if (s == "COMPLETE") return Condition::complete;
  if (s == "SUCCESS") return Condition::success;
  if (s == "HEALTHY") return Condition::healthy;
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Validation

std::vector<Diagnostic> validate(const TaskDefinition& td, const std::string& pointer) {
  std::vector<Diagnostic> out;
  const std::string cdefs = ptr(pointer, "containerDefinitions");

  if (td.ephemeral_storage_gib < 20 || td.ephemeral_storage_gib > 200)
    out.push_back({ptr(ptr(pointer, "ephemeralStorage"), "sizeInGiB"),
                   fmt::format("{} GiB is outside Fargate's 20 to 200 GiB", td.ephemeral_storage_gib)});
  const double stop_s = td.stop_timeout.to_seconds();
  if (stop_s < 0 || stop_s > kMaxFargateStopTimeoutSeconds)
    out.push_back({ptr(pointer, "stopTimeout"),
                   fmt::format("{:g} s is outside [0, {}] s, the Fargate range", stop_s, kMaxFargateStopTimeoutSeconds)});

  const auto& cs = td.containers;
  if (cs.empty()) {
    out.push_back({cdefs, "a task definition needs at least one container"});
    return out;
  }
  if (static_cast<int>(cs.size()) > kMaxContainersPerTaskDefinition)
    out.push_back({cdefs, fmt::format("{} containers; ECS allows at most {} per task definition", cs.size(),
                                      kMaxContainersPerTaskDefinition)});
  if (std::none_of(cs.begin(), cs.end(), [](const ContainerDef& c) { return c.essential; }))
    out.push_back({cdefs, "at least one container must be essential"});

  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < cs.size(); ++i) {
    const auto& c = cs[i];
    const std::string cp = ptr(cdefs, i);
    if (!valid_container_name(c.name))
      out.push_back({ptr(cp, "name"), fmt::format("'{}' is not a valid container name (1-255 letters, digits, "
                                                  "hyphens and underscores)", c.name)});
    const auto [it, fresh] = index.emplace(c.name, i);
    if (!fresh)
      out.push_back({ptr(cp, "name"), fmt::format("duplicate container name '{}' (also at index {})", c.name, it->second)});
    if (c.cpu_units < 0) out.push_back({ptr(cp, "cpu"), fmt::format("{} is negative", c.cpu_units)});
    if (c.memory_mib < 0) out.push_back({ptr(cp, "memory"), fmt::format("{} MiB is negative", c.memory_mib)});
    const std::string xp = ptr(cp, "x-fargatelab");
    if (!(c.image.size_mb > 0))
      out.push_back({ptr(xp, "image_size_mb"), fmt::format("{:g} MB; an image has a positive size", c.image.size_mb)});
    if (c.image.layers < 1) out.push_back({ptr(xp, "layers"), fmt::format("{}; an image has at least one layer", c.image.layers)});
    if (c.health_check) {
      const auto& h = *c.health_check;
      const std::string hp = ptr(cp, "healthCheck");
      const auto range = [&](const char* field, double v, double lo, double hi, const char* unit) {
        if (v < lo || v > hi) out.push_back({ptr(hp, field), fmt::format("{:g}{} is outside ECS's {:g} to {:g}{}", v, unit, lo, hi, unit)});
      };
      range("interval", h.interval.to_seconds(), 5, 300, " s");
      range("timeout", h.timeout.to_seconds(), 2, 60, " s");
      range("retries", h.retries, 1, 10, "");
      range("startPeriod", h.start_period.to_seconds(), 0, 300, " s");
    }
  }

  long cpu_sum = 0, mem_sum = 0;
  for (const auto& c : cs) {
    cpu_sum += std::max(0, c.cpu_units);
    mem_sum += std::max(0, c.memory_mib);
  }
  if (cpu_sum > td.cpu_units)
    out.push_back({cdefs, fmt::format("container cpu adds up to {} units, more than the task's {}", cpu_sum, td.cpu_units)});
  if (mem_sum > td.memory_mib)
    out.push_back({cdefs, fmt::format("container memory adds up to {} MiB, more than the task's {} MiB", mem_sum, td.memory_mib)});

  // dependsOn references and conditions.
  std::vector<std::vector<std::size_t>> edges(cs.size());  // i -> containers i waits for
  for (std::size_t i = 0; i < cs.size(); ++i) {
    for (std::size_t j = 0; j < cs[i].depends_on.size(); ++j) {
      const auto& d = cs[i].depends_on[j];
      const std::string dp = ptr(ptr(ptr(cdefs, i), "dependsOn"), j);
      const auto it = index.find(d.container);
      if (it == index.end()) {
        out.push_back({ptr(dp, "containerName"), fmt::format("no container named '{}' in this task definition", d.container)});
        continue;
      }
      const auto& target = cs[it->second];
      if (it->second == i) {
        out.push_back({ptr(dp, "containerName"), fmt::format("container '{}' cannot depend on itself", d.container)});
        continue;
      }
      edges[i].push_back(it->second);
      if (d.condition == Condition::healthy && !target.health_check)
        out.push_back({ptr(dp, "condition"),
                       fmt::format("HEALTHY needs container '{}' to have a healthCheck; it has none", d.container)});
      if (d.condition == Condition::complete || d.condition == Condition::success) {
        if (!target.run_time)
          out.push_back({ptr(dp, "condition"),
                         fmt::format("{} needs container '{}' to exit, but it is long-running (no run_time)",
                                     to_string(d.condition), d.container)});
        if (target.essential)
          out.push_back({ptr(dp, "condition"),
                         fmt::format("{} can't be set on an essential container ('{}' is essential; ECS "
                                     "ContainerDependency)", to_string(d.condition), d.container)});
      }
    }
  }

  // Cycles: depth-first search; each back edge closes a cycle, reported once (rotated so it
  // starts at its smallest index).
  std::vector<int> colour(cs.size(), 0);  // 0 new, 1 on stack, 2 done
  std::vector<std::size_t> stack;
  std::set<std::vector<std::size_t>> cycles;
  std::function<void(std::size_t)> dfs = [&](std::size_t u) {
    colour[u] = 1;
    stack.push_back(u);
    for (std::size_t v : edges[u]) {
      if (colour[v] == 0) {
        dfs(v);
      } else if (colour[v] == 1) {
        std::vector<std::size_t> cyc(std::find(stack.begin(), stack.end(), v), stack.end());
        std::rotate(cyc.begin(), std::min_element(cyc.begin(), cyc.end()), cyc.end());
        cycles.insert(cyc);
      }
    }
    stack.pop_back();
    colour[u] = 2;
  };
  for (std::size_t i = 0; i < cs.size(); ++i)
    if (colour[i] == 0) dfs(i);
  for (const auto& cyc : cycles) {
    std::string text;
    for (std::size_t k : cyc) text += "'" + cs[k].name + "' -> ";
    text += "'" + cs[cyc.front()].name + "'";
    out.push_back({cdefs, "dependsOn cycle: " + text + " (each waits for the next, so none can start)"});
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// CPU shares

double app_vcpu_share(const TaskDefinition& td, const std::string& container) {
  return app_vcpu_share(td, container, td.cpu_units);
}

double app_vcpu_share(const TaskDefinition& td, const std::string& container, double task_cpu_units) {
  std::size_t self = td.containers.size();
  for (std::size_t i = 0; i < td.containers.size(); ++i)
    if (td.containers[i].name == container) self = i;
  if (self == td.containers.size()) throw std::invalid_argument("no container named '" + container + "'");
  const auto gone = exited_before(td, self);
  double reserved = 0;
  int unreserved = 0;
  for (std::size_t i = 0; i < td.containers.size(); ++i) {
    if (gone.count(i)) continue;
    if (td.containers[i].cpu_units > 0)
      reserved += td.containers[i].cpu_units;
    else
      ++unreserved;
  }
  const double remainder = std::max(0.0, task_cpu_units - reserved);
  const int own = td.containers[self].cpu_units;
  double units = 0;
  if (own > 0)
    units = own + (unreserved == 0 ? remainder * own / reserved : 0.0);
  else
    units = remainder / unreserved;
  return units / 1024.0;
}

// ---------------------------------------------------------------------------------------------
// ECS JSON import

namespace {

// A number with an optional unit: 1024, "1024", "1 vCPU", "2 GB" -> (value, lower-case unit
// without spaces); nullopt if it is neither.
std::optional<std::pair<double, std::string>> number_and_unit(const json& j) {
  if (j.is_number_integer()) return std::pair<double, std::string>{j.get<double>(), ""};
  if (!j.is_string()) return std::nullopt;
  const std::string s = lower(j.get<std::string>());
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(s, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  std::string unit = s.substr(used);
  unit.erase(std::remove_if(unit.begin(), unit.end(), [](unsigned char c) { return std::isspace(c); }), unit.end());
  return std::pair<double, std::string>{v, unit};
}

// "1024", 1024, "1 vCPU", ".25 vcpu" -> CPU units.
std::optional<int> parse_cpu(const json& j) {
  const auto nu = number_and_unit(j);
  if (!nu) return std::nullopt;
  if (nu->second.empty()) return static_cast<int>(std::lround(nu->first));
  if (nu->second == "vcpu") return static_cast<int>(std::lround(nu->first * 1024));
  return std::nullopt;
}

// "2048", 2048, "2 GB", "0.5GB", "2 GiB" -> MiB.
std::optional<int> parse_memory(const json& j) {
  const auto nu = number_and_unit(j);
  if (!nu) return std::nullopt;
  const std::string& unit = nu->second;
  if (unit.empty() || unit == "mib" || unit == "mb") return static_cast<int>(std::lround(nu->first));
  if (unit == "gb" || unit == "gib") return static_cast<int>(std::lround(nu->first * 1024));
  return std::nullopt;
}

class Reader {
 public:
  Reader(std::vector<Diagnostic>& out, std::vector<std::string>& ignored) : out_(out), ignored_(ignored) {}

  void problem(const std::string& p, std::string msg) { out_.push_back({p, std::move(msg)}); }
  void ignore_unknown(const json& obj, const std::string& p, std::initializer_list<const char*> known) {
    for (const auto& [k, _] : obj.items())
      if (std::none_of(known.begin(), known.end(), [&](const char* n) { return k == n; })) ignored_.push_back(ptr(p, k));
  }
  std::optional<int> integer(const json& obj, const char* key, const std::string& p) {
    if (!obj.contains(key)) return std::nullopt;
    const auto& v = obj.at(key);
    if (!v.is_number_integer()) {
      problem(ptr(p, key), "expected an integer");
      return std::nullopt;
    }
    return v.get<int>();
  }
  std::optional<Distribution> distribution(const json& v, const std::string& p) {
    if (v.is_number()) {
      const double x = v.get<double>();
      if (x < 0) {
        problem(p, "expected a non-negative number of seconds");
        return std::nullopt;
      }
      return Distribution(Constant{x});
    }
    try {
      return distribution_registry().build(model_call_from_json(v), p, out_);
    } catch (const std::exception& e) {
      problem(p, e.what());
      return std::nullopt;
    }
  }

  HealthCheck health_check(const json& h, const std::string& p) {
    HealthCheck hc;
    ignore_unknown(h, p, {"command", "interval", "timeout", "retries", "startPeriod"});
    if (!h.contains("command")) problem(ptr(p, "command"), "a healthCheck needs a command (ECS requires it)");
    if (auto v = integer(h, "interval", p)) hc.interval = seconds(*v);
    if (auto v = integer(h, "timeout", p)) hc.timeout = seconds(*v);
    if (auto v = integer(h, "retries", p)) hc.retries = *v;
    if (auto v = integer(h, "startPeriod", p)) hc.start_period = seconds(*v);
    return hc;
  }

  void extension(const json& x, const std::string& p, ContainerDef& c) {
    if (!x.is_object()) {
      problem(p, "expected an object");
      return;
    }
    static const std::set<std::string> known = {"image_size_mb", "layers",           "compression", "soci",
                                                "source",        "start_time",       "init_cpu_seconds",
                                                "run_time",      "exit_code"};
    for (const auto& [k, _] : x.items())
      if (!known.count(k))
        problem(ptr(p, k), "unknown x-fargatelab field (known: image_size_mb, layers, compression, soci, source, "
                           "start_time, init_cpu_seconds, run_time, exit_code)");
    if (x.contains("image_size_mb")) {
      if (x.at("image_size_mb").is_number())
        c.image.size_mb = x.at("image_size_mb").get<double>();
      else
        problem(ptr(p, "image_size_mb"), "expected a number of MB");
    }
    if (auto v = integer(x, "layers", p)) c.image.layers = *v;
    if (x.contains("compression")) {
      const auto& v = x.at("compression");
      if (v == "gzip")
        c.image.compression = ImageSpec::gzip;
      else if (v == "zstd")
        c.image.compression = ImageSpec::zstd;
      else
        problem(ptr(p, "compression"), "expected \"gzip\" or \"zstd\"");
    }
    if (x.contains("soci")) {
      if (x.at("soci").is_boolean())
        c.image.soci = x.at("soci").get<bool>();
      else
        problem(ptr(p, "soci"), "expected true or false");
    }
    if (x.contains("source")) {
      const auto& v = x.at("source");
      if (v == "ecr")
        c.image.source = ImageSpec::ecr;
      else if (v == "public_registry")
        c.image.source = ImageSpec::public_registry;
      else
        problem(ptr(p, "source"), "expected \"ecr\" or \"public_registry\"");
    }
    if (x.contains("start_time"))
      if (auto d = distribution(x.at("start_time"), ptr(p, "start_time"))) c.start_time = *d;
    if (x.contains("init_cpu_seconds"))
      if (auto d = distribution(x.at("init_cpu_seconds"), ptr(p, "init_cpu_seconds"))) c.init_cpu_seconds = *d;
    if (x.contains("run_time"))
      if (auto d = distribution(x.at("run_time"), ptr(p, "run_time"))) c.run_time = *d;
    if (auto v = integer(x, "exit_code", p)) c.exit_code = *v;
  }

  ContainerDef container(const json& cj, const std::string& p, int& stop_timeout_s) {
    ContainerDef c;
    ignore_unknown(cj, p,
                   {"name", "image", "cpu", "memory", "memoryReservation", "essential", "dependsOn", "healthCheck",
                    "stopTimeout", "x-fargatelab", "secrets", "repositoryCredentials"});
    // Retrieved from Secrets Manager / SSM at task start (the secrets fault): each secret, and a
    // private registry's credentials (repositoryCredentials.credentialsParameter is a secret).
    if (cj.contains("secrets")) {
      if (cj.at("secrets").is_array())
        c.secrets = static_cast<int>(cj.at("secrets").size());
      else
        problem(ptr(p, "secrets"), "expected an array of {name, valueFrom}");
    }
    if (cj.contains("repositoryCredentials")) ++c.secrets;
    if (cj.contains("name") && cj.at("name").is_string())
      c.name = cj.at("name").get<std::string>();
    else
      problem(ptr(p, "name"), "every container needs a name (a string)");
    if (cj.contains("image") && cj.at("image").is_string()) {
      const std::string image = cj.at("image").get<std::string>();
      const bool private_ecr = image.find(".dkr.ecr.") != std::string::npos &&
                               image.find(".amazonaws.com") != std::string::npos;
      c.image.source = private_ecr ? ImageSpec::ecr : ImageSpec::public_registry;
    } else {
      problem(ptr(p, "image"), "every container needs an image (a string)");
    }
    if (auto v = integer(cj, "cpu", p)) c.cpu_units = *v;
    const auto hard = integer(cj, "memory", p);
    const auto soft = integer(cj, "memoryReservation", p);
    c.memory_mib = soft ? *soft : hard.value_or(0);
    if (hard && soft && *soft > *hard)
      problem(ptr(p, "memoryReservation"), fmt::format("{} MiB is above the hard limit memory = {} MiB", *soft, *hard));
    if (cj.contains("essential")) {
      if (cj.at("essential").is_boolean())
        c.essential = cj.at("essential").get<bool>();
      else
        problem(ptr(p, "essential"), "expected true or false");
    }
    if (cj.contains("dependsOn")) {
      const auto& deps = cj.at("dependsOn");
      const std::string dp = ptr(p, "dependsOn");
      if (!deps.is_array()) {
        problem(dp, "expected an array");
      } else {
        for (std::size_t j = 0; j < deps.size(); ++j) {
          const auto& d = deps[j];
          const std::string ep = ptr(dp, j);
          if (!d.is_object()) {
            problem(ep, "expected {\"containerName\": ..., \"condition\": ...}");
            continue;
          }
          ignore_unknown(d, ep, {"containerName", "condition"});
          Dependency dep;
          if (d.contains("containerName") && d.at("containerName").is_string())
            dep.container = d.at("containerName").get<std::string>();
          else
            problem(ptr(ep, "containerName"), "expected the name of a container");
          const auto cond = d.contains("condition") && d.at("condition").is_string()
                                ? parse_condition(d.at("condition").get<std::string>())
                                : std::nullopt;
          if (cond)
            dep.condition = *cond;
          else
            problem(ptr(ep, "condition"), "expected START, COMPLETE, SUCCESS or HEALTHY");
          c.depends_on.push_back(dep);
        }
      }
    }
    if (cj.contains("healthCheck")) {
      if (cj.at("healthCheck").is_object())
        c.health_check = health_check(cj.at("healthCheck"), ptr(p, "healthCheck"));
      else
        problem(ptr(p, "healthCheck"), "expected an object");
    }
    if (auto v = integer(cj, "stopTimeout", p)) {
      if (*v < 0 || *v > kMaxFargateStopTimeoutSeconds)
        problem(ptr(p, "stopTimeout"), fmt::format("{} s is outside [0, {}] s, the Fargate range", *v,
                                                   kMaxFargateStopTimeoutSeconds));
      else
        stop_timeout_s = std::max(stop_timeout_s, *v);
    }
    if (cj.contains("x-fargatelab")) extension(cj.at("x-fargatelab"), ptr(p, "x-fargatelab"), c);
    return c;
  }

 private:
  std::vector<Diagnostic>& out_;
  std::vector<std::string>& ignored_;
};

}  // namespace

TaskDefinition from_ecs_json(const json& input, std::vector<Diagnostic>& out, std::vector<std::string>& ignored) {
  TaskDefinition td;
  const std::size_t first_problem = out.size();
  Reader r(out, ignored);
  if (!input.is_object()) {
    r.problem("", "expected a register-task-definition JSON object");
    return td;
  }
  const bool wrapped = input.contains("taskDefinition") && input.at("taskDefinition").is_object() &&
                       !input.contains("containerDefinitions");
  const json& j = wrapped ? input.at("taskDefinition") : input;
  const std::string root = wrapped ? "/taskDefinition" : "";
  if (wrapped) r.ignore_unknown(input, "", {"taskDefinition"});

  r.ignore_unknown(j, root,
                   {"family", "cpu", "memory", "requiresCompatibilities", "runtimePlatform", "ephemeralStorage",
                    "containerDefinitions"});
  if (j.contains("family") && j.at("family").is_string())
    td.family = j.at("family").get<std::string>();
  else
    r.problem(ptr(root, "family"), "a task definition needs a family (a string)");

  if (!j.contains("cpu"))
    r.problem(ptr(root, "cpu"), "task-level cpu is required on Fargate");
  else if (auto v = parse_cpu(j.at("cpu")))
    td.cpu_units = *v;
  else
    r.problem(ptr(root, "cpu"), "expected CPU units (\"1024\") or vCPU (\"1 vCPU\")");
  if (!j.contains("memory"))
    r.problem(ptr(root, "memory"), "task-level memory is required on Fargate");
  else if (auto v = parse_memory(j.at("memory")))
    td.memory_mib = *v;
  else
    r.problem(ptr(root, "memory"), "expected MiB (\"2048\") or GB (\"2 GB\")");

  if (j.contains("requiresCompatibilities")) {
    const auto& rc = j.at("requiresCompatibilities");
    const bool fargate = rc.is_array() && std::any_of(rc.begin(), rc.end(), [](const json& v) { return v == "FARGATE"; });
    if (!fargate)
      r.problem(ptr(root, "requiresCompatibilities"), "the model runs tasks on Fargate; the list must include \"FARGATE\"");
  }
  if (j.contains("runtimePlatform")) {
    const auto& rp = j.at("runtimePlatform");
    const std::string p = ptr(root, "runtimePlatform");
    if (!rp.is_object()) {
      r.problem(p, "expected an object");
    } else {
      r.ignore_unknown(rp, p, {"cpuArchitecture", "operatingSystemFamily"});
      if (rp.contains("cpuArchitecture")) {
        const auto& a = rp.at("cpuArchitecture");
        if (a == "X86_64")
          td.architecture = "x86_64";
        else if (a == "ARM64")
          td.architecture = "arm64";
        else
          r.problem(ptr(p, "cpuArchitecture"), "expected X86_64 or ARM64");
      }
      if (rp.contains("operatingSystemFamily")) {
        const auto& o = rp.at("operatingSystemFamily");
        const std::string os = o.is_string() ? o.get<std::string>() : "";
        if (os == "LINUX")
          td.os = "linux";
        else if (os.rfind("WINDOWS_SERVER_", 0) == 0)
          td.os = "windows";
        else
          r.problem(ptr(p, "operatingSystemFamily"), "expected LINUX or WINDOWS_SERVER_...");
      }
    }
  }
  if (j.contains("ephemeralStorage")) {
    const auto& es = j.at("ephemeralStorage");
    const std::string p = ptr(root, "ephemeralStorage");
    if (!es.is_object()) {
      r.problem(p, "expected an object");
    } else {
      r.ignore_unknown(es, p, {"sizeInGiB"});
      if (auto v = r.integer(es, "sizeInGiB", p)) {
        // The API accepts 21-200 when the field is given (ECS API EphemeralStorage).
        if (*v < 21 || *v > 200)
          r.problem(ptr(p, "sizeInGiB"), fmt::format("{} GiB is outside the API's 21 to 200 GiB", *v));
        else
          td.ephemeral_storage_gib = *v;
      }
    }
  }

  int stop_timeout_s = 30;  // Fargate default when no container sets stopTimeout (ECS API)
  const std::string cp = ptr(root, "containerDefinitions");
  if (!j.contains("containerDefinitions") || !j.at("containerDefinitions").is_array()) {
    r.problem(cp, "expected an array of container definitions");
  } else {
    const auto& cds = j.at("containerDefinitions");
    for (std::size_t i = 0; i < cds.size(); ++i) {
      if (!cds[i].is_object()) {
        r.problem(ptr(cp, i), "expected a container definition object");
        continue;
      }
      td.containers.push_back(r.container(cds[i], ptr(cp, i), stop_timeout_s));
    }
  }
  td.stop_timeout = seconds(stop_timeout_s);

  if (out.size() == first_problem) {
    auto more = validate(td, root);
    out.insert(out.end(), more.begin(), more.end());
  }
  return td;
}

}  // namespace fargatelab::detail
