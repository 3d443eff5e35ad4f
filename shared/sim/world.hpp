// The simulated universe: particles in a walled 2D box under gravity, drag, a
// central field and collisions. Deterministic: the same seed, the same settings
// changes at the same step numbers and the same number of steps give bit-identical
// state on every platform (native x86-64 and WebAssembly), see state_hash().
//
// Coordinates and world size: see sim/world_geometry.hpp (metres, origin at the
// centre, +y up, size follows particle_count and particle_size).
//
// Time: each step() advances kStepSeconds * time_scale simulated seconds, i.e. one
// step per frame at 60 Hz plays the universe in real time at time_scale 1. A step
// is split into 1..kMaxSubsteps sub-steps so that no particle moves more than one
// radius per sub-step (so no two particles can pass through each other).
//
// The launcher: under gravity or a field, particles eventually come to rest and the
// music would stop. Each step the world looks at a 1/120 slice of the particles
// (round robin, so everyone is looked at every two seconds) and relaunches those at
// rest, upwards:
//   - under gravity, "at rest" means too low in energy to rise above 15% of the height
//     (a pile keeps jostling, so speed alone would never say so) with nothing resting
//     on top; a launch aims for a random height up to the top of the world (less when
//     particle_speed is below 10), so that heights, and with them the notes, spread
//     over the whole range;
//   - with only a field, "at rest" means slower than 0.5 m/s, and a launch goes at up
//     to particle_speed.
// Without gravity and field nothing comes to rest by itself, and nothing is relaunched
// (so conservation laws hold exactly in that case).
//
// Usage:
//   sim::World world(seed, settings);
//   world.step();                       // every frame
//   world.particles().x[i] ...          // draw
//   for (auto& e : world.pending_events()) ...; world.clear_events();
#pragma once

#include "sim/contacts.hpp"
#include "sim/event.hpp"
#include "sim/event_sink.hpp"
#include "sim/particles.hpp"
#include "sim/physics_settings.hpp"
#include "sim/random.hpp"
#include "sim/spatial_grid.hpp"
#include "sim/world_geometry.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace harmonic::sim {

class World {
 public:
  static constexpr double kStepSeconds = 1.0 / 60.0;   // simulated s per step at time_scale 1
  static constexpr int kMaxSubsteps = 16;
  static constexpr float kMaxSpeed = 1000.0f;          // m/s, hard safety limit
  static constexpr float kMinEventSpeed = 1.0f;        // m/s, slower impacts are silent
  static constexpr float kDragScale = 0.05f;           // drag = air_resistance*density*this*|v|*v
  static constexpr float kFieldAcceleration = 1.0f;    // m/s² per unit of field_strength
  static constexpr float kRestSpeed = 0.5f;            // m/s, below this a particle may be relaunched
  static constexpr float kFullHeightLaunchSpeed = 10.0f;  // particle_speed at which launches reach the top
  static constexpr float kLowEnergyHeight = 0.15f;  // under gravity: relaunched if it cannot rise above this share
  static constexpr float kMaxLaunchFactor = 5.0f;   // a launch is at most this times particle_speed

  World(uint64_t seed, const PhysicsSettings& settings);

  // Takes effect at the start of the next step(). Values are clamped to the schema
  // ranges. Count changes spawn new particles (from the world's random stream) or
  // remove the highest indices; everything else keeps its state.
  void set_settings(const PhysicsSettings& settings);
  // The most recently set settings (clamped), whether or not a step has applied them.
  const PhysicsSettings& settings() const { return requested_; }

  void step();
  void step(uint64_t count) {
    for (uint64_t i = 0; i < count; ++i) step();
  }

  const Particles& particles() const { return particles_; }
  // Direct write access between steps, for tests and tools that need a prepared
  // scene. Keep the sizes unchanged (use particle_count to add or remove) and keep
  // positions inside the walls.
  Particles& mutable_particles() { return particles_; }
  WorldSize world_size() const { return size_; }
  float field_ring_radius() const { return sim::field_ring_radius(size_); }
  float particle_radius() const { return radius_; }

  // Events accumulated since the last clear_events()/drain_events(): a uniform
  // sample of at most about EventSink::kBudgetPerStep per step, at most
  // EventSink::kCapacity in total (further ones are dropped until drained).
  std::span<const Event> pending_events() const { return events_.events(); }
  void clear_events() { events_.clear(); }
  std::vector<Event> drain_events();

  uint64_t state_hash() const;
  uint64_t step_count() const { return step_count_; }
  double simulated_seconds() const { return simulated_seconds_; }
  int last_substeps() const { return last_substeps_; }
  // Fastest particle at the start of the last step (m/s).
  float max_speed() const { return max_speed_; }

 private:
  void apply_settings();
  void spawn(size_t first, size_t last);
  void relaunch_resting_particles();
  bool covered(size_t i) const;  // another particle rests on top of particle i
  float drag_coefficient() const;  // k in drag = k |v| v, per metre
  float field_softening_sq() const;
  float current_max_speed() const;
  int substeps_for(float step_seconds) const;
  void substep(float h);
  void integrate(float h);

  Random random_;
  PhysicsSettings requested_;
  PhysicsSettings active_;
  bool settings_changed_ = true;

  WorldSize size_;
  float radius_ = 1;
  ContactRules rules_;

  Particles particles_;
  SortedParticles sorted_;
  SpatialGrid grid_;
  EventSink events_;

  uint64_t step_count_ = 0;
  double simulated_seconds_ = 0;
  size_t relaunch_cursor_ = 0;
  bool grid_current_ = false;  // grid_ was built for the current particles
  float max_speed_ = 0;
  int last_substeps_ = 0;
};

}  // namespace harmonic::sim
