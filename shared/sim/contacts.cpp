#include "sim/contacts.hpp"

#include <algorithm>
#include <cmath>

namespace harmonic::sim {
namespace {

// Fraction of an overlap removed per visit. Slightly under 1 so stacked particles
// settle instead of being over-corrected back and forth.
constexpr float kOverlapCorrection = 0.8f;
// Below this squared distance two centres are treated as coincident.
constexpr float kCoincident = 1e-12f;

// Shrinks |v| by `amount` without changing its sign (friction stops, never reverses).
inline float shrink_towards_zero(float v, float amount) {
  if (v > amount) return v - amount;
  if (v < -amount) return v + amount;
  return 0.0f;
}

struct PairSolver {
  float* x;
  float* y;
  float* vx;
  float* vy;
  const uint32_t* id;
  float diameter;
  float diameter_sq;
  float restitution_factor;  // (1 + e) / 2: velocity change per particle for equal masses
  float friction;
  float min_event_speed;
  float gravity;
  float field;               // field_strength * field acceleration (m/s²)
  float field_softening_sq;
  EventSink* events;

  // How much the normal n (from i to j) points against the acceleration at
  // (mx, my): +1 when j sits squarely on top of i, -1 when below, 0 sideways or
  // without forces. Positions only: velocities and so momentum are untouched.
  inline float support_direction(float nx, float ny, float mx, float my) const {
    if (field == 0.0f) return gravity > 0.0f ? ny : 0.0f;
    const float inv = 1.0f / std::sqrt(mx * mx + my * my + field_softening_sq);
    const float ax = -field * mx * inv;
    const float ay = -gravity - field * my * inv;
    const float a_sq = ax * ax + ay * ay;
    if (!(a_sq > 0.0f)) return 0.0f;
    const float w = -(nx * ax + ny * ay) / std::sqrt(a_sq);
    return std::min(std::max(w, -1.0f), 1.0f);
  }

  inline void solve(uint32_t i, uint32_t j) const {
    const float dx = x[j] - x[i];
    const float dy = y[j] - y[i];
    const float d2 = dx * dx + dy * dy;
    if (d2 >= diameter_sq) return;

    float nx = 1.0f, ny = 0.0f, d = 0.0f;  // fixed normal for coincident centres
    if (d2 > kCoincident) {
      d = std::sqrt(d2);
      const float inv = 1.0f / d;
      nx = dx * inv;
      ny = dy * inv;
    }
    // Shock propagation: the particle that rests on the other (the one further
    // "up", against the acceleration) takes more of the correction. Pairs are
    // visited bottom row first, so a pile is lifted layer by layer in one pass;
    // with an even split a deep pile would sink into itself under its own weight.
    const float up = support_direction(nx, ny, x[i] + 0.5f * dx, y[i] + 0.5f * dy);
    const float push = (diameter - d) * kOverlapCorrection;
    const float push_j = push * (0.5f + 0.5f * up);
    const float push_i = push - push_j;
    x[i] -= nx * push_i;
    y[i] -= ny * push_i;
    x[j] += nx * push_j;
    y[j] += ny * push_j;

    const float dvx = vx[j] - vx[i];
    const float dvy = vy[j] - vy[i];
    const float vn = dvx * nx + dvy * ny;
    if (vn >= 0.0f) return;  // already separating: position fix only

    // j gains +jn along n and +jt along t = (-ny, nx); i loses the same.
    const float jn = -vn * restitution_factor;
    const float vt = dvy * nx - dvx * ny;
    const float limit = friction * jn;
    const float jt = std::min(std::max(-0.5f * vt, -limit), limit);
    const float ix = jn * nx - jt * ny;
    const float iy = jn * ny + jt * nx;
    vx[i] -= ix;
    vy[i] -= iy;
    vx[j] += ix;
    vy[j] += iy;

    if (-vn >= min_event_speed) {
      events->offer(EventKind::particle_collision, id[i], 0.5f * (x[i] + x[j]),
                    0.5f * (y[i] + y[j]), -vn);
    }
  }
};

} // namespace

void resolve_particle_contacts(SortedParticles& p, const SpatialGrid& grid,
                               const ContactRules& rules, EventSink& events) {
  const float diameter = 2.0f * rules.radius;
  const PairSolver solver{p.x.data(),  p.y.data(), p.vx.data(), p.vy.data(), p.id.data(),
                          diameter,    diameter * diameter,
                          0.5f * (1.0f + rules.elasticity),
                          rules.friction, rules.min_event_speed,
                          rules.gravity, rules.field, rules.field_softening_sq, &events};

  const uint32_t columns = grid.columns();
  const uint32_t rows = grid.rows();
  const auto cells = grid.sorted_cells();
  const uint32_t n = static_cast<uint32_t>(cells.size());

  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t c = cells[i];
    const uint32_t row = c / columns;
    const uint32_t column = c - row * columns;

    // Rest of the own cell and the whole cell to the right are contiguous.
    const uint32_t same_row_end = grid.cell_begin(column + 1 < columns ? c + 2 : c + 1);
    for (uint32_t j = i + 1; j < same_row_end; ++j) solver.solve(i, j);

    // The three cells above are contiguous too.
    if (row + 1 < rows) {
      const uint32_t above = c + columns;
      const uint32_t first = grid.cell_begin(column > 0 ? above - 1 : above);
      const uint32_t last = grid.cell_begin(column + 1 < columns ? above + 2 : above + 1);
      for (uint32_t j = first; j < last; ++j) solver.solve(i, j);
    }
  }
}

void resolve_wall_contacts(SortedParticles& p, const ContactRules& rules, EventSink& events) {
  const float x_min = -rules.half_width + rules.radius;
  const float x_max = rules.half_width - rules.radius;
  const float y_min = -rules.half_height + rules.radius;
  const float y_max = rules.half_height - rules.radius;
  const float e = rules.elasticity;
  // Coulomb friction against a wall: tangential change = friction * normal change.
  const float tangential_per_impact = rules.friction * (1.0f + e);
  const size_t n = p.x.size();

  for (size_t k = 0; k < n; ++k) {
    float x = p.x[k], y = p.y[k], vx = p.vx[k], vy = p.vy[k];
    float impact = 0.0f;

    if (x < x_min || x > x_max) {
      const bool left = x < x_min;
      x = left ? x_min : x_max;
      const float outward = left ? -vx : vx;
      if (outward > 0.0f) {
        vx = left ? e * outward : -e * outward;
        vy = shrink_towards_zero(vy, tangential_per_impact * outward);
        impact = outward;
      }
    }
    if (y < y_min || y > y_max) {
      const bool bottom = y < y_min;
      y = bottom ? y_min : y_max;
      const float outward = bottom ? -vy : vy;
      if (outward > 0.0f) {
        vy = bottom ? e * outward : -e * outward;
        vx = shrink_towards_zero(vx, tangential_per_impact * outward);
        impact = std::max(impact, outward);
      }
    }
    p.x[k] = x;
    p.y[k] = y;
    p.vx[k] = vx;
    p.vy[k] = vy;
    if (impact >= rules.min_event_speed) {
      events.offer(EventKind::wall_hit, p.id[k], x, y, impact);
    }
  }
}

}  // namespace harmonic::sim
