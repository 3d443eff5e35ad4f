// The desktop backend (Tracy's BackendGlfw): a GLFW window with an OpenGL 3.3 core
// context, ImGui input from GLFW, the Beast network thread, ALSA audio, the settings
// file. Thin on purpose: everything a person sees is in shared/.
//
// Also the hooks that tests and support use (all optional, set by main.cpp):
// `input_override` replaces the devices' input for a frame (scripted input),
// `after_frame` runs after each presented frame, and capture_next_frame() writes the
// next frame to a PNG.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "app/backend.hpp"
#include "native/audio_output.hpp"
#include "native/beast_http_client.hpp"
#include "native/io_thread.hpp"
#include "native/settings_store.hpp"

struct GLFWwindow;
struct ImGuiIO;

namespace harmonic::native {

struct WindowOptions {
  int width = 1280;   // window points
  int height = 800;
  bool vsync = true;
  double max_fps = 60;  // the loop never runs faster (Xvfb has no vertical sync)
  std::string audio_device = "default";  // ALSA PCM name
};

class BackendGlfw final : public app::Backend {
 public:
  BackendGlfw(SettingsStore& settings, app::StartupOptions startup, WindowOptions window, TlsOptions tls);
  ~BackendGlfw() override;

  // Creates the window and its GL context; false with `error` when there is no display
  // or no OpenGL 3.3.
  bool create_window(std::string* error);
  void request_quit() { quit_ = true; }

  std::function<void(ImGuiIO& io)> input_override;
  std::function<void()> after_frame;
  void capture_next_frame(std::string path, std::function<void(bool ok, const std::string& error)> done);
  long long frames_presented() const { return frames_; }
  IoThread& io() { return *io_; }

  // [app::Backend]
  void run(std::function<void()> frame) override;
  void new_frame() override;
  void end_frame() override;
  int framebuffer_width() const override { return fb_width_; }
  int framebuffer_height() const override { return fb_height_; }
  float dpi_scale() const override { return dpi_; }
  double monotonic_ms() const override;
  double wall_clock_ms() const override;
  client::TransportFactory websocket_factory() override;
  client::HttpClient& http() override { return http_; }
  bool start_audio(int sample_rate, int channels, app::AudioPull pull) override;
  void stop_audio() override;
  bool audio_running() const override { return audio_.running(); }
  void set_clipboard(const std::string& text) override;
  std::optional<std::string> load_setting(const std::string& key) override;
  void save_setting(const std::string& key, const std::string& value) override;
  void remove_setting(const std::string& key) override;
  app::StartupOptions startup_options() override { return startup_; }
  void set_location(const std::string& fragment) override;
  std::string universe_link(const std::string& universe_id) override;
  void set_title(const std::string& title) override;
  bool visible() const override;
  bool take_input_activity() override;
  std::string font_path(bool bold) const override;

  void mark_activity() { activity_ = true; }

 private:
  void update_sizes();
  void remember_window_size();

  SettingsStore& settings_;
  app::StartupOptions startup_;
  WindowOptions window_options_;
  std::unique_ptr<IoThread> io_;
  BeastHttpClient http_;
  AudioOutput audio_;
  GLFWwindow* window_ = nullptr;
  bool imgui_input_ready_ = false;
  bool quit_ = false;
  bool activity_ = true;
  int fb_width_ = 1, fb_height_ = 1;
  int win_width_ = 1, win_height_ = 1;
  float dpi_ = 1;
  long long frames_ = 0;
  std::string title_;
  std::string capture_path_;
  std::function<void(bool, const std::string&)> capture_done_;
};

}  // namespace harmonic::native
