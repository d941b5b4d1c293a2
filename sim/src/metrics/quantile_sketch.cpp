#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "fargatelab/metrics.hpp"

namespace fargatelab {

QuantileSketch::QuantileSketch(double relative_accuracy) : alpha_(relative_accuracy) {
  if (!(relative_accuracy > 0 && relative_accuracy < 1)) throw std::invalid_argument("relative accuracy must be in (0, 1)");
  gamma_ = (1 + alpha_) / (1 - alpha_);
  inv_log_gamma_ = 1.0 / std::log(gamma_);
}

// Bucket i holds (gamma^(i-1), gamma^i].
int QuantileSketch::index_of(double x) const noexcept { return static_cast<int>(std::ceil(std::log(x) * inv_log_gamma_)); }

// The point of bucket i whose relative distance to both ends is alpha: 2 gamma^i / (gamma + 1).
double QuantileSketch::value_of(int i) const noexcept { return 2.0 * std::pow(gamma_, i) / (gamma_ + 1.0); }

// The counter of bucket index i, growing the dense range to include it.
std::uint64_t& QuantileSketch::bucket(int i) {
  if (buckets_.empty()) {
    offset_ = i;
    buckets_.assign(1, 0);
  } else if (i < offset_) {
    buckets_.insert(buckets_.begin(), static_cast<std::size_t>(offset_ - i), 0);
    offset_ = i;
  } else if (i >= offset_ + static_cast<int>(buckets_.size())) {
    buckets_.resize(static_cast<std::size_t>(i - offset_ + 1), 0);
  }
  return buckets_[static_cast<std::size_t>(i - offset_)];
}

void QuantileSketch::add(double x) {
  if (count_ == 0) {
    min_ = max_ = x;
  } else {
    min_ = std::min(min_, x);
    max_ = std::max(max_, x);
  }
  ++count_;
  sum_ += x;
  if (!(x > kMinPositive)) {
    ++zero_count_;
    return;
  }
  const int i = index_of(x);
  ++bucket(i);
}

double QuantileSketch::quantile(double q) const noexcept {
  if (count_ == 0 || !(q >= 0 && q <= 1)) return std::numeric_limits<double>::quiet_NaN();
  if (q == 0) return min_;
  if (q == 1) return max_;
  // The value of rank floor(q (n - 1)) (0-based), as in the DDSketch paper.
  const auto rank = static_cast<std::uint64_t>(q * static_cast<double>(count_ - 1));
  if (rank < zero_count_) return std::max(min_, 0.0);
  std::uint64_t seen = zero_count_;
  for (std::size_t b = 0; b < buckets_.size(); ++b) {
    seen += buckets_[b];
    if (seen > rank) return std::clamp(value_of(offset_ + static_cast<int>(b)), min_, max_);
  }
  return max_;
}

std::uint64_t QuantileSketch::count_at_most(double x) const noexcept {
  if (count_ == 0 || x < min_) return 0;
  if (x >= max_) return count_;
  std::uint64_t n = zero_count_;
  if (!(x > kMinPositive)) return n;
  const int last = index_of(x);
  for (std::size_t b = 0; b < buckets_.size() && offset_ + static_cast<int>(b) <= last; ++b) n += buckets_[b];
  return n;
}

void QuantileSketch::merge(const QuantileSketch& o) {
  if (o.alpha_ != alpha_) throw std::invalid_argument("merging sketches of different accuracy");
  if (o.count_ == 0) return;
  if (count_ == 0) {
    *this = o;
    return;
  }
  min_ = std::min(min_, o.min_);
  max_ = std::max(max_, o.max_);
  count_ += o.count_;
  sum_ += o.sum_;
  zero_count_ += o.zero_count_;
  for (std::size_t b = 0; b < o.buckets_.size(); ++b) {
    if (!o.buckets_[b]) continue;
    const int i = o.offset_ + static_cast<int>(b);
    bucket(i) += o.buckets_[b];
  }
}

void QuantileSketch::clear() noexcept {
  std::fill(buckets_.begin(), buckets_.end(), 0);
  zero_count_ = count_ = 0;
  sum_ = min_ = max_ = 0;
}

}  // namespace fargatelab
