// The universe on screen: instanced particles with a glow halo, fading trails kept in
// a pair of offscreen buffers (ping-pong), coloured from the visualization parameters,
// pulsing with the beat and tinted by the music's key. GL only; no ImGui, no network.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "params/table.hpp"
#include "ui/camera.hpp"
#include "ui/quality_controller.hpp"

namespace harmonic::sim {
class World;
}

namespace harmonic::ui {

// The schema default of visualization parameter `name` (docs/parameters.md), at compile
// time: a number, or channel 0..2 of a #RRGGBB colour as 0..1.
consteval float visualization_default(std::string_view name) {
  return static_cast<float>(harmonic::params::row(harmonic::params::table::visualization_name, name).default_number);
}
consteval float visualization_default_channel(std::string_view name, int channel) {
  const auto text = harmonic::params::row(harmonic::params::table::visualization_name, name).default_text;
  const auto digit = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  const auto at = static_cast<std::size_t>(1 + 2 * channel);
  return static_cast<float>(digit(text[at]) * 16 + digit(text[at + 1])) / 255.0f;
}

// The visualization category as numbers the shaders use (docs/parameters.md, "Visualization").
struct VisualStyle {
  int color_scheme = 0;  // index into the schema's color_scheme choices (0: its default, rainbow)
  float background[3] = {visualization_default_channel("background_color", 0),
                         visualization_default_channel("background_color", 1),
                         visualization_default_channel("background_color", 2)};
  float particle_color[3] = {visualization_default_channel("particle_color", 0),
                             visualization_default_channel("particle_color", 1),
                             visualization_default_channel("particle_color", 2)};
  float glow_color[3] = {visualization_default_channel("glow_color", 0), visualization_default_channel("glow_color", 1),
                         visualization_default_channel("glow_color", 2)};
  float particle_size = visualization_default("particle_size");
  float glow_intensity = visualization_default("glow_intensity");
  float trail_length = visualization_default("trail_length");
  float brightness = visualization_default("brightness");
  float saturation = visualization_default("saturation");
  float camera_zoom = visualization_default("camera_zoom");
  float camera_rotation = visualization_default("camera_rotation");  // degrees
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

  // Draws the world into the current framebuffer (size in framebuffer pixels), at the
  // quality level the controller chooses from the frame times (dt_s).
  void render(const sim::World& world, const VisualStyle& style, const Camera& camera, int width, int height,
              float dpi_scale, double time_s, double dt_s);
  // Forget the trails (e.g. after switching universes).
  void clear_trails() { clear_requested_ = true; }
  // Adaptive quality: the level in use, the person's pin, the measured frame rate.
  QualityController& quality() { return quality_; }
  const QualityController& quality() const { return quality_; }

 private:
  void ensure_targets(int width, int height);
  unsigned compile(const char* vertex_name, const char* fragment_name);
  std::size_t pack_instances(const sim::World& world, std::size_t stride, double dt_s);

  std::string error_;
  unsigned particle_program_ = 0, fade_program_ = 0, composite_program_ = 0;
  unsigned particle_vao_ = 0, particle_vbo_ = 0, particle_ibo_ = 0, empty_vao_ = 0;
  unsigned targets_[2] = {0, 0}, framebuffers_[2] = {0, 0};
  int target_width_ = 0, target_height_ = 0;
  int current_ = 0;
  bool clear_requested_ = true;
  std::size_t vbo_capacity_ = 0;
  std::size_t ibo_quads_ = 0;  // quads the index buffer holds
  std::vector<float> instances_;
  float speed_ref_ = 10;
  QualityController quality_;
  // Uniform locations, looked up once (not by name every frame).
  struct ParticleUniforms {
    int viewport, center, scale, rotation, radius_px, halo, scheme, particle_color, glow_color, key_hue, saturation,
        brightness, time, pulse, speed_ref, glow, density;
  } particle_u_{};
  struct FullscreenUniforms {
    int image, background, keep, vignette;
  } fade_u_{}, composite_u_{};
};

}  // namespace harmonic::ui
