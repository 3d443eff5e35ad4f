// The reconnection schedule of docs/protocol.md, "Connecting" (io(url, {reconnection: true,
// reconnectionAttempts: 5, reconnectionDelay: 1000})): attempt n waits
// base * factor^(n-1) ms, at most max_delay, randomised by +-jitter like Socket.IO's
// backoff. Pure: the random source is a seeded generator so tests can pin it.
#pragma once

#include <cstdint>

namespace harmonic::client {

struct ReconnectPolicy {
  int attempts = 5;
  double base_delay_ms = 1000;
  double max_delay_ms = 5000;
  double factor = 2;
  double jitter = 0.5;  // 0 = exact delays
};

class Backoff {
 public:
  explicit Backoff(ReconnectPolicy policy, std::uint64_t seed = 0x9e3779b97f4a7c15ull)
      : policy_(policy), state_(seed ? seed : 1) {}

  const ReconnectPolicy& policy() const { return policy_; }
  // Delay before attempt number `attempt` (1-based).
  double delay_ms(int attempt);
  bool exhausted(int attempt) const { return attempt > policy_.attempts; }

 private:
  double next_unit();  // uniform in [0, 1)
  ReconnectPolicy policy_;
  std::uint64_t state_;
};

}  // namespace harmonic::client
