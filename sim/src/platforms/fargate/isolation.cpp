#include "platforms/fargate/isolation.hpp"

namespace fargatelab::detail {
namespace {

struct Defaults {
  double boot_s, boot_sd_s, rate, overhead_mib;
};

// Firecracker microVMs (Agache et al., NSDI'20; aws-facts C.1).
constexpr Defaults kFirecracker{
    0.125,   // boot: "as little as 125 ms" to guest user space (C.1; SPECIFICATION.md: <= 125 ms InstanceStart -> /sbin/init)
    0.0085,  // boot sd: lognormal with mean 125 ms and the paper's p99 ~146 ms (1,000 launches, 50 at once; C.1), derived below
    150,     // "up to 150 microVMs per second per host" (C.1)
    5,       // VMM overhead "< 5 MiB" per microVM (C.1; SPECIFICATION.md <= 5 MiB; ~3 MB measured, C.1): the bound, to be safe
};
// Derivation of the sd: a lognormal with mean m and p99 q has sigma^2/2 - z sigma + ln(q/m) = 0
// (z = 2.3263, the standard normal 0.99 quantile), so sigma = z - sqrt(z^2 - 2 ln(q/m))
// = 2.3263 - sqrt(5.41190 - 2 * 0.155293) = 0.06774 and sd = m sqrt(exp(sigma^2) - 1)
// = 0.125 * 0.06782 = 0.00848 s; 0.0085 s gives p99 = 146.06 ms.

// A conventional per-task VM (QEMU/KVM with firmware and a general-purpose guest).
constexpr Defaults kVm{
    3.0,  // boot: QEMU q35/virt with firmware ~2-3 s (Microsoft quicksand docs, "Performance: under the hood");
          // an unoptimised Ubuntu cloud image on KVM reaches a shell in 7-9 s, < 5 s with direct
          // kernel boot (depot.dev "Optimizing microVM boot times", 2026): 3 s is the fast end
    1.0,  // boot sd: nothing published on the spread; our choice: mean +-2 sigma of the lognormal spans 1.5-5.4 s
    10,   // creations per host per second: no published figure for QEMU/libvirt; our assumption, an
          // order of magnitude below Firecracker's 150/s, which the NSDI'20 paper presents as its advantage
    131,  // QEMU VMM overhead ~131 MB per VM vs ~3 MB for Firecracker (NSDI'20 evaluation, C.1 [secondary]), MB taken as MiB
};

ParamSpec duration_param(std::string name, double default_s, bool exclusive, std::string doc) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = ParamType::duration;
  p.default_value = default_s;
  p.min = 0.0;
  p.min_exclusive = exclusive;
  p.doc = std::move(doc);
  return p;
}

ParamSpec number_param(std::string name, double def, double min, bool exclusive, std::optional<double> max, std::string doc) {
  ParamSpec p;
  p.name = std::move(name);
  p.default_value = def;
  p.min = min;
  p.min_exclusive = exclusive;
  p.max = max;
  p.doc = std::move(doc);
  return p;
}

ModelInfo info(std::string name, std::string doc, const Defaults& d) {
  return {std::move(name),
          std::move(doc),
          {duration_param("boot", d.boot_s, true, "mean boot time of one VM, seconds or e.g. \"125ms\", > 0"),
           duration_param("boot_sd", d.boot_sd_s, false, "standard deviation of the boot time (lognormal; 0: constant)"),
           number_param("rate", d.rate, 1e-6, false, 1e6, "VM creations per second per host, 1e-6 to 1e6 (FIFO per host)"),
           number_param("overhead_mib", d.overhead_mib, 0.0, false, std::nullopt,
                        "host memory per VM beyond the task's memory, MiB, >= 0")}};
}

Registry<IsolationProfile>::Factory factory(std::string name) {
  return [name](const Params& p, Problems&) -> std::optional<IsolationProfile> {
    const double mean = p.duration("boot").to_seconds();
    const double sd = p.duration("boot_sd").to_seconds();
    Distribution boot = sd == 0.0 ? Distribution(Constant{mean}) : Distribution(LogNormal::from_mean_sd(mean, sd));
    return IsolationProfile{name, std::move(boot), p.number("rate"), p.number("overhead_mib")};
  };
}

Registry<IsolationProfile> make() {
  Registry<IsolationProfile> r("isolation substrate");
  r.add(info("firecracker", "Firecracker microVMs (NSDI'20 figures): ~125 ms boot, 150 creations/s per host, 5 MiB each.",
             kFirecracker),
        factory("firecracker"));
  r.add(info("vm", "A conventional per-task QEMU/KVM VM: seconds to boot, slower creation, ~131 MiB each.", kVm),
        factory("vm"));
  return r;
}

}  // namespace

const Registry<IsolationProfile>& isolation_registry() {
  static const Registry<IsolationProfile> r = make();
  return r;
}

}  // namespace fargatelab::detail
