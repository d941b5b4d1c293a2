// Task definitions, image pulls and container start schedules on Fargate. Every expected
// value is computed by hand in the comment beside it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "ecs/container_start.hpp"
#include "platforms/fargate/eks_pod_size.hpp"
#include "scenario/task_definition.hpp"
#include "ecs/image_pull.hpp"

using namespace fargatelab;
using namespace fargatelab::detail;
using Cond = Dependency::Condition;

namespace {

ContainerDef container(std::string name, bool essential = true, int cpu = 0, int memory = 0) {
  ContainerDef c;
  c.name = std::move(name);
  c.essential = essential;
  c.cpu_units = cpu;
  c.memory_mib = memory;
  return c;
}

TaskDefinition task(int cpu, int memory, std::vector<ContainerDef> cs) {
  TaskDefinition td;
  td.cpu_units = cpu;
  td.memory_mib = memory;
  td.containers = std::move(cs);
  return td;
}

// True if some diagnostic sits at `pointer` and its message contains `text`.
bool has(const std::vector<Diagnostic>& ds, const std::string& pointer, const std::string& text) {
  return std::any_of(ds.begin(), ds.end(), [&](const Diagnostic& d) {
    return d.pointer == pointer && d.message.find(text) != std::string::npos;
  });
}

std::string all(const std::vector<Diagnostic>& ds) {
  std::string s;
  for (const auto& d : ds) s += d.to_string() + "\n";
  return s;
}

double secs(std::optional<Duration> d) { return d ? d->to_seconds() : -1.0; }

}  // namespace

// ---------------------------------------------------------------------------------------------
// Validation

TEST_CASE("task definition: validation reports every problem at once, naming the dependsOn cycle", "[fargate]") {
  auto app = container("app", true, 512, 1024);
  app.depends_on = {{"sidecar", Cond::start}, {"ghost", Cond::start}, {"init", Cond::complete}};
  auto sidecar = container("sidecar", false, 256, 512);
  sidecar.depends_on = {{"app", Cond::healthy}};  // app has no health check; and closes a cycle
  auto init = container("init", true);             // essential: cannot be a COMPLETE target
  init.run_time = Distribution(Constant{5.0});
  auto td = task(512, 1024, {app, sidecar, init});
  td.stop_timeout = seconds(150);

  const auto ds = validate(td, "/services/0/task_definition");
  INFO(all(ds));
  const std::string c = "/services/0/task_definition/containerDefinitions";
  CHECK(has(ds, "/services/0/task_definition/stopTimeout", "150 s is outside [0, 120] s"));
  CHECK(has(ds, c, "container cpu adds up to 768 units, more than the task's 512"));         // 512 + 256
  CHECK(has(ds, c, "container memory adds up to 1536 MiB, more than the task's 1024 MiB"));  // 1024 + 512
  CHECK(has(ds, c + "/0/dependsOn/1/containerName", "no container named 'ghost'"));
  CHECK(has(ds, c + "/0/dependsOn/2/condition", "COMPLETE can't be set on an essential container"));
  CHECK(has(ds, c + "/1/dependsOn/0/condition", "HEALTHY needs container 'app' to have a healthCheck"));
  CHECK(has(ds, c, "dependsOn cycle: 'app' -> 'sidecar' -> 'app'"));
  CHECK(ds.size() == 7);
}

TEST_CASE("task definition: a three-container cycle is named in dependency order", "[fargate]") {
  auto a = container("a"), b = container("b", false), c = container("c", false);
  a.depends_on = {{"b", Cond::start}};
  b.depends_on = {{"c", Cond::start}};
  c.depends_on = {{"a", Cond::start}};
  const auto ds = validate(task(256, 512, {a, b, c}), "");
  INFO(all(ds));
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].to_string() == "/containerDefinitions: dependsOn cycle: 'a' -> 'b' -> 'c' -> 'a' (each waits for the "
                             "next, so none can start)");
}

TEST_CASE("task definition: no essential container, duplicate names and more than 10 containers", "[fargate]") {
  std::vector<ContainerDef> cs;
  for (int i = 0; i < 10; ++i) cs.push_back(container(fmt::format("c{}", i), false));
  cs.push_back(container("c0", false));  // 11th container, duplicate name
  const auto ds = validate(task(256, 512, cs), "");
  INFO(all(ds));
  CHECK(has(ds, "/containerDefinitions", "11 containers; ECS allows at most 10"));
  CHECK(has(ds, "/containerDefinitions", "at least one container must be essential"));
  CHECK(has(ds, "/containerDefinitions/10/name", "duplicate container name 'c0' (also at index 0)"));
  CHECK(ds.size() == 3);
}

TEST_CASE("task definition: COMPLETE and SUCCESS need a container that exits; HEALTHY one with a health check",
          "[fargate]") {
  auto app = container("app");
  app.depends_on = {{"proxy", Cond::success}, {"proxy", Cond::healthy}, {"app", Cond::start}};
  auto proxy = container("proxy", false);  // long-running, no health check
  const auto ds = validate(task(256, 512, {app, proxy}), "");
  INFO(all(ds));
  CHECK(has(ds, "/containerDefinitions/0/dependsOn/0/condition",
            "SUCCESS needs container 'proxy' to exit, but it is long-running"));
  CHECK(has(ds, "/containerDefinitions/0/dependsOn/1/condition", "HEALTHY needs container 'proxy' to have a healthCheck"));
  CHECK(has(ds, "/containerDefinitions/0/dependsOn/2/containerName", "container 'app' cannot depend on itself"));
  CHECK(ds.size() == 3);
}

TEST_CASE("task definition: storage and health-check ranges are checked, the task size is not", "[fargate]") {
  auto app = container("app");
  app.health_check = HealthCheck{seconds(2), seconds(90), 0, seconds(400)};
  // 512 MiB is not a Fargate size with 0.5 vCPU (1-4 GB), but an EC2 instance may run it: the
  // size is the platform's check (scenario_test: "a task definition's size is Fargate's check").
  auto td = task(512, 512, {app});
  td.ephemeral_storage_gib = 250;
  const auto ds = validate(td, "");
  INFO(all(ds));
  CHECK_FALSE(has(ds, "/memory", ""));
  CHECK(has(ds, "/ephemeralStorage/sizeInGiB", "250 GiB is outside Fargate's 20 to 200 GiB"));
  CHECK(has(ds, "/containerDefinitions/0/healthCheck/interval", "2 s is outside ECS's 5 to 300 s"));
  CHECK(has(ds, "/containerDefinitions/0/healthCheck/timeout", "90 s is outside ECS's 2 to 60 s"));
  CHECK(has(ds, "/containerDefinitions/0/healthCheck/retries", "0 is outside ECS's 1 to 10"));
  CHECK(has(ds, "/containerDefinitions/0/healthCheck/startPeriod", "400 s is outside ECS's 0 to 300 s"));
  CHECK(ds.size() == 5);
}

// ---------------------------------------------------------------------------------------------
// CPU shares

TEST_CASE("task definition: sidecars with cpu keep their reservation; the rest is split equally", "[fargate]") {
  // 1 vCPU task: log router reserves 256 units; app and metrics share 1024 - 256 = 768.
  const auto td = task(1024, 2048, {container("app"), container("log_router", true, 256), container("metrics", false)});
  CHECK(app_vcpu_share(td, "app") == Approx(0.375));        // 768 / 2 = 384 units
  CHECK(app_vcpu_share(td, "metrics") == Approx(0.375));    // same
  CHECK(app_vcpu_share(td, "log_router") == Approx(0.25));  // 256 / 1024, nothing extra
  // Alone with the router the app gets all of the remainder: 768 / 1024.
  CHECK(app_vcpu_share(task(1024, 2048, {container("app"), container("log_router", true, 256)}), "app") ==
        Approx(0.75));
  CHECK_THROWS_AS(app_vcpu_share(td, "nope"), std::invalid_argument);
}

TEST_CASE("task definition: when every container reserves cpu the remainder goes by ratio", "[fargate]") {
  // 2 vCPU task, app 1024 + sidecar 512 = 1536 reserved, 512 left, split 2:1.
  const auto td = task(2048, 4096, {container("app", true, 1024), container("sidecar", false, 512)});
  CHECK(app_vcpu_share(td, "app") == Approx((1024 + 512.0 * 1024 / 1536) / 1024));     // 1365.3 units = 1.333 vCPU
  CHECK(app_vcpu_share(td, "sidecar") == Approx((512 + 512.0 * 512 / 1536) / 1024));  // 682.7 units = 0.667 vCPU
}

TEST_CASE("task definition: an init container that has exited takes no share from those that wait for it",
          "[fargate]") {
  auto init = container("init", false);
  init.run_time = Distribution(Constant{3.0});
  auto router = container("log_router", true, 256);
  router.depends_on = {{"init", Cond::success}};
  auto app = container("app");
  app.depends_on = {{"log_router", Cond::start}};  // waits for init through the router
  const auto td = task(1024, 2048, {init, router, app});
  CHECK(app_vcpu_share(td, "app") == Approx(0.75));   // init gone: 1024 - 256 = 768 all to app
  CHECK(app_vcpu_share(td, "init") == Approx(0.375));  // init runs beside app (unreserved): 768 / 2
  // An EKS pod rounded up to 2 vCPU: 2048 - 256 = 1792 units for the app.
  CHECK(app_vcpu_share(td, "app", 2048) == Approx(1.75));
}

// ---------------------------------------------------------------------------------------------
// ECS JSON import

TEST_CASE("task definition: a register-task-definition input with an app, a FireLens router and an init container",
          "[fargate]") {
  const auto j = nlohmann::json::parse(R"json({
    "family": "web",
    "networkMode": "awsvpc",
    "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
    "requiresCompatibilities": ["FARGATE"],
    "cpu": "1 vCPU",
    "memory": "2 GB",
    "runtimePlatform": {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"},
    "ephemeralStorage": {"sizeInGiB": 30},
    "tags": [{"key": "team", "value": "web"}],
    "containerDefinitions": [
      {
        "name": "migrate",
        "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.4",
        "essential": false,
        "command": ["./manage", "migrate"],
        "memoryReservation": 128,
        "x-fargatelab": {"image_size_mb": 413, "layers": 12, "run_time": 20, "exit_code": 0}
      },
      {
        "name": "log_router",
        "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable",
        "essential": true,
        "cpu": 256,
        "memory": 256,
        "memoryReservation": 64,
        "user": "0",
        "firelensConfiguration": {"type": "fluentbit"}
      },
      {
        "name": "app",
        "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.4",
        "memory": 1536,
        "portMappings": [{"containerPort": 8080, "protocol": "tcp"}],
        "environment": [{"name": "MODE", "value": "prod"}],
        "logConfiguration": {"logDriver": "awsfirelens", "options": {"Name": "cloudwatch"}},
        "dependsOn": [
          {"containerName": "migrate", "condition": "SUCCESS"},
          {"containerName": "log_router", "condition": "START"}
        ],
        "healthCheck": {
          "command": ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"],
          "interval": 10, "timeout": 5, "retries": 3, "startPeriod": 30
        },
        "stopTimeout": 60,
        "x-fargatelab": {"image_size_mb": 413, "layers": 12, "compression": "zstd",
                         "init_cpu_seconds": "lognormal(mean=20, sd=4)"}
      }
    ]
  })json");
  std::vector<Diagnostic> out;
  std::vector<std::string> ignored;
  const auto td = from_ecs_json(j, out, ignored);
  INFO(all(out));
  CHECK(out.empty());

  CHECK(td.family == "web");
  CHECK(td.cpu_units == 1024);   // "1 vCPU" x 1024
  CHECK(td.memory_mib == 2048);  // "2 GB" x 1024
  CHECK(td.architecture == "arm64");
  CHECK(td.os == "linux");
  CHECK(td.ephemeral_storage_gib == 30);
  CHECK(td.stop_timeout == seconds(60));  // the largest container stopTimeout
  REQUIRE(td.containers.size() == 3);

  const auto& migrate = td.containers[0];
  CHECK_FALSE(migrate.essential);
  CHECK(migrate.memory_mib == 128);  // memoryReservation
  CHECK(migrate.image.size_mb == 413);
  CHECK(migrate.image.layers == 12);
  CHECK(migrate.image.source == ImageSpec::ecr);
  REQUIRE(migrate.run_time);
  CHECK(migrate.run_time->mean() == 20);

  const auto& router = td.containers[1];
  CHECK(router.essential);
  CHECK(router.cpu_units == 256);
  CHECK(router.memory_mib == 64);                            // the reservation, not the 256 MiB hard limit
  CHECK(router.image.source == ImageSpec::public_registry);  // public.ecr.aws is not the account's ECR
  CHECK(router.image.size_mb == 250);                        // default: no x-fargatelab
  CHECK_FALSE(router.run_time);

  const auto& app = td.containers[2];
  CHECK(app.essential);  // ECS default
  CHECK(app.memory_mib == 1536);
  CHECK(app.image.compression == ImageSpec::zstd);
  CHECK(app.init_cpu_seconds.mean() == Approx(20));
  REQUIRE(app.depends_on.size() == 2);
  CHECK(app.depends_on[0].container == "migrate");
  CHECK(app.depends_on[0].condition == Cond::success);
  CHECK(app.depends_on[1].condition == Cond::start);
  REQUIRE(app.health_check);
  CHECK(app.health_check->interval == seconds(10));
  CHECK(app.health_check->timeout == seconds(5));
  CHECK(app.health_check->retries == 3);
  CHECK(app.health_check->start_period == seconds(30));

  const std::set<std::string> got(ignored.begin(), ignored.end());
  const std::set<std::string> expected = {"/networkMode",
                                          "/executionRoleArn",
                                          "/tags",
                                          "/containerDefinitions/0/command",
                                          "/containerDefinitions/1/user",
                                          "/containerDefinitions/1/firelensConfiguration",
                                          "/containerDefinitions/2/portMappings",
                                          "/containerDefinitions/2/environment",
                                          "/containerDefinitions/2/logConfiguration"};
  CHECK(got == expected);
  CHECK(ignored.size() == expected.size());
}

TEST_CASE("task definition: ECS JSON problems are reported with their pointers", "[fargate]") {
  const auto j = nlohmann::json::parse(R"json({
    "cpu": "lots",
    "memory": "2048",
    "requiresCompatibilities": ["EC2"],
    "runtimePlatform": {"cpuArchitecture": "RISCV"},
    "containerDefinitions": [
      {"name": "app", "image": "nginx:1.27", "stopTimeout": 300,
       "dependsOn": [{"containerName": "db", "condition": "READY"}],
       "healthCheck": {"interval": 10},
       "x-fargatelab": {"size": 100, "compression": "lz4", "init_cpu_seconds": "gaussian(mean=1)"}}
    ]
  })json");
  std::vector<Diagnostic> out;
  std::vector<std::string> ignored;
  from_ecs_json(j, out, ignored);
  INFO(all(out));
  CHECK(has(out, "/family", "needs a family"));
  CHECK(has(out, "/cpu", "expected CPU units"));
  CHECK(has(out, "/requiresCompatibilities", "must include \"FARGATE\""));
  CHECK(has(out, "/runtimePlatform/cpuArchitecture", "expected X86_64 or ARM64"));
  CHECK(has(out, "/containerDefinitions/0/stopTimeout", "300 s is outside [0, 120] s"));
  CHECK(has(out, "/containerDefinitions/0/dependsOn/0/condition", "expected START, COMPLETE, SUCCESS or HEALTHY"));
  CHECK(has(out, "/containerDefinitions/0/healthCheck/command", "needs a command"));
  CHECK(has(out, "/containerDefinitions/0/x-fargatelab/size", "unknown x-fargatelab field"));
  CHECK(has(out, "/containerDefinitions/0/x-fargatelab/compression", "expected \"gzip\" or \"zstd\""));
  CHECK(has(out, "/containerDefinitions/0/x-fargatelab/init_cpu_seconds", "gaussian"));
  CHECK(ignored.empty());
}

TEST_CASE("task definition: describe-task-definition output is unwrapped and validated", "[fargate]") {
  const auto j = nlohmann::json::parse(R"json({"taskDefinition": {
    "family": "api", "revision": 7, "cpu": "256", "memory": "0.5 GB",
    "containerDefinitions": [
      {"name": "api", "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:7", "essential": false}]}})json");
  std::vector<Diagnostic> out;
  std::vector<std::string> ignored;
  const auto td = from_ecs_json(j, out, ignored);
  CHECK(td.memory_mib == 512);  // 0.5 GB x 1024
  CHECK(ignored == std::vector<std::string>{"/taskDefinition/revision"});
  // Parsed cleanly, so validate ran: the only container is not essential.
  REQUIRE(out.size() == 1);
  CHECK(out[0].pointer == "/taskDefinition/containerDefinitions");
  CHECK(out[0].message == "at least one container must be essential");
}

// ---------------------------------------------------------------------------------------------
// EKS pods on Fargate

TEST_CASE("task definition: EKS pods get 256 MiB more and round up to a Fargate size", "[fargate]") {
  using P = std::pair<int, int>;
  CHECK(eks_pod_size(0.5, 1024) == P{512, 2048});   // 1024 + 256 = 1280 -> 0.5 vCPU's next step, 2 GB
  CHECK(eks_pod_size(1.0, 8192) == P{2048, 9216});  // 8448 > 1 vCPU's 8 GB max -> 2 vCPU / 9 GB (EKS docs example)
  CHECK(eks_pod_size(0.0, 0) == P{256, 512});       // nothing requested: the smallest size
  CHECK(eks_pod_size(0.25, 256) == P{256, 512});    // 256 + 256 = 512 exactly
  CHECK(eks_pod_size(0.25, 300) == P{256, 1024});   // 556 -> 1 GB
  CHECK(eks_pod_size(2.5, 4096) == P{4096, 8192});  // 2560 units -> 4 vCPU, whose minimum is 8 GB
  CHECK(eks_pod_size(4.0, 30720) == P{8192, 32768});  // 30976 > 30 GB -> 8 vCPU: 16, 20, 24, 28, 32 GB
  CHECK_THROWS_AS(eks_pod_size(16.0, 122880), std::invalid_argument);  // 120 GiB + 256 MiB: too big
  CHECK_THROWS_AS(eks_pod_size(20.0, 1024), std::invalid_argument);    // no 32 vCPU pods on EKS
}

// ---------------------------------------------------------------------------------------------
// Image pull

namespace {

// Round numbers for hand arithmetic.
PullParams round_params() {
  PullParams p;
  p.per_layer_overhead_s = 0.5;
  p.extract_mb_per_s_per_vcpu = 50;
  p.extract_max_vcpu = 1.0;
  p.expansion_ratio = 2.0;
  p.zstd_extract_factor = 0.5;
  p.soci_min_layer_mb = 10;
  p.soci_startup_fraction = 0.25;
  p.soci_lazy_bandwidth_factor = 0.5;
  p.soci_index_overhead_s = 2.0;
  p.public_registry_bandwidth_factor = 0.5;
  p.noise_sd = 0;
  return p;
}

ImageSpec image(double mb, int layers) {
  ImageSpec i;
  i.size_mb = mb;
  i.layers = layers;
  return i;
}

double pull_s(const ImageSpec& i, double bandwidth, double vcpu, const PullParams& p) {
  RandomStream rng(1, 2, 0);
  return pull_time(i, PullPath{bandwidth, "test"}, vcpu, p, rng).to_seconds();
}

}  // namespace

TEST_CASE("task definition: a gzip pull is overhead plus transfer plus extraction", "[fargate]") {
  const auto p = round_params();
  const auto img = image(400, 4);
  // 4 x 0.5 s + 400 MB / 20 MB/s + 400 x 2 MB / 50 MB/s = 2 + 20 + 16 = 38 s
  CHECK(pull_s(img, 20, 1.0, p) == Approx(38.0));
  // At 0.5 vCPU extraction halves its rate: 800 / 25 = 32 s -> 2 + 20 + 32 = 54 s
  CHECK(pull_s(img, 20, 0.5, p) == Approx(54.0));
  // Single-threaded: 2 vCPU extracts no faster than 1 -> 38 s
  CHECK(pull_s(img, 20, 2.0, p) == Approx(38.0));
  // Docker Hub at half the bandwidth: 400 / 10 = 40 s -> 2 + 40 + 16 = 58 s
  auto hub = img;
  hub.source = ImageSpec::public_registry;
  CHECK(pull_s(hub, 20, 1.0, p) == Approx(58.0));
  CHECK(pulled_bytes_mb(img) == 400);
}

TEST_CASE("task definition: zstd shortens only the extraction", "[fargate]") {
  const auto p = round_params();
  auto img = image(400, 4);
  img.compression = ImageSpec::zstd;
  // 2 + 20 + 16 x 0.5 = 30 s (gzip: 38 s)
  CHECK(pull_s(img, 20, 1.0, p) == Approx(30.0));
}

TEST_CASE("task definition: SOCI speeds up a large image and slows a small one", "[fargate]") {
  const auto p = round_params();
  auto big = image(400, 4);  // 100 MB layers: all indexed
  big.soci = true;
  const auto b = pull_breakdown(big, PullPath{20, "test"}, 1.0, p);
  CHECK(b.soci_used);
  CHECK(b.eager_mb == Approx(100));  // 400 x 0.25
  CHECK(b.lazy_mb == Approx(300));
  // overhead 4 x 0.5 + 2 = 4; transfer 100 / (20 x 0.5) = 10; extract 100 x 2 / 50 = 4 -> 18 s (gzip: 38 s)
  CHECK(pull_s(big, 20, 1.0, p) == Approx(18.0));
  CHECK(pulled_bytes_mb(big) == 400);  // the rest still crosses the path, after start

  auto small = image(32, 4);  // 8 MB layers: below 10 MB, none indexed, pulled whole
  const double plain = pull_s(small, 20, 1.0, p);  // 2 + 32 / 20 + 64 / 50 = 2 + 1.6 + 1.28 = 4.88 s
  CHECK(plain == Approx(4.88));
  small.soci = true;
  CHECK(pull_s(small, 20, 1.0, p) == Approx(6.88));  // + 2 s index fetch for nothing: slower

  auto hub = big;  // SOCI needs ECR: ignored for a public registry
  hub.source = ImageSpec::public_registry;
  CHECK_FALSE(pull_breakdown(hub, PullPath{20, "test"}, 1.0, p).soci_used);
}

TEST_CASE("task definition: default pull parameters reproduce the elasticscale 413 MB start", "[fargate]") {
  PullParams p;
  p.noise_sd = 0;
  const auto img = image(413, 8);
  // 8 x 0.3 + 413 / 16 + 413 x 2.5 / 60 = 2.4 + 25.8125 + 17.2083 = 45.42 s; with ~10 s
  // provisioning and 1 s container start: 56.4 s vs 57 s measured (aws-facts E.4).
  const double plain = pull_s(img, nat_gateway_path(p).bandwidth_mb_per_s, 1.0, p);
  CHECK(plain == Approx(45.4208).epsilon(1e-4));
  // SOCI: 2.4 + 1 + 0.2 x 413 / 8 + 0.2 x 1032.5 / 60 = 3.4 + 10.325 + 3.4417 = 17.17 s, so the
  // start falls from 56.4 s to 28.2 s: AWS's "up to 50% faster" (B.8).
  auto soci = img;
  soci.soci = true;
  const double lazy = pull_s(soci, 16, 1.0, p);
  CHECK(lazy == Approx(17.1667).epsilon(1e-4));
  CHECK((10 + lazy + 1) / (10 + plain + 1) == Approx(0.4993).epsilon(1e-3));
  // zstd: extraction 17.21 -> 8.60 s, start 56.4 -> 47.8 s, 15% shorter (AWS: up to 27%).
  auto z = img;
  z.compression = ImageSpec::zstd;
  CHECK(pull_s(z, 16, 1.0, p) == Approx(2.4 + 25.8125 + 8.6042).epsilon(1e-4));
  CHECK(nat_gateway_path(p).via == "nat_gateway");
  CHECK(vpc_endpoint_path(p).bandwidth_mb_per_s > nat_gateway_path(p).bandwidth_mb_per_s);
}

TEST_CASE("task definition: pull noise is lognormal with mean one", "[fargate]") {
  PullParams p;  // noise sd 10%
  const auto img = image(413, 8);
  const double base = pull_breakdown(img, nat_gateway_path(p), 1.0, p).total_s();
  RandomStream rng(7, 3, 0);
  double sum = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) sum += pull_time(img, nat_gateway_path(p), 1.0, p, rng).to_seconds();
  // Standard error of the mean ratio: 0.1 / sqrt(20000) = 0.0007; 1% is 14 standard errors.
  CHECK(sum / n / base == Approx(1.0).epsilon(0.01));
  RandomStream a(7, 3, 0), b(7, 3, 0);
  CHECK(pull_time(img, nat_gateway_path(p), 1.0, p, a) == pull_time(img, nat_gateway_path(p), 1.0, p, b));
}

// ---------------------------------------------------------------------------------------------
// Start schedules

TEST_CASE("task definition: START and HEALTHY dependencies order the start", "[fargate]") {
  auto proxy = container("proxy", true, 512);
  proxy.health_check = HealthCheck{seconds(10), seconds(5), 3, seconds(0)};
  auto app = container("app", true, 512);
  app.depends_on = {{"proxy", Cond::healthy}};
  app.health_check = HealthCheck{};  // 30 s interval
  auto log = container("log", false);  // unreserved: 1024 - 1024 = 0 units left, but no init work
  log.depends_on = {{"app", Cond::start}};
  const auto td = task(1024, 2048, {proxy, app, log});
  REQUIRE(validate(td, "").empty());

  const auto s = start_schedule(td, 1.0, {{1.0, 4.0, 0}, {2.0, 10.0, 0}, {0.5, 0.0, 0}});
  const auto& p = s.containers[0];
  const auto& a = s.containers[1];
  const auto& l = s.containers[2];
  // proxy: starts at 1; 4 CPU-s at 0.5 vCPU = 8 s -> ready 9; checks at 11, 21, ...: healthy 11
  CHECK(secs(p.started_at) == Approx(1));
  CHECK(secs(p.app_ready_at) == Approx(9));
  CHECK(secs(p.healthy_at) == Approx(11));
  // app: waits for proxy HEALTHY (11) + 2 = 13; 10 CPU-s at 0.5 = 20 s -> ready 33; first check 13 + 30 = 43
  CHECK(secs(a.started_at) == Approx(13));
  CHECK(secs(a.app_ready_at) == Approx(33));
  CHECK(secs(a.healthy_at) == Approx(43));
  // log: app START (13) + 0.5
  CHECK(secs(l.started_at) == Approx(13.5));
  CHECK_FALSE(l.healthy_at);
  CHECK_FALSE(l.exited_at);
  CHECK(s.task_running_at.to_seconds() == Approx(13));  // essential: proxy 1, app 13
  CHECK(s.task_ready_at.to_seconds() == Approx(43));    // max(11, 43)
  CHECK_FALSE(s.failure);
}

TEST_CASE("task definition: SUCCESS and COMPLETE wait for an init container to exit", "[fargate]") {
  auto init = container("init", false);
  init.run_time = Distribution(Constant{3.0});
  auto app = container("app");
  app.depends_on = {{"init", Cond::success}};
  auto td = task(1024, 2048, {init, app});
  REQUIRE(validate(td, "").empty());
  const std::vector<ContainerDraws> draws = {{1.0, 2.0, 3.0}, {1.5, 35.0, 0}};

  auto s = start_schedule(td, 1.0, draws);
  // init: starts 1; share 1024 / 2 = 0.5 vCPU (app counts beside it), 2 CPU-s -> 4 s -> ready 5; exits 5 + 3 = 8
  CHECK(secs(s.containers[0].started_at) == Approx(1));
  CHECK(secs(s.containers[0].exited_at) == Approx(8));
  // app: 8 + 1.5 = 9.5; init gone, so the whole vCPU: 35 CPU-s -> ready 44.5
  CHECK(secs(s.containers[1].started_at) == Approx(9.5));
  CHECK(secs(s.containers[1].app_ready_at) == Approx(44.5));
  CHECK(s.task_running_at.to_seconds() == Approx(9.5));
  CHECK(s.task_ready_at.to_seconds() == Approx(9.5));  // no essential health check: ready = running
  CHECK_FALSE(s.failure);

  // Exit code 1: COMPLETE still lets the app start at the same times...
  td.containers[0].exit_code = 1;
  td.containers[1].depends_on[0].condition = Cond::complete;
  s = start_schedule(td, 1.0, draws);
  CHECK(secs(s.containers[1].started_at) == Approx(9.5));
  CHECK(s.containers[0].exit_code == 1);
  CHECK_FALSE(s.failure);

  // ...SUCCESS does not: the app never starts and the task fails.
  td.containers[1].depends_on[0].condition = Cond::success;
  s = start_schedule(td, 1.0, draws);
  CHECK_FALSE(s.containers[1].started_at);
  CHECK(s.task_running_at.is_infinite());
  CHECK(s.task_ready_at.is_infinite());
  REQUIRE(s.failure);
  CHECK(*s.failure == "CannotStartContainerError: dependency 'init' exited with code 1; container 'app' needs SUCCESS");
}

TEST_CASE("task definition: init is single-threaded, as in the serverless-openclaw measurement", "[fargate]") {
  // 35 CPU-s of init (E.4: ~35 s at 1 vCPU): 0.5 vCPU -> 70 s (measured ~80 s); 2 vCPU -> still 35 s.
  const auto at = [](int cpu, int mem) {
    const auto td = task(cpu, mem, {container("app")});
    return secs(start_schedule(td, cpu / 1024.0, {{0.0, 35.0, 0}}).containers[0].app_ready_at);
  };
  CHECK(at(512, 1024) == Approx(70));
  CHECK(at(1024, 2048) == Approx(35));
  CHECK(at(2048, 4096) == Approx(35));
}

TEST_CASE("task definition: health checks count failures only after the start period", "[fargate]") {
  auto app = container("app");
  app.health_check = HealthCheck{seconds(10), seconds(5), 3, seconds(0)};
  auto td = task(1024, 2048, {app});
  const std::vector<ContainerDraws> draws = {{0.0, 45.0, 0}};  // ready at 45 s

  // No start period: checks at 10, 20, 30 fail -> UNHEALTHY at 30, before the pass at 50.
  auto s = start_schedule(td, 1.0, draws);
  CHECK(secs(s.containers[0].unhealthy_at) == Approx(30));
  CHECK_FALSE(s.containers[0].healthy_at);
  CHECK(s.task_running_at.to_seconds() == Approx(0));
  CHECK(s.task_ready_at.is_infinite());
  REQUIRE(s.failure);
  CHECK(*s.failure == "Task failed container health checks: essential container 'app' became UNHEALTHY");

  // startPeriod 30: failures at 10 and 20 don't count; 30, 40 do (2 < 3); the check at 50 passes.
  td.containers[0].health_check->start_period = seconds(30);
  s = start_schedule(td, 1.0, draws);
  CHECK(secs(s.containers[0].healthy_at) == Approx(50));
  CHECK_FALSE(s.containers[0].unhealthy_at);
  CHECK(s.task_ready_at.to_seconds() == Approx(50));
  CHECK_FALSE(s.failure);
}

TEST_CASE("task definition: a HEALTHY dependency that turns UNHEALTHY stops the dependent", "[fargate]") {
  auto db = container("db", false);
  db.health_check = HealthCheck{seconds(5), seconds(2), 2, seconds(0)};
  auto app = container("app");
  app.depends_on = {{"db", Cond::healthy}};
  const auto td = task(1024, 2048, {db, app});
  // db: 0.5 vCPU, 10 CPU-s -> ready 20; checks 5, 10 fail -> UNHEALTHY at 10.
  const auto s = start_schedule(td, 1.0, {{0.0, 10.0, 0}, {1.0, 0.0, 0}});
  CHECK(secs(s.containers[0].unhealthy_at) == Approx(10));
  CHECK_FALSE(s.containers[1].started_at);
  REQUIRE(s.failure);
  CHECK(*s.failure == "CannotStartContainerError: dependency 'db' became UNHEALTHY; container 'app' needs HEALTHY");
}

TEST_CASE("task definition: the schedule draws from the container distributions", "[fargate]") {
  auto init = container("init", false);
  init.start_time = Constant{1.0};
  init.init_cpu_seconds = Constant{2.0};
  init.run_time = Distribution(Constant{3.0});
  auto app = container("app");
  app.depends_on = {{"init", Cond::success}};
  app.start_time = Constant{1.5};
  app.init_cpu_seconds = Constant{35.0};
  const auto td = task(1024, 2048, {init, app});
  RandomStream rng(1, 1, 0);
  const auto s = start_schedule(td, 1.0, rng);
  CHECK(secs(s.containers[1].app_ready_at) == Approx(44.5));  // as in the SUCCESS case above
  CHECK_THROWS_AS(start_schedule(td, 1.0, std::vector<ContainerDraws>{}), std::invalid_argument);
}
