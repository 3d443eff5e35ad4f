// Collision response: particle against particle, and particle against wall.
//
// Works on particles gathered into grid order (SortedParticles), so neighbours are
// adjacent in memory. All particles have the same radius and mass, which makes the
// impulses symmetric: momentum is conserved exactly up to rounding, and with
// elasticity 1 and friction 0 so is kinetic energy.
#pragma once

#include "sim/event_sink.hpp"
#include "sim/spatial_grid.hpp"

#include <cstdint>
#include <vector>

namespace harmonic::sim {

// Structure of arrays in grid order; id[k] is the particle's index in the world.
struct SortedParticles {
  std::vector<float> x, y, vx, vy;
  std::vector<uint32_t> id;

  void resize(size_t n) {
    x.resize(n);
    y.resize(n);
    vx.resize(n);
    vy.resize(n);
    id.resize(n);
  }
};

struct ContactRules {
  float radius = 1;
  float elasticity = 0.7f;
  float friction = 0.3f;
  float min_event_speed = 1;  // slower impacts are resting contact, not music
  float half_width = 100;
  float half_height = 62.5f;
  // The forces, so contact correction knows which way is "down" (see contacts.cpp).
  float gravity = 0;
  float field = 0;               // field_strength * World::kFieldAcceleration
  float field_softening_sq = 1;  // same softening as the field force
};

// Separates overlapping pairs and applies restitution and Coulomb friction impulses.
// Each pair is visited once (half neighbourhood: own cell, right, three above).
void resolve_particle_contacts(SortedParticles& p, const SpatialGrid& grid,
                               const ContactRules& rules, EventSink& events);

// Keeps every particle inside the walls and bounces it off them.
void resolve_wall_contacts(SortedParticles& p, const ContactRules& rules, EventSink& events);

}  // namespace harmonic::sim
