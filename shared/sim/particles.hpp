// Particle state as a structure of arrays: x[i], y[i], vx[i], vy[i] belong to
// particle i. Indices are stable: a particle keeps its index for its whole life
// (renderers may colour by index); removing particles removes the highest indices.
#pragma once

#include <cstddef>
#include <vector>

namespace harmonic::sim {

struct Particles {
  std::vector<float> x, y;    // m, world coordinates (see world_geometry.hpp)
  std::vector<float> vx, vy;  // m/s

  size_t size() const { return x.size(); }
  void resize(size_t n) {
    x.resize(n);
    y.resize(n);
    vx.resize(n);
    vy.resize(n);
  }
};

}  // namespace harmonic::sim
