#include "pricing/pricing_rules.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <tuple>

#include <fmt/format.h>

namespace fargatelab::detail {

namespace {

constexpr double kSecondsPerHour = 3600;
// Tolerance for rounding up: 60.0000000001 s (from floating arithmetic) is billed 60 s.
constexpr double kEps = 1e-9;

double ceil_to(double x, double step) { return std::ceil(x / step - kEps) * step; }

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument(what);
}

void require_non_negative(double x, const std::string& name, const std::string& what) {
  require(std::isfinite(x) && x >= 0, fmt::format("{}: {} must be a number >= 0, got {}", name, what, x));
}

std::string q(double x) { return format_quantity(x); }
std::string r(double usd) { return format_rate(usd); }
std::string usd(double x) { return format_usd(x); }
std::string label(const std::string& what, const std::string& name) {
  return name.empty() ? what : fmt::format("{} ({})", what, name);
}

LineItem& add(Bill& bill, std::string service, std::string item, double quantity, std::string unit, double rate,
              std::string arithmetic_prefix, double sp_discount = 0) {
  LineItem li;
  li.service = std::move(service);
  li.item = std::move(item);
  li.quantity = quantity;
  li.unit = std::move(unit);
  li.rate_usd = rate;
  li.amount_usd = quantity * rate;
  li.arithmetic = fmt::format("{}{} {} x {}/{} = {}", arithmetic_prefix, q(quantity), li.unit, r(rate), li.unit,
                              usd(li.amount_usd));
  li.savings_plan_discount = sp_discount;
  bill.items.push_back(std::move(li));
  return bill.items.back();
}

struct Billed {
  double runs = 0;
  double seconds = 0;  // billed seconds, all runs
  std::string text;    // "2 runs x 2,628,000 s" with the minimum shown when it applied
};

Billed bill_runs(const std::vector<RunGroup>& runs, double rounding_s, double minimum_s, const std::string& name,
                 const char* what) {
  Billed b;
  std::vector<std::string> parts;
  for (const auto& g : runs) {
    require_non_negative(g.count, name, std::string(what) + " count");
    require_non_negative(g.seconds, name, std::string(what) + " seconds");
    if (g.count == 0) continue;
    const double each = billed_seconds(g.seconds, rounding_s, minimum_s);
    b.runs += g.count;
    b.seconds += g.count * each;
    std::string part = fmt::format("{} {}{} x {} s", q(g.count), what, g.count == 1 ? "" : "s", q(each));
    if (each != g.seconds)
      part += each == minimum_s && g.seconds < minimum_s ? fmt::format(" ({} s run, {} s minimum)", q(g.seconds), q(minimum_s))
                                                         : fmt::format(" ({} s rounded up)", q(g.seconds));
    parts.push_back(std::move(part));
  }
  for (std::size_t i = 0; i < parts.size(); ++i) b.text += (i ? " + " : "") + parts[i];
  if (parts.empty()) b.text = fmt::format("0 {}s", what);
  return b;
}

const char* os_arch_label(Os os, Arch arch) {
  if (os == Os::Windows) return "Windows/x86_64";
  return arch == Arch::arm64 ? "Linux/arm64" : "Linux/x86_64";
}

}  // namespace

std::string to_string(Arch a) { return a == Arch::arm64 ? "arm64" : "x86_64"; }

double billed_seconds(double seconds, double rounding_s, double minimum_s) {
  return std::max(ceil_to(seconds, rounding_s), minimum_s);
}

// ----------------------------------------------------------------------------- tiers

double tiered_amount(const TieredRate& rate, double already, double quantity, double bound_scale,
                     const LineItem& prototype, const std::string& quantity_text, Bill& bill) {
  const auto& tiers = rate.get();
  double total = 0;
  double lower = 0;
  const double start = already, end = already + quantity;
  bool first_line = true;
  for (std::size_t i = 0; i < tiers.size(); ++i) {
    const double upper = tiers[i].up_to ? *tiers[i].up_to * bound_scale : std::numeric_limits<double>::infinity();
    const double portion = std::max(0.0, std::min(end, upper) - std::max(start, lower));
    if (portion > 0 || (quantity == 0 && i == 0)) {
      LineItem li = prototype;
      li.quantity = portion;
      li.rate_usd = tiers[i].value;
      li.amount_usd = portion * tiers[i].value;
      if (tiers.size() > 1)
        li.item += tiers[i].up_to ? fmt::format(", tier {} ({}-{} {}/month)", i + 1, q(lower / bound_scale),
                                                q(*tiers[i].up_to), li.unit)
                                  : fmt::format(", tier {} (over {} {}/month)", i + 1, q(lower / bound_scale), li.unit);
      std::string scale_note =
          bound_scale != 1 && tiers.size() > 1 ? fmt::format(" [tier bounds x {} of a month]", q(bound_scale)) : "";
      li.arithmetic = fmt::format("{}{} {} x {}/{} = {}{}", first_line && !quantity_text.empty() ? quantity_text + "; " : "",
                                  q(portion), li.unit, r(li.rate_usd), li.unit, usd(li.amount_usd), scale_note);
      first_line = false;
      total += li.amount_usd;
      bill.items.push_back(std::move(li));
    }
    if (end <= upper) return total;
    lower = upper;
  }
  throw RateUnavailable(rate.region, rate.pointer,
                        fmt::format("no rate is sourced above {} {} per month (asked to price {})",
                                    q(lower / bound_scale), rate.unit, q(end / bound_scale)));
}

// ----------------------------------------------------------------------------- Fargate

void fargate_tasks(const PriceCatalog& c, const FargateUsage& u, Bill& bill) {
  const auto& f = c.fargate;
  const bool windows = u.os == Os::Windows;
  require(!(windows && u.spot), u.name + ": Fargate Spot runs Linux tasks only (Fargate pricing page)");
  require(!(windows && u.arch == Arch::arm64), u.name + ": Windows on Fargate is x86_64 only");
  require_non_negative(u.vcpu, u.name, "vcpu");
  require_non_negative(u.memory_gb, u.name, "memory_gb");
  require_non_negative(u.ephemeral_gb, u.name, "ephemeral_gb");
  const double minimum = windows ? f.windows_minimum_s.get() : f.linux_minimum_s.get();
  const Billed b = bill_runs(u.runs, f.rounding_s.get(), minimum, u.name, "run");
  const double hours = b.seconds / kSecondsPerHour;
  double discount = 0;
  if (u.spot) {
    discount = u.spot_discount ? *u.spot_discount : f.spot_discount.get();
    require(discount >= 0 && discount < 1, u.name + ": spot_discount must be in [0, 1)");
  }
  const double keep = 1 - discount;
  const double sp = u.spot ? 0 : f.savings_plan_discount.available ? f.savings_plan_discount.value : 0;
  const Rate& vcpu_rate = windows ? f.windows_vcpu_hour : u.arch == Arch::arm64 ? f.linux_arm64.vcpu_hour : f.linux_x86_64.vcpu_hour;
  const Rate& gb_rate = windows ? f.windows_gb_hour : u.arch == Arch::arm64 ? f.linux_arm64.gb_hour : f.linux_x86_64.gb_hour;
  const std::string kind = std::string(u.spot ? "Spot " : "") + os_arch_label(u.os, u.arch);
  const std::string spot_text = u.spot ? fmt::format(" (On-Demand x (1 - {}) Spot)", q(discount)) : "";
  const std::string time = fmt::format("{} = {} h; ", b.text, q(hours));
  const double vcpu_rate_v = vcpu_rate.get() * keep;
  const double gb_rate_v = gb_rate.get() * keep;
  add(bill, "AWS Fargate", label(kind + " vCPU", u.name), hours * u.vcpu, "vCPU-h", vcpu_rate_v,
      fmt::format("{}{} h x {} vCPU{} = ", time, q(hours), q(u.vcpu), spot_text), sp);
  add(bill, "AWS Fargate", label(kind + " memory", u.name), hours * u.memory_gb, "GB-h", gb_rate_v,
      fmt::format("{} h x {} GB{} = ", q(hours), q(u.memory_gb), spot_text), sp);
  if (windows)
    add(bill, "AWS Fargate", label("Windows OS licence", u.name), hours * u.vcpu, "vCPU-h",
        f.windows_os_license_vcpu_hour.get(), fmt::format("{} h x {} vCPU = ", q(hours), q(u.vcpu)), sp);
  const double free_gb = f.ephemeral_free_gb.get();
  if (u.ephemeral_gb > free_gb)
    add(bill, "AWS Fargate", label("Ephemeral storage above " + q(free_gb) + " GB", u.name),
        hours * (u.ephemeral_gb - free_gb), "GB-h", f.ephemeral_gb_hour.get(),
        fmt::format("{} h x ({} GB - {} GB free) = ", q(hours), q(u.ephemeral_gb), q(free_gb)));
}

// ----------------------------------------------------------------------------- Lambda

double lambda_billed_ms(const PriceCatalog& c, double duration_ms) {
  return ceil_to(std::max(0.0, duration_ms), c.lambda.duration_rounding_ms.get());
}

bool lambda_init_billed(const PriceCatalog& c, const LambdaUsage& u, const std::string& billing_date) {
  if (u.package == LambdaPackage::image || u.custom_runtime) return true;
  const std::string& date = billing_date.empty() ? c.effective_date : billing_date;
  return date >= c.lambda.init_billed_since.value;  // YYYY-MM-DD compares as text
}

void lambda_snapstart(const PriceCatalog& c, const std::string& name, double memory_gb, double cached_seconds,
                      double restores, Bill& bill) {
  require_non_negative(memory_gb, name, "memory");
  require_non_negative(cached_seconds, name, "cached seconds");
  require_non_negative(restores, name, "restores");
  add(bill, "AWS Lambda", label("SnapStart cache", name), memory_gb * cached_seconds, "GB-s", c.lambda.snapstart_cache_gb_s.get(),
      fmt::format("{} GB x {} s = ", q(memory_gb), q(cached_seconds)));
  add(bill, "AWS Lambda", label("SnapStart restore", name), memory_gb * restores, "GB", c.lambda.snapstart_restore_gb.get(),
      fmt::format("{} restores x {} GB = ", q(restores), q(memory_gb)));
}

void lambda_functions(const PriceCatalog& c, const std::vector<LambdaUsage>& functions, const LambdaBillingOptions& o,
                      Bill& bill) {
  const auto& l = c.lambda;
  require(o.month_fraction > 0, "Lambda: month_fraction must be > 0");
  struct ArchTotals {
    double requests = 0, free_eligible_requests = 0;
    double gb_s = 0, free_eligible_gb_s = 0;
    double ephemeral_gb_s = 0;
    bool any = false;
  };
  ArchTotals totals[2];
  std::vector<const LambdaUsage*> provisioned;
  const std::string date = o.billing_date.empty() ? c.effective_date : o.billing_date;
  for (const auto& u : functions) {
    for (auto [x, what] : {std::tuple{u.memory_mb, "memory_mb"}, std::tuple{u.ephemeral_mb, "ephemeral_mb"},
                           std::tuple{u.invocations, "invocations"}, std::tuple{u.billed_duration_ms, "billed_duration_ms"},
                           std::tuple{u.init_duration_ms, "init_duration_ms"},
                           std::tuple{u.provisioned_concurrency, "provisioned_concurrency"},
                           std::tuple{u.provisioned_seconds, "provisioned_seconds"},
                           std::tuple{u.provisioned_billed_duration_ms, "provisioned_billed_duration_ms"},
                           std::tuple{u.provisioned_environment_seconds.value_or(0), "provisioned_environment_seconds"}})
      require_non_negative(x, u.name, what);
    ArchTotals& t = totals[u.arch == Arch::arm64 ? 1 : 0];
    t.any = true;
    const double mem_gb = u.memory_mb / 1024;
    const bool init_billed = lambda_init_billed(c, u, date);
    const double init_ms = init_billed ? u.init_duration_ms : 0;
    const double od_gb_s = mem_gb * (u.billed_duration_ms + init_ms) / 1000;
    const bool has_pc = u.provisioned_concurrency > 0;
    t.requests += u.invocations;
    t.gb_s += od_gb_s;
    if (!has_pc) {
      t.free_eligible_requests += u.invocations;
      t.free_eligible_gb_s += od_gb_s;
    }
    const double extra_mb = std::max(0.0, u.ephemeral_mb - l.ephemeral_free_mb.get());
    const double all_ms = u.billed_duration_ms + init_ms + u.provisioned_billed_duration_ms;
    t.ephemeral_gb_s += extra_mb / 1024 * all_ms / 1000;
    std::string note = fmt::format("{} ({}, {} MB): {} invocations; {} ms billed duration", u.name.empty() ? "function" : u.name,
                                   to_string(u.arch), q(u.memory_mb), q(u.invocations), q(u.billed_duration_ms));
    if (u.init_duration_ms > 0)
      note += fmt::format(" + {} ms INIT ({})", q(u.init_duration_ms),
                          init_billed ? "billed" : fmt::format("not billed before {}", l.init_billed_since.value));
    note += fmt::format(" = {} ms x {} GB / 1000 = {} GB-s on demand", q(u.billed_duration_ms + init_ms), q(mem_gb), q(od_gb_s));
    if (has_pc) note += "; has provisioned concurrency, so no free tier";
    bill.notes.push_back(std::move(note));
    if (has_pc) provisioned.push_back(&u);
  }

  double free_requests = o.free_tier ? l.free_requests.get() * o.month_fraction : 0;
  double free_gb_s = o.free_tier ? l.free_gb_s.get() * o.month_fraction : 0;
  for (int a = 0; a < 2; ++a) {
    const ArchTotals& t = totals[a];
    if (!t.any) continue;
    const LambdaArchRates& rates = a == 1 ? l.arm64 : l.x86_64;
    const std::string arch = a == 1 ? "arm64" : "x86_64";
    const double sp = l.savings_plan_discount.available ? l.savings_plan_discount.value : 0;
    // Requests
    const double free_req = std::min(free_requests, t.free_eligible_requests);
    free_requests -= free_req;
    const double per_request = rates.requests_per_million.get() / 1e6;
    {
      LineItem& li = add(bill, "AWS Lambda", "Requests (" + arch + ")", t.requests - free_req, "requests", per_request, "");
      li.arithmetic = free_req > 0 ? fmt::format("({} requests - {} free) x {}/1M = {}", q(t.requests), q(free_req),
                                                 r(rates.requests_per_million.get()), usd(li.amount_usd))
                                   : fmt::format("{} requests x {}/1M = {}", q(t.requests), r(rates.requests_per_million.get()),
                                                 usd(li.amount_usd));
    }
    // Duration, through the monthly tiers; the free GB-seconds are the month's first.
    const double free_d = std::min(free_gb_s, t.free_eligible_gb_s);
    free_gb_s -= free_d;
    LineItem proto;
    proto.service = "AWS Lambda";
    proto.item = "Duration (" + arch + ")";
    proto.unit = "GB-s";
    proto.savings_plan_discount = sp;
    const std::string qtext =
        free_d > 0 ? fmt::format("{} GB-s - {} GB-s free = {} GB-s", q(t.gb_s), q(free_d), q(t.gb_s - free_d)) : "";
    tiered_amount(rates.duration_gb_s, free_d, t.gb_s - free_d, o.month_fraction, proto, qtext, bill);
    if (t.ephemeral_gb_s > 0)
      add(bill, "AWS Lambda", "Ephemeral storage above " + q(l.ephemeral_free_mb.get()) + " MB (" + arch + ")", t.ephemeral_gb_s,
          "GB-s", rates.ephemeral_gb_s.get(), "");
  }
  for (const LambdaUsage* u : provisioned) {
    const LambdaArchRates& rates = u->arch == Arch::arm64 ? l.arm64 : l.x86_64;
    const double sp = l.savings_plan_discount.available ? l.savings_plan_discount.value : 0;
    const double mem_gb = u->memory_mb / 1024;
    const double step = l.provisioned_rounding_s.get();
    const double seconds = ceil_to(u->provisioned_seconds, step);
    if (u->provisioned_environment_seconds) {
      add(bill, "AWS Lambda", label("Provisioned concurrency", u->name), *u->provisioned_environment_seconds * mem_gb, "GB-s",
          rates.provisioned_concurrency_gb_s.get(),
          fmt::format("{} environment-s (the configured level over time, at most {}) x {} GB = ",
                      q(*u->provisioned_environment_seconds), q(u->provisioned_concurrency), q(mem_gb)),
          sp);
    } else {
      add(bill, "AWS Lambda", label("Provisioned concurrency", u->name), u->provisioned_concurrency * mem_gb * seconds, "GB-s",
          rates.provisioned_concurrency_gb_s.get(),
          fmt::format("{} environments x {} GB x {} s{} = ", q(u->provisioned_concurrency), q(mem_gb), q(seconds),
                      seconds != u->provisioned_seconds
                          ? fmt::format(" ({} s rounded up to a multiple of {} s)", q(u->provisioned_seconds), q(step))
                          : ""),
          sp);
    }
    add(bill, "AWS Lambda", label("Provisioned duration", u->name), mem_gb * u->provisioned_billed_duration_ms / 1000, "GB-s",
        rates.provisioned_duration_gb_s.get(),
        fmt::format("{} ms x {} GB / 1000 = ", q(u->provisioned_billed_duration_ms), q(mem_gb)), sp);
  }
}

// ----------------------------------------------------------------------------- EC2

void ec2_instances(const PriceCatalog& c, const Ec2Usage& u, Bill& bill) {
  const auto& rates = c.ec2_instance(u.instance_type);
  const double od = rates.on_demand_hour.get();
  double rate = od;
  std::string spot_text;
  if (u.spot) {
    const double s = u.spot_savings_percent ? *u.spot_savings_percent : rates.spot_savings_percent.get();
    require(s >= 0 && s < 100, u.name + ": spot_savings_percent must be in [0, 100)");
    rate = od * (1 - s / 100);
    spot_text = fmt::format(" (On-Demand {}/h x (1 - {}%))", r(od), q(s));
  }
  const Billed b = bill_runs(u.runs, c.ec2.rounding_s.get(), c.ec2.minimum_s.get(), u.name, "run");
  const double hours = b.seconds / kSecondsPerHour;
  const double sp = u.spot || !c.ec2.savings_plan_discount.available ? 0 : c.ec2.savings_plan_discount.value;
  add(bill, "Amazon EC2", label(u.instance_type + (u.spot ? " Spot" : " On-Demand") + " Linux", u.name), hours,
      "instance-h", rate, fmt::format("{}{} = ", b.text, spot_text), sp);
}

// ----------------------------------------------------------------------------- App Runner

void app_runner_service(const PriceCatalog& c, const AppRunnerUsage& u, Bill& bill) {
  const auto& a = c.app_runner;
  require_non_negative(u.vcpu, u.name, "vcpu");
  require_non_negative(u.memory_gb, u.name, "memory_gb");
  require_non_negative(u.provisioned_instance_seconds, u.name, "provisioned_instance_seconds");
  require_non_negative(u.build_minutes, u.name, "build_minutes");
  const double provisioned_s = ceil_to(u.provisioned_instance_seconds, a.rounding_s.get());
  const double provisioned_h = provisioned_s / kSecondsPerHour;
  add(bill, "AWS App Runner", label("Provisioned memory", u.name), provisioned_h * u.memory_gb, "GB-h",
      a.provisioned_gb_hour.get(), fmt::format("{} instance-s = {} instance-h x {} GB = ", q(provisioned_s), q(provisioned_h), q(u.memory_gb)));
  const Billed b = bill_runs(u.activations, a.rounding_s.get(), a.active_vcpu_minimum_s.get(), u.name, "activation");
  const double active_h = b.seconds / kSecondsPerHour;
  add(bill, "AWS App Runner", label("Active vCPU", u.name), active_h * u.vcpu, "vCPU-h", a.active_vcpu_hour.get(),
      fmt::format("{} = {} instance-h x {} vCPU = ", b.text, q(active_h), q(u.vcpu)));
  if (u.automatic_deployments)
    add(bill, "AWS App Runner", label("Automatic deployments", u.name), u.month_fraction, "application-months",
        a.automatic_deployment_month.get(), "1 application x " + q(u.month_fraction) + " month = ");
  if (u.build_minutes > 0)
    add(bill, "AWS App Runner", label("Build", u.name), u.build_minutes, "build-minutes", a.build_minute.get(), "");
}

// ----------------------------------------------------------------------------- networking

void nat_gateways(const PriceCatalog& c, const NatUsage& u, Bill& bill) {
  const auto& n = c.networking;
  require_non_negative(u.gateways, u.name, "gateways");
  require_non_negative(u.hours_each, u.name, "hours");
  require_non_negative(u.gb_processed, u.name, "gb_processed");
  const double hours = ceil_to(u.hours_each, n.nat_gateway_hour_rounding_h.get());
  std::string rounded = hours != u.hours_each ? fmt::format(" ({} h, partial hour billed as full)", q(u.hours_each)) : "";
  add(bill, "Amazon VPC", label("NAT gateway hours", u.name), u.gateways * hours, "gateway-h", n.nat_gateway_hour.get(),
      fmt::format("{} gateways x {} h{} = ", q(u.gateways), q(hours), rounded));
  add(bill, "Amazon VPC", label("NAT gateway data processed", u.name), u.gb_processed, "GB", n.nat_gateway_gb.get(), "");
}

void vpc_endpoints(const PriceCatalog& c, const EndpointUsage& u, Bill& bill) {
  const auto& n = c.networking;
  require_non_negative(u.endpoints, u.name, "endpoints");
  require_non_negative(u.azs, u.name, "azs");
  require_non_negative(u.hours, u.name, "hours");
  require_non_negative(u.gb_processed, u.name, "gb_processed");
  if (u.type == EndpointType::gateway) {
    add(bill, "Amazon VPC", label("Gateway endpoint hours (free)", u.name), u.endpoints * u.hours, "endpoint-h",
        n.gateway_endpoint_hour.get(), fmt::format("{} endpoints x {} h = ", q(u.endpoints), q(u.hours)));
    add(bill, "Amazon VPC", label("Gateway endpoint data (free)", u.name), u.gb_processed, "GB", n.gateway_endpoint_gb.get(), "");
    return;
  }
  add(bill, "Amazon VPC", label("Interface endpoint hours", u.name), u.endpoints * u.azs * u.hours, "endpoint-AZ-h",
      n.interface_endpoint_az_hour.get(), fmt::format("{} endpoints x {} AZs x {} h = ", q(u.endpoints), q(u.azs), q(u.hours)));
  LineItem proto;
  proto.service = "Amazon VPC";
  proto.item = label("Interface endpoint data processed", u.name);
  proto.unit = "GB";
  tiered_amount(n.interface_endpoint_gb, 0, u.gb_processed, u.month_fraction, proto, "", bill);
}

void inter_az_transfer(const PriceCatalog& c, const std::string& name, double gb, Bill& bill) {
  require_non_negative(gb, name, "gb");
  const double rate = c.networking.inter_az_gb_each_direction.get();
  add(bill, "Data Transfer", label("Inter-AZ transfer out", name), gb, "GB", rate, "");
  add(bill, "Data Transfer", label("Inter-AZ transfer in", name), gb, "GB", rate, "");
}

void public_ipv4(const PriceCatalog& c, const std::string& name, double addresses, double hours, Bill& bill) {
  require_non_negative(addresses, name, "addresses");
  require_non_negative(hours, name, "hours");
  add(bill, "Amazon VPC", label("Public IPv4 addresses", name), addresses * hours, "address-h",
      c.networking.public_ipv4_hour.get(), fmt::format("{} addresses x {} h = ", q(addresses), q(hours)));
}

// ----------------------------------------------------------------------------- ELB

double alb_rule_evaluations_per_s(const PriceCatalog& c, double requests_per_s, double rules_per_request) {
  return requests_per_s * std::max(0.0, rules_per_request - c.alb.free_rules_per_request.get());
}

double alb_lcus(const PriceCatalog& c, const LbTraffic& t, bool mutual_tls, bool lambda_targets) {
  const auto& a = c.alb;
  const double active = mutual_tls ? a.lcu_active_connections_per_min_mtls.get() : a.lcu_active_connections_per_min.get();
  const double gb = lambda_targets ? a.lcu_processed_gb_per_h_lambda.get() : a.lcu_processed_gb_per_h.get();
  return std::max({t.new_connections_per_s / a.lcu_new_connections_per_s.get(), t.active_connections_per_min / active,
                   t.processed_gb_per_h / gb, t.rule_evaluations_per_s / a.lcu_rule_evaluations_per_s.get()});
}

double nlb_nlcus(const PriceCatalog& c, const LbTraffic& t, NlbProtocol p) {
  const auto& n = c.nlb;
  const bool udp = p == NlbProtocol::udp;
  return std::max({t.new_connections_per_s / (udp ? n.udp_new_flows_per_s.get() : n.tcp_new_flows_per_s.get()),
                   t.active_connections_per_min / (udp ? n.udp_active_flows.get() : n.tcp_active_flows.get()),
                   t.processed_gb_per_h / n.processed_gb_per_h.get()});
}

namespace {

void load_balancers(const PriceCatalog& c, const LoadBalancerUsage& u, Bill& bill, bool alb) {
  require_non_negative(u.load_balancers, u.name, "load_balancers");
  require_non_negative(u.hours_each, u.name, "hours");
  const char* kind = alb ? "ALB" : "NLB";
  const Rate& hour_rate = alb ? c.alb.hour : c.nlb.hour;
  const Rate& cu_rate = alb ? c.alb.lcu_hour : c.nlb.nlcu_hour;
  const double hours = ceil_to(u.hours_each, (alb ? c.alb.hour_rounding_h : c.nlb.hour_rounding_h).get());
  std::string rounded = hours != u.hours_each ? fmt::format(" ({} h, partial hour billed as full)", q(u.hours_each)) : "";
  add(bill, "Elastic Load Balancing", label(std::string(kind) + " hours", u.name), u.load_balancers * hours,
      std::string(kind) + "-h", hour_rate.get(), fmt::format("{} {}s x {} h{} = ", q(u.load_balancers), kind, q(hours), rounded));
  double cu_hours = 0;
  std::string parts;
  for (const auto& t : u.traffic) {
    for (auto [x, what] : {std::pair{t.hours, "traffic hours"}, std::pair{t.new_connections_per_s, "new connections/s"},
                           std::pair{t.active_connections_per_min, "active connections/min"},
                           std::pair{t.processed_gb_per_h, "processed GB/h"},
                           std::pair{t.rule_evaluations_per_s, "rule evaluations/s"}})
      require_non_negative(x, u.name, what);
    std::string dims;
    double units;
    if (alb) {
      const auto& a = c.alb;
      units = alb_lcus(c, t, u.mutual_tls, u.lambda_targets);
      dims = fmt::format("max({} new/s / {}, {} active/min / {}, {} GB/h / {}, {} rule evals/s / {})", q(t.new_connections_per_s),
                         q(a.lcu_new_connections_per_s.get()), q(t.active_connections_per_min),
                         q(u.mutual_tls ? a.lcu_active_connections_per_min_mtls.get() : a.lcu_active_connections_per_min.get()),
                         q(t.processed_gb_per_h),
                         q(u.lambda_targets ? a.lcu_processed_gb_per_h_lambda.get() : a.lcu_processed_gb_per_h.get()),
                         q(t.rule_evaluations_per_s), q(a.lcu_rule_evaluations_per_s.get()));
    } else {
      const auto& n = c.nlb;
      const bool udp = u.protocol == NlbProtocol::udp;
      units = nlb_nlcus(c, t, u.protocol);
      dims = fmt::format("max({} new flows/s / {}, {} active flows / {}, {} GB/h / {})", q(t.new_connections_per_s),
                         q(udp ? n.udp_new_flows_per_s.get() : n.tcp_new_flows_per_s.get()), q(t.active_connections_per_min),
                         q(udp ? n.udp_active_flows.get() : n.tcp_active_flows.get()), q(t.processed_gb_per_h),
                         q(n.processed_gb_per_h.get()));
    }
    cu_hours += units * t.hours;
    parts += fmt::format("{}{} = {} {} x {} h", parts.empty() ? "" : " + ", dims, q(units), alb ? "LCU" : "NLCU", q(t.hours));
  }
  const std::string unit = alb ? "LCU-h" : "NLCU-h";
  add(bill, "Elastic Load Balancing", label(std::string(kind) + (alb ? " LCU-hours" : " NLCU-hours"), u.name),
      u.load_balancers * cu_hours, unit, cu_rate.get(),
      fmt::format("{} x {} {}s = ", parts.empty() ? "no traffic" : parts, q(u.load_balancers), kind));
}

}  // namespace

void application_load_balancers(const PriceCatalog& c, const LoadBalancerUsage& u, Bill& bill) {
  load_balancers(c, u, bill, true);
}
void network_load_balancers(const PriceCatalog& c, const LoadBalancerUsage& u, Bill& bill) {
  load_balancers(c, u, bill, false);
}

// ----------------------------------------------------------------------------- CloudWatch

void cloudwatch_logs(const PriceCatalog& c, double gb, bool free_tier, double month_fraction, Bill& bill) {
  require_non_negative(gb, "CloudWatch Logs", "gb_ingested");
  const double free = free_tier ? std::min(gb, c.cloudwatch.logs_free_gb.get() * month_fraction) : 0;
  LineItem& li = add(bill, "Amazon CloudWatch", "Logs ingestion (Standard)", gb - free, "GB",
                     c.cloudwatch.logs_ingestion_gb.get(), "");
  if (free > 0)
    li.arithmetic = fmt::format("({} GB - {} GB free) x {}/GB = {}", q(gb), q(free), r(li.rate_usd), usd(li.amount_usd));
}

void cloudwatch_custom_metrics(const PriceCatalog& c, double metrics, bool free_tier, double month_fraction, Bill& bill,
                               const std::string& item) {
  require_non_negative(metrics, "CloudWatch", "custom_metrics");
  const double metric_months = metrics * month_fraction;
  const double free = free_tier ? std::min(metric_months, c.cloudwatch.free_metrics.get() * month_fraction) : 0;
  LineItem proto;
  proto.service = "Amazon CloudWatch";
  proto.item = item;
  proto.unit = "metric-months";
  std::string text = fmt::format("{} metrics x {} month", q(metrics), q(month_fraction));
  if (free > 0) text += fmt::format(" - {} free", q(free));
  tiered_amount(c.cloudwatch.custom_metric_month, free, metric_months - free, month_fraction, proto, text, bill);
}

void cloudwatch_scaling(const PriceCatalog& c, const CloudWatchUsage& u, double month_fraction, Bill& bill) {
  require_non_negative(u.alarm_metrics, u.name, "alarm metrics");
  require_non_negative(u.high_resolution_alarm_metrics, u.name, "high-resolution alarm metrics");
  struct Kind {
    double count;
    const Rate& rate;
    const char* what;
  };
  for (const Kind& k : {Kind{u.alarm_metrics, c.cloudwatch.alarm_metric_month, "Alarm metrics"},
                        Kind{u.high_resolution_alarm_metrics, c.cloudwatch.high_resolution_alarm_metric_month,
                             "High-resolution alarm metrics"}}) {
    if (k.count <= 0) continue;
    add(bill, "Amazon CloudWatch", label(k.what, u.name), k.count * month_fraction, "alarm-metric-months", k.rate.get(),
        fmt::format("{} alarm metrics x {} month = ", q(k.count), q(month_fraction)));
  }
  if (u.high_resolution_metrics > 0)
    cloudwatch_custom_metrics(c, u.high_resolution_metrics, false, month_fraction, bill,
                              label("ECS 20 s service metrics", u.name));
}

// ----------------------------------------------------------------------------- Savings Plans

void apply_compute_savings_plan(const SavingsPlanTerms& terms, Bill& bill) {
  require(std::isfinite(terms.commitment_usd_per_hour) && terms.commitment_usd_per_hour >= 0,
          "Savings Plan: commitment_usd_per_hour must be >= 0");
  require(terms.hours > 0, "Savings Plan: hours must be > 0");
  struct Group {
    std::string service;
    double discount = 0;
    double on_demand_per_hour = 0;
  };
  std::vector<Group> groups;
  for (const auto& i : bill.items) {
    if (i.savings_plan_discount <= 0 || i.amount_usd <= 0) continue;
    const auto o = terms.discount_by_service.find(i.service);
    const double d = o != terms.discount_by_service.end() ? o->second : i.savings_plan_discount;
    require(d >= 0 && d < 1, "Savings Plan: the discount of " + i.service + " must be in [0, 1)");
    auto g = std::find_if(groups.begin(), groups.end(), [&](const Group& x) { return x.service == i.service && x.discount == d; });
    if (g == groups.end()) groups.push_back({i.service, d, 0}), g = groups.end() - 1;
    g->on_demand_per_hour += i.amount_usd / terms.hours;
  }
  std::stable_sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) { return a.discount > b.discount; });
  add(bill, "Savings Plans", "Compute Savings Plan commitment", terms.hours, "h", terms.commitment_usd_per_hour, "");
  double left = terms.commitment_usd_per_hour;
  for (const auto& g : groups) {
    const double sp_cost = g.on_demand_per_hour * (1 - g.discount);
    const double covered = left >= sp_cost ? g.on_demand_per_hour : left / (1 - g.discount);
    left = std::max(0.0, left - covered * (1 - g.discount));
    LineItem li;
    li.service = "Savings Plans";
    li.item = "Covered usage: " + g.service;
    li.quantity = covered * terms.hours;
    li.unit = "USD On-Demand";
    li.rate_usd = -1;
    li.amount_usd = -covered * terms.hours;
    li.arithmetic = fmt::format(
        "{}/h On-Demand covered of {}/h (Savings Plan rate at {}% off: {}/h of the commitment) x {} h = {}",
        r(covered), r(g.on_demand_per_hour), q(g.discount * 100), r(covered * (1 - g.discount)), q(terms.hours),
        usd(li.amount_usd));
    bill.items.push_back(std::move(li));
  }
  if (left > 0)
    bill.notes.push_back(fmt::format("Savings Plan: {}/h of the {}/h commitment is unused", r(left), r(terms.commitment_usd_per_hour)));
}

}  // namespace fargatelab::detail
