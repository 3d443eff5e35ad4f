// Our own seeded pseudo-random numbers. std:: engines are portable but std::
// distributions are not (libstdc++ and libc++ produce different values), so every
// random quantity in the simulation is derived from these integer generators with
// plain IEEE arithmetic, identical on every platform.
#pragma once

#include <cstdint>

namespace harmonic::sim {

// SplitMix64: turns any 64-bit value into a well-mixed one. Used to seed and as a
// stateless hash (event sampling).
constexpr uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// xoshiro256** (Blackman & Vigna): fast, 256-bit state, good statistical quality.
class Random {
 public:
  explicit Random(uint64_t seed) {
    uint64_t s = seed;
    for (uint64_t& word : state_) {
      s = splitmix64(s);
      word = s;
    }
  }

  uint64_t next_u64() {
    const uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 24 random bits: exactly representable as float.
  float next_unit_float() { return static_cast<float>(next_u64() >> 40) * 0x1.0p-24f; }

  // Uniform in [0, 1) with 53 random bits.
  double next_unit_double() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  // Uniform integer in [0, n) for n > 0 (multiply-shift; bias is below 2^-32).
  uint32_t next_below(uint32_t n) {
    return static_cast<uint32_t>(((next_u64() >> 32) * static_cast<uint64_t>(n)) >> 32);
  }

 private:
  static constexpr uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t state_[4];
};

}  // namespace harmonic::sim
