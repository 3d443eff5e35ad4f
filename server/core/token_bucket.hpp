// A token bucket: `capacity` events at once, refilled at `rate` per second. Used for
// the per-connection event budget and the separate, larger cursor budget.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace harmonic::core {

class TokenBucket {
 public:
  TokenBucket(double rate_per_second, double capacity, std::int64_t now_ms)
      : rate_(rate_per_second), capacity_(capacity), tokens_(capacity), updated_ms_(now_ms) {}

  // Takes `cost` tokens (an expensive event spends several: event_costs.hpp). A cost
  // above the capacity is taken as the whole capacity, so every event stays possible.
  bool try_take(std::int64_t now_ms, double cost = 1.0) {
    refill(now_ms);
    cost = std::min(cost, capacity_);
    if (tokens_ < cost) return false;
    tokens_ -= cost;
    return true;
  }
  // Whole events that could be taken now.
  int remaining(std::int64_t now_ms) {
    refill(now_ms);
    return static_cast<int>(std::floor(tokens_));
  }
  int capacity() const { return static_cast<int>(capacity_); }
  // When the bucket will be full again (ms since the epoch).
  std::int64_t full_at(std::int64_t now_ms) {
    refill(now_ms);
    if (rate_ <= 0) return now_ms;
    return now_ms + static_cast<std::int64_t>(std::ceil((capacity_ - tokens_) / rate_ * 1000.0));
  }

 private:
  void refill(std::int64_t now_ms) {
    if (now_ms > updated_ms_) {
      tokens_ = std::min(capacity_, tokens_ + static_cast<double>(now_ms - updated_ms_) * rate_ / 1000.0);
      updated_ms_ = now_ms;
    }
  }
  double rate_;
  double capacity_;
  double tokens_;
  std::int64_t updated_ms_;
};

}  // namespace harmonic::core
