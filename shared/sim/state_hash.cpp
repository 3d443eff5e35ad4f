#include "sim/state_hash.hpp"

#include <cstring>

namespace harmonic::sim {
namespace {

constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ull;
constexpr uint64_t kFnvPrime = 0x100000001b3ull;

// Hashes the little-endian bytes of `value` (explicit, so the result does not
// depend on the host byte order).
inline uint64_t fnv_u32(uint64_t h, uint32_t value) {
  for (int b = 0; b < 4; ++b) {
    h ^= (value >> (8 * b)) & 0xFFu;
    h *= kFnvPrime;
  }
  return h;
}

inline uint32_t float_bits(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof bits);
  return bits;
}

} // namespace

uint64_t hash_particles(const Particles& p) {
  uint64_t h = fnv_u32(kFnvOffset, static_cast<uint32_t>(p.size()));
  for (size_t i = 0; i < p.size(); ++i) {
    h = fnv_u32(h, float_bits(p.x[i]));
    h = fnv_u32(h, float_bits(p.y[i]));
    h = fnv_u32(h, float_bits(p.vx[i]));
    h = fnv_u32(h, float_bits(p.vy[i]));
  }
  return h;
}

}  // namespace harmonic::sim
