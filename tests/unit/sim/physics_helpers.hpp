// Measurements over a world's particles shared by the simulation tests.
#pragma once

#include "sim/world.hpp"

#include <cmath>

namespace sim_test {

struct Totals {
  double momentum_x = 0, momentum_y = 0;  // per unit particle mass
  double kinetic_energy = 0;              // per unit particle mass
  double mean_height = 0;
  double mean_vy = 0;
};

inline Totals totals(const harmonic::sim::Particles& p) {
  Totals t;
  for (size_t i = 0; i < p.size(); ++i) {
    const double vx = p.vx[i], vy = p.vy[i];
    t.momentum_x += vx;
    t.momentum_y += vy;
    t.kinetic_energy += 0.5 * (vx * vx + vy * vy);
    t.mean_height += p.y[i];
    t.mean_vy += vy;
  }
  if (p.size() > 0) {
    t.mean_height /= static_cast<double>(p.size());
    t.mean_vy /= static_cast<double>(p.size());
  }
  return t;
}

inline harmonic::sim::PhysicsSettings frictionless_elastic_vacuum(int count) {
  harmonic::sim::PhysicsSettings s;
  s.particle_count = count;
  s.gravity = 0;
  s.air_resistance = 0;
  s.density = 0;
  s.friction = 0;
  s.elasticity = 1;
  s.field_strength = 0;
  return s;
}

} // namespace sim_test
