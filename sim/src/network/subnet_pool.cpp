#include "network/subnet_pool.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace fargatelab::detail {

SubnetPool::SubnetPool(std::string name, std::string az, int prefix_length)
    : name_(std::move(name)), az_(std::move(az)), prefix_(prefix_length) {
  if (prefix_length < kMinSubnetPrefix || prefix_length > kMaxSubnetPrefix)
    throw std::invalid_argument(fmt::format("subnet \"{}\": prefix length /{} is outside /{} to /{}", name_,
                                            prefix_length, kMinSubnetPrefix, kMaxSubnetPrefix));
  capacity_ = (1 << (32 - prefix_length)) - kReservedPerSubnet;
}

bool SubnetPool::allocate() noexcept {
  if (in_use_ >= capacity_) {
    ++rejected_;
    return false;
  }
  ++in_use_;
  if (in_use_ > peak_) peak_ = in_use_;
  return true;
}

void SubnetPool::release() {
  if (in_use_ == 0) throw std::logic_error(fmt::format("subnet \"{}\": address released but none is in use", name_));
  --in_use_;
}

std::optional<std::size_t> most_free_subnet(const std::vector<SubnetPool>& pools, const std::vector<std::size_t>* allowed,
                                            std::string_view az) {
  std::optional<std::size_t> best;
  int best_free = 0;
  auto consider = [&](std::size_t i) {
    const SubnetPool& p = pools.at(i);
    if (!az.empty() && p.az() != az) return;
    const int f = p.free();
    // Strictly more free wins; with `allowed` in any order, an equal count goes to the lower index.
    if (f > best_free || (f == best_free && f > 0 && best && i < *best)) {
      best = i;
      best_free = f;
    }
  };
  if (allowed) {
    for (std::size_t i : *allowed) consider(i);
  } else {
    for (std::size_t i = 0; i < pools.size(); ++i) consider(i);
  }
  return best;
}

std::size_t SubnetSet::add(SubnetPool pool) {
  pools_.push_back(std::move(pool));
  return pools_.size() - 1;
}

std::optional<std::size_t> SubnetSet::take(std::optional<std::size_t> index) {
  if (!index) {
    ++rejected_;
    return std::nullopt;
  }
  pools_[*index].allocate();
  return index;
}

std::optional<std::size_t> SubnetSet::allocate_in_az(const std::string& az) {
  if (az.empty()) throw std::invalid_argument("subnet set: empty availability zone (use allocate_any)");
  return take(most_free_subnet(pools_, nullptr, az));
}

std::optional<std::size_t> SubnetSet::allocate_any() { return take(most_free_subnet(pools_)); }

std::optional<std::size_t> SubnetSet::allocate_among(const std::vector<std::size_t>& allowed, std::string_view az) {
  return take(most_free_subnet(pools_, &allowed, az));
}

void SubnetSet::release(std::size_t index) { pools_.at(index).release(); }

int SubnetSet::in_use() const noexcept {
  int n = 0;
  for (const auto& p : pools_) n += p.in_use();
  return n;
}

int SubnetSet::free() const noexcept {
  int n = 0;
  for (const auto& p : pools_) n += p.free();
  return n;
}

int SubnetSet::capacity() const noexcept {
  int n = 0;
  for (const auto& p : pools_) n += p.capacity();
  return n;
}

}  // namespace fargatelab::detail
