// The desktop's frontend::Backend (Tracy's BackendGlfw): a GLFW window with an OpenGL
// 3.3 core context and the main loop, run on demand: between frames it waits for
// events for as long as the App allows (glfwWaitEventsTimeout), and the network
// thread's results wake it (wake_from_any_thread; docs/latency.md). Input is GlfwInput's. Thin on purpose:
// everything a person sees is in shared/.
//
// Also the hooks that tests and support use (all optional, set by main.cpp):
// `after_frame` runs after each presented frame, and capture_next_frame() writes the
// next frame to a PNG.
#pragma once

#include <functional>
#include <string>

#include "frontend/backend.hpp"
#include "native/glfw_input.hpp"
#include "native/settings_store.hpp"

struct GLFWwindow;

namespace harmonic::native {

struct WindowOptions {
  int width = 1280;   // window points
  int height = 800;
  bool vsync = true;
  double max_fps = 60;  // the loop never runs faster (Xvfb has no vertical sync)
  // Wait between frames when the App is idle; off for a fixed number of frames
  // (--frames), which must come at the full rate.
  bool on_demand = true;
};

class BackendGlfw final : public frontend::Backend {
 public:
  // `settings` keeps the window size for the next start.
  BackendGlfw(SettingsStore& settings, WindowOptions window, GlfwInput& input);
  ~BackendGlfw() override;

  // Creates the window and its GL context; false with `error` when there is no display
  // or no OpenGL 3.3.
  bool create_window(std::string* error);
  void request_quit() { quit_ = true; }
  // Ends the loop's wait for the next frame; safe from any thread, and before the
  // window exists (then it does nothing).
  static void wake_from_any_thread();

  std::function<void()> after_frame;
  void capture_next_frame(std::string path, std::function<void(bool ok, const std::string& error)> done);
  long long frames_presented() const { return frames_; }

  // [frontend::Backend]
  void run(std::function<double()> frame) override;
  void new_frame() override;
  void end_frame() override;
  int framebuffer_width() const override { return fb_width_; }
  int framebuffer_height() const override { return fb_height_; }
  float dpi_scale() const override { return dpi_; }
  void set_title(const std::string& title) override;
  bool visible() const override;

 private:
  void update_sizes();
  void remember_window_size();

  SettingsStore& settings_;
  WindowOptions window_options_;
  GlfwInput& input_;
  GLFWwindow* window_ = nullptr;
  bool quit_ = false;
  int fb_width_ = 1, fb_height_ = 1;
  int win_width_ = 1, win_height_ = 1;
  float dpi_ = 1;
  long long frames_ = 0;
  std::string title_;
  std::string capture_path_;
  std::function<void(bool, const std::string&)> capture_done_;
};

}  // namespace harmonic::native
