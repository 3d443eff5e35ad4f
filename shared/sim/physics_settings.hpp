// The physics parameters of a universe, typed. Field names and defaults are the
// `physics` category of /shared/PARAMETERS.md; the canonical table with labels and
// validation lives in shared/params, this is the value the simulation consumes.
#pragma once

#include <string_view>

namespace sim {

struct PhysicsSettings {
  double gravity = 9.81;        // m/s², pulls towards -y
  double particle_speed = 10.0; // m/s, scale of launch velocities
  double particle_size = 1.0;   // m, collision radius of every particle
  int particle_count = 1000;    // particles simulated
  double friction = 0.3;        // Coulomb coefficient at contacts and walls
  double elasticity = 0.7;      // restitution of wall and particle collisions
  double air_resistance = 0.1;  // quadratic drag coefficient
  double density = 1.0;         // kg/m³ of the medium, scales drag
  double time_scale = 1.0;      // simulated seconds per real second
  double field_strength = 0.0;  // central attractor (+) or repulsor (-)

  friend bool operator==(const PhysicsSettings&, const PhysicsSettings&) = default;
};

// Inclusive bounds of one physics parameter (the schema ranges).
struct PhysicsBounds {
  std::string_view name;
  double min;
  double max;
};

// The schema ranges, in schema order. The simulation clamps to them itself: the
// server validates before it gets here, but tools and tests may pass anything and
// the step must never produce NaN or lose particles.
const PhysicsBounds* physics_bounds_begin();
const PhysicsBounds* physics_bounds_end();

// Returns the settings with every field clamped into its schema range.
PhysicsSettings clamped(const PhysicsSettings& settings);

// Sets the field called `name` (schema spelling) to `value`. Returns false for an
// unknown name. Used by the command-line tool and by code that holds parameters
// as name/value pairs. `particle_count` is rounded to the nearest integer.
bool set_physics_field(PhysicsSettings& settings, std::string_view name, double value);

// Reads the field called `name`; false for an unknown name.
bool get_physics_field(const PhysicsSettings& settings, std::string_view name, double& value);

} // namespace sim
