#include "pricing/price_catalog.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <memory>
#include <mutex>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "fargatelab/constants.hpp"
#include "fargatelab/diagnostics.hpp"

namespace fargatelab::detail {

// Defined in the generated fargatelab_embedded.cpp (sim/embed.cmake).
extern const std::pair<std::string_view, std::string_view> kPriceCatalogs[];
extern const std::size_t kPriceCatalogCount;

RateUnavailable::RateUnavailable(std::string region, std::string pointer, std::string reason)
    : std::runtime_error(fmt::format("the {} price catalog has no {}: {}", region, pointer, reason)),
      region_(std::move(region)),
      pointer_(std::move(pointer)),
      reason_(std::move(reason)) {}

double Rate::get() const {
  if (!available) throw RateUnavailable(region, pointer, unavailable);
  return value;
}

const std::vector<TieredRate::Tier>& TieredRate::get() const {
  if (!available) throw RateUnavailable(region, pointer, unavailable);
  return tiers;
}

namespace {

std::string escape_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

// Walks one JSON object of the catalog, reading the keys the model knows and reporting
// anything missing, mistyped or unknown with its JSON pointer.
class Section {
 public:
  Section(const nlohmann::json* obj, std::string pointer, std::vector<Diagnostic>& out, const std::string& region)
      : obj_(obj), pointer_(std::move(pointer)), out_(out), region_(region) {
    if (obj_ && !obj_->is_object()) {
      out_.push_back({pointer_, "expected an object"});
      obj_ = nullptr;
    }
  }
  ~Section() {
    if (!obj_) return;
    for (const auto& [key, value] : obj_->items())
      if (!used_.count(key) && key != "note" && key != "notes")
        out_.push_back({pointer_ + "/" + escape_token(key), "unknown key"});
  }
  Section(const Section&) = delete;
  Section& operator=(const Section&) = delete;

  std::string at(std::string_view key) const { return pointer_ + "/" + escape_token(key); }

  const nlohmann::json* find(std::string_view key) {
    used_.insert(std::string(key));
    if (!obj_) return nullptr;
    const auto it = obj_->find(std::string(key));
    if (it == obj_->end()) {
      out_.push_back({at(key), "missing"});
      return nullptr;
    }
    return &*it;
  }

  Section section(std::string_view key) { return Section(find(key), at(key), out_, region_); }

  std::string text(std::string_view key) {
    const auto* v = find(key);
    if (!v) return {};
    if (!v->is_string() || v->get<std::string>().empty()) {
      out_.push_back({at(key), "expected a non-empty string"});
      return {};
    }
    return v->get<std::string>();
  }

  Rate rate(std::string_view key) {
    Rate r;
    r.pointer = at(key);
    r.region = region_;
    const auto* v = find(key);
    if (!v) return r;
    Section s(v, r.pointer, out_, region_);
    if (!s.obj_) return r;
    r.unit = s.text("unit");
    r.note = s.optional_text("note");
    const auto* value = s.find("value");
    if (value && value->is_null()) {
      r.available = false;
      r.unavailable = s.text("unavailable");
    } else if (value) {
      if (!value->is_number() || !std::isfinite(value->get<double>()) || value->get<double>() < 0)
        out_.push_back({s.at("value"), "expected a number >= 0, or null with an \"unavailable\" reason"});
      else
        r.value = value->get<double>();
      r.source = s.text("source");
    }
    return r;
  }

  TieredRate tiered(std::string_view key) {
    TieredRate r;
    r.pointer = at(key);
    r.region = region_;
    const auto* v = find(key);
    if (!v) return r;
    Section s(v, r.pointer, out_, region_);
    if (!s.obj_) return r;
    r.unit = s.text("unit");
    r.note = s.optional_text("note");
    const auto* tiers = s.find("tiers");
    if (tiers && tiers->is_null()) {
      r.available = false;
      r.unavailable = s.text("unavailable");
      return r;
    }
    if (!tiers) return r;
    r.source = s.text("source");
    if (!tiers->is_array() || tiers->empty()) {
      out_.push_back({s.at("tiers"), "expected a non-empty array of {\"up_to\", \"value\"}, or null"});
      return r;
    }
    double last = 0;
    for (std::size_t i = 0; i < tiers->size(); ++i) {
      Section t(&(*tiers)[i], fmt::format("{}/{}", s.at("tiers"), i), out_, region_);
      TieredRate::Tier tier;
      const auto* up_to = t.find("up_to");
      const auto* value = t.find("value");
      if (value && (!value->is_number() || value->get<double>() < 0))
        out_.push_back({t.at("value"), "expected a number >= 0"});
      else if (value)
        tier.value = value->get<double>();
      if (up_to && !up_to->is_null()) {
        if (!up_to->is_number() || up_to->get<double>() <= last)
          out_.push_back({t.at("up_to"), fmt::format("expected a number above the previous bound ({:g}), or null", last)});
        else
          last = up_to->get<double>();
        tier.up_to = up_to->get<double>();
      } else if (up_to && i + 1 != tiers->size()) {
        out_.push_back({t.at("up_to"), "only the last tier may be unbounded (null)"});
      }
      r.tiers.push_back(tier);
    }
    return r;
  }

  DateRule date(std::string_view key) {
    DateRule d;
    d.pointer = at(key);
    const auto* v = find(key);
    if (!v) return d;
    Section s(v, d.pointer, out_, region_);
    if (!s.obj_) return d;
    d.value = s.text("value");
    s.text("unit");
    d.source = s.text("source");
    d.note = s.optional_text("note");
    if (!d.value.empty() && !valid_date(d.value)) out_.push_back({s.at("value"), "expected a date YYYY-MM-DD"});
    return d;
  }

  std::string optional_text(std::string_view key) {
    used_.insert(std::string(key));
    if (!obj_) return {};
    const auto it = obj_->find(std::string(key));
    if (it == obj_->end()) return {};
    if (!it->is_string()) {
      out_.push_back({at(key), "expected a string"});
      return {};
    }
    return it->get<std::string>();
  }

  const nlohmann::json* object() const { return obj_; }
  void mark_all_used() {
    if (obj_)
      for (const auto& [k, v] : obj_->items()) used_.insert(k);
  }

  static bool valid_date(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
      if (s[i] < '0' || s[i] > '9') return false;
    const int month = std::stoi(s.substr(5, 2)), day = std::stoi(s.substr(8, 2));
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
  }

 private:
  const nlohmann::json* obj_;
  std::string pointer_;
  std::vector<Diagnostic>& out_;
  const std::string& region_;
  std::set<std::string> used_;
};

void check_rule(const Rate& r, std::vector<Diagnostic>& out) {
  // Billing rules are region-independent and must always be present.
  if (!r.available) out.push_back({r.pointer, "a billing rule cannot be unavailable"});
}

// LCU/NLCU dimensions divide traffic: they must be present and positive.
void check_positive_rule(const Rate& r, std::vector<Diagnostic>& out) {
  check_rule(r, out);
  if (r.available && r.value <= 0) out.push_back({r.pointer, "expected > 0"});
}

PriceCatalog parse(const nlohmann::json& doc) {
  std::vector<Diagnostic> out;
  PriceCatalog c;
  if (!doc.is_object()) throw std::invalid_argument("invalid price catalog: (root): expected an object");
  if (doc.contains("region") && doc["region"].is_string()) c.region = doc["region"].get<std::string>();
  {
    Section root(&doc, "", out, c.region);
    const auto* version = root.find("format_version");
    if (version && (!version->is_number_integer() || version->get<int>() != 1))
      out.push_back({"/format_version", "expected 1"});
    root.text("region");
    c.region_name = root.text("region_name");
    c.effective_date = root.text("effective_date");
    if (!c.effective_date.empty() && !Section::valid_date(c.effective_date))
      out.push_back({"/effective_date", "expected a date YYYY-MM-DD"});
    c.currency = root.text("currency");
    if (!c.currency.empty() && c.currency != "USD") out.push_back({"/currency", "expected \"USD\""});
    c.month_hours = root.rate("month_hours");
    check_rule(c.month_hours, out);
    // The catalog records the month with its source; the code that extrapolates bills (billing,
    // compare, the Python package) uses fargatelab::month_hours, so the two must agree.
    if (c.month_hours.available && c.month_hours.value != fargatelab::month_hours)
      out.push_back({c.month_hours.pointer, fmt::format("expected {:g} (fargatelab::month_hours, AWS's pricing month)", fargatelab::month_hours)});

    {
      Section s = root.section("fargate");
      auto& f = c.fargate;
      f.rounding_s = s.rate("rounding_s");
      f.linux_minimum_s = s.rate("linux_minimum_s");
      f.windows_minimum_s = s.rate("windows_minimum_s");
      {
        Section a = s.section("linux_x86_64");
        f.linux_x86_64 = {a.rate("vcpu_hour"), a.rate("gb_hour")};
      }
      {
        Section a = s.section("linux_arm64");
        f.linux_arm64 = {a.rate("vcpu_hour"), a.rate("gb_hour")};
      }
      {
        Section w = s.section("windows_x86_64");
        f.windows_vcpu_hour = w.rate("vcpu_hour");
        f.windows_gb_hour = w.rate("gb_hour");
        f.windows_os_license_vcpu_hour = w.rate("os_license_vcpu_hour");
      }
      {
        Section e = s.section("ephemeral_storage");
        f.ephemeral_free_gb = e.rate("free_gb");
        f.ephemeral_gb_hour = e.rate("gb_hour");
      }
      {
        Section sp = s.section("spot");
        f.spot_discount = sp.rate("discount");
      }
      {
        Section sp = s.section("compute_savings_plan");
        f.savings_plan_discount = sp.rate("discount");
      }
      for (const Rate* r : {&f.rounding_s, &f.linux_minimum_s, &f.windows_minimum_s, &f.ephemeral_free_gb}) check_rule(*r, out);
    }
    {
      Section s = root.section("lambda");
      auto& l = c.lambda;
      l.duration_rounding_ms = s.rate("duration_rounding_ms");
      l.provisioned_rounding_s = s.rate("provisioned_rounding_s");
      l.ephemeral_free_mb = s.rate("ephemeral_free_mb");
      for (auto [key, arch] : {std::pair{"x86_64", &l.x86_64}, std::pair{"arm64", &l.arm64}}) {
        Section a = s.section(key);
        arch->requests_per_million = a.rate("requests_per_million");
        arch->duration_gb_s = a.tiered("duration_gb_s");
        arch->provisioned_concurrency_gb_s = a.rate("provisioned_concurrency_gb_s");
        arch->provisioned_duration_gb_s = a.rate("provisioned_duration_gb_s");
        arch->ephemeral_gb_s = a.rate("ephemeral_gb_s");
      }
      {
        Section ft = s.section("free_tier");
        l.free_requests = ft.rate("requests");
        l.free_gb_s = ft.rate("gb_s");
      }
      {
        Section ss = s.section("snapstart");
        l.snapstart_cache_gb_s = ss.rate("cache_gb_s");
        l.snapstart_restore_gb = ss.rate("restore_gb");
      }
      {
        Section ib = s.section("init_billing");
        l.init_billed_since = ib.date("on_demand_zip_billed_since");
      }
      {
        Section sp = s.section("compute_savings_plan");
        l.savings_plan_discount = sp.rate("discount");
      }
      for (const Rate* r : {&l.duration_rounding_ms, &l.provisioned_rounding_s, &l.ephemeral_free_mb, &l.free_requests,
                            &l.free_gb_s})
        check_rule(*r, out);
    }
    {
      Section s = root.section("app_runner");
      auto& a = c.app_runner;
      a.rounding_s = s.rate("rounding_s");
      a.active_vcpu_hour = s.rate("active_vcpu_hour");
      a.provisioned_gb_hour = s.rate("provisioned_gb_hour");
      a.active_vcpu_minimum_s = s.rate("active_vcpu_minimum_s");
      a.automatic_deployment_month = s.rate("automatic_deployment_month");
      a.build_minute = s.rate("build_minute");
      check_rule(a.rounding_s, out);
      check_rule(a.active_vcpu_minimum_s, out);
    }
    {
      Section s = root.section("ec2");
      auto& e = c.ec2;
      e.rounding_s = s.rate("rounding_s");
      e.minimum_s = s.rate("minimum_s");
      {
        Section sp = s.section("compute_savings_plan");
        e.savings_plan_discount = sp.rate("discount");
      }
      check_rule(e.rounding_s, out);
      check_rule(e.minimum_s, out);
      Section types = s.section("instances");
      if (types.object()) {
        types.mark_all_used();
        for (const auto& [name, value] : types.object()->items()) {
          if (name == "note" || name == "notes") continue;
          Section t(&value, types.at(name), out, c.region);
          e.instances[name] = {t.rate("on_demand_hour"), t.rate("spot_savings_percent")};
          const Rate& s_pct = e.instances[name].spot_savings_percent;
          if (s_pct.available && s_pct.value > 100) out.push_back({s_pct.pointer + "/value", "expected a percent <= 100"});
        }
      }
    }
    {
      Section s = root.section("networking");
      auto& n = c.networking;
      n.nat_gateway_hour = s.rate("nat_gateway_hour");
      n.nat_gateway_hour_rounding_h = s.rate("nat_gateway_hour_rounding_h");
      n.nat_gateway_gb = s.rate("nat_gateway_gb");
      n.interface_endpoint_az_hour = s.rate("interface_endpoint_az_hour");
      n.interface_endpoint_gb = s.tiered("interface_endpoint_gb");
      n.gateway_endpoint_hour = s.rate("gateway_endpoint_hour");
      n.gateway_endpoint_gb = s.rate("gateway_endpoint_gb");
      n.inter_az_gb_each_direction = s.rate("inter_az_gb_each_direction");
      n.public_ipv4_hour = s.rate("public_ipv4_hour");
      check_rule(n.nat_gateway_hour_rounding_h, out);
    }
    {
      Section s = root.section("elb");
      {
        Section a = s.section("alb");
        auto& r = c.alb;
        r.hour = a.rate("hour");
        r.lcu_hour = a.rate("lcu_hour");
        r.hour_rounding_h = a.rate("hour_rounding_h");
        r.lcu_new_connections_per_s = a.rate("lcu_new_connections_per_s");
        r.lcu_active_connections_per_min = a.rate("lcu_active_connections_per_min");
        r.lcu_active_connections_per_min_mtls = a.rate("lcu_active_connections_per_min_mtls");
        r.lcu_processed_gb_per_h = a.rate("lcu_processed_gb_per_h");
        r.lcu_processed_gb_per_h_lambda = a.rate("lcu_processed_gb_per_h_lambda");
        r.lcu_rule_evaluations_per_s = a.rate("lcu_rule_evaluations_per_s");
        r.free_rules_per_request = a.rate("free_rules_per_request");
        for (const Rate* x : {&r.hour_rounding_h, &r.lcu_new_connections_per_s, &r.lcu_active_connections_per_min,
                              &r.lcu_active_connections_per_min_mtls, &r.lcu_processed_gb_per_h,
                              &r.lcu_processed_gb_per_h_lambda, &r.lcu_rule_evaluations_per_s})
          check_positive_rule(*x, out);
        check_rule(r.free_rules_per_request, out);
      }
      {
        Section a = s.section("nlb");
        auto& r = c.nlb;
        r.hour = a.rate("hour");
        r.nlcu_hour = a.rate("nlcu_hour");
        r.hour_rounding_h = a.rate("hour_rounding_h");
        r.tcp_new_flows_per_s = a.rate("tcp_new_flows_per_s");
        r.udp_new_flows_per_s = a.rate("udp_new_flows_per_s");
        r.tcp_active_flows = a.rate("tcp_active_flows");
        r.udp_active_flows = a.rate("udp_active_flows");
        r.processed_gb_per_h = a.rate("processed_gb_per_h");
        for (const Rate* x : {&r.hour_rounding_h, &r.tcp_new_flows_per_s, &r.udp_new_flows_per_s, &r.tcp_active_flows,
                              &r.udp_active_flows, &r.processed_gb_per_h})
          check_positive_rule(*x, out);
      }
    }
    {
      Section s = root.section("cloudwatch");
      auto& w = c.cloudwatch;
      w.logs_ingestion_gb = s.rate("logs_ingestion_gb");
      w.logs_free_gb = s.rate("logs_free_gb");
      w.custom_metric_month = s.tiered("custom_metric_month");
      w.free_metrics = s.rate("free_metrics");
      w.alarm_metric_month = s.rate("alarm_metric_month");
      w.high_resolution_alarm_metric_month = s.rate("high_resolution_alarm_metric_month");
      check_rule(w.logs_free_gb, out);
      check_rule(w.free_metrics, out);
    }
  }
  for (const Rate* r : {&c.fargate.rounding_s, &c.ec2.rounding_s, &c.app_runner.rounding_s, &c.lambda.duration_rounding_ms,
                        &c.lambda.provisioned_rounding_s, &c.networking.nat_gateway_hour_rounding_h})
    if (r->available && r->value <= 0) out.push_back({r->pointer, "a rounding step must be > 0"});
  if (!out.empty()) {
    std::string msg = fmt::format("invalid price catalog{} ({} problem{})", c.region.empty() ? "" : " " + c.region,
                                  out.size(), out.size() == 1 ? "" : "s");
    for (const auto& d : out) msg += "\n  " + d.to_string();
    throw std::invalid_argument(msg);
  }
  return c;
}

}  // namespace

PriceCatalog PriceCatalog::from_json(const nlohmann::json& doc) { return parse(doc); }

std::vector<std::string> PriceCatalog::known_regions() {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < kPriceCatalogCount; ++i)
    if (!kPriceCatalogs[i].first.empty()) out.emplace_back(kPriceCatalogs[i].first);
  std::sort(out.begin(), out.end());
  return out;
}

const PriceCatalog& PriceCatalog::load(std::string_view region) {
  // Parsed once per region, on first use; the catalogs are immutable afterwards.
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<PriceCatalog>, std::less<>> cache;
  std::lock_guard lock(mutex);
  if (const auto it = cache.find(region); it != cache.end()) return *it->second;
  for (std::size_t i = 0; i < kPriceCatalogCount; ++i) {
    if (kPriceCatalogs[i].first != region || region.empty()) continue;
    auto catalog = std::make_unique<PriceCatalog>(from_json(nlohmann::json::parse(kPriceCatalogs[i].second)));
    if (catalog->region != region)
      throw std::invalid_argument(fmt::format("price catalog file {}.json declares region \"{}\"", region, catalog->region));
    return *cache.emplace(std::string(region), std::move(catalog)).first->second;
  }
  std::string known;
  for (const auto& r : known_regions()) known += (known.empty() ? "" : ", ") + r;
  throw std::invalid_argument(fmt::format("no price catalog for region \"{}\" (known regions: {})", region, known));
}

const Ec2InstanceRates& PriceCatalog::ec2_instance(std::string_view instance_type) const {
  if (const auto it = ec2.instances.find(instance_type); it != ec2.instances.end()) return it->second;
  std::string known;
  for (const auto& [name, rates] : ec2.instances) known += (known.empty() ? "" : ", ") + name;
  throw RateUnavailable(region, "/ec2/instances/" + escape_token(instance_type),
                        known.empty() ? "no instance type is priced in this catalog"
                                      : "instance type not in the catalog (priced types: " + known + ")");
}

}  // namespace fargatelab::detail
