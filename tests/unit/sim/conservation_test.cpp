// Conservation laws: what an ideal (elastic, frictionless, drag-free) system must keep.
#include "physics_helpers.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

using sim_test::totals;

namespace {

// Puts every particle into a square of side `side` around the origin, with speeds up
// to `speed`, so that they collide with each other long before any reaches a wall.
void pack_into_centre(harmonic::sim::World& world, float side, float speed, uint64_t seed) {
  harmonic::sim::Random random(seed);
  auto& p = world.mutable_particles();
  for (size_t i = 0; i < p.size(); ++i) {
    p.x[i] = (random.next_unit_float() - 0.5f) * side;
    p.y[i] = (random.next_unit_float() - 0.5f) * side;
    p.vx[i] = (random.next_unit_float() - 0.5f) * 2.0f * speed;
    p.vy[i] = (random.next_unit_float() - 0.5f) * 2.0f * speed;
  }
}

bool touches_a_wall(const harmonic::sim::World& world) {
  const auto& p = world.particles();
  const float margin = world.particle_radius() * 1.5f;
  const float hx = 0.5f * world.world_size().width - margin;
  const float hy = 0.5f * world.world_size().height - margin;
  for (size_t i = 0; i < p.size(); ++i) {
    if (std::fabs(p.x[i]) >= hx || std::fabs(p.y[i]) >= hy) return true;
  }
  return false;
}

} // namespace

TEST_CASE("momentum and energy are conserved by elastic particle collisions", "[sim][physics]") {
  harmonic::sim::World world(7, sim_test::frictionless_elastic_vacuum(300));
  pack_into_centre(world, 40.0f, 3.0f, 99);
  const auto before = totals(world.particles());
  // Scale for the momentum tolerance: the sum of |v|, since momentum itself may be ~0.
  double speed_sum = 0;
  for (size_t i = 0; i < world.particles().size(); ++i) {
    speed_sum += std::hypot(world.particles().vx[i], world.particles().vy[i]);
  }

  size_t collisions = 0;
  for (int s = 0; s < 180; ++s) {  // 3 simulated seconds
    world.step();
    for (const auto& e : world.pending_events()) {
      collisions += e.kind == harmonic::sim::EventKind::particle_collision;
    }
    world.clear_events();
    REQUIRE_FALSE(touches_a_wall(world));  // otherwise walls could change momentum
  }
  const auto after = totals(world.particles());

  CHECK(collisions > 100);  // the scene really exercised collisions
  // Tolerance: float rounding over ~10^4 impulses, relative 1e-4 of the speed scale.
  CHECK(std::fabs(after.momentum_x - before.momentum_x) < 1e-4 * speed_sum);
  CHECK(std::fabs(after.momentum_y - before.momentum_y) < 1e-4 * speed_sum);
  CHECK(after.kinetic_energy == Approx(before.kinetic_energy).epsilon(1e-4));
}

TEST_CASE("elastic walls and collisions keep kinetic energy over a long run", "[sim][physics]") {
  harmonic::sim::World world(11, sim_test::frictionless_elastic_vacuum(1000));
  const double before = totals(world.particles()).kinetic_energy;
  REQUIRE(before > 0);
  size_t walls = 0;
  for (int s = 0; s < 600; ++s) {  // 10 s: every particle meets walls and others
    world.step();
    for (const auto& e : world.pending_events()) walls += e.kind == harmonic::sim::EventKind::wall_hit;
    world.clear_events();
  }
  CHECK(walls > 100);
  // Tolerance 1e-3 relative: float rounding accumulated over ~10^5 contacts.
  CHECK(totals(world.particles()).kinetic_energy == Approx(before).epsilon(1e-3));
}

TEST_CASE("friction and elasticity below one dissipate energy", "[sim][physics]") {
  auto settings = sim_test::frictionless_elastic_vacuum(1000);
  settings.elasticity = 0.5;
  settings.friction = 0.5;
  harmonic::sim::World world(3, settings);
  double previous = totals(world.particles()).kinetic_energy;
  const double initial = previous;
  for (int s = 0; s < 600; ++s) {
    world.step();
    const double now = totals(world.particles()).kinetic_energy;
    // Never gains energy (beyond float rounding, 1e-6 relative).
    REQUIRE(now <= previous * (1 + 1e-6));
    previous = now;
  }
  CHECK(previous < 0.5 * initial);
}

TEST_CASE("quadratic drag slows particles down", "[sim][physics]") {
  auto settings = sim_test::frictionless_elastic_vacuum(200);
  settings.air_resistance = 1;
  settings.density = 10;
  harmonic::sim::World world(5, settings);
  const double initial = totals(world.particles()).kinetic_energy;
  world.step(60);
  CHECK(totals(world.particles()).kinetic_energy < 0.2 * initial);
}

TEST_CASE("with gravity particles fall", "[sim][physics]") {
  harmonic::sim::PhysicsSettings settings;
  settings.particle_speed = 0;  // start at rest: any motion comes from gravity
  settings.air_resistance = 0;
  harmonic::sim::World world(1, settings);
  const auto before = totals(world.particles());
  world.step(30);  // 0.5 s: free fall would drop 1.23 m
  const auto after = totals(world.particles());
  CHECK(after.mean_height < before.mean_height - 1.0);
  CHECK(after.mean_vy < -3.0);  // free fall reaches -4.9 m/s; floor contacts slow some
}

TEST_CASE("an attracting field pulls particles towards the centre", "[sim][physics]") {
  auto settings = sim_test::frictionless_elastic_vacuum(500);
  settings.particle_speed = 0;
  settings.field_strength = 10;
  harmonic::sim::World world(2, settings);
  auto mean_radius = [&] {
    double sum = 0;
    const auto& p = world.particles();
    for (size_t i = 0; i < p.size(); ++i) sum += std::hypot(p.x[i], p.y[i]);
    return sum / static_cast<double>(p.size());
  };
  const double before = mean_radius();
  world.step(60);
  CHECK(mean_radius() < before - 2.0);  // 10 m/s² for 1 s moves ~5 m

  settings.field_strength = -10;  // and a repulsor pushes them out
  harmonic::sim::World repelled(2, settings);
  repelled.step(60);
  double sum = 0;
  for (size_t i = 0; i < repelled.particles().size(); ++i) {
    sum += std::hypot(repelled.particles().x[i], repelled.particles().y[i]);
  }
  CHECK(sum / static_cast<double>(repelled.particles().size()) > before + 2.0);
}
