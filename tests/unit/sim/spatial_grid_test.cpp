#include "sim/spatial_grid.hpp"
#include "sim/random.hpp"
#include "sim/world.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <vector>

TEST_CASE("the grid groups particles by cell and puts touching ones in adjacent cells", "[sim][grid]") {
  const harmonic::sim::WorldSize size{200.0f, 125.0f};
  const float diameter = 2.0f;
  const uint32_t n = 3000;
  harmonic::sim::Random random(1);
  std::vector<float> x(n), y(n);
  for (uint32_t i = 0; i < n; ++i) {
    x[i] = (random.next_unit_float() - 0.5f) * size.width;
    y[i] = (random.next_unit_float() - 0.5f) * size.height;
  }
  harmonic::sim::SpatialGrid grid;
  grid.configure(size, diameter, n);
  REQUIRE(size.width / static_cast<float>(grid.columns()) >= diameter);
  REQUIRE(size.height / static_cast<float>(grid.rows()) >= diameter);
  grid.build(x, y);

  const auto order = grid.order();
  const auto cells = grid.sorted_cells();
  std::vector<uint32_t> cell_of(n);
  std::vector<int> seen(n, 0);
  for (uint32_t k = 0; k < n; ++k) {
    seen[order[k]]++;
    cell_of[order[k]] = cells[k];
    if (k > 0) REQUIRE(cells[k - 1] <= cells[k]);                // grouped, in cell order
    REQUIRE(grid.cell_begin(cells[k]) <= k);
    REQUIRE(k < grid.cell_begin(cells[k] + 1));
  }
  for (int s : seen) REQUIRE(s == 1);  // a permutation

  // Brute force over all pairs: touching particles are at most one cell apart.
  size_t touching = 0;
  for (uint32_t i = 0; i < n; ++i) {
    for (uint32_t j = i + 1; j < n; ++j) {
      const float dx = x[i] - x[j], dy = y[i] - y[j];
      if (dx * dx + dy * dy >= diameter * diameter) continue;
      ++touching;
      const int ci = static_cast<int>(cell_of[i]), cj = static_cast<int>(cell_of[j]);
      const int cols = static_cast<int>(grid.columns());
      REQUIRE(std::abs(ci % cols - cj % cols) <= 1);
      REQUIRE(std::abs(ci / cols - cj / cols) <= 1);
    }
  }
  CHECK(touching > 50);
}

TEST_CASE("overlapping particles in neighbouring cells are pushed apart", "[sim][grid]") {
  // Covers every direction of the half neighbourhood (own cell, right, three above)
  // and the mirrored ones, by placing an overlapping pair at 16 angles around many
  // points, so the pair straddles cell borders in every way.
  harmonic::sim::PhysicsSettings settings;
  settings.particle_count = 2;
  settings.gravity = 0;
  settings.particle_speed = 0;
  for (int point = 0; point < 25; ++point) {
    for (int angle = 0; angle < 16; ++angle) {
      harmonic::sim::World world(1, settings);
      auto& p = world.mutable_particles();
      const float a = static_cast<float>(angle) * 0.3926991f;
      const float cx = -30.0f + 2.37f * static_cast<float>(point);
      const float cy = 10.0f - 1.13f * static_cast<float>(point);
      p.x[0] = cx;
      p.y[0] = cy;
      p.x[1] = cx + 1.5f * std::cos(a);  // 1.5 m apart, radius 1: overlapping
      p.y[1] = cy + 1.5f * std::sin(a);
      p.vx[0] = p.vy[0] = p.vx[1] = p.vy[1] = 0;
      world.step();
      const float d = std::hypot(world.particles().x[1] - world.particles().x[0],
                                 world.particles().y[1] - world.particles().y[0]);
      INFO("point " << point << " angle " << angle);
      REQUIRE(d > 1.85f);  // 80% of the 0.5 m overlap removed per visit
    }
  }
}
