#include "pricing/billing_meter.hpp"

#include "fargatelab/constants.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "pricing/price_catalog.hpp"
#include "pricing/pricing_rules.hpp"

namespace fargatelab::detail {
namespace {

constexpr double kMonthHours = fargatelab::month_hours;  // fargatelab/constants.hpp
constexpr double kMbPerGb = 1024.0;

bool gateway_endpoint(const std::string& name) { return name == "s3" || name == "dynamodb"; }

}  // namespace

Bill BillingMeter::finish(const std::vector<PlatformRuntime*>& platforms, const std::vector<TimeSeriesRow>& series,
                          const std::vector<std::string>& series_columns, int replication,
                          const std::vector<CloudWatchUsage>& cloudwatch) {
  const PriceCatalog& catalog = PriceCatalog::load(spec_.pricing_region);
  const double hours = (sim_.now() - from_).to_seconds() / 3600.0;
  const double month_fraction = hours / kMonthHours;
  Bill bill;
  bill.title = spec_.name;
  bill.region = spec_.pricing_region;
  bill.period_hours = hours;
  std::set<std::string> zones;
  for (const auto& s : spec_.network.subnets) zones.insert(s.az);

  BillingPeriod period{catalog, from_, sim_.now()};
  period.hours = hours;
  period.month_fraction = month_fraction;
  for (PlatformRuntime* p : platforms) p->bill(period, bill);

  // Load balancers (only ECS services have one): capacity units per hour from the simulated traffic.
  std::size_t col_requests = 0, col_in_flight = 0;
  for (std::size_t c = 0; c < series_columns.size(); ++c) {
    if (series_columns[c] == "requests") col_requests = c;
    if (series_columns[c] == "in_flight") col_in_flight = c;
  }
  double load_balancer_count = 0;
  for (const ServiceSpec& sv : spec_.services) {
    if (sv.queue.enabled || (sv.load_balancer != LoadBalancerKind::alb && sv.load_balancer != LoadBalancerKind::nlb)) continue;
    // Bytes per request and connection reuse, from the workloads aimed at the service.
    double bytes = 0, weight = 0, persistent = 0;
    for (const WorkloadSpec& w : spec_.workloads) {
      if (w.target != sv.name) continue;
      double total_weight = 0;
      for (const auto& c : w.classes) total_weight += c.weight;
      for (const auto& c : w.classes) {
        bytes += c.weight / total_weight * static_cast<double>(c.payload_bytes + c.response_bytes);
        weight += c.weight / total_weight;
      }
      persistent += w.connections;
    }
    const double bytes_per_request = weight > 0 ? bytes / weight : 0;
    std::map<long, std::pair<double, std::pair<double, int>>> per_hour;  // hour -> (requests, (in-flight sum, samples))
    for (const TimeSeriesRow& row : series) {
      if (row.replication != replication || row.service != sv.name || row.time_s <= from_.to_seconds()) continue;
      const long h = static_cast<long>(std::floor((row.time_s - from_.to_seconds() - 1e-9) / 3600.0));
      auto& cell = per_hour[h];
      cell.first += row.values[col_requests];
      cell.second.first += row.values[col_in_flight];
      ++cell.second.second;
    }
    LoadBalancerUsage u;
    u.name = sv.name;
    u.hours_each = hours;
    for (const auto& [h, cell] : per_hour) {
      const double span = std::min(1.0, hours - static_cast<double>(h));  // the last hour may be partial
      if (span <= 0) continue;
      LbTraffic t;
      t.hours = span;
      const double rps = cell.first / (span * 3600.0);
      t.new_connections_per_s = persistent > 0 ? 0.0 : rps;
      t.active_connections_per_min = persistent > 0 ? persistent : cell.second.first / std::max(1, cell.second.second);
      t.processed_gb_per_h = cell.first * bytes_per_request / (1024.0 * 1024.0 * 1024.0) / span;
      u.traffic.push_back(t);
    }
    if (sv.load_balancer == LoadBalancerKind::alb)
      application_load_balancers(catalog, u, bill);
    else
      network_load_balancers(catalog, u, bill);
    ++load_balancer_count;
  }

  // Networking: NAT gateways and endpoints, with the image bytes that went through them.
  if (spec_.network.nat_gateways > 0) {
    NatUsage u;
    u.name = "NAT gateways";
    u.gateways = spec_.network.nat_gateways;
    u.hours_each = hours;
    u.gb_processed = period.nat_gateway_mb / kMbPerGb;
    nat_gateways(catalog, u, bill);
  }
  for (const std::string& e : spec_.network.vpc_endpoints) {
    EndpointUsage u;
    u.name = e;
    u.type = gateway_endpoint(e) ? EndpointType::gateway : EndpointType::interface;
    u.azs = static_cast<double>(zones.size());
    u.hours = hours;
    u.month_fraction = month_fraction;
    // ECR image layers come from S3 (through the gateway endpoint); the interface endpoints
    // carry only API calls and manifests, taken as negligible.
    if (e == "s3") u.gb_processed = period.vpc_endpoint_mb / kMbPerGb;
    vpc_endpoints(catalog, u, bill);
  }
  const double addresses_hours =
      spec_.network.nat_gateways * hours + load_balancer_count * zones.size() * hours + period.public_ip_hours;
  if (addresses_hours > 0) public_ipv4(catalog, "NAT gateways, load balancers and public tasks", addresses_hours / hours, hours, bill);
  for (const CloudWatchUsage& u : cloudwatch) cloudwatch_scaling(catalog, u, month_fraction, bill);
  bill.monthly_total_usd = hours > 0 ? bill.total_usd() * kMonthHours / hours : 0.0;
  return bill;
}

CostResults BillingMeter::cost(const Bill& bill) {
  const double hours = bill.period_hours.value_or(0);
  const double scale = hours > 0 ? kMonthHours / hours : 0;
  CostResults c;
  c.period_hours = hours;
  c.total_usd = bill.total_usd();
  c.monthly_usd = bill.total_usd() * scale;
  c.by_aws_service_monthly_usd.emplace();
  for (const auto& s : bill.services()) (*c.by_aws_service_monthly_usd)[s] = bill.service_total_usd(s) * scale;
  return c;
}

}  // namespace fargatelab::detail
