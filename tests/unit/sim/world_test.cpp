// World behaviour visible to its users: determinism, live settings changes, events.
#include "sim/world.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>

TEST_CASE("the same seed and settings give the same state, another seed does not", "[sim][world]") {
  harmonic::sim::PhysicsSettings settings;
  harmonic::sim::World a(42, settings), b(42, settings), c(43, settings);
  a.step(120);
  b.step(120);
  c.step(120);
  CHECK(a.state_hash() == b.state_hash());
  CHECK(a.state_hash() != c.state_hash());
  CHECK(a.step_count() == 120);
  CHECK(a.simulated_seconds() == Approx(2.0).epsilon(1e-6));
}

TEST_CASE("the state hash changes when one bit of one particle changes", "[sim][world]") {
  harmonic::sim::World world(1, harmonic::sim::PhysicsSettings{});
  const auto before = world.state_hash();
  auto& p = world.mutable_particles();
  p.vy[500] = std::nextafter(p.vy[500], 1e9f);
  CHECK(world.state_hash() != before);
}

TEST_CASE("settings changes apply on the next step without a restart", "[sim][world]") {
  harmonic::sim::PhysicsSettings settings;
  harmonic::sim::World world(5, settings);
  world.step(10);
  const auto hash_before = world.state_hash();

  settings.particle_count = 1500;
  world.set_settings(settings);
  CHECK(world.particles().size() == 1000);  // not yet
  CHECK(world.state_hash() == hash_before);
  world.step();
  CHECK(world.particles().size() == 1500);
  CHECK(world.step_count() == 11);

  settings.particle_count = 10;
  world.set_settings(settings);
  world.step();
  CHECK(world.particles().size() == 10);

  // Growing the count grows the world (constant coverage); every particle is inside.
  settings.particle_count = 50000;
  world.set_settings(settings);
  world.step();
  CHECK(world.world_size().width > 1000.0f);
  CHECK(world.world_size().width == Approx(1.6 * world.world_size().height));
}

TEST_CASE("a change schedule replays identically", "[sim][world]") {
  auto run = [] {
    harmonic::sim::PhysicsSettings settings;
    harmonic::sim::World world(77, settings);
    world.step(30);
    settings.gravity = 2;
    settings.particle_count = 1300;
    settings.field_strength = 4;
    world.set_settings(settings);
    world.step(30);
    return world.state_hash();
  };
  CHECK(run() == run());
}

TEST_CASE("turning gravity off stops the fall from the next step", "[sim][world]") {
  harmonic::sim::PhysicsSettings settings;
  settings.particle_count = 1;
  settings.particle_speed = 0;
  settings.air_resistance = 0;
  harmonic::sim::World world(3, settings);
  world.step(10);
  const float vy_falling = world.particles().vy[0];
  CHECK(vy_falling < -1.0f);
  settings.gravity = 0;
  world.set_settings(settings);
  world.step(10);
  CHECK(world.particles().vy[0] == vy_falling);  // no force, no drag: unchanged
}

TEST_CASE("a dropped particle reports a wall hit on the floor with its impact speed", "[sim][events]") {
  harmonic::sim::PhysicsSettings settings;
  settings.particle_count = 1;
  settings.particle_speed = 0;
  settings.air_resistance = 0;
  harmonic::sim::World world(1, settings);
  auto& p = world.mutable_particles();
  const float floor = -0.5f * world.world_size().height + world.particle_radius();
  p.x[0] = 10;
  p.y[0] = floor + 20;  // 20 m above the floor: impact at sqrt(2 g h) = 19.8 m/s

  const harmonic::sim::Event* hit = nullptr;
  for (int s = 0; s < 180 && !hit; ++s) {
    world.step();
    for (const auto& e : world.pending_events()) {
      if (e.kind == harmonic::sim::EventKind::wall_hit) hit = &e;
    }
    if (!hit) world.clear_events();
  }
  REQUIRE(hit != nullptr);
  CHECK(hit->particle == 0);
  CHECK(hit->x == Approx(10));
  CHECK(hit->y == Approx(floor));
  CHECK(hit->impact_speed == Approx(std::sqrt(2 * 9.81 * 20)).epsilon(0.03));
}

TEST_CASE("a crowded world samples its events down to the budget", "[sim][events]") {
  harmonic::sim::PhysicsSettings settings;
  settings.particle_count = 20000;
  harmonic::sim::World world(9, settings);
  size_t max_per_step = 0;
  for (int s = 0; s < 30; ++s) {
    world.step();
    max_per_step = std::max(max_per_step, world.pending_events().size());
    world.clear_events();
  }
  CHECK(max_per_step > 0);
  CHECK(max_per_step <= harmonic::sim::EventSink::kMaxPerStep);
}

TEST_CASE("field crossings are reported while the field is on", "[sim][events]") {
  harmonic::sim::PhysicsSettings settings;
  settings.field_strength = 10;
  harmonic::sim::World world(4, settings);
  size_t crossings = 0;
  for (int s = 0; s < 120; ++s) {
    world.step();
    for (const auto& e : world.pending_events()) {
      if (e.kind == harmonic::sim::EventKind::field_crossing) {
        ++crossings;
        CHECK(std::hypot(e.x, e.y) == Approx(world.field_ring_radius()).margin(2.0));
      }
    }
    world.clear_events();
  }
  CHECK(crossings > 10);
}

TEST_CASE("the launcher keeps a gravity universe moving", "[sim][world]") {
  harmonic::sim::PhysicsSettings settings;  // defaults: gravity, elasticity 0.7, friction
  harmonic::sim::World world(8, settings);
  world.step(60 * 30);  // 30 s: without relaunches everything would lie still
  world.clear_events();
  size_t events = 0;
  for (int s = 0; s < 60; ++s) {
    world.step();
    events += world.pending_events().size();
    world.clear_events();
  }
  CHECK(events > 30);
}

TEST_CASE("under gravity, relaunched particles sound from across the world's height", "[sim][world]") {
  // A particle's height picks its note, so a universe whose particles only hop along the
  // floor plays one note. With the default settings, events must come from low and high.
  harmonic::sim::PhysicsSettings settings;  // defaults: gravity 9.81, particle_speed 10
  harmonic::sim::World world(8, settings);
  world.step(60 * 30);
  world.clear_events();
  const float height = world.world_size().height;
  std::set<int> tenths;
  float highest = 0.0f;
  for (int s = 0; s < 60 * 10; ++s) {
    world.step();
    for (const auto& e : world.pending_events()) {
      const float h01 = std::clamp(e.y / height + 0.5f, 0.0f, 0.999f);
      tenths.insert(static_cast<int>(h01 * 10));
      highest = std::max(highest, h01);
    }
    world.clear_events();
  }
  INFO("tenths " << tenths.size() << ", highest " << highest);
  CHECK(tenths.size() >= 5);
  CHECK(highest > 0.45f);
  CHECK(world.last_substeps() == 1);  // launches stay under a radius per step

  SECTION("a lower particle_speed keeps launches lower") {
    settings.particle_speed = 2;  // reach: a fifth of the height
    harmonic::sim::World low(8, settings);
    low.step(60 * 40);
    float top = 0.0f;
    const auto& p = low.particles();
    for (std::size_t i = 0; i < p.size(); ++i) top = std::max(top, p.y[i] / height + 0.5f);
    CHECK(top < 0.45f);
  }
}
