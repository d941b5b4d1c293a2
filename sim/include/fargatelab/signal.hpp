// Observer signals: models emit, observers (metrics, billing, tracing) listen (practice 11).
// Emitting with no observer costs one branch; each observer costs one indirect call.
#pragma once

#include <cstddef>
#include <functional>
#include <utility>
#include <vector>

namespace fargatelab {

template <class... Args>
class Signal {
 public:
  using Slot = std::function<void(Args...)>;
  // Returns a token for disconnect(). Observers are called in connection order.
  std::size_t connect(Slot slot) {
    slots_.push_back(std::move(slot));
    return slots_.size() - 1;
  }
  void disconnect(std::size_t token) { slots_.at(token) = nullptr; }
  bool connected() const noexcept { return !slots_.empty(); }
  void emit(Args... args) const {
    for (const auto& s : slots_)
      if (s) s(args...);
  }

 private:
  std::vector<Slot> slots_;
};

}  // namespace fargatelab
