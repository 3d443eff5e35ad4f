// The physics parameters of a universe, typed: the value the simulation consumes.
// Names, ranges and defaults are the `physics` rows of the schema table
// (params/table.hpp, docs/parameters.md); nothing here repeats them.
#pragma once

#include <string_view>

#include "params/table.hpp"

namespace harmonic::sim {

// The schema default of physics parameter `name`, at compile time.
consteval double physics_default(std::string_view name) {
  return params::row(params::table::physics_name, name).default_number;
}

struct PhysicsSettings {
  double gravity = physics_default("gravity");                // m/s², pulls towards -y
  double particle_speed = physics_default("particle_speed");  // m/s, scale of launch velocities
  double particle_size = physics_default("particle_size");    // m, collision radius of every particle
  int particle_count = static_cast<int>(physics_default("particle_count"));
  double friction = physics_default("friction");              // Coulomb coefficient at contacts and walls
  double elasticity = physics_default("elasticity");          // restitution of wall and particle collisions
  double air_resistance = physics_default("air_resistance");  // quadratic drag coefficient
  double density = physics_default("density");                // kg/m³ of the medium, scales drag
  double time_scale = physics_default("time_scale");          // simulated seconds per real second
  double field_strength = physics_default("field_strength");  // central attractor (+) or repulsor (-)

  friend bool operator==(const PhysicsSettings&, const PhysicsSettings&) = default;
};

// Returns the settings with every field clamped into its schema range (NaN becomes
// the minimum). The simulation clamps itself: the server validates before it gets
// here, but tools and tests may pass anything and the step must never produce NaN
// or lose particles.
PhysicsSettings clamped(const PhysicsSettings& settings);

// Sets the field called `name` (schema spelling) to `value`. Returns false for an
// unknown name. Used by the command-line tool and by code that holds parameters
// as name/value pairs. `particle_count` is clamped and rounded to the nearest integer.
bool set_physics_field(PhysicsSettings& settings, std::string_view name, double value);

// Reads the field called `name`; false for an unknown name.
bool get_physics_field(const PhysicsSettings& settings, std::string_view name, double& value);

}  // namespace harmonic::sim
