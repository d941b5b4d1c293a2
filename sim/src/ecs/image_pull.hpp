// How long an ECS task takes to pull its container image (pullStartedAt -> pullStoppedAt),
// and how many bytes cross the network path doing so: the model both launch types use (Fargate
// for every task; EC2 for a pull whose layers the container instance does not have yet,
// ec2_platform.hpp). Its parameters, with the scenario's overrides, are EcsSpec::image_pull.
//
// Model (each Fargate task pulls every image afresh: single-use microVM, no layer cache; AWS
// zstd blog, aws-facts B.8). Layers are taken as equal in size, size_mb / layers.
//   pull = layers x per_layer_overhead                       registry round trips
//        + [SOCI index fetch]                                 only with soci on ECR
//        + eager_bytes / bandwidth                            (lazy spans at a lower rate)
//        + eager_bytes x expansion_ratio / extract_rate       gunzip/unzstd + untar to disk
// with extract_rate = extract_mb_per_s_per_vcpu x min(task_vcpu, extract_max_vcpu), the phases
// in sequence (containerd unpacks a layer after fetching it; overlap is not modelled), then
// multiplied by lognormal noise of mean 1.
//   * zstd shortens only the extraction (its decompression is several times faster than
//     gzip's; AWS: "up to 27%" shorter task start, larger images benefit most, B.8).
//   * SOCI (ECR only): layers >= soci_min_layer_mb are indexed; of those only
//     soci_startup_fraction of the bytes is fetched and decompressed before the container
//     starts, in small range requests (lower effective bandwidth); the rest is fetched lazily
//     and in the background after start. Layers below the threshold are pulled whole. Every
//     SOCI pull pays a fixed index-fetch overhead, so small images get slower (B.8).
#pragma once

#include <string>

#include "scenario/task_definition.hpp"
#include "fargatelab/scenario.hpp"
#include "fargatelab/random.hpp"
#include "fargatelab/time.hpp"

namespace fargatelab::detail {

// The network path the image bytes take, chosen by the caller from the task's subnet.
struct PullPath {
  double bandwidth_mb_per_s;  // MB/s from the registry to the task for one image
  std::string via;            // "nat_gateway", "vpc_endpoint", "public_ip" (for reports and billing)
};

// Calibration. The one published end-to-end figure (elasticscale 2024, aws-facts E.4: 413 MB
// image, private subnet via NAT, createdAt->startedAt 53-62 s, mean 57 s) fixes the sum of
// the NAT transfer and the extraction at 1 vCPU, not their split: the extraction rate is
// chosen by reasoning, then the NAT bandwidth solved for. Arithmetic with the defaults:
//   overhead   8 layers x 0.3 s                 =  2.40 s
//   transfer   413 MB / 16 MB/s                 = 25.81 s
//   extraction 413 x 2.5 = 1032.5 MB / 60 MB/s  = 17.21 s
//   pull                                        = 45.42 s
//   + ~10 s provisioning (lead's model) + 1 s container start (ContainerDef default)
//                                               = 56.4 s  vs 57 s measured (53-62 s).
struct PullParams {
  // Assumption (AWS publishes nothing): one registry round trip per layer blob (ECR answers
  // with a redirect to S3), ~0.3 s each on a fresh microVM.
  double per_layer_overhead_s = 0.3;
  // Calibrated to elasticscale's 57 s (E.4), arithmetic above. Their NAT was an instance; a NAT
  // gateway (5-100 Gbps) is unlikely to be slower, so this is conservative for a gateway.
  double nat_bandwidth_mb_per_s = 16.0;
  // Assumption: one hop fewer than NAT, ~25% faster. aws/containers-roadmap#358 reports
  // "20-40 seconds pulling within the VPC"; elasticscale ran a VPC-endpoint variant whose
  // figure was not retrieved (E.4) -- recalibrate when it is.
  double vpc_endpoint_bandwidth_mb_per_s = 20.0;
  // Assumption: a public IP through the internet gateway is as fast as a VPC endpoint.
  double public_ip_bandwidth_mb_per_s = 20.0;
  // Pulls from a public registry (Docker Hub etc.) run at this fraction of the path's
  // bandwidth: containers-roadmap#358, "1+ minute" from docker.io vs "20-40 seconds" in-VPC (E.4).
  double public_registry_bandwidth_factor = 0.5;
  // Uncompressed MB/s written per vCPU. Assumption: zlib inflate runs ~250-400 MB/s on one
  // core, but unpacking also creates every file on the overlay snapshot; 60 MB/s is a
  // deliberately modest figure (AWS publishes nothing), and the NAT bandwidth absorbs the error.
  double extract_mb_per_s_per_vcpu = 60.0;
  // gzip and zstd decompression of one layer stream is single-threaded: more than one vCPU
  // does not help (reasoning, not measured).
  double extract_max_vcpu = 1.0;
  // Uncompressed / compressed size. Reasoning: gzip -6 shrinks typical image content
  // (binaries, shared libraries, text) to ~35-45%, a ratio of 2.2-2.9; 2.5 is mid-range.
  // Not measured here: compare `docker image inspect` sizes with ECR's compressed sizes.
  double expansion_ratio = 2.5;
  // zstd extraction time as a fraction of gzip's. Calibrated so the model stays within AWS's
  // "up to 27%" (B.8) for tasks >= 0.5 vCPU: 1,000 MB image at 0.5 vCPU via NAT: extraction
  // 2500 / 30 = 83.3 s of a 159.2 s start (10 + 148.2 + 1), halved -> 41.7 s saved = 26.2%;
  // the 413 MB image at 1 vCPU saves 8.6 s of 56.4 s = 15%.
  double zstd_extract_factor = 0.5;
  // SOCI indexes only layers of at least 10 MB (AWS "Under the hood" SOCI blog, B.8).
  double soci_min_layer_mb = 10.0;
  // Fraction of an indexed layer's bytes fetched before start. Slacker (FAST'16, via AWS, B.8):
  // 6.4% of the data is needed to start; SOCI fetches whole spans (several MB), so more is read.
  // 0.2 calibrates the 413 MB example to AWS's "up to 50% faster" (B.8): pull 2.4 + 1.0 +
  // 0.2 x (413/8 + 1032.5/60) = 17.17 s; start 28.2 s vs 56.4 s without SOCI = 50% faster.
  double soci_startup_fraction = 0.2;
  // Lazy span fetches (many small range GETs) reach this fraction of the path bandwidth.
  // Assumption (AWS publishes nothing); part of the 50% calibration above.
  double soci_lazy_bandwidth_factor = 0.5;
  // Fetching and parsing the SOCI index manifest and zTOCs before the first mount. Assumption;
  // it is what makes small SOCI images slower, as AWS warns (B.8).
  double soci_index_overhead_s = 1.0;
  // Standard deviation of the multiplicative lognormal noise (mean 1). Assumption: 10%; the
  // elasticscale runs span 53-62 s around 57 s, sd ~3.2 s = 5.6% of the whole start.
  double noise_sd = 0.10;
};

PullPath nat_gateway_path(const PullParams& p = {});
PullPath vpc_endpoint_path(const PullParams& p = {});
PullPath public_ip_path(const PullParams& p = {});

// The deterministic parts of one pull, seconds and MB.
struct PullBreakdown {
  double eager_mb = 0;    // compressed MB fetched before the container can start
  double lazy_mb = 0;     // compressed MB fetched after start (SOCI only)
  double overhead_s = 0;  // per-layer round trips + SOCI index fetch
  double transfer_s = 0;
  double extract_s = 0;
  bool soci_used = false;  // SOCI applies (ECR source and an index)
  double total_s() const noexcept { return overhead_s + transfer_s + extract_s; }
};

// Throws std::invalid_argument for a non-positive bandwidth or task_vcpu.
PullBreakdown pull_breakdown(const ImageSpec& image, const PullPath& path, double task_vcpu, const PullParams& params = {});

// pullStartedAt -> pullStoppedAt: the breakdown's total times lognormal noise of mean 1 and
// sd params.noise_sd (one draw from `rng`; none when noise_sd is 0).
Duration pull_time(const ImageSpec& image, const PullPath& path, double task_vcpu, const PullParams& params,
                   RandomStream& rng);

// Compressed MB that cross the network path over the task's life: the whole image. With SOCI
// the bytes not needed at start are fetched lazily and by the background fetcher after start
// (assumption: the soci-snapshotter background fetch is on), so they count too.
double pulled_bytes_mb(const ImageSpec& image);

// Compressed MB of image pulled over each network path (what NAT gateways and interface
// endpoints bill as data processed), cumulative.
struct PullMeter {
  double nat_gateway_mb = 0, vpc_endpoint_mb = 0, public_ip_mb = 0;
  void add(const PullPath& path, double mb) noexcept {
    (path.via == "nat_gateway" ? nat_gateway_mb : path.via == "vpc_endpoint" ? vpc_endpoint_mb : public_ip_mb) += mb;
  }
};

// The VPC has what an ECR pull needs without a NAT gateway: the ecr.dkr interface endpoint and
// the S3 gateway endpoint (image layers come from S3).
bool ecr_endpoints(const NetworkSpec& net);
// The path an image takes into `subnet`: a public subnet's public IP; else the VPC endpoints for
// an ECR image when the VPC has them; else the NAT gateway.
PullPath pull_path_from(const NetworkSpec& net, std::size_t subnet, bool ecr_image, const PullParams& p);

// The image a task pulls. A multi-container task's images are pulled together over one network
// path: modelled as one image of their combined size and layers (SOCI only if every image has an
// index; zstd only if every image uses it; a public registry if any image comes from one).
ImageSpec task_image(const TaskSpec& task);

}  // namespace fargatelab::detail
