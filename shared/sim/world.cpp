#include "sim/world.hpp"

#include "sim/state_hash.hpp"

#include <algorithm>
#include <cmath>

namespace harmonic::sim {

World::World(uint64_t seed, const PhysicsSettings& settings)
    : random_(seed), requested_(clamped(settings)) {
  apply_settings();
}

void World::set_settings(const PhysicsSettings& settings) {
  requested_ = clamped(settings);
  settings_changed_ = true;
}

void World::apply_settings() {
  const size_t old_count = particles_.size();
  active_ = requested_;
  settings_changed_ = false;

  size_ = world_size_for(active_);
  radius_ = static_cast<float>(active_.particle_size);
  rules_.radius = radius_;
  rules_.elasticity = static_cast<float>(active_.elasticity);
  rules_.friction = static_cast<float>(active_.friction);
  rules_.min_event_speed = kMinEventSpeed;
  rules_.half_width = 0.5f * size_.width;
  rules_.half_height = 0.5f * size_.height;
  rules_.gravity = static_cast<float>(active_.gravity);
  rules_.field = static_cast<float>(active_.field_strength) * kFieldAcceleration;
  rules_.field_softening_sq = field_softening_sq();

  const size_t count = static_cast<size_t>(active_.particle_count);
  particles_.resize(count);
  if (count > old_count) spawn(old_count, count);
  sorted_.resize(count);
  if (relaunch_cursor_ >= count) relaunch_cursor_ = 0;
  grid_.configure(size_, 2.0f * radius_, static_cast<uint32_t>(count));
  grid_current_ = false;
}

void World::spawn(size_t first, size_t last) {
  const float x_span = size_.width - 2.0f * radius_;
  const float y_span = size_.height - 2.0f * radius_;
  const float speed = static_cast<float>(active_.particle_speed);
  for (size_t i = first; i < last; ++i) {
    particles_.x[i] = (random_.next_unit_float() - 0.5f) * x_span;
    particles_.y[i] = (random_.next_unit_float() - 0.5f) * y_span;
    // A uniform point in the unit disk by rejection: no sin/cos needed, and
    // rejection sampling with our own generator is identical on every platform.
    float ux, uy;
    do {
      ux = 2.0f * random_.next_unit_float() - 1.0f;
      uy = 2.0f * random_.next_unit_float() - 1.0f;
    } while (ux * ux + uy * uy > 1.0f);
    particles_.vx[i] = speed * ux;
    particles_.vy[i] = speed * uy;
  }
}

void World::relaunch_resting_particles() {
  const bool something_brings_rest = active_.gravity > 0.0 || active_.field_strength != 0.0;
  const size_t n = particles_.size();
  if (!something_brings_rest || active_.particle_speed <= 0.0 || n == 0) return;

  const float speed = static_cast<float>(active_.particle_speed);
  const float gravity = static_cast<float>(active_.gravity);
  const float floor_y = -0.5f * size_.height;
  // Under gravity a launch aims for a height, not a speed: a particle's height picks its
  // note, so launches must reach across the world for the melody to use its range. The
  // default particle_speed (10) reaches up to the full height; less reaches less.
  const float reach = std::min(1.0f, speed / kFullHeightLaunchSpeed) * size_.height;
  // "At rest" under gravity means low in energy, not slow: particles in a pile keep
  // jostling at a few m/s and would otherwise never be picked.
  const float low_energy = gravity * kLowEnergyHeight * size_.height;
  const float drag = drag_coefficient();
  const size_t slice = std::max<size_t>(1, n / 120);
  for (size_t k = 0; k < slice; ++k) {
    const size_t i = relaunch_cursor_;
    relaunch_cursor_ = (relaunch_cursor_ + 1 == n) ? 0 : relaunch_cursor_ + 1;
    const float vx = particles_.vx[i], vy = particles_.vy[i];
    const float speed_sq = vx * vx + vy * vy;
    float up = 0.0f;
    if (gravity > 0.0f) {
      const float above_floor = particles_.y[i] - floor_y;
      if (0.5f * speed_sq + gravity * above_floor >= low_energy) continue;
      if (covered(i)) continue;  // launching it would only shove the particles on top
      // Up to a height between a fifth of the reach and all of it. Without drag that
      // takes v = sqrt(2 g h); quadratic drag (k v²) needs v² = (g/k)(e^(2kh) − 1), of
      // which the series' first terms, 2gh(1 + kh + ⅔(kh)²), keep to plain arithmetic and
      // sqrt (correctly rounded, so bit-identical on every platform). The cap keeps a
      // launch under one radius per step at the default size, so it costs no sub-steps.
      const float target = reach * (0.2f + 0.8f * random_.next_unit_float());
      const float climb = std::max(0.0f, target - above_floor);
      const float kh = drag * climb;
      const float needed = std::sqrt(2.0f * gravity * climb * (1.0f + kh + (2.0f / 3.0f) * kh * kh));
      up = std::clamp(needed, speed * 0.5f, speed * kMaxLaunchFactor);
    } else {
      if (speed_sq >= kRestSpeed * kRestSpeed) continue;
      // Only the field brings rest: between half and full launch speed.
      up = speed * (0.5f + 0.5f * random_.next_unit_float());
    }
    // Upwards, leaning up to ~15 degrees either way (more, and a particle launched from
    // the top of a pile strikes its neighbours and falls back).
    particles_.vx[i] = up * (random_.next_unit_float() - 0.5f) * 2.0f * 0.27f;
    particles_.vy[i] = up;
  }
}

bool World::covered(size_t i) const {
  if (!grid_current_) return false;  // no grid yet for these particles: take everyone
  const float xi = particles_.x[i], yi = particles_.y[i];
  const uint32_t columns = grid_.columns(), rows = grid_.rows();
  const uint32_t cell = grid_.cell_index(xi, yi);
  const uint32_t cx = cell % columns, cy = cell / columns;
  const auto order = grid_.order();
  const size_t n = particles_.size();
  // Cells are at least a diameter wide, so whatever rests on top is in this row or one
  // of the two above, in this column or a neighbouring one.
  for (uint32_t row = cy; row <= cy + 2 && row < rows; ++row) {
    for (uint32_t col = cx == 0 ? 0 : cx - 1; col <= cx + 1 && col < columns; ++col) {
      const uint32_t c = row * columns + col;
      for (uint32_t k = grid_.cell_begin(c); k < grid_.cell_begin(c + 1); ++k) {
        const uint32_t j = order[k];
        if (j == i || j >= n) continue;
        const float dy = particles_.y[j] - yi;
        if (dy > 0.5f * radius_ && dy < 2.5f * radius_ && std::fabs(particles_.x[j] - xi) < 1.5f * radius_) {
          return true;
        }
      }
    }
  }
  return false;
}

float World::drag_coefficient() const {
  return static_cast<float>(active_.air_resistance * active_.density) * kDragScale;
}

float World::field_softening_sq() const {
  // Keeps the field finite at the centre: full strength beyond ~5% of the world
  // height, fading linearly to zero inside.
  const float softening = 0.05f * size_.height;
  return softening * softening;
}

float World::current_max_speed() const {
  // Measured at the start of every step rather than remembered, so velocities
  // written through mutable_particles() are accounted for too.
  float max_sq = 0.0f;
  const size_t n = particles_.size();
  for (size_t i = 0; i < n; ++i) {
    max_sq = std::max(max_sq, particles_.vx[i] * particles_.vx[i] + particles_.vy[i] * particles_.vy[i]);
  }
  return std::sqrt(max_sq);
}

int World::substeps_for(float step_seconds) const {
  // Fastest speed reachable this step: what we have plus what forces may add.
  const float accel = static_cast<float>(active_.gravity) +
                      kFieldAcceleration * std::fabs(static_cast<float>(active_.field_strength));
  const float reach = (max_speed_ + accel * step_seconds) * step_seconds;
  // At most one radius per particle and sub-step: two particles closing head-on
  // then move at most a diameter, so they cannot pass through each other unseen.
  const float per_substep = radius_;
  const float needed = std::ceil(reach / per_substep);
  if (!(needed >= 1.0f)) return 1;
  return static_cast<int>(std::min(needed, static_cast<float>(kMaxSubsteps)));
}

void World::step() {
  if (settings_changed_) apply_settings();
  events_.begin_step(step_count_);
  relaunch_resting_particles();

  const float step_seconds = static_cast<float>(kStepSeconds * active_.time_scale);
  max_speed_ = current_max_speed();
  const int substeps = substeps_for(step_seconds);
  const float h = step_seconds / static_cast<float>(substeps);
  for (int s = 0; s < substeps; ++s) substep(h);

  last_substeps_ = substeps;
  simulated_seconds_ += static_cast<double>(step_seconds);
  ++step_count_;
  events_.end_step();
}

void World::integrate(float h) {
  const size_t n = particles_.size();
  float* x = particles_.x.data();
  float* y = particles_.y.data();
  float* vx = particles_.vx.data();
  float* vy = particles_.vy.data();

  const float gravity_dv = static_cast<float>(active_.gravity) * h;
  const float drag = drag_coefficient() * h;
  const float field = static_cast<float>(active_.field_strength) * kFieldAcceleration * h;
  const float softening_sq = field_softening_sq();
  const float ring = field_ring_radius();
  const float ring_sq = ring * ring;
  const float max_speed_sq = kMaxSpeed * kMaxSpeed;

  for (size_t i = 0; i < n; ++i) {
    float px = x[i], py = y[i], ux = vx[i], uy = vy[i];
    uy -= gravity_dv;
    const float r_sq_before = px * px + py * py;
    if (field != 0.0f) {
      const float inv = 1.0f / std::sqrt(r_sq_before + softening_sq);
      ux -= field * px * inv;
      uy -= field * py * inv;
    }
    if (drag != 0.0f) {
      // Implicit quadratic drag: v / (1 + h*k*|v|) can slow a particle but never
      // reverse it, so it is stable for any drag and time step.
      const float factor = 1.0f / (1.0f + drag * std::sqrt(ux * ux + uy * uy));
      ux *= factor;
      uy *= factor;
    }
    const float speed_sq = ux * ux + uy * uy;
    if (speed_sq > max_speed_sq) {
      const float scale = kMaxSpeed / std::sqrt(speed_sq);
      ux *= scale;
      uy *= scale;
    }
    px += ux * h;
    py += uy * h;
    if (field != 0.0f) {
      const float r_sq_after = px * px + py * py;
      if ((r_sq_before < ring_sq) != (r_sq_after < ring_sq)) {
        events_.offer(EventKind::field_crossing, static_cast<uint32_t>(i), px, py,
                      std::sqrt(ux * ux + uy * uy));
      }
    }
    x[i] = px;
    y[i] = py;
    vx[i] = ux;
    vy[i] = uy;
  }
}

void World::substep(float h) {
  integrate(h);
  grid_.build(particles_.x, particles_.y);
  grid_current_ = true;

  const auto order = grid_.order();
  const size_t n = order.size();
  for (size_t k = 0; k < n; ++k) {
    const uint32_t i = order[k];
    sorted_.x[k] = particles_.x[i];
    sorted_.y[k] = particles_.y[i];
    sorted_.vx[k] = particles_.vx[i];
    sorted_.vy[k] = particles_.vy[i];
    sorted_.id[k] = i;
  }

  resolve_particle_contacts(sorted_, grid_, rules_, events_);
  resolve_wall_contacts(sorted_, rules_, events_);

  for (size_t k = 0; k < n; ++k) {
    const uint32_t i = sorted_.id[k];
    particles_.x[i] = sorted_.x[k];
    particles_.y[i] = sorted_.y[k];
    particles_.vx[i] = sorted_.vx[k];
    particles_.vy[i] = sorted_.vy[k];
  }
}

std::vector<Event> World::drain_events() {
  const auto pending = events_.events();
  std::vector<Event> out(pending.begin(), pending.end());
  events_.clear();
  return out;
}

uint64_t World::state_hash() const { return hash_particles(particles_); }

}  // namespace harmonic::sim
