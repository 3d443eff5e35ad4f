#include "ui/visualizer.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>

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

  glGenVertexArrays(1, &particle_vao_);
  glGenBuffers(1, &particle_vbo_);
  glBindVertexArray(particle_vao_);
  glBindBuffer(GL_ARRAY_BUFFER, particle_vbo_);
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 4, GL_FLOAT, GL_FALSE, 4 * sizeof(float), nullptr);
  glVertexAttribDivisor(0, 1);
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

void Visualizer::render(const sim::World& world, const VisualStyle& style, const Camera& camera, int width,
                        int height, float dpi_scale, double time_s, double dt_s) {
  if (!particle_program_ || width <= 0 || height <= 0) return;
  ensure_targets(width, height);

  GLint previous_framebuffer = 0;
  glGetIntegerv(GL_FRAMEBUFFER_BINDING, &previous_framebuffer);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_CULL_FACE);
  glDisable(GL_SCISSOR_TEST);
  glViewport(0, 0, width, height);

  const int next = 1 - current_;
  glBindFramebuffer(GL_FRAMEBUFFER, framebuffers_[next]);
  // 1. Fade the previous frame towards the background (or clear it).
  const float trail_seconds = std::clamp(style.trail_length, 0.0f, 1.0f) * 0.9f;
  float keep = trail_seconds > 0.01f ? float(std::exp(-std::max(dt_s, 0.001) / (trail_seconds * 0.35))) : 0.0f;
  if (clear_requested_) keep = 0;
  clear_requested_ = false;
  glDisable(GL_BLEND);
  glUseProgram(fade_program_);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, targets_[current_]);
  glUniform1i(glGetUniformLocation(fade_program_, "u_previous"), 0);
  glUniform3fv(glGetUniformLocation(fade_program_, "u_background"), 1, style.background);
  glUniform1f(glGetUniformLocation(fade_program_, "u_keep"), keep);
  glBindVertexArray(empty_vao_);
  glDrawArrays(GL_TRIANGLES, 0, 3);

  // 2. The particles, added on top.
  const auto& particles = world.particles();
  const std::size_t count = particles.size();
  instances_.resize(count * 4);
  float max_speed = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const float vx = particles.vx[i], vy = particles.vy[i];
    const float speed = std::sqrt(vx * vx + vy * vy);
    max_speed = std::max(max_speed, speed);
    float* out = &instances_[i * 4];
    out[0] = particles.x[i];
    out[1] = particles.y[i];
    out[2] = speed;
    out[3] = float(i);
  }
  // "Fast" follows the universe slowly so colours do not flicker.
  const float target_ref = std::max(2.0f, std::max(max_speed * 0.6f, float(world.settings().particle_speed) * 0.8f));
  speed_ref_ += (target_ref - speed_ref_) * float(std::min(1.0, dt_s * 2.0));

  if (count > 0) {
    glBindBuffer(GL_ARRAY_BUFFER, particle_vbo_);
    const std::size_t bytes = instances_.size() * sizeof(float);
    if (bytes > vbo_capacity_) {
      vbo_capacity_ = bytes + bytes / 2;
      glBufferData(GL_ARRAY_BUFFER, GLsizeiptr(vbo_capacity_), nullptr, GL_STREAM_DRAW);
    }
    glBufferSubData(GL_ARRAY_BUFFER, 0, GLsizeiptr(bytes), instances_.data());

    const float scale = camera.scale() * dpi_scale;
    const float radius_px = std::max(1.0f, style.particle_size * 0.75f * camera.zoom() * dpi_scale);
    const float glow = std::clamp(style.glow_intensity + style.loudness * 0.35f, 0.0f, 1.3f);
    const float halo = 1.5f + 4.0f * glow;
    // Many overlapping additive halos turn white; dim each one as coverage grows.
    const float area = float(count) * 3.14159f * radius_px * radius_px * (1.0f + glow * 2.0f);
    const float coverage = area / float(width * height);
    const float density = std::clamp(1.4f / (1.0f + coverage * 1.5f), 0.25f, 1.0f);
    const float angle = style.camera_rotation * 3.14159265f / 180.0f;

    glEnable(GL_BLEND);
    glBlendFunc(GL_ONE, GL_ONE);
    glUseProgram(particle_program_);
    auto loc = [&](const char* name) { return glGetUniformLocation(particle_program_, name); };
    glUniform2f(loc("u_viewport"), float(width), float(height));
    glUniform2f(loc("u_center"), camera.center_x, camera.center_y);
    glUniform1f(loc("u_scale"), scale);
    glUniform2f(loc("u_rotation"), std::cos(angle), std::sin(angle));
    glUniform1f(loc("u_radius_px"), radius_px);
    glUniform1f(loc("u_halo"), halo);
    glUniform1i(loc("u_scheme"), style.color_scheme);
    glUniform3fv(loc("u_particle_color"), 1, style.particle_color);
    glUniform3fv(loc("u_glow_color"), 1, style.glow_color);
    glUniform1f(loc("u_key_hue"), style.key_hue);
    glUniform1f(loc("u_saturation"), style.saturation);
    glUniform1f(loc("u_brightness"), style.brightness);
    glUniform1f(loc("u_count"), float(count));
    glUniform1f(loc("u_time"), float(std::fmod(time_s, 1000.0)));
    glUniform1f(loc("u_pulse"), style.pulse);
    glUniform1f(loc("u_speed_ref"), speed_ref_);
    glUniform1f(loc("u_glow"), glow);
    glUniform1f(loc("u_density"), density);
    glBindVertexArray(particle_vao_);
    glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, GLsizei(count));
    glDisable(GL_BLEND);
  }

  // 3. The result to the screen.
  glBindFramebuffer(GL_FRAMEBUFFER, GLuint(previous_framebuffer));
  glUseProgram(composite_program_);
  glBindTexture(GL_TEXTURE_2D, targets_[next]);
  glUniform1i(glGetUniformLocation(composite_program_, "u_image"), 0);
  glUniform3fv(glGetUniformLocation(composite_program_, "u_background"), 1, style.background);
  glUniform1f(glGetUniformLocation(composite_program_, "u_vignette"), 0.6f);
  glBindVertexArray(empty_vao_);
  glDrawArrays(GL_TRIANGLES, 0, 3);
  glBindVertexArray(0);
  glUseProgram(0);
  current_ = next;
}

}  // namespace harmonic::ui
