#include "sim/spatial_grid.hpp"

#include <algorithm>
#include <cmath>

namespace harmonic::sim {

void SpatialGrid::configure(WorldSize size, float min_cell_size, uint32_t particle_count) {
  const double max_cells = std::max(4096.0, 16.0 * particle_count);
  const double area = static_cast<double>(size.width) * size.height;
  const double cell = std::max<double>(min_cell_size, std::sqrt(area / max_cells));
  columns_ = static_cast<uint32_t>(std::max(1.0, std::floor(size.width / cell)));
  rows_ = static_cast<uint32_t>(std::max(1.0, std::floor(size.height / cell)));
  half_width_ = 0.5f * size.width;
  half_height_ = 0.5f * size.height;
  // floor() above makes the real cells at least `cell` wide.
  inv_cell_width_ = static_cast<float>(columns_) / size.width;
  inv_cell_height_ = static_cast<float>(rows_) / size.height;
  cell_start_.assign(static_cast<size_t>(columns_) * rows_ + 1, 0);
}

uint32_t SpatialGrid::cell_index(float x, float y) const {
  // Clamp in float before converting: positions may sit a little outside the walls
  // between integration and wall resolution, and float->int of an out-of-range
  // value is undefined.
  float fx = (x + half_width_) * inv_cell_width_;
  float fy = (y + half_height_) * inv_cell_height_;
  fx = std::min(std::max(fx, 0.0f), static_cast<float>(columns_ - 1));
  fy = std::min(std::max(fy, 0.0f), static_cast<float>(rows_ - 1));
  return static_cast<uint32_t>(fy) * columns_ + static_cast<uint32_t>(fx);
}

void SpatialGrid::build(std::span<const float> x, std::span<const float> y) {
  const size_t n = x.size();
  particle_cells_.resize(n);
  order_.resize(n);
  sorted_cells_.resize(n);
  std::fill(cell_start_.begin(), cell_start_.end(), 0u);

  // Counting sort: histogram shifted by one, prefix sum, then place. Stable, so the
  // order inside a cell (by particle index) is deterministic.
  for (size_t i = 0; i < n; ++i) {
    const uint32_t c = cell_index(x[i], y[i]);
    particle_cells_[i] = c;
    ++cell_start_[c + 1];
  }
  for (size_t c = 1; c < cell_start_.size(); ++c) cell_start_[c] += cell_start_[c - 1];
  // Place with a moving cursor per cell, reusing the slot of the next cell as the
  // cursor and restoring the starts afterwards avoids a second array.
  for (size_t i = 0; i < n; ++i) {
    const uint32_t c = particle_cells_[i];
    const uint32_t slot = cell_start_[c]++;
    order_[slot] = static_cast<uint32_t>(i);
    sorted_cells_[slot] = c;
  }
  // Each cell_start_[c] now holds the old start of c + 1: shift back by one.
  for (size_t c = cell_start_.size() - 1; c > 0; --c) cell_start_[c] = cell_start_[c - 1];
  cell_start_[0] = 0;
}

}  // namespace harmonic::sim
