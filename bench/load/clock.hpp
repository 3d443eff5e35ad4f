// One monotonic clock for the whole load generator, in microseconds since it started.
// Send times travel in payloads as these numbers, so they stay small and exact.
#pragma once

#include <chrono>
#include <cstdint>

namespace harmonic::bench {

inline std::int64_t now_us() {
  static const auto epoch = std::chrono::steady_clock::now();
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - epoch).count();
}

}  // namespace harmonic::bench
