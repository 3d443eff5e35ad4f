#include "sim/physics_settings.hpp"

#include <algorithm>
#include <cmath>

namespace sim {
namespace {

constexpr PhysicsBounds kBounds[] = {
    {"gravity", 0.0, 20.0},        {"particle_speed", 0.0, 100.0},
    {"particle_size", 0.1, 10.0},  {"particle_count", 1.0, 100000.0},
    {"friction", 0.0, 1.0},        {"elasticity", 0.0, 1.0},
    {"air_resistance", 0.0, 1.0},  {"density", 0.0, 10.0},
    {"time_scale", 0.1, 10.0},     {"field_strength", -10.0, 10.0},
};

// One place that knows which member a name refers to; everything else goes
// through it so a new parameter is added once.
double* double_field(PhysicsSettings& s, std::string_view name) {
  if (name == "gravity") return &s.gravity;
  if (name == "particle_speed") return &s.particle_speed;
  if (name == "particle_size") return &s.particle_size;
  if (name == "friction") return &s.friction;
  if (name == "elasticity") return &s.elasticity;
  if (name == "air_resistance") return &s.air_resistance;
  if (name == "density") return &s.density;
  if (name == "time_scale") return &s.time_scale;
  if (name == "field_strength") return &s.field_strength;
  return nullptr;
}

double clamp_to(std::string_view name, double value) {
  for (const PhysicsBounds& b : kBounds) {
    if (b.name == name) {
      // NaN compares false everywhere; treat it as the lower bound.
      if (!(value >= b.min)) return b.min;
      return std::min(value, b.max);
    }
  }
  return value;
}

} // namespace

const PhysicsBounds* physics_bounds_begin() { return std::begin(kBounds); }
const PhysicsBounds* physics_bounds_end() { return std::end(kBounds); }

PhysicsSettings clamped(const PhysicsSettings& settings) {
  PhysicsSettings out = settings;
  for (const PhysicsBounds& b : kBounds) {
    if (double* field = double_field(out, b.name)) *field = clamp_to(b.name, *field);
  }
  out.particle_count = static_cast<int>(
      clamp_to("particle_count", static_cast<double>(settings.particle_count)));
  return out;
}

bool set_physics_field(PhysicsSettings& settings, std::string_view name, double value) {
  if (name == "particle_count") {
    // Clamp before converting: a double outside int range is undefined behaviour.
    settings.particle_count = static_cast<int>(std::lround(clamp_to(name, value)));
    return true;
  }
  if (double* field = double_field(settings, name)) {
    *field = value;
    return true;
  }
  return false;
}

bool get_physics_field(const PhysicsSettings& settings, std::string_view name, double& value) {
  if (name == "particle_count") {
    value = settings.particle_count;
    return true;
  }
  if (double* field = double_field(const_cast<PhysicsSettings&>(settings), name)) {
    value = *field;
    return true;
  }
  return false;
}

} // namespace sim
