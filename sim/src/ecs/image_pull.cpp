#include "ecs/image_pull.hpp"

#include <algorithm>
#include <stdexcept>

namespace fargatelab::detail {

PullPath nat_gateway_path(const PullParams& p) { return {p.nat_bandwidth_mb_per_s, "nat_gateway"}; }
PullPath vpc_endpoint_path(const PullParams& p) { return {p.vpc_endpoint_bandwidth_mb_per_s, "vpc_endpoint"}; }
PullPath public_ip_path(const PullParams& p) { return {p.public_ip_bandwidth_mb_per_s, "public_ip"}; }

PullBreakdown pull_breakdown(const ImageSpec& image, const PullPath& path, double task_vcpu, const PullParams& p) {
  if (!(path.bandwidth_mb_per_s > 0)) throw std::invalid_argument("pull: the path bandwidth must be positive");
  if (!(task_vcpu > 0)) throw std::invalid_argument("pull: the task vCPU must be positive");
  const int layers = std::max(1, image.layers);
  const double layer_mb = image.size_mb / layers;
  const double bandwidth = path.bandwidth_mb_per_s *
                           (image.source == ImageSpec::public_registry ? p.public_registry_bandwidth_factor : 1.0);
  const double extract_rate = p.extract_mb_per_s_per_vcpu * std::min(task_vcpu, p.extract_max_vcpu);
  const double zstd = image.compression == ImageSpec::zstd ? p.zstd_extract_factor : 1.0;

  PullBreakdown b;
  b.soci_used = image.soci && image.source == ImageSpec::ecr;  // SOCI on Fargate needs ECR (B.8)
  const bool indexed = b.soci_used && layer_mb >= p.soci_min_layer_mb;
  const double whole_mb = indexed ? 0.0 : image.size_mb;    // pulled and unpacked before start
  const double indexed_mb = indexed ? image.size_mb : 0.0;  // lazily loaded
  const double startup_mb = indexed_mb * p.soci_startup_fraction;

  b.eager_mb = whole_mb + startup_mb;
  b.lazy_mb = indexed_mb - startup_mb;
  b.overhead_s = layers * p.per_layer_overhead_s + (b.soci_used ? p.soci_index_overhead_s : 0.0);
  b.transfer_s = whole_mb / bandwidth + startup_mb / (bandwidth * p.soci_lazy_bandwidth_factor);
  b.extract_s = b.eager_mb * p.expansion_ratio / extract_rate * zstd;
  return b;
}

Duration pull_time(const ImageSpec& image, const PullPath& path, double task_vcpu, const PullParams& p,
                   RandomStream& rng) {
  const double base = pull_breakdown(image, path, task_vcpu, p).total_s();
  const double noise = p.noise_sd > 0 ? LogNormal::from_mean_sd(1.0, p.noise_sd).sample(rng) : 1.0;
  return seconds(base * noise);
}

double pulled_bytes_mb(const ImageSpec& image) { return image.size_mb; }

ImageSpec task_image(const TaskSpec& task) {
  if (task.definition && !task.definition->containers.empty()) {
    ImageSpec all = task.definition->containers.front().image;
    all.size_mb = 0;
    all.layers = 0;
    for (const auto& c : task.definition->containers) {
      all.size_mb += c.image.size_mb;
      all.layers += c.image.layers;
      all.soci = all.soci && c.image.soci;
      if (c.image.compression == ImageSpec::gzip) all.compression = ImageSpec::gzip;
      if (c.image.source == ImageSpec::public_registry) all.source = ImageSpec::public_registry;
    }
    return all;
  }
  ImageSpec im;
  im.size_mb = task.image.size_mb;
  im.layers = task.image.layers;
  im.compression = task.image.zstd ? ImageSpec::zstd : ImageSpec::gzip;
  im.soci = task.image.soci;
  im.source = task.image.public_registry ? ImageSpec::public_registry : ImageSpec::ecr;
  return im;
}

bool ecr_endpoints(const NetworkSpec& net) {
  const auto& eps = net.vpc_endpoints;
  return std::count(eps.begin(), eps.end(), "ecr.dkr") && std::count(eps.begin(), eps.end(), "s3");
}

PullPath pull_path_from(const NetworkSpec& net, std::size_t subnet, bool ecr_image, const PullParams& p) {
  if (net.subnets[subnet].is_public) return public_ip_path(p);
  if (ecr_image && ecr_endpoints(net)) return vpc_endpoint_path(p);
  return nat_gateway_path(p);
}

}  // namespace fargatelab::detail
