// Uniform grid that groups particles by cell with a counting sort, so finding the
// neighbours of every particle costs O(count) instead of O(count^2).
//
// Cells are at least one particle diameter wide, so two touching particles are in
// the same or adjacent cells. After build(), the particles of cell c are
// order()[cell_begin(c) .. cell_begin(c + 1)), cells in row-major order from the
// bottom-left. All buffers are sized by configure(); build() never allocates once
// the particle count has been seen before.
#pragma once

#include "sim/world_geometry.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace harmonic::sim {

class SpatialGrid {
 public:
  // Sets up cells of at least `min_cell_size` metres over the world. The number of
  // cells is capped (16 per particle, at least 4096) so a world of tiny particles
  // does not spend its time clearing empty cells; larger cells stay correct.
  void configure(WorldSize size, float min_cell_size, uint32_t particle_count);

  void build(std::span<const float> x, std::span<const float> y);

  uint32_t columns() const { return columns_; }
  uint32_t rows() const { return rows_; }
  std::span<const uint32_t> order() const { return order_; }
  // Cell of the k-th particle in order(), so neighbour ranges need no recomputation.
  std::span<const uint32_t> sorted_cells() const { return sorted_cells_; }
  uint32_t cell_begin(uint32_t cell) const { return cell_start_[cell]; }
  // The cell a position falls in (positions outside the walls count as the nearest cell).
  uint32_t cell_index(float x, float y) const;

 private:
  float half_width_ = 0, half_height_ = 0;
  float inv_cell_width_ = 0, inv_cell_height_ = 0;
  uint32_t columns_ = 1, rows_ = 1;
  std::vector<uint32_t> particle_cells_;  // by particle index
  std::vector<uint32_t> cell_start_;      // cells + 1 prefix sums
  std::vector<uint32_t> order_;           // particle indices sorted by cell
  std::vector<uint32_t> sorted_cells_;    // cell of order_[k]
};

}  // namespace harmonic::sim
