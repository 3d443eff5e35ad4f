#include "sim/world_geometry.hpp"

#include <algorithm>
#include <cmath>

namespace harmonic::sim {

WorldSize world_size_for(const PhysicsSettings& settings) {
  constexpr double kPi = 3.14159265358979323846;
  const double r = settings.particle_size;
  const double particle_area = static_cast<double>(settings.particle_count) * kPi * r * r;
  const double min_area = kMinWorldWidth * (kMinWorldWidth / kWorldAspect);
  const double area = std::max(min_area, particle_area / kParticleCoverage);
  // sqrt is correctly rounded in IEEE 754, so this is bit-identical everywhere.
  const double width = std::sqrt(area * kWorldAspect);
  return WorldSize{static_cast<float>(width), static_cast<float>(width / kWorldAspect)};
}

float field_ring_radius(WorldSize size) { return 0.25f * size.height; }

}  // namespace harmonic::sim
