#include "client/reconnect.hpp"

#include <algorithm>
#include <cmath>

namespace harmonic::client {

double Backoff::next_unit() {
  // xorshift64*: small, deterministic and good enough for spreading retries.
  state_ ^= state_ >> 12;
  state_ ^= state_ << 25;
  state_ ^= state_ >> 27;
  return static_cast<double>((state_ * 2685821657736338717ull) >> 11) / 9007199254740992.0;
}

double Backoff::delay_ms(int attempt) {
  double ms = policy_.base_delay_ms * std::pow(policy_.factor, std::max(0, attempt - 1));
  if (policy_.jitter > 0) {
    const double deviation = std::floor(next_unit() * policy_.jitter * ms);
    ms = (next_unit() < 0.5) ? ms - deviation : ms + deviation;
  }
  return std::clamp(ms, 0.0, std::max(policy_.max_delay_ms, policy_.base_delay_ms));
}

}  // namespace harmonic::client
