// Where the universe lives.
//
// Coordinates: metres, origin at the centre of the world, +x right, +y UP (gravity
// pulls towards -y). The world is the rectangle
//     [-width/2, width/2] x [-height/2, height/2]
// with aspect ratio 16:10 and solid walls on all four sides. The central field
// (attractor or repulsor) sits at the origin. A renderer maps world (x, y) to the
// screen with one scale factor and must flip y.
//
// The size follows the settings: its area is chosen so that the particles cover
// about a tenth of it (count * pi * size^2 / 0.1), and never less than 200 m x 125 m.
// Keeping the coverage constant is what keeps the collision cost linear in the
// count (each particle always has about the same number of neighbours) and keeps
// 100,000 particles from jamming. Changing particle_count or particle_size therefore
// resizes the world on the next step; particles outside the new walls are pushed
// back in by the walls. Renderers should read World::world_size() every frame.
#pragma once

#include "sim/physics_settings.hpp"

namespace harmonic::sim {

struct WorldSize {
  float width = 0;
  float height = 0;

  friend bool operator==(const WorldSize&, const WorldSize&) = default;
};

inline constexpr double kWorldAspect = 1.6;         // width / height
inline constexpr double kMinWorldWidth = 200.0;     // m
inline constexpr double kParticleCoverage = 0.1;    // particle area / world area

// The world size for these (already clamped) settings.
WorldSize world_size_for(const PhysicsSettings& settings);

// Radius of the ring around the central field; crossing it emits a field_crossing
// event (only while field_strength != 0). A quarter of the world height.
float field_ring_radius(WorldSize size);

}  // namespace harmonic::sim
