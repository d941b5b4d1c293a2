#include "platforms/ecs_ec2/cluster.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

namespace fargatelab::detail {
namespace {

using Field = PlacementStrategy::Field;
using Type = PlacementStrategy::Type;

std::string_view field_name(Field f) noexcept {
  switch (f) {
    case Field::none: return "";
    case Field::cpu: return "cpu";
    case Field::memory: return "memory";
    case Field::instance_id: return "instanceId";
    case Field::availability_zone: return "attribute:ecs.availability-zone";
    case Field::instance_type: return "attribute:ecs.instance-type";
    case Field::cpu_architecture: return "attribute:ecs.cpu-architecture";
  }
  return "";
}

bool valid(const PlacementStrategy& s) noexcept {
  switch (s.type) {
    case Type::binpack: return s.field == Field::cpu || s.field == Field::memory;
    case Type::spread:
      return s.field == Field::instance_id || s.field == Field::availability_zone || s.field == Field::instance_type ||
             s.field == Field::cpu_architecture;
    case Type::random: return s.field == Field::none;
  }
  return false;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// A token of the cluster query language subset (see PlacementConstraint::member_of).
struct Token {
  enum class Kind : std::uint8_t { word, quoted, op, open_bracket, close_bracket, comma, end } kind;
  std::string_view text;
};

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  Token next() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    if (pos_ == s_.size()) return {Token::Kind::end, {}};
    const char c = s_[pos_];
    const std::string_view two = s_.substr(pos_, 2);
    if (c == '[') return single(Token::Kind::open_bracket);
    if (c == ']') return single(Token::Kind::close_bracket);
    if (c == ',') return single(Token::Kind::comma);
    if (c == '(' || c == ')') fail("parentheses are not supported");
    if (c == '\'' || c == '"') {
      const auto close = s_.find(c, pos_ + 1);
      if (close == std::string_view::npos) fail("unterminated quoted value");
      const Token t{Token::Kind::quoted, s_.substr(pos_ + 1, close - pos_ - 1)};
      pos_ = close + 1;
      return t;
    }
    if (two == "==" || two == "!=" || two == "=~" || two == "!~" || two == "&&" || two == "||") {
      pos_ += 2;
      return {Token::Kind::op, two};
    }
    if (c == '!' && pos_ + 1 < s_.size() && std::isalpha(static_cast<unsigned char>(s_[pos_ + 1]))) {
      const std::size_t start = pos_++;
      while (pos_ < s_.size() && is_word_char(s_[pos_])) ++pos_;
      return {Token::Kind::op, s_.substr(start, pos_ - start)};  // !in, !exists
    }
    if (!is_word_char(c)) fail(fmt::format("unexpected '{}'", c));
    const std::size_t start = pos_;
    while (pos_ < s_.size() && is_word_char(s_[pos_])) ++pos_;
    return {Token::Kind::word, s_.substr(start, pos_ - start)};
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw std::invalid_argument(fmt::format("memberOf expression \"{}\": {}", s_, what));
  }

 private:
  static bool is_word_char(char c) noexcept {
    return !std::isspace(static_cast<unsigned char>(c)) && c != '[' && c != ']' && c != ',' && c != '(' && c != ')' &&
           c != '=' && c != '!' && c != '~' && c != '&' && c != '|' && c != '\'' && c != '"';
  }
  Token single(Token::Kind k) { return {k, s_.substr(pos_++, 1)}; }

  std::string_view s_;
  std::size_t pos_ = 0;
};

constexpr std::string_view kUnplaceable =
    "was unable to place a task because no container instance met all of its requirements.";
constexpr std::string_view kMoreInfo =
    " For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.";

}  // namespace

// ---------------------------------------------------------------------------------------------
// Strategies

PlacementStrategy parse_placement_strategy(std::string_view type, std::string_view field) {
  if (type == "binpack") {
    if (field == "cpu") return PlacementStrategy::binpack_cpu();
    if (field == "memory") return PlacementStrategy::binpack_memory();
    throw std::invalid_argument(
        fmt::format("placement strategy binpack: field \"{}\" is not supported (valid: cpu, memory)", field));
  }
  if (type == "spread") {
    if (field == "instanceId" || field == "host") return PlacementStrategy::spread_instances();
    if (field == "attribute:ecs.availability-zone") return PlacementStrategy::spread_zones();
    if (field == "attribute:ecs.instance-type") return {Type::spread, Field::instance_type};
    if (field == "attribute:ecs.cpu-architecture") return {Type::spread, Field::cpu_architecture};
    throw std::invalid_argument(fmt::format(
        "placement strategy spread: field \"{}\" is not supported (valid: instanceId, host, "
        "attribute:ecs.availability-zone, attribute:ecs.instance-type, attribute:ecs.cpu-architecture)",
        field));
  }
  if (type == "random") {
    if (!field.empty())
      throw std::invalid_argument(fmt::format("placement strategy random takes no field, got \"{}\"", field));
    return PlacementStrategy::random();
  }
  throw std::invalid_argument(
      fmt::format("unknown placement strategy type \"{}\" (valid: binpack, spread, random)", type));
}

std::string describe(const PlacementStrategy& s) {
  switch (s.type) {
    case Type::binpack: return fmt::format("binpack({})", field_name(s.field));
    case Type::spread: return fmt::format("spread({})", field_name(s.field));
    case Type::random: return "random";
  }
  return "";
}

// ---------------------------------------------------------------------------------------------
// Constraints

PlacementConstraint PlacementConstraint::distinct_instance() { return PlacementConstraint{}; }

PlacementConstraint PlacementConstraint::parse(std::string_view type, std::string_view expression) {
  if (type == "distinctInstance") {
    if (!expression.empty())
      throw std::invalid_argument(fmt::format("placement constraint distinctInstance takes no expression, got \"{}\"",
                                              expression));
    return distinct_instance();
  }
  if (type == "memberOf") return member_of(expression);
  throw std::invalid_argument(
      fmt::format("unknown placement constraint type \"{}\" (valid: distinctInstance, memberOf)", type));
}

PlacementConstraint PlacementConstraint::member_of(std::string_view expression) {
  PlacementConstraint out;
  out.type_ = Type::member_of;
  out.expression_ = std::string(expression);
  Lexer lex(expression);

  auto value = [&](const Token& t) -> std::string {
    if (t.kind != Token::Kind::word && t.kind != Token::Kind::quoted) lex.fail("expected a value");
    return std::string(t.text);
  };
  auto compile = [&](std::string_view p) {
    std::vector<PatternToken> tokens;
    for (std::size_t i = 0; i < p.size(); ++i) {
      const char c = p[i];
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') {
        tokens.push_back({PatternToken::Kind::literal, c});
      } else if (c == '\\' && i + 1 < p.size() && p[i + 1] == '.') {
        tokens.push_back({PatternToken::Kind::literal, '.'});
        ++i;
      } else if (c == '.' && i + 1 < p.size() && p[i + 1] == '*') {
        tokens.push_back({PatternToken::Kind::any_run, 0});
        ++i;
      } else if (c == '.') {
        tokens.push_back({PatternToken::Kind::any, 0});
      } else {
        lex.fail(fmt::format("pattern \"{}\": '{}' is not supported (accepted: letters, digits, '-', '_', "
                             "'\\.', '.', '.*')",
                             p, c));
      }
    }
    return tokens;
  };

  Token t = lex.next();
  if (t.kind == Token::Kind::end) lex.fail("empty expression");
  for (;;) {
    // Subject.
    if (t.kind == Token::Kind::op && (t.text == "!" || t.text.starts_with("!")))
      lex.fail("\"not\" is not supported");
    if (t.kind != Token::Kind::word) lex.fail("expected attribute:<name>");
    if (iequals(t.text, "not")) lex.fail("\"not\" is not supported");
    constexpr std::string_view kAttr = "attribute:";
    if (!t.text.starts_with(kAttr))
      lex.fail(fmt::format("subject \"{}\" is not supported (supported: attribute:ecs.instance-type, "
                           "attribute:ecs.availability-zone, attribute:ecs.cpu-architecture)",
                           t.text));
    const std::string_view name = t.text.substr(kAttr.size());
    Term term{};
    if (name == "ecs.instance-type") term.subject = Subject::instance_type;
    else if (name == "ecs.availability-zone") term.subject = Subject::availability_zone;
    else if (name == "ecs.cpu-architecture") term.subject = Subject::cpu_architecture;
    else
      lex.fail(fmt::format("attribute \"{}\" is not supported (supported: ecs.instance-type, "
                           "ecs.availability-zone, ecs.cpu-architecture)",
                           name));

    // Operator and argument.
    t = lex.next();
    const std::string_view op = t.text;
    if (t.kind == Token::Kind::end) lex.fail("missing operator");
    if (op == "==" || op == "equals") term.op = Op::equals;
    else if (op == "!=" || op == "not_equals") term.op = Op::not_equals;
    else if (op == "in") term.op = Op::in;
    else if (op == "!in" || op == "not_in") term.op = Op::not_in;
    else if (op == "=~" || op == "matches") term.op = Op::matches;
    else if (op == "!~" || op == "not_matches") term.op = Op::not_matches;
    else lex.fail(fmt::format("operator \"{}\" is not supported (supported: ==, !=, in, !in, =~, !~)", op));

    if (term.op == Op::in || term.op == Op::not_in) {
      if (lex.next().kind != Token::Kind::open_bracket) lex.fail(fmt::format("\"{}\" expects [value, ...]", op));
      for (;;) {
        term.values.push_back(value(lex.next()));
        const Token sep = lex.next();
        if (sep.kind == Token::Kind::close_bracket) break;
        if (sep.kind != Token::Kind::comma) lex.fail("expected ',' or ']' in the value list");
      }
    } else if (term.op == Op::matches || term.op == Op::not_matches) {
      term.pattern = compile(value(lex.next()));
    } else {
      term.values.push_back(value(lex.next()));
    }
    out.terms_.push_back(std::move(term));

    // Conjunction or end.
    t = lex.next();
    if (t.kind == Token::Kind::end) break;
    if (t.text == "||" || iequals(t.text, "or")) lex.fail("\"or\" is not supported");
    if (t.text != "&&" && !iequals(t.text, "and")) lex.fail(fmt::format("expected \"and\", got \"{}\"", t.text));
    t = lex.next();
  }
  return out;
}

bool PlacementConstraint::matches(std::span<const PatternToken> pattern, std::string_view s) noexcept {
  // Wildcard matching with backtracking to the last '.*' (linear for one '.*', O(|p| |s|) worst).
  std::size_t p = 0, i = 0, star = std::string_view::npos, mark = 0;
  while (i < s.size()) {
    if (p < pattern.size() && (pattern[p].kind == PatternToken::Kind::any ||
                               (pattern[p].kind == PatternToken::Kind::literal && pattern[p].c == s[i]))) {
      ++p;
      ++i;
    } else if (p < pattern.size() && pattern[p].kind == PatternToken::Kind::any_run) {
      star = p++;
      mark = i;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      i = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p].kind == PatternToken::Kind::any_run) ++p;
  return p == pattern.size();
}

bool PlacementConstraint::holds(const Term& t, std::string_view v) noexcept {
  switch (t.op) {
    case Op::equals: return v == t.values.front();
    case Op::not_equals: return v != t.values.front();
    case Op::in: return std::find(t.values.begin(), t.values.end(), v) != t.values.end();
    case Op::not_in: return std::find(t.values.begin(), t.values.end(), v) == t.values.end();
    case Op::matches: return matches(t.pattern, v);
    case Op::not_matches: return !matches(t.pattern, v);
  }
  return false;
}

bool PlacementConstraint::admits(const InstanceType& type, std::string_view availability_zone) const noexcept {
  for (const Term& t : terms_) {
    const std::string_view v = t.subject == Subject::instance_type       ? type.name
                               : t.subject == Subject::availability_zone ? availability_zone
                                                                         : to_string(type.architecture);
    if (!holds(t, v)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Failures

std::string_view PlacementFailure::reason() const noexcept {
  switch (kind) {
    case Kind::no_container_instances: return "NO_CONTAINER_INSTANCES";
    case Kind::cpu: return "RESOURCE:CPU";
    case Kind::memory: return "RESOURCE:MEMORY";
    case Kind::eni: return "RESOURCE:ENI";
    case Kind::distinct_instance: return "distinctInstance";
    case Kind::member_of: return "memberOf";
  }
  return "";
}

std::string PlacementFailure::message(std::string_view service) const {
  switch (kind) {
    case Kind::no_container_instances:
      return fmt::format("(service {}) {} Reason: No Container Instances were found in your cluster.{}", service,
                         kUnplaceable, kMoreInfo);
    case Kind::cpu:
    case Kind::memory:
      if (closest)
        return fmt::format("(service {}) {} The closest matching (container-instance {}) has insufficient {} available.{}",
                           service, kUnplaceable, *closest, kind == Kind::cpu ? "CPU units" : "memory", kMoreInfo);
      break;
    default: break;
  }
  return fmt::format("(service {}) {}{}", service, kUnplaceable, kMoreInfo);
}

// ---------------------------------------------------------------------------------------------
// Cluster

int ContainerInstance::tasks_of(TaskGroup g) const noexcept {
  for (const auto& [group, n] : group_tasks)
    if (group == g) return n;
  return 0;
}

Cluster::Cluster(RandomStream placement_stream) : placement_stream_(placement_stream) {}

InstanceId Cluster::add_instance(std::string_view type_name, std::string_view az, const InstanceOptions& options) {
  const InstanceType* type = find_instance_type(type_name);
  if (!type)
    throw std::invalid_argument(
        fmt::format("unknown EC2 instance type \"{}\" (known: {})", type_name, instance_type_list()));
  return add_instance(*type, az, options);
}

InstanceId Cluster::add_instance(const InstanceType& type, std::string_view az, const InstanceOptions& options) {
  if (az.empty()) throw std::invalid_argument("ECS cluster: a container instance needs an availability zone");
  if (type.vcpu <= 0 || type.memory_mib <= 0 || type.max_enis < 1 ||
      (type.trunking_supported && type.trunking_task_limit < 0))
    throw std::invalid_argument(fmt::format(
        "ECS cluster: instance type \"{}\" is unusable (vCPU {}, memory {} MiB, ENIs {}, trunking limit {})",
        type.name, type.vcpu, type.memory_mib, type.max_enis, type.trunking_task_limit));
  const int memory = registered_memory_mib(type, options.reserved_memory_mib);

  std::uint32_t slot = 0;
  while (slot < type_slots_.size() && type_slots_[slot] != &type) {
    if (type_slots_[slot]->name == type.name)
      throw std::invalid_argument(fmt::format("ECS cluster: two different instance types named \"{}\"", type.name));
    ++slot;
  }
  if (slot == type_slots_.size()) type_slots_.push_back(&type);

  std::uint32_t zone = 0;
  while (zone < zones_.size() && zones_[zone] != az) ++zone;
  if (zone == zones_.size()) zones_.emplace_back(az);

  ContainerInstance c;
  c.id = next_id_++;
  c.type = &type;
  c.zone = zone;
  c.type_slot = slot;
  c.trunking = options.trunking && type.trunking_supported;
  c.registered_cpu_units = c.remaining_cpu_units = type.cpu_units();
  c.registered_memory_mib = c.remaining_memory_mib = memory;
  c.eni_capacity = type.awsvpc_task_limit(options.trunking);
  instances_.push_back(std::move(c));
  candidates_.reserve(instances_.size());  // place() then never allocates
  return instances_.back().id;
}

std::size_t Cluster::index_of(InstanceId id) const {
  const auto it = std::lower_bound(instances_.begin(), instances_.end(), id,
                                   [](const ContainerInstance& c, InstanceId v) { return c.id < v; });
  if (it == instances_.end() || it->id != id)
    throw std::out_of_range(fmt::format("ECS cluster: no container instance {}", id));
  return static_cast<std::size_t>(it - instances_.begin());
}

bool Cluster::contains(InstanceId id) const noexcept {
  const auto it = std::lower_bound(instances_.begin(), instances_.end(), id,
                                   [](const ContainerInstance& c, InstanceId v) { return c.id < v; });
  return it != instances_.end() && it->id == id;
}

const ContainerInstance& Cluster::instance(InstanceId id) const { return instances_[index_of(id)]; }

void Cluster::remove_instance(InstanceId id) {
  const std::size_t i = index_of(id);
  if (instances_[i].tasks > 0)
    throw std::logic_error(fmt::format("ECS cluster: container instance {} still has {} task(s); release them first",
                                       id, instances_[i].tasks));
  instances_.erase(instances_.begin() + static_cast<std::ptrdiff_t>(i));
}

void Cluster::validate(const PlacementRequest& r) const {
  if (r.cpu_units < 0)
    throw std::invalid_argument(fmt::format("ECS placement: task CPU must be >= 0 units, got {}", r.cpu_units));
  if (r.memory_mib <= 0)
    throw std::invalid_argument(fmt::format("ECS placement: task memory must be > 0 MiB, got {}", r.memory_mib));
  for (const auto& s : r.strategies)
    if (!valid(s))
      throw std::invalid_argument(fmt::format("ECS placement: invalid strategy {}", describe(s)));
}

std::int64_t Cluster::spread_count(const GroupCounts* g, const ContainerInstance& c, Field f,
                                   TaskGroup group) const noexcept {
  auto at = [](const std::vector<int>& v, std::size_t i) { return i < v.size() ? v[i] : 0; };
  switch (f) {
    case Field::instance_id: return c.tasks_of(group);
    case Field::availability_zone: return g ? at(g->by_zone, c.zone) : 0;
    case Field::instance_type: return g ? at(g->by_type, c.type_slot) : 0;
    case Field::cpu_architecture: return g ? g->by_arch[static_cast<std::size_t>(c.type->architecture)] : 0;
    default: return 0;
  }
}

std::optional<InstanceId> Cluster::place(const PlacementRequest& r, PlacementFailure* why) {
  validate(r);
  auto fail = [why](PlacementFailure f) -> std::optional<InstanceId> {
    if (why) *why = f;
    return std::nullopt;
  };
  if (instances_.empty()) return fail({PlacementFailure::Kind::no_container_instances, std::nullopt});

  // 1. Resources: CPU, memory, and an ENI attachment point for awsvpc.
  const bool needs_eni = r.network_mode == NetworkMode::awsvpc;
  candidates_.clear();
  int fewest_misses = 4;
  PlacementFailure closest;
  for (std::size_t i = 0; i < instances_.size(); ++i) {
    const ContainerInstance& c = instances_[i];
    if (c.draining) continue;
    const bool cpu = r.cpu_units > c.remaining_cpu_units;
    const bool memory = r.memory_mib > c.remaining_memory_mib;
    const bool eni = needs_eni && c.enis_available() <= 0;
    const int misses = int{cpu} + int{memory} + int{eni};
    if (misses == 0) {
      candidates_.push_back(static_cast<std::uint32_t>(i));
    } else if (misses < fewest_misses) {  // ties: the first, i.e. lowest id
      fewest_misses = misses;
      closest.kind = cpu ? PlacementFailure::Kind::cpu : memory ? PlacementFailure::Kind::memory : PlacementFailure::Kind::eni;
      closest.closest = c.id;
    }
  }
  if (candidates_.empty()) return fail(closest);

  // Keeps the candidates for which keep(instance) holds, in id order.
  auto keep_if = [this](auto&& keep) {
    std::size_t n = 0;
    for (const std::uint32_t i : candidates_)
      if (keep(instances_[i])) candidates_[n++] = i;
    candidates_.resize(n);
  };

  // 2. Constraints, binding.
  for (const PlacementConstraint& k : r.constraints) {
    if (k.type() == PlacementConstraint::Type::distinct_instance) {
      keep_if([&](const ContainerInstance& c) { return c.tasks_of(r.group) == 0; });
      if (candidates_.empty()) return fail({PlacementFailure::Kind::distinct_instance, std::nullopt});
    } else {
      keep_if([&](const ContainerInstance& c) { return k.admits(*c.type, zones_[c.zone]); });
      if (candidates_.empty()) return fail({PlacementFailure::Kind::member_of, std::nullopt});
    }
  }

  // 3. Strategies, in order, each keeping its best candidates.
  const auto git = groups_.find(r.group);
  const GroupCounts* g = git == groups_.end() ? nullptr : &git->second;
  for (const PlacementStrategy& s : r.strategies) {
    if (candidates_.size() == 1) break;
    if (s.type == Type::random) {
      candidates_[0] = candidates_[placement_stream_.below(candidates_.size())];
      candidates_.resize(1);
      break;
    }
    auto key = [&](const ContainerInstance& c) -> std::int64_t {
      if (s.type == Type::binpack) return s.field == Field::cpu ? c.remaining_cpu_units : c.remaining_memory_mib;
      return spread_count(g, c, s.field, r.group);
    };
    std::int64_t best = std::numeric_limits<std::int64_t>::max();
    for (const std::uint32_t i : candidates_) best = std::min(best, key(instances_[i]));
    keep_if([&](const ContainerInstance& c) { return key(c) == best; });
  }

  // 4. The lowest id among those left.
  return instances_[candidates_.front()].id;
}

TaskReservation Cluster::commit(InstanceId id, const PlacementRequest& r) {
  validate(r);
  ContainerInstance& c = instances_[index_of(id)];
  const bool eni = r.network_mode == NetworkMode::awsvpc;
  if (r.cpu_units > c.remaining_cpu_units || r.memory_mib > c.remaining_memory_mib || (eni && c.enis_available() <= 0))
    throw std::logic_error(fmt::format(
        "ECS cluster: task ({} CPU units, {} MiB{}) does not fit container instance {} ({} units, {} MiB, {} ENIs left)",
        r.cpu_units, r.memory_mib, eni ? ", awsvpc" : "", id, c.remaining_cpu_units, c.remaining_memory_mib,
        c.enis_available()));
  c.remaining_cpu_units -= r.cpu_units;
  c.remaining_memory_mib -= r.memory_mib;
  c.enis_in_use += eni;
  ++c.tasks;
  auto it = std::find_if(c.group_tasks.begin(), c.group_tasks.end(), [&](const auto& p) { return p.first == r.group; });
  if (it == c.group_tasks.end()) c.group_tasks.emplace_back(r.group, 1);
  else ++it->second;

  GroupCounts& g = groups_[r.group];
  ++g.total;
  if (g.by_zone.size() <= c.zone) g.by_zone.resize(zones_.size());
  if (g.by_type.size() <= c.type_slot) g.by_type.resize(type_slots_.size());
  ++g.by_zone[c.zone];
  ++g.by_type[c.type_slot];
  ++g.by_arch[static_cast<std::size_t>(c.type->architecture)];
  return TaskReservation{id, r.group, r.cpu_units, r.memory_mib, eni};
}

void Cluster::release(const TaskReservation& t) {
  ContainerInstance& c = instances_[index_of(t.instance)];
  auto it = std::find_if(c.group_tasks.begin(), c.group_tasks.end(), [&](const auto& p) { return p.first == t.group; });
  const auto git = groups_.find(t.group);
  if (it == c.group_tasks.end() || git == groups_.end() || c.remaining_cpu_units + t.cpu_units > c.registered_cpu_units ||
      c.remaining_memory_mib + t.memory_mib > c.registered_memory_mib || (t.eni && c.enis_in_use == 0))
    throw std::logic_error(fmt::format("ECS cluster: releasing a task (group {}) container instance {} does not hold",
                                       t.group, t.instance));
  c.remaining_cpu_units += t.cpu_units;
  c.remaining_memory_mib += t.memory_mib;
  c.enis_in_use -= t.eni;
  --c.tasks;
  if (--it->second == 0) {
    *it = c.group_tasks.back();
    c.group_tasks.pop_back();
  }
  GroupCounts& g = git->second;
  --g.total;
  --g.by_zone[c.zone];
  --g.by_type[c.type_slot];
  --g.by_arch[static_cast<std::size_t>(c.type->architecture)];
}

void Cluster::set_draining(InstanceId id) { instances_[index_of(id)].draining = true; }

void Cluster::cache_image(InstanceId id, std::string_view image) {
  ContainerInstance& c = instances_[index_of(id)];
  if (!c.images.contains(image)) c.images.emplace(image);
}

bool Cluster::has_image(InstanceId id, std::string_view image) const { return instance(id).images.contains(image); }

int Cluster::tasks_of(TaskGroup g) const noexcept {
  const auto it = groups_.find(g);
  return it == groups_.end() ? 0 : it->second.total;
}

int Cluster::tasks_in_az(TaskGroup g, std::string_view az) const noexcept {
  const auto it = groups_.find(g);
  if (it == groups_.end()) return 0;
  for (std::size_t z = 0; z < zones_.size(); ++z)
    if (zones_[z] == az) return z < it->second.by_zone.size() ? it->second.by_zone[z] : 0;
  return 0;
}

}  // namespace fargatelab::detail
