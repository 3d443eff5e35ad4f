// The universe on screen: instanced particles with a glow halo, fading trails kept in
// a pair of offscreen buffers (ping-pong), coloured from the visualization parameters,
// pulsing with the beat and tinted by the music's key. GL only; no ImGui, no network.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ui/camera.hpp"

namespace sim {
class World;
}

namespace harmonic::ui {

// The visualization category as numbers the shaders use (see PARAMETERS.md).
struct VisualStyle {
  int color_scheme = 0;  // rainbow monochrome complementary analogous triadic custom
  float background[3] = {0.02f, 0.024f, 0.04f};
  float particle_color[3] = {1, 1, 1};
  float glow_color[3] = {0, 1, 0.53f};
  float particle_size = 3;
  float glow_intensity = 0.5f;
  float trail_length = 0.5f;
  float brightness = 0.8f;
  float saturation = 0.8f;
  float camera_zoom = 1;
  float camera_rotation = 0;  // degrees
  // From the music: key hue (0..1), beat pulse (0..1), loudness (0..1).
  float key_hue = 0;
  float pulse = 0;
  float loudness = 0;
};

class Visualizer {
 public:
  Visualizer() = default;
  ~Visualizer();
  Visualizer(const Visualizer&) = delete;
  Visualizer& operator=(const Visualizer&) = delete;

  // Compiles shaders; false (with error()) if the GL context cannot run them.
  bool init();
  const std::string& error() const { return error_; }

  // Draws the world into the current framebuffer (size in framebuffer pixels).
  void render(const sim::World& world, const VisualStyle& style, const Camera& camera, int width, int height,
              float dpi_scale, double time_s, double dt_s);
  // Forget the trails (e.g. after switching universes).
  void clear_trails() { clear_requested_ = true; }

 private:
  void ensure_targets(int width, int height);
  unsigned compile(const char* vertex_name, const char* fragment_name);

  std::string error_;
  unsigned particle_program_ = 0, fade_program_ = 0, composite_program_ = 0;
  unsigned particle_vao_ = 0, particle_vbo_ = 0, empty_vao_ = 0;
  unsigned targets_[2] = {0, 0}, framebuffers_[2] = {0, 0};
  int target_width_ = 0, target_height_ = 0;
  int current_ = 0;
  bool clear_requested_ = true;
  std::size_t vbo_capacity_ = 0;
  std::vector<float> instances_;
  float speed_ref_ = 10;
};

}  // namespace harmonic::ui
