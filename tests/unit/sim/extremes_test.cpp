// Robustness: no parameter combination in the schema ranges may produce NaN or
// let a particle leave the world.
#include "sim/world.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <string>

namespace {

// Fails the test, naming the particle, if anything is non-finite or outside the walls.
void require_sane(const harmonic::sim::World& world, const std::string& label) {
  const auto& p = world.particles();
  const float hx = 0.5f * world.world_size().width;
  const float hy = 0.5f * world.world_size().height;
  for (size_t i = 0; i < p.size(); ++i) {
    const bool finite = std::isfinite(p.x[i]) && std::isfinite(p.y[i]) &&
                        std::isfinite(p.vx[i]) && std::isfinite(p.vy[i]);
    const bool inside = std::fabs(p.x[i]) <= hx && std::fabs(p.y[i]) <= hy;
    if (!finite || !inside) {
      INFO(label << ": particle " << i << " at (" << p.x[i] << ", " << p.y[i] << ") v=("
                 << p.vx[i] << ", " << p.vy[i] << ") world " << 2 * hx << " x " << 2 * hy);
      REQUIRE(false);
    }
  }
}

void run_and_check(const harmonic::sim::PhysicsSettings& settings, int steps, const std::string& label) {
  harmonic::sim::World world(1234, settings);
  for (int s = 0; s < steps; ++s) {
    world.step();
    world.clear_events();
  }
  REQUIRE(world.particles().size() == static_cast<size_t>(settings.particle_count));
  require_sane(world, label);
}

} // namespace

TEST_CASE("every parameter at each end of its range keeps the world sane", "[sim][extremes]") {
  for (const auto* b = harmonic::params::table::physics.begin(); b != harmonic::params::table::physics.end(); ++b) {
    for (double value : {b->min, b->max}) {
      harmonic::sim::PhysicsSettings settings;
      settings.particle_count = 400;
      REQUIRE(harmonic::sim::set_physics_field(settings, b->name, value));
      // 100,000 particles are slow in a debug build; a few steps still exercise them.
      const int steps = settings.particle_count > 10000 ? 4 : 120;
      run_and_check(settings, steps, std::string(b->name) + "=" + std::to_string(value));
    }
  }
}

TEST_CASE("random corners of the parameter space keep the world sane", "[sim][extremes]") {
  harmonic::sim::Random random(2024);
  for (int corner = 0; corner < 40; ++corner) {
    harmonic::sim::PhysicsSettings settings;
    std::string label = "corner";
    for (const auto* b = harmonic::params::table::physics.begin(); b != harmonic::params::table::physics.end(); ++b) {
      const bool high = random.next_below(2) == 1;
      double value = high ? b->max : b->min;
      if (b->name == "particle_count") value = high ? 3000 : 1;  // count max is covered above
      harmonic::sim::set_physics_field(settings, b->name, value);
      label += " " + std::string(b->name) + "=" + std::to_string(value);
    }
    run_and_check(settings, 90, label);
  }
}

TEST_CASE("out-of-range and NaN settings are clamped instead of breaking the step", "[sim][extremes]") {
  harmonic::sim::PhysicsSettings settings;
  settings.gravity = 1e9;
  settings.particle_size = -3;
  settings.particle_count = 5000000;
  settings.elasticity = std::nan("");
  settings.time_scale = 1e6;
  const auto c = harmonic::sim::clamped(settings);
  CHECK(c.gravity == 20);
  CHECK(c.particle_size == Approx(0.1));
  CHECK(c.particle_count == 100000);
  CHECK(c.elasticity == 0);
  CHECK(c.time_scale == 10);

  settings.particle_count = 500;
  run_and_check(settings, 60, "clamped");
}

TEST_CASE("a dense, fast, bouncy crowd stays inside", "[sim][extremes]") {
  harmonic::sim::PhysicsSettings settings;
  settings.particle_count = 20000;
  settings.particle_size = 10;
  settings.particle_speed = 100;
  settings.elasticity = 1;
  settings.friction = 0;
  settings.air_resistance = 0;
  settings.time_scale = 10;
  settings.field_strength = -10;
  run_and_check(settings, 20, "dense fast");
}
