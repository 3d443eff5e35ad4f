#include "native/backend_glfw.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

// gl.hpp first: it declares the GL 3.3 core entry points (GL_GLEXT_PROTOTYPES) that
// GLFW's header must not redeclare.
#include "ui/gl.hpp"
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include "native/screenshot.hpp"

namespace harmonic::native {

namespace {

void on_glfw_error(int code, const char* text) { std::fprintf(stderr, "harmonic-desktop: GLFW %d: %s\n", code, text); }

// Whether GLFW is initialised, so glfwPostEmptyEvent may be called (from any thread).
std::atomic<bool> g_glfw_ready{false};

}  // namespace

void BackendGlfw::wake_from_any_thread() {
  if (g_glfw_ready.load()) glfwPostEmptyEvent();
}

BackendGlfw::BackendGlfw(SettingsStore& settings, WindowOptions window, GlfwInput& input)
    : settings_(settings), window_options_(window), input_(input) {}

BackendGlfw::~BackendGlfw() {
  g_glfw_ready = false;
  if (window_) glfwDestroyWindow(window_);
  glfwTerminate();
}

bool BackendGlfw::create_window(std::string* error) {
  glfwSetErrorCallback(on_glfw_error);
  if (!glfwInit()) {
    if (error) *error = "cannot open a window (is DISPLAY set?)";
    return false;
  }
  g_glfw_ready = true;
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_DOUBLEBUFFER, GLFW_TRUE);
  glfwWindowHint(GLFW_DEPTH_BITS, 0);
  glfwWindowHint(GLFW_STENCIL_BITS, 0);
  window_ = glfwCreateWindow(window_options_.width, window_options_.height, "Harmonic Universe", nullptr, nullptr);
  if (!window_) {
    if (error) *error = "cannot create a window with an OpenGL 3.3 core context";
    return false;
  }
  glfwSetWindowSizeLimits(window_, 640, 480, GLFW_DONT_CARE, GLFW_DONT_CARE);
  glfwMakeContextCurrent(window_);
  glfwSwapInterval(window_options_.vsync ? 1 : 0);
  input_.attach(window_);
  update_sizes();
  return true;
}

void BackendGlfw::update_sizes() {
  glfwGetFramebufferSize(window_, &fb_width_, &fb_height_);
  glfwGetWindowSize(window_, &win_width_, &win_height_);
  fb_width_ = std::max(1, fb_width_);
  fb_height_ = std::max(1, fb_height_);
  win_width_ = std::max(1, win_width_);
  win_height_ = std::max(1, win_height_);
  // Pixels per point: 2 on a Retina-style display, 1 on X11 and most others.
  dpi_ = std::max(1.0f, float(fb_width_) / float(win_width_));
}

void BackendGlfw::remember_window_size() {
  if (!window_ || glfwGetWindowAttrib(window_, GLFW_ICONIFIED)) return;
  settings_.set("window_width", win_width_);
  settings_.set("window_height", win_height_);
}

void BackendGlfw::run(std::function<double()> frame) {
  using clock = std::chrono::steady_clock;
  const auto min_frame = std::chrono::duration<double>(1.0 / std::max(1.0, window_options_.max_fps));
  auto last = clock::now();
  double delay_ms = 0;
  while (!quit_ && !glfwWindowShouldClose(window_)) {
    // An idle App waits for input, a network result (glfwPostEmptyEvent) or its
    // heartbeat; otherwise frames follow each other.
    if (delay_ms > 0 && window_options_.on_demand) glfwWaitEventsTimeout(delay_ms / 1000.0);
    else glfwPollEvents();
    update_sizes();
    delay_ms = frame();
    if (after_frame) after_frame();
    // Without vertical sync (Xvfb, some drivers) keep to max_fps instead of spinning.
    const auto next = last + std::chrono::duration_cast<clock::duration>(min_frame);
    const auto now = clock::now();
    if (now < next) std::this_thread::sleep_for(next - now);
    last = std::max(next, now - std::chrono::duration_cast<clock::duration>(min_frame));
  }
  remember_window_size();
  input_.shutdown();  // while the App's ImGui context still exists
}

void BackendGlfw::new_frame() { input_.new_frame(); }

void BackendGlfw::end_frame() {
  if (!capture_path_.empty()) {
    std::string error;
    const bool ok = write_framebuffer_png(capture_path_, fb_width_, fb_height_, &error);
    capture_path_.clear();
    auto done = std::move(capture_done_);
    capture_done_ = nullptr;
    if (done) done(ok, error);
  }
  glfwSwapBuffers(window_);
  ++frames_;
}

void BackendGlfw::capture_next_frame(std::string path, std::function<void(bool, const std::string&)> done) {
  capture_path_ = std::move(path);
  capture_done_ = std::move(done);
}

void BackendGlfw::set_title(const std::string& title) {
  if (title == title_ || !window_) return;
  title_ = title;
  glfwSetWindowTitle(window_, title.c_str());
}

bool BackendGlfw::visible() const {
  return window_ && glfwGetWindowAttrib(window_, GLFW_VISIBLE) && !glfwGetWindowAttrib(window_, GLFW_ICONIFIED);
}

}  // namespace harmonic::native
