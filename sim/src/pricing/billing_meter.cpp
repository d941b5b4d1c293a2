#include "pricing/billing_meter.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "platforms/app_runner/app_runner_scaler.hpp"
#include "platforms/ecs_ec2/ec2_platform.hpp"
#include "platforms/fargate/fargate_platform.hpp"
#include "platforms/lambda/lambda_function.hpp"
#include "pricing/price_catalog.hpp"
#include "pricing/pricing_rules.hpp"

namespace fargatelab::detail {
namespace {

constexpr double kMonthHours = 730.0;  // AWS's pricing month (the catalog's month_hours)
constexpr double kMbPerGb = 1024.0;

bool gateway_endpoint(const std::string& name) { return name == "s3" || name == "dynamodb"; }

}  // namespace

BillingMeter::BillingMeter(Simulation& sim, const ScenarioSpec& spec, FargatePlatform& fargate, const Ec2Platform* ec2)
    : sim_(sim),
      spec_(spec),
      fargate_(fargate),
      ec2_(ec2),
      task_seconds_(spec.services.size() * 2),
      public_ip_seconds_(spec.services.size(), 0.0) {
  fargate.state_changed.connect([this](Task& t, TaskState previous) { on_state(t, previous); });
}

void BillingMeter::begin_measurement() {
  from_ = sim_.now();
  pulled_at_start_fargate_ = fargate_.pulled();
  if (ec2_) pulled_at_start_ec2_ = ec2_->pulled();
}

double BillingMeter::clipped(SimTime a, SimTime b) const {
  const SimTime lo = std::max(a, from_), hi = std::min(b, sim_.now());
  return hi > lo ? (hi - lo).to_seconds() : 0.0;
}

// Billing runs from the image pull (PENDING) or, for a task adopted as running at t = 0, from
// its creation; it ends at STOPPED.
void BillingMeter::on_state(Task& t, TaskState previous) {
  if (t.service < 0) return;  // standalone tasks: not billed in this version
  if (billing_from_.size() <= t.id) billing_from_.resize(t.id + 1, SimTime::infinity());
  const bool created = previous == TaskState::stopped;
  if ((t.state == TaskState::pending && !created) || (created && t.state == TaskState::running)) billing_from_[t.id] = sim_.now();
  if (t.state == TaskState::stopped && !billing_from_[t.id].is_infinite()) {
    const double s = clipped(billing_from_[t.id], sim_.now());
    const auto svc = static_cast<std::size_t>(t.service);
    if (s > 0) task_seconds_[svc * 2 + (t.provider == CapacityProvider::fargate_spot)].push_back(s);
    if (t.subnet >= 0 && spec_.network.subnets[static_cast<std::size_t>(t.subnet)].is_public) public_ip_seconds_[svc] += s;
    billing_from_[t.id] = SimTime::infinity();
  }
}

Bill BillingMeter::finish(const std::vector<std::unique_ptr<LambdaFunction>>& functions,
                          const std::vector<std::unique_ptr<AppRunnerScaler>>& app_runners,
                          const std::vector<double>& active_at_measure, const std::vector<std::uint64_t>& activations_at_measure,
                          const std::vector<TimeSeriesRow>& series, const std::vector<std::string>& series_columns,
                          int replication) {
  // Tasks still running are billed to the end.
  for (const Task& t : fargate_.tasks())
    if (t.service >= 0 && t.id < billing_from_.size() && !billing_from_[t.id].is_infinite()) {
      const double s = clipped(billing_from_[t.id], sim_.now());
      const auto svc = static_cast<std::size_t>(t.service);
      if (s > 0) task_seconds_[svc * 2 + (t.provider == CapacityProvider::fargate_spot)].push_back(s);
      if (t.subnet >= 0 && spec_.network.subnets[static_cast<std::size_t>(t.subnet)].is_public) public_ip_seconds_[svc] += s;
    }
  const PriceCatalog& catalog = PriceCatalog::load(spec_.pricing_region);
  const double hours = (sim_.now() - from_).to_seconds() / 3600.0;
  const double month_fraction = hours / kMonthHours;
  Bill bill;
  bill.title = spec_.name;
  bill.region = spec_.pricing_region;
  bill.period_hours = hours;
  std::set<std::string> zones;
  for (const auto& s : spec_.network.subnets) zones.insert(s.az);

  std::vector<LambdaUsage> lambdas;
  for (std::size_t i = 0; i < spec_.services.size(); ++i) {
    const ServiceSpec& sv = spec_.services[i];
    const TaskSpec& task = sv.task;
    if (sv.platform == Platform::fargate) {
      for (int spot = 0; spot < 2; ++spot) {
        const auto& seconds = task_seconds_[i * 2 + spot];
        if (seconds.empty()) continue;
        FargateUsage u;
        u.name = sv.name;
        u.vcpu = task.vcpu();
        u.memory_gb = task.memory_mib / 1024.0;
        u.ephemeral_gb = task.ephemeral_storage_gib;
        u.arch = task.architecture == "arm64" ? Arch::arm64 : Arch::x86_64;
        u.os = task.os == "windows" ? Os::Windows : Os::Linux;
        u.spot = spot == 1;
        for (double s : seconds) u.runs.push_back({1, s});
        fargate_tasks(catalog, u, bill);
      }
    } else if (sv.platform == Platform::lambda && functions[i]) {
      const LambdaFunction& f = *functions[i];
      LambdaUsage u;
      u.name = sv.name;
      u.arch = sv.lambda.architecture == "arm64" ? Arch::arm64 : Arch::x86_64;
      u.memory_mb = sv.lambda.memory_mb;
      u.invocations = static_cast<double>(f.measured_invocations());
      u.billed_duration_ms = f.measured_billed_ms();
      u.init_duration_ms = f.measured_init_ms();
      u.package = sv.lambda.package == "image" ? LambdaPackage::image : LambdaPackage::zip;
      u.custom_runtime = sv.lambda.runtime == "go" || sv.lambda.runtime == "rust";  // provided.al2023
      u.provisioned_concurrency = sv.lambda.provisioned_concurrency;
      u.provisioned_seconds = sv.lambda.provisioned_concurrency > 0 ? hours * 3600.0 : 0.0;
      u.provisioned_billed_duration_ms = f.measured_provisioned_billed_ms();
      lambdas.push_back(std::move(u));
      const bool charged = sv.lambda.runtime.rfind("python", 0) == 0 || sv.lambda.runtime.rfind("dotnet", 0) == 0;
      if (sv.lambda.snapstart && charged)
        lambda_snapstart(catalog, sv.name, sv.lambda.memory_mb / 1024.0, hours * 3600.0, static_cast<double>(f.measured_restores()), bill);
    } else if (sv.platform == Platform::app_runner && app_runners[i]) {
      const AppRunnerScaler& a = *app_runners[i];
      AppRunnerUsage u;
      u.name = sv.name;
      u.vcpu = task.vcpu();
      u.memory_gb = task.memory_mib / 1024.0;
      for (double s : task_seconds_[i * 2]) u.provisioned_instance_seconds += s;
      const double active = a.billed_active_seconds() - active_at_measure[i];
      const auto activations = static_cast<double>(a.activations() - activations_at_measure[i]);
      // Each activation lasts at least the minute already (TaskServer::set_min_active), so the
      // mean is at least 60 s but for one cut by the end of the run.
      if (activations > 0) u.activations.push_back({activations, active / activations});
      u.month_fraction = month_fraction;
      app_runner_service(catalog, u, bill);
    }
  }
  if (!lambdas.empty()) {
    LambdaBillingOptions o;
    o.month_fraction = month_fraction;
    lambda_functions(catalog, lambdas, o, bill);
  }

  // EC2 container instances, per capacity provider.
  if (ec2_)
    for (std::size_t p = 0; p < ec2_->groups(); ++p) {
      const AutoScalingGroup& g = ec2_->group(p);
      Ec2Usage u;
      u.name = g.spec().name;
      u.instance_type = g.spec().instance_type;
      u.spot = g.spec().spot;
      for (const InstanceRecord& r : g.records())
        if (const double s = clipped(r.launched_at, r.terminated_at.value_or(SimTime::infinity())); s > 0) u.runs.push_back({1, s});
      if (!u.runs.empty()) ec2_instances(catalog, u, bill);
    }

  // Load balancers of ECS services: capacity units per hour from the simulated traffic.
  std::size_t col_requests = 0, col_in_flight = 0;
  for (std::size_t c = 0; c < series_columns.size(); ++c) {
    if (series_columns[c] == "requests") col_requests = c;
    if (series_columns[c] == "in_flight") col_in_flight = c;
  }
  double load_balancer_count = 0;
  for (const ServiceSpec& sv : spec_.services) {
    const bool ecs = sv.platform == Platform::fargate || sv.platform == Platform::ecs_ec2;
    if (!ecs || sv.queue.enabled || (sv.load_balancer != LoadBalancerKind::alb && sv.load_balancer != LoadBalancerKind::nlb)) continue;
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
  PullMeter pulled = fargate_.pulled();
  pulled.nat_gateway_mb -= pulled_at_start_fargate_.nat_gateway_mb;
  pulled.vpc_endpoint_mb -= pulled_at_start_fargate_.vpc_endpoint_mb;
  if (ec2_) {
    pulled.nat_gateway_mb += ec2_->pulled().nat_gateway_mb - pulled_at_start_ec2_.nat_gateway_mb;
    pulled.vpc_endpoint_mb += ec2_->pulled().vpc_endpoint_mb - pulled_at_start_ec2_.vpc_endpoint_mb;
  }
  if (spec_.network.nat_gateways > 0) {
    NatUsage u;
    u.name = "NAT gateways";
    u.gateways = spec_.network.nat_gateways;
    u.hours_each = hours;
    u.gb_processed = pulled.nat_gateway_mb / kMbPerGb;
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
    if (e == "s3") u.gb_processed = pulled.vpc_endpoint_mb / kMbPerGb;
    vpc_endpoints(catalog, u, bill);
  }
  double task_ip_hours = 0;
  for (double s : public_ip_seconds_) task_ip_hours += s / 3600.0;
  const double addresses_hours = spec_.network.nat_gateways * hours + load_balancer_count * zones.size() * hours + task_ip_hours;
  if (addresses_hours > 0) public_ipv4(catalog, "NAT gateways, load balancers and public tasks", addresses_hours / hours, hours, bill);
  bill.monthly_total_usd = hours > 0 ? bill.total_usd() * kMonthHours / hours : 0.0;
  return bill;
}

nlohmann::json BillingMeter::cost_json(const Bill& bill, const ScenarioSpec&) {
  const double hours = bill.period_hours.value_or(0);
  const double scale = hours > 0 ? kMonthHours / hours : 0;
  nlohmann::json by = nlohmann::json::object();
  for (const auto& s : bill.services()) by[s] = bill.service_total_usd(s) * scale;
  return {{"period_hours", hours},
          {"total_usd", bill.total_usd()},
          {"monthly_usd", bill.total_usd() * scale},
          {"by_aws_service_monthly_usd", by}};
}

}  // namespace fargatelab::detail
