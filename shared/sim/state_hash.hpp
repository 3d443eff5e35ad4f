// A fingerprint of the exact simulation state, for determinism checks: equal
// hashes mean bit-identical positions and velocities (with overwhelming
// probability). FNV-1a 64 over the particle count and the IEEE bits of every float.
#pragma once

#include "sim/particles.hpp"

#include <cstdint>

namespace harmonic::sim {

uint64_t hash_particles(const Particles& particles);

}  // namespace harmonic::sim
