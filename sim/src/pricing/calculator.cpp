#include "pricing/calculator.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <sstream>

#include <fmt/format.h>

#include "fargatelab/constants.hpp"
#include "pricing/price_catalog.hpp"
#include "pricing/pricing_rules.hpp"

namespace fargatelab::detail {

PricingInputError::PricingInputError(std::vector<Diagnostic> diagnostics) : ScenarioError(std::move(diagnostics)) {
  const auto& d = this->diagnostics();
  message_ = fmt::format("invalid usage file ({} problem{})", d.size(), d.size() == 1 ? "" : "s");
  for (const auto& x : d) message_ += "\n  " + x.to_string();
}

namespace {

std::string join(const std::vector<std::string>& xs) {
  std::string out;
  for (const auto& x : xs) out += (out.empty() ? "" : ", ") + x;
  return out;
}

std::string shown(const nlohmann::json& v) {
  std::string s = v.dump();
  return s.size() > 40 ? s.substr(0, 37) + "..." : s;
}

// Reads one JSON object of the usage file, reporting every wrong, missing or unknown key.
class Reader {
 public:
  Reader(const nlohmann::json& obj, std::string pointer, std::vector<Diagnostic>& out, std::vector<std::string> keys)
      : obj_(obj), pointer_(std::move(pointer)), out_(out) {
    if (!obj_.is_object()) {
      out_.push_back({pointer_, "expected an object, got " + shown(obj_)});
      ok_ = false;
      return;
    }
    for (const auto& [k, v] : obj_.items())
      if (std::find(keys.begin(), keys.end(), k) == keys.end())
        out_.push_back({at(k), "unknown key; expected one of: " + join(keys)});
  }
  bool ok() const { return ok_; }
  std::string at(const std::string& key) const { return pointer_ + "/" + key; }
  bool has(const std::string& key) const { return ok_ && obj_.contains(key); }
  const nlohmann::json* get(const std::string& key) const { return has(key) ? &obj_.at(key) : nullptr; }

  // A number in [min, max] (min exclusive if `above`); `def` when absent (an error if required).
  double number(const std::string& key, double def, double min, double max = 1e300, bool above = false,
                bool required = false) {
    const auto* v = get(key);
    if (!v) {
      if (required && ok_) out_.push_back({at(key), "missing; expected a number"});
      return def;
    }
    const std::string range = max >= 1e299 ? fmt::format("{} {}", above ? ">" : ">=", format_quantity(min))
                                           : fmt::format("in {}{}, {}]", above ? "(" : "[", format_quantity(min), format_quantity(max));
    if (!v->is_number() || !std::isfinite(v->get<double>())) {
      out_.push_back({at(key), fmt::format("expected a number {}, got {}", range, shown(*v))});
      return def;
    }
    const double x = v->get<double>();
    if (x < min || x > max || (above && x == min)) {
      out_.push_back({at(key), fmt::format("{} is out of range: expected a number {}", format_quantity(x), range)});
      return def;
    }
    return x;
  }
  std::optional<double> optional_number(const std::string& key, double min, double max, bool max_exclusive = false) {
    if (!has(key)) return std::nullopt;
    const double x = number(key, -1, min, max);
    if (x < min) return std::nullopt;
    if (max_exclusive && x >= max) {
      out_.push_back({at(key), fmt::format("expected a number below {}", format_quantity(max))});
      return std::nullopt;
    }
    return x;
  }
  bool boolean(const std::string& key, bool def) {
    const auto* v = get(key);
    if (!v) return def;
    if (!v->is_boolean()) {
      out_.push_back({at(key), "expected true or false, got " + shown(*v)});
      return def;
    }
    return v->get<bool>();
  }
  std::string text(const std::string& key, std::string def) {
    const auto* v = get(key);
    if (!v) return def;
    if (!v->is_string()) {
      out_.push_back({at(key), "expected a string, got " + shown(*v)});
      return def;
    }
    return v->get<std::string>();
  }
  std::string choice(const std::string& key, std::string def, const std::vector<std::string>& options) {
    const auto* v = get(key);
    if (!v) return def;
    if (!v->is_string() || std::find(options.begin(), options.end(), v->get<std::string>()) == options.end()) {
      std::vector<std::string> quoted;
      for (const auto& o : options) quoted.push_back("\"" + o + "\"");
      out_.push_back({at(key), fmt::format("expected one of {}, got {}", join(quoted), shown(*v))});
      return def;
    }
    return v->get<std::string>();
  }

 private:
  const nlohmann::json& obj_;
  std::string pointer_;
  std::vector<Diagnostic>& out_;
  bool ok_ = true;
};

// The items of a top-level list, each with its pointer; a non-array is reported.
std::vector<std::pair<const nlohmann::json*, std::string>> list(const nlohmann::json& usage, const std::string& key,
                                                                std::vector<Diagnostic>& out) {
  std::vector<std::pair<const nlohmann::json*, std::string>> items;
  if (!usage.contains(key)) return items;
  const auto& v = usage.at(key);
  if (!v.is_array()) {
    out.push_back({"/" + key, "expected an array of objects, got " + shown(v)});
    return items;
  }
  for (std::size_t i = 0; i < v.size(); ++i) items.emplace_back(&v[i], fmt::format("/{}/{}", key, i));
  return items;
}

std::string item_name(Reader& r, const std::string& pointer) { return r.text("name", pointer.substr(1)); }

// "hours_per_day" (one run per unit per day; 24 = one run for the whole period) or
// "runs_per_day" + "seconds_per_run".
RunGroup run_shape(Reader& r, double units, double days, std::vector<Diagnostic>& out, const std::string& pointer) {
  const bool runs = r.has("runs_per_day") || r.has("seconds_per_run");
  if (runs && r.has("hours_per_day"))
    out.push_back({pointer, "give either hours_per_day, or runs_per_day with seconds_per_run, not both"});
  if (runs) {
    const double per_day = r.number("runs_per_day", 1, 0);
    const double seconds = r.number("seconds_per_run", 0, 0, 1e300, false, true);
    return {units * days * per_day, seconds};
  }
  const double hours = r.number("hours_per_day", 24, 0, 24);
  if (hours >= 24) return {units, days * 24 * 3600};
  return {units * days, hours * 3600};
}

Arch arch_of(Reader& r) { return r.choice("arch", "x86_64", {"x86_64", "arm64"}) == "arm64" ? Arch::arm64 : Arch::x86_64; }

struct Parsed {
  std::string name;
  std::string region;
  bool free_tier = false;
  double days = 0;
  std::string billing_date;
  // One pricing action per usage item, run after validation; keeps its pointer for errors.
  std::vector<std::pair<std::string, std::function<void(const PriceCatalog&, Bill&)>>> actions;
  struct Lambda {
    LambdaUsage usage;
    std::string pointer;
    double on_demand_invocations, duration_ms, cold_start_fraction, init_ms, provisioned_share, provisioned_hours_per_day;
  };
  std::vector<Lambda> lambdas;
  double logs_gb = 0, custom_metrics = 0;
  bool cloudwatch = false;
  std::optional<SavingsPlanTerms> savings_plan;
};

const std::vector<std::string> kTopKeys = {"name", "region", "free_tier", "days", "billing_date", "fargate", "lambda", "ec2",
                                           "app_runner", "nat_gateways", "vpc_endpoints", "inter_az", "public_ipv4",
                                           "load_balancers", "cloudwatch", "savings_plan", "notes", "description"};

Parsed parse_usage(const nlohmann::json& usage, const CalculatorOptions& options, double month_hours,
                   std::vector<Diagnostic>& out) {
  Parsed p;
  Reader top(usage, "", out, kTopKeys);
  if (!top.ok()) return p;
  p.name = top.text("name", "");
  p.region = options.region ? *options.region : top.text("region", "us-east-1");
  p.free_tier = options.free_tier || top.boolean("free_tier", false);
  p.days = top.number("days", month_hours / 24, 0, 3660, true);
  p.billing_date = top.text("billing_date", "");
  if (!p.billing_date.empty()) {
    const auto& d = p.billing_date;
    const bool ok = d.size() == 10 && d[4] == '-' && d[7] == '-' &&
                    std::all_of(d.begin(), d.end(), [](char ch) { return (ch >= '0' && ch <= '9') || ch == '-'; });
    if (!ok) out.push_back({"/billing_date", "expected a date YYYY-MM-DD, got \"" + d + "\""});
  }
  const double days = p.days;
  const double hours = days * 24;
  const double month_fraction = hours / month_hours;
  if (top.has("notes") && !usage.at("notes").is_array() && !usage.at("notes").is_string())
    out.push_back({"/notes", "expected a string or an array of strings"});

  for (const auto& [json, ptr] : list(usage, "fargate", out)) {
    Reader r(*json, ptr, out,
             {"name", "tasks", "vcpu", "memory_gb", "ephemeral_gb", "arch", "os", "spot", "spot_discount", "hours_per_day",
              "runs_per_day", "seconds_per_run"});
    if (!r.ok()) continue;
    FargateUsage u;
    u.name = item_name(r, ptr);
    const double tasks = r.number("tasks", 1, 0);
    u.vcpu = r.number("vcpu", 0.25, 0, 1e300, true, true);
    u.memory_gb = r.number("memory_gb", 0.5, 0, 1e300, true, true);
    u.ephemeral_gb = r.number("ephemeral_gb", 20, 0);
    u.arch = arch_of(r);
    u.os = r.choice("os", "linux", {"linux", "windows"}) == "windows" ? Os::Windows : Os::Linux;
    u.spot = r.boolean("spot", false);
    u.spot_discount = r.optional_number("spot_discount", 0, 1, true);
    if (u.spot && u.os == Os::Windows) out.push_back({ptr + "/spot", "Fargate Spot runs Linux tasks only"});
    if (u.os == Os::Windows && u.arch == Arch::arm64) out.push_back({ptr + "/arch", "Windows on Fargate is x86_64 only"});
    if (r.has("spot_discount") && !u.spot) out.push_back({ptr + "/spot_discount", "only meaningful with \"spot\": true"});
    u.runs = {run_shape(r, tasks, days, out, ptr)};
    p.actions.emplace_back(ptr, [u](const PriceCatalog& c, Bill& b) { fargate_tasks(c, u, b); });
  }
  for (const auto& [json, ptr] : list(usage, "lambda", out)) {
    Reader r(*json, ptr, out,
             {"name", "arch", "memory_mb", "ephemeral_mb", "invocations", "duration_ms", "package", "runtime",
              "cold_start_fraction", "init_duration_ms", "provisioned_concurrency", "provisioned_hours_per_day",
              "provisioned_share"});
    if (!r.ok()) continue;
    LambdaUsage u;
    u.name = item_name(r, ptr);
    u.arch = arch_of(r);
    u.memory_mb = r.number("memory_mb", 128, 128, 10240);
    u.ephemeral_mb = r.number("ephemeral_mb", 512, 512, 10240);
    const double invocations = r.number("invocations", 0, 0, 1e300, false, true);
    const double duration_ms = r.number("duration_ms", 0, 0, 900000, false, true);
    u.package = r.choice("package", "zip", {"zip", "image"}) == "image" ? LambdaPackage::image : LambdaPackage::zip;
    u.custom_runtime = r.choice("runtime", "managed", {"managed", "custom"}) == "custom";
    const double cold = r.number("cold_start_fraction", 0, 0, 1);
    const double init_ms = r.number("init_duration_ms", 0, 0, 900000);
    u.provisioned_concurrency = r.number("provisioned_concurrency", 0, 0);
    const double pc_hours = r.number("provisioned_hours_per_day", 24, 0, 24);
    const double share = r.number("provisioned_share", u.provisioned_concurrency > 0 ? 1 : 0, 0, 1);
    if (u.provisioned_concurrency == 0 && (r.has("provisioned_share") || r.has("provisioned_hours_per_day")))
      out.push_back({ptr, "provisioned_share and provisioned_hours_per_day need provisioned_concurrency > 0"});
    // Invocations served by provisioned concurrency: no cold start; the rest on demand. The
    // per-invocation rounding needs the catalog's granularity: done in price_parsed.
    u.invocations = invocations;
    p.lambdas.push_back({u, ptr, invocations * (1 - share), duration_ms, cold, init_ms, share, pc_hours});
  }
  for (const auto& [json, ptr] : list(usage, "ec2", out)) {
    Reader r(*json, ptr, out,
             {"name", "instance_type", "count", "spot", "spot_savings_percent", "hours_per_day", "runs_per_day", "seconds_per_run"});
    if (!r.ok()) continue;
    Ec2Usage u;
    u.name = item_name(r, ptr);
    u.instance_type = r.text("instance_type", "");
    if (u.instance_type.empty()) out.push_back({ptr + "/instance_type", "missing; expected an instance type such as \"m5.large\""});
    const double count = r.number("count", 1, 0);
    u.spot = r.boolean("spot", false);
    u.spot_savings_percent = r.optional_number("spot_savings_percent", 0, 100, true);
    if (r.has("spot_savings_percent") && !u.spot) out.push_back({ptr + "/spot_savings_percent", "only meaningful with \"spot\": true"});
    u.runs = {run_shape(r, count, days, out, ptr)};
    p.actions.emplace_back(ptr, [u](const PriceCatalog& c, Bill& b) { ec2_instances(c, u, b); });
  }
  for (const auto& [json, ptr] : list(usage, "app_runner", out)) {
    Reader r(*json, ptr, out,
             {"name", "vcpu", "memory_gb", "instances", "hours_per_day", "activations_per_day", "active_seconds_per_activation",
              "automatic_deployments", "build_minutes"});
    if (!r.ok()) continue;
    AppRunnerUsage u;
    u.name = item_name(r, ptr);
    u.vcpu = r.number("vcpu", 1, 0, 1e300, true);
    u.memory_gb = r.number("memory_gb", 2, 0, 1e300, true);
    const double instances = r.number("instances", 1, 0);
    const double h = r.number("hours_per_day", 24, 0, 24);
    u.provisioned_instance_seconds = instances * h * 3600 * days;
    const double per_day = r.number("activations_per_day", 0, 0);
    const double active_s = r.number("active_seconds_per_activation", 0, 0, 86400);
    u.activations = {{per_day * days, active_s}};
    u.automatic_deployments = r.boolean("automatic_deployments", false);
    u.build_minutes = r.number("build_minutes", 0, 0);
    u.month_fraction = month_fraction;
    p.actions.emplace_back(ptr, [u](const PriceCatalog& c, Bill& b) { app_runner_service(c, u, b); });
  }
  for (const auto& [json, ptr] : list(usage, "nat_gateways", out)) {
    Reader r(*json, ptr, out, {"name", "gateways", "hours_per_day", "gb_processed"});
    if (!r.ok()) continue;
    NatUsage u;
    u.name = item_name(r, ptr);
    u.gateways = r.number("gateways", 1, 0);
    u.hours_each = r.number("hours_per_day", 24, 0, 24) * days;
    u.gb_processed = r.number("gb_processed", 0, 0);
    p.actions.emplace_back(ptr, [u](const PriceCatalog& c, Bill& b) { nat_gateways(c, u, b); });
  }
  for (const auto& [json, ptr] : list(usage, "vpc_endpoints", out)) {
    Reader r(*json, ptr, out, {"name", "type", "endpoints", "azs", "hours_per_day", "gb_processed"});
    if (!r.ok()) continue;
    EndpointUsage u;
    u.name = item_name(r, ptr);
    u.type = r.choice("type", "interface", {"interface", "gateway"}) == "gateway" ? EndpointType::gateway : EndpointType::interface;
    u.endpoints = r.number("endpoints", 1, 0);
    u.azs = r.number("azs", 1, 0);
    u.hours = r.number("hours_per_day", 24, 0, 24) * days;
    u.gb_processed = r.number("gb_processed", 0, 0);
    u.month_fraction = month_fraction;
    p.actions.emplace_back(ptr, [u](const PriceCatalog& c, Bill& b) { vpc_endpoints(c, u, b); });
  }
  for (const auto& [json, ptr] : list(usage, "inter_az", out)) {
    Reader r(*json, ptr, out, {"name", "gb"});
    if (!r.ok()) continue;
    const std::string name = item_name(r, ptr);
    const double gb = r.number("gb", 0, 0, 1e300, false, true);
    p.actions.emplace_back(ptr, [name, gb](const PriceCatalog& c, Bill& b) { inter_az_transfer(c, name, gb, b); });
  }
  for (const auto& [json, ptr] : list(usage, "public_ipv4", out)) {
    Reader r(*json, ptr, out, {"name", "addresses", "hours_per_day"});
    if (!r.ok()) continue;
    const std::string name = item_name(r, ptr);
    const double addresses = r.number("addresses", 1, 0);
    const double h = r.number("hours_per_day", 24, 0, 24) * days;
    p.actions.emplace_back(ptr, [name, addresses, h](const PriceCatalog& c, Bill& b) { public_ipv4(c, name, addresses, h, b); });
  }
  for (const auto& [json, ptr] : list(usage, "load_balancers", out)) {
    Reader r(*json, ptr, out,
             {"name", "type", "count", "hours_per_day", "new_connections_per_s", "active_connections_per_min",
              "processed_gb_per_hour", "requests_per_s", "rules_per_request", "mutual_tls", "lambda_targets", "protocol"});
    if (!r.ok()) continue;
    LoadBalancerUsage u;
    u.name = item_name(r, ptr);
    const bool alb = r.choice("type", "alb", {"alb", "nlb"}) == "alb";
    u.load_balancers = r.number("count", 1, 0);
    u.hours_each = r.number("hours_per_day", 24, 0, 24) * days;
    LbTraffic t;
    t.hours = u.hours_each;
    t.new_connections_per_s = r.number("new_connections_per_s", 0, 0);
    t.active_connections_per_min = r.number("active_connections_per_min", 0, 0);
    t.processed_gb_per_h = r.number("processed_gb_per_hour", 0, 0);
    const double requests = r.number("requests_per_s", 0, 0);
    const double rules = r.number("rules_per_request", 0, 0);
    u.mutual_tls = r.boolean("mutual_tls", false);
    u.lambda_targets = r.boolean("lambda_targets", false);
    u.protocol = r.choice("protocol", "tcp", {"tcp", "udp"}) == "udp" ? NlbProtocol::udp : NlbProtocol::tcp;
    if (!alb)
      for (const char* k : {"requests_per_s", "rules_per_request", "mutual_tls", "lambda_targets"})
        if (r.has(k)) out.push_back({ptr + "/" + k, "applies to \"alb\" only"});
    if (alb && r.has("protocol")) out.push_back({ptr + "/protocol", "applies to \"nlb\" only"});
    p.actions.emplace_back(ptr, [u, t, alb, requests, rules](const PriceCatalog& c, Bill& b) mutable {
      if (alb) t.rule_evaluations_per_s = alb_rule_evaluations_per_s(c, requests, rules);
      u.traffic = {t};
      alb ? application_load_balancers(c, u, b) : network_load_balancers(c, u, b);
    });
  }
  if (const auto* cw = top.get("cloudwatch")) {
    Reader r(*cw, "/cloudwatch", out, {"logs_gb", "custom_metrics"});
    if (r.ok()) {
      p.cloudwatch = true;
      p.logs_gb = r.number("logs_gb", 0, 0);
      p.custom_metrics = r.number("custom_metrics", 0, 0);
    }
  }
  if (const auto* sp = top.get("savings_plan")) {
    Reader r(*sp, "/savings_plan", out, {"commitment_usd_per_hour", "discounts"});
    if (r.ok()) {
      SavingsPlanTerms t;
      t.commitment_usd_per_hour = r.number("commitment_usd_per_hour", 0, 0, 1e300, false, true);
      t.hours = hours;
      if (const auto* d = r.get("discounts")) {
        Reader dr(*d, "/savings_plan/discounts", out, {"fargate", "lambda", "ec2"});
        for (auto [key, service] : {std::pair{"fargate", "AWS Fargate"}, std::pair{"lambda", "AWS Lambda"},
                                    std::pair{"ec2", "Amazon EC2"}})
          if (const auto x = dr.optional_number(key, 0, 1, true)) t.discount_by_service[service] = *x;
      }
      p.savings_plan = t;
    }
  }
  return p;
}

Bill price_parsed(Parsed& p, const PriceCatalog& c, std::vector<Diagnostic>& out) {
  Bill bill;
  bill.title = p.name;
  bill.region = c.region;
  const double hours = p.days * 24;
  const double month_fraction = hours / c.month_hours.get();
  bill.period_hours = hours;
  auto guarded = [&](const std::string& ptr, const std::function<void()>& f) {
    try {
      f();
    } catch (const RateUnavailable& e) {
      out.push_back({ptr, fmt::format("cannot be priced in {}: the catalog has no {} ({})", c.region, e.pointer(), e.reason())});
    } catch (const std::invalid_argument& e) {
      out.push_back({ptr, e.what()});
    }
  };
  for (auto& [ptr, action] : p.actions) guarded(ptr, [&] { action(c, bill); });
  if (!p.lambdas.empty()) {
    std::vector<LambdaUsage> functions;
    for (const auto& l : p.lambdas) {
      LambdaUsage u = l.usage;
      guarded(l.pointer, [&] {
        const double billed = lambda_billed_ms(c, l.duration_ms);
        u.billed_duration_ms = l.on_demand_invocations * billed;
        u.init_duration_ms = l.on_demand_invocations * l.cold_start_fraction * lambda_billed_ms(c, l.init_ms);
        u.provisioned_seconds = u.provisioned_concurrency > 0 ? l.provisioned_hours_per_day * 3600 * p.days : 0;
        u.provisioned_billed_duration_ms = u.invocations * l.provisioned_share * billed;
      });
      functions.push_back(u);
    }
    LambdaBillingOptions o;
    o.free_tier = p.free_tier;
    o.billing_date = p.billing_date;
    o.month_fraction = month_fraction;
    guarded("/lambda", [&] { lambda_functions(c, functions, o, bill); });
  }
  if (p.cloudwatch) {
    if (p.logs_gb > 0) guarded("/cloudwatch/logs_gb", [&] { cloudwatch_logs(c, p.logs_gb, p.free_tier, month_fraction, bill); });
    if (p.custom_metrics > 0)
      guarded("/cloudwatch/custom_metrics",
              [&] { cloudwatch_custom_metrics(c, p.custom_metrics, p.free_tier, month_fraction, bill); });
  }
  if (p.savings_plan) guarded("/savings_plan", [&] { apply_compute_savings_plan(*p.savings_plan, bill); });
  bill.notes.insert(bill.notes.begin(),
                    fmt::format("Prices: {} ({}) catalog effective {}; period {} days = {} h = {} of a {}-hour month; free tier {}",
                                c.region, c.region_name, c.effective_date, format_quantity(p.days), format_quantity(hours),
                                format_quantity(month_fraction), format_quantity(c.month_hours.get()), p.free_tier ? "on" : "off"));
  return bill;
}

}  // namespace

Bill price_usage(const nlohmann::json& usage, const CalculatorOptions& options) {
  std::vector<Diagnostic> out;
  // The region first: its catalog gives the month convention and validates instance types.
  std::string region = options.region ? *options.region : "us-east-1";
  if (!options.region && usage.is_object() && usage.contains("region")) {
    if (usage["region"].is_string()) region = usage["region"].get<std::string>();
  }
  const PriceCatalog* catalog = nullptr;
  try {
    catalog = &PriceCatalog::load(region);
  } catch (const std::invalid_argument& e) {
    out.push_back({options.region ? "" : "/region", e.what()});
  }
  const double month_hours = catalog ? catalog->month_hours.get() : fargatelab::month_hours;
  Parsed parsed = parse_usage(usage, options, month_hours, out);
  if (!out.empty() || !catalog) throw PricingInputError(std::move(out));
  Bill bill = price_parsed(parsed, *catalog, out);
  if (!out.empty()) throw PricingInputError(std::move(out));
  const double period_h = parsed.days * 24;
  if (std::fabs(period_h - month_hours) > 1e-9) {
    // The monthly view re-prices the same usage over the month (730 h), so minimums, free
    // tiers and tiers apply as they would on a monthly bill (not a linear scaling).
    std::vector<Diagnostic> ignored;
    nlohmann::json copy = usage;
    copy["days"] = month_hours / 24;
    Parsed m = parse_usage(copy, options, month_hours, ignored);
    Bill mb = price_parsed(m, *catalog, ignored);
    if (ignored.empty()) bill.monthly_total_usd = mb.total_usd();
  }
  return bill;
}

Bill price_usage_text(std::string_view text, const CalculatorOptions& options, const std::string& source) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    std::string what = e.what();
    const auto pos = what.find("syntax error");
    if (pos != std::string::npos) what = what.substr(pos);
    throw PricingInputError({{"", fmt::format("{}: invalid JSON: {}", source, what)}});
  }
  return price_usage(doc, options);
}

Bill price_usage_file(const std::string& path, const CalculatorOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw PricingInputError({{"", fmt::format("cannot read usage file \"{}\"", path)}});
  std::ostringstream buf;
  buf << in.rdbuf();
  return price_usage_text(buf.str(), options, path);
}

}  // namespace fargatelab::detail
