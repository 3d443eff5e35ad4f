#include "ui/visualizer.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <utility>

#include "sim/world.hpp"
#include "ui/gl.hpp"

namespace harmonic::ui {

std::string_view embedded_shader(std::string_view name);  // generated from shaders/

namespace {

GLuint compile_stage(GLenum type, std::string_view body, std::string& error) {
  const std::string source = std::string(HARMONIC_GLSL_VERSION) + std::string(body);
  const GLuint shader = glCreateShader(type);
  const char* text = source.c_str();
  glShaderSource(shader, 1, &text, nullptr);
  glCompileShader(shader);
  GLint ok = 0;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[2048] = {};
    glGetShaderInfoLog(shader, sizeof log, nullptr, log);
    error += log;
    glDeleteShader(shader);
    return 0;
  }
  return shader;
}

void set_texture_params() {
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
}

}  // namespace

Visualizer::~Visualizer() {
  if (particle_program_) glDeleteProgram(particle_program_);
  if (fade_program_) glDeleteProgram(fade_program_);
  if (composite_program_) glDeleteProgram(composite_program_);
  if (particle_vbo_) glDeleteBuffers(1, &particle_vbo_);
  if (particle_ibo_) glDeleteBuffers(1, &particle_ibo_);
  if (particle_vao_) glDeleteVertexArrays(1, &particle_vao_);
  if (empty_vao_) glDeleteVertexArrays(1, &empty_vao_);
  if (framebuffers_[0]) glDeleteFramebuffers(2, framebuffers_);
  if (targets_[0]) glDeleteTextures(2, targets_);
}

unsigned Visualizer::compile(const char* vertex_name, const char* fragment_name) {
  const GLuint vs = compile_stage(GL_VERTEX_SHADER, embedded_shader(vertex_name), error_);
  const GLuint fs = compile_stage(GL_FRAGMENT_SHADER, embedded_shader(fragment_name), error_);
  if (!vs || !fs) return 0;
  const GLuint program = glCreateProgram();
  glAttachShader(program, vs);
  glAttachShader(program, fs);
  glLinkProgram(program);
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint ok = 0;
  glGetProgramiv(program, GL_LINK_STATUS, &ok);
  if (!ok) {
    char log[2048] = {};
    glGetProgramInfoLog(program, sizeof log, nullptr, log);
    error_ += log;
    glDeleteProgram(program);
    return 0;
  }
  return program;
}

bool Visualizer::init() {
  particle_program_ = compile("particles.vert", "particles.frag");
  fade_program_ = compile("fullscreen.vert", "fade.frag");
  composite_program_ = compile("fullscreen.vert", "composite.frag");
  if (!particle_program_ || !fade_program_ || !composite_program_) return false;

  const auto p = [&](const char* name) { return glGetUniformLocation(particle_program_, name); };
  particle_u_ = {p("u_viewport"),   p("u_center"),     p("u_scale"),      p("u_rotation"),       p("u_radius_px"),
                 p("u_halo"),       p("u_scheme"),     p("u_particle_color"), p("u_glow_color"), p("u_key_hue"),
                 p("u_saturation"), p("u_brightness"), p("u_time"),       p("u_pulse"),          p("u_speed_ref"),
                 p("u_glow"),       p("u_density")};
  for (auto [program, u] : {std::pair{fade_program_, &fade_u_}, std::pair{composite_program_, &composite_u_}}) {
    *u = {glGetUniformLocation(program, "u_image"), glGetUniformLocation(program, "u_background"),
          glGetUniformLocation(program, "u_keep"), glGetUniformLocation(program, "u_vignette")};
  }
  // The samplers read texture unit 0, always.
  glUseProgram(fade_program_);
  glUniform1i(glGetUniformLocation(fade_program_, "u_previous"), 0);
  glUseProgram(composite_program_);
  glUniform1i(composite_u_.image, 0);
  glUseProgram(0);

  glGenVertexArrays(1, &particle_vao_);
  glGenBuffers(1, &particle_vbo_);
  glGenBuffers(1, &particle_ibo_);
  glBindVertexArray(particle_vao_);
  glBindBuffer(GL_ARRAY_BUFFER, particle_vbo_);
  glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, particle_ibo_);  // part of the vertex array's state
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 4, GL_FLOAT, GL_FALSE, 4 * sizeof(float), nullptr);
  glBindVertexArray(0);
  glGenVertexArrays(1, &empty_vao_);
  return true;
}

void Visualizer::ensure_targets(int width, int height) {
  if (width == target_width_ && height == target_height_ && targets_[0]) return;
  if (!targets_[0]) {
    glGenTextures(2, targets_);
    glGenFramebuffers(2, framebuffers_);
  }
  for (int i = 0; i < 2; ++i) {
    glBindTexture(GL_TEXTURE_2D, targets_[i]);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    set_texture_params();
    glBindFramebuffer(GL_FRAMEBUFFER, framebuffers_[i]);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, targets_[i], 0);
  }
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  target_width_ = width;
  target_height_ = height;
  clear_requested_ = true;
}

// Every stride-th particle as four vertices (x, y, speed, index * 4 + corner) into
// instances_; returns how many particles. The index is the particle's own, so colours do
// not change with the stride.
std::size_t Visualizer::pack_instances(const sim::World& world, std::size_t stride, double dt_s) {
  const auto& particles = world.particles();
  const std::size_t count = particles.size();
  const std::size_t drawn = (count + stride - 1) / stride;
  instances_.resize(drawn * 16);  // keeps its capacity: no allocation once grown
  float max_speed = 0;
  float* out = instances_.data();
  for (std::size_t i = 0; i < count; i += stride) {
    const float vx = particles.vx[i], vy = particles.vy[i];
    const float speed = std::sqrt(vx * vx + vy * vy);
    max_speed = std::max(max_speed, speed);
    for (std::size_t corner = 0; corner < 4; ++corner, out += 4) {
      out[0] = particles.x[i];
      out[1] = particles.y[i];
      out[2] = speed;
      out[3] = float(i * 4 + corner);
    }
  }
  // "Fast" follows the universe slowly so colours do not flicker.
  const float target_ref = std::max(2.0f, std::max(max_speed * 0.6f, float(world.settings().particle_speed) * 0.8f));
  speed_ref_ += (target_ref - speed_ref_) * float(std::min(1.0, dt_s * 2.0));
  return drawn;
}

void Visualizer::render(const sim::World& world, const VisualStyle& style, const Camera& camera, int width,
                        int height, float dpi_scale, double time_s, double dt_s) {
  if (!particle_program_ || width <= 0 || height <= 0) return;
  quality_.frame(dt_s * 1000);
  const RenderOptions options = render_options(quality_.level());
  // Without trails nothing is kept between frames: the particles go straight to the
  // screen, saving the layer's clear and the full-screen composite pass.
  const bool direct = !options.trails;
  // The particle and trail layer, possibly smaller than the screen (upscaled in step 3).
  const float layer_scale = direct ? 1.0f : options.render_scale;
  const int layer_w = direct ? width : std::max(1, int(std::lround(float(width) * layer_scale)));
  const int layer_h = direct ? height : std::max(1, int(std::lround(float(height) * layer_scale)));
  if (!direct) ensure_targets(layer_w, layer_h);

  GLint previous_framebuffer = 0;
  glGetIntegerv(GL_FRAMEBUFFER_BINDING, &previous_framebuffer);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_CULL_FACE);
  glDisable(GL_SCISSOR_TEST);
  glDisable(GL_BLEND);
  glViewport(0, 0, layer_w, layer_h);
  glActiveTexture(GL_TEXTURE0);

  const int next = 1 - current_;
  if (!direct) glBindFramebuffer(GL_FRAMEBUFFER, framebuffers_[next]);
  // 1. Fade the previous frame towards the background (or clear it).
  const float trail_seconds = std::clamp(style.trail_length, 0.0f, 1.0f) * 0.9f;
  float keep = trail_seconds > 0.01f ? float(std::exp(-std::max(dt_s, 0.001) / (trail_seconds * 0.35))) : 0.0f;
  if (clear_requested_ || direct) keep = 0;
  clear_requested_ = direct;  // the layer is stale when trails come back
  if (keep > 0) {
    glUseProgram(fade_program_);
    glBindTexture(GL_TEXTURE_2D, targets_[current_]);
    glUniform3fv(fade_u_.background, 1, style.background);
    glUniform1f(fade_u_.keep, keep);
    glBindVertexArray(empty_vao_);
    glDrawArrays(GL_TRIANGLES, 0, 3);
  } else {
    // Nothing to keep: a clear is much cheaper than a full-screen pass.
    glClearColor(style.background[0], style.background[1], style.background[2], 1);
    glClear(GL_COLOR_BUFFER_BIT);
  }

  // 2. The particles, added on top.
  const std::size_t count = world.particles().size();
  const std::size_t stride = count > kStrideFrom ? std::size_t(std::max(1, options.stride)) : 1;
  const std::size_t drawn = pack_instances(world, stride, dt_s);

  if (drawn > 0) {
    glBindVertexArray(particle_vao_);
    glBindBuffer(GL_ARRAY_BUFFER, particle_vbo_);
    const std::size_t bytes = instances_.size() * sizeof(float);
    if (bytes > vbo_capacity_) {
      vbo_capacity_ = bytes + bytes / 2;
      glBufferData(GL_ARRAY_BUFFER, GLsizeiptr(vbo_capacity_), nullptr, GL_STREAM_DRAW);
    }
    glBufferSubData(GL_ARRAY_BUFFER, 0, GLsizeiptr(bytes), instances_.data());
    if (drawn > ibo_quads_) {
      // Two triangles per quad, corners 0 1 2 and 2 1 3; written once, for 1.5x the need.
      ibo_quads_ = drawn + drawn / 2;
      std::vector<unsigned> indices(ibo_quads_ * 6);
      for (std::size_t q = 0; q < ibo_quads_; ++q) {
        const auto v = static_cast<unsigned>(q * 4);
        const unsigned quad[6] = {v, v + 1, v + 2, v + 2, v + 1, v + 3};
        std::copy(quad, quad + 6, indices.begin() + std::ptrdiff_t(q * 6));
      }
      glBufferData(GL_ELEMENT_ARRAY_BUFFER, GLsizeiptr(indices.size() * sizeof(unsigned)), indices.data(),
                   GL_STATIC_DRAW);
    }

    const float pixels = dpi_scale * layer_scale;  // layer pixels per window point
    const float scale = camera.scale() * pixels;
    const float radius_px = std::max(1.0f, style.particle_size * 0.75f * camera.zoom() * pixels * options.sprite);
    const float glow = std::clamp(style.glow_intensity + style.loudness * 0.35f, 0.0f, 1.3f);
    const float halo = 1.0f + (0.5f + 4.0f * glow) * options.halo;
    // Many overlapping additive halos turn white; dim each one as coverage grows.
    const float area = float(drawn) * 3.14159f * radius_px * radius_px * (1.0f + glow * 2.0f);
    const float coverage = area / float(layer_w * layer_h);
    const float density = std::clamp(1.4f / (1.0f + coverage * 1.5f), 0.25f, 1.0f);
    const float angle = style.camera_rotation * 3.14159265f / 180.0f;

    glEnable(GL_BLEND);
    glBlendFunc(GL_ONE, GL_ONE);
    glUseProgram(particle_program_);
    const auto& u = particle_u_;
    glUniform2f(u.viewport, float(layer_w), float(layer_h));
    glUniform2f(u.center, camera.center_x, camera.center_y);
    glUniform1f(u.scale, scale);
    glUniform2f(u.rotation, std::cos(angle), std::sin(angle));
    glUniform1f(u.radius_px, radius_px);
    glUniform1f(u.halo, halo);
    glUniform1i(u.scheme, style.color_scheme);
    glUniform3fv(u.particle_color, 1, style.particle_color);
    glUniform3fv(u.glow_color, 1, style.glow_color);
    glUniform1f(u.key_hue, style.key_hue);
    glUniform1f(u.saturation, style.saturation);
    glUniform1f(u.brightness, style.brightness);
    glUniform1f(u.time, float(std::fmod(time_s, 1000.0)));
    glUniform1f(u.pulse, style.pulse);
    glUniform1f(u.speed_ref, speed_ref_);
    glUniform1f(u.glow, glow * std::min(1.0f, options.halo * 2.0f));
    glUniform1f(u.density, density);
    glDrawElements(GL_TRIANGLES, GLsizei(drawn * 6), GL_UNSIGNED_INT, nullptr);
    glDisable(GL_BLEND);
  }

  // 3. The layer to the screen (upscaled by the texture's linear filter).
  if (!direct) {
    glBindFramebuffer(GL_FRAMEBUFFER, GLuint(previous_framebuffer));
    glViewport(0, 0, width, height);
    glUseProgram(composite_program_);
    glBindTexture(GL_TEXTURE_2D, targets_[next]);
    glUniform3fv(composite_u_.background, 1, style.background);
    glUniform1f(composite_u_.vignette, 0.6f);
    glBindVertexArray(empty_vao_);
    glDrawArrays(GL_TRIANGLES, 0, 3);
    current_ = next;
  }
  glBindVertexArray(0);
  glUseProgram(0);
}

}  // namespace harmonic::ui
