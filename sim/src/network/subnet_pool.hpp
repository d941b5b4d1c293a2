// The IPv4 addresses of VPC subnets: every awsvpc task (every Fargate task) takes one address
// of its subnet for its ENI (aws-facts B.6) and gives it back when the ENI is deleted.
//
// A subnet's prefix is /16 to /28 and AWS reserves the first four and the last address of
// every subnet (EC2 API Reference, CreateSubnet; VPC User Guide "Subnet CIDR blocks"), so a
// /24 has 256 - 5 = 251 usable addresses and a /28 has 11. Only counts are kept, not which
// address is which: nothing in the model depends on the address itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fargatelab/scenario.hpp"

namespace fargatelab::detail {

inline constexpr int kMinSubnetPrefix = 16;     // largest subnet, /16 (EC2 CreateSubnet)
inline constexpr int kMaxSubnetPrefix = 28;     // smallest subnet, /28 (EC2 CreateSubnet)
inline constexpr int kReservedPerSubnet = 5;    // first four and last address (EC2 CreateSubnet)
// The stopped reason of a task whose ENI found no address (field reports; aws-facts B.4).
inline constexpr const char* kNoFreeAddress =
    "InsufficientFreeAddressesInSubnet: the subnet has no free IP address for the task's ENI";

class SubnetPool {
 public:
  // prefix_length in [16, 28], else std::invalid_argument.
  SubnetPool(std::string name, std::string az, int prefix_length);

  // Takes one address; false (and counted in rejected()) if none is free.
  bool allocate() noexcept;
  // Gives one address back; std::logic_error if none is in use (a double release is a model bug).
  void release();

  int in_use() const noexcept { return in_use_; }
  int free() const noexcept { return capacity_ - in_use_; }
  int capacity() const noexcept { return capacity_; }  // 2^(32 - prefix) - 5
  int peak_in_use() const noexcept { return peak_; }
  std::int64_t rejected() const noexcept { return rejected_; }  // allocate() calls that found it full

  const std::string& name() const noexcept { return name_; }
  const std::string& az() const noexcept { return az_; }
  int prefix_length() const noexcept { return prefix_; }

 private:
  std::string name_, az_;
  int prefix_;
  int capacity_;
  int in_use_ = 0;
  int peak_ = 0;
  std::int64_t rejected_ = 0;
};

// The subnet with the most free addresses among `allowed` (indices into `pools`; nullptr = all)
// that lies in zone `az` ("" = any zone) and has a free address; ties go to the lowest index.
// O(number of subnets), no allocation. Does not allocate the address.
std::optional<std::size_t> most_free_subnet(const std::vector<SubnetPool>& pools,
                                            const std::vector<std::size_t>* allowed = nullptr,
                                            std::string_view az = {});

// Several subnets (typically one per zone) and the choice among them.
class SubnetSet {
 public:
  SubnetSet() = default;
  explicit SubnetSet(std::vector<SubnetPool> pools) : pools_(std::move(pools)) {}

  // Adds a subnet; returns its index.
  std::size_t add(SubnetPool pool);

  // Allocates in the subnet of `az` with the most free addresses (ties: lowest index); nullopt
  // if no subnet of that zone has a free address (counted in rejected()).
  std::optional<std::size_t> allocate_in_az(const std::string& az);
  // Same over every subnet.
  std::optional<std::size_t> allocate_any();
  // Same over the `allowed` subnets, in zone `az` ("" = any).
  std::optional<std::size_t> allocate_among(const std::vector<std::size_t>& allowed, std::string_view az = {});
  // Gives back an address of subnet `index` (std::out_of_range, or std::logic_error if none is in use).
  void release(std::size_t index);

  std::size_t size() const noexcept { return pools_.size(); }
  const SubnetPool& subnet(std::size_t index) const { return pools_.at(index); }
  const std::vector<SubnetPool>& subnets() const noexcept { return pools_; }
  // Totals over every subnet, for time series.
  int in_use() const noexcept;
  int free() const noexcept;
  int capacity() const noexcept;
  std::int64_t rejected() const noexcept { return rejected_; }  // allocate_* calls that found nothing

 private:
  std::optional<std::size_t> take(std::optional<std::size_t> index);

  std::vector<SubnetPool> pools_;
  std::int64_t rejected_ = 0;
};

// The VPC's subnets as address pools, in the scenario's order (a replication's, shared by its
// launch types).
inline std::vector<SubnetPool> make_subnet_pools(const NetworkSpec& network) {
  std::vector<SubnetPool> pools;
  for (const SubnetSpec& s : network.subnets) pools.emplace_back(s.name, s.az, s.prefix_length);
  return pools;
}

}  // namespace fargatelab::detail
