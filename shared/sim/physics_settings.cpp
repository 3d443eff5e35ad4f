#include "sim/physics_settings.hpp"

#include <algorithm>
#include <cmath>

namespace harmonic::sim {
namespace {


// The one place that knows which member a schema name refers to.
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

double clamp_to(const params::ParameterSpec& spec, double value) {
  // NaN compares false everywhere; treat it as the lower bound.
  if (!(value >= spec.min)) return spec.min;
  return std::min(value, spec.max);
}

const params::ParameterSpec& count_row() { return params::row(params::table::physics_name, "particle_count"); }

} // namespace

PhysicsSettings clamped(const PhysicsSettings& settings) {
  PhysicsSettings out = settings;
  for (const auto& spec : params::table::physics) {
    if (double* field = double_field(out, spec.name)) *field = clamp_to(spec, *field);
  }
  out.particle_count = static_cast<int>(clamp_to(count_row(), static_cast<double>(settings.particle_count)));
  return out;
}

bool set_physics_field(PhysicsSettings& settings, std::string_view name, double value) {
  if (name == count_row().name) {
    // Clamp before converting: a double outside int range is undefined behaviour.
    settings.particle_count = static_cast<int>(std::lround(clamp_to(count_row(), value)));
    return true;
  }
  if (double* field = double_field(settings, name)) {
    *field = value;
    return true;
  }
  return false;
}

bool get_physics_field(const PhysicsSettings& settings, std::string_view name, double& value) {
  if (name == count_row().name) {
    value = settings.particle_count;
    return true;
  }
  if (double* field = double_field(const_cast<PhysicsSettings&>(settings), name)) {
    value = *field;
    return true;
  }
  return false;
}

}  // namespace harmonic::sim
