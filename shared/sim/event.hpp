// What the simulation tells the music: things that happened during a step.
#pragma once

#include <cstdint>

namespace harmonic::sim {

enum class EventKind : uint8_t {
  wall_hit,            // a particle bounced off one of the four walls
  particle_collision,  // two particles struck each other (reported once per pair)
  field_crossing,      // a particle crossed the ring around the central field
};

struct Event {
  EventKind kind;
  uint32_t particle;    // index into World::particles() (for a collision: one of the two)
  float x;              // world position of the impact (m, see world_geometry.hpp)
  float y;
  float impact_speed;   // m/s: normal approach speed for hits, speed for crossings
};

}  // namespace harmonic::sim
