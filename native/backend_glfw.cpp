#include "native/backend_glfw.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

// gl.hpp first: it declares the GL 3.3 core entry points (GL_GLEXT_PROTOTYPES) that
// GLFW's header must not redeclare.
#include "ui/gl.hpp"
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include "backends/imgui_impl_glfw.h"
#include "imgui.h"
#include "native/beast_websocket_transport.hpp"
#include "native/screenshot.hpp"

namespace harmonic::native {

namespace {

BackendGlfw* backend_of(GLFWwindow* window) { return static_cast<BackendGlfw*>(glfwGetWindowUserPointer(window)); }

// Installed before ImGui's own callbacks, which chain to these: presence only needs
// to know that the person did something.
void on_cursor(GLFWwindow* w, double, double) { backend_of(w)->mark_activity(); }
void on_button(GLFWwindow* w, int, int, int) { backend_of(w)->mark_activity(); }
void on_scroll(GLFWwindow* w, double, double) { backend_of(w)->mark_activity(); }
void on_key(GLFWwindow* w, int, int, int, int) { backend_of(w)->mark_activity(); }

void on_glfw_error(int code, const char* text) { std::fprintf(stderr, "harmonic-desktop: GLFW %d: %s\n", code, text); }

}  // namespace

BackendGlfw::BackendGlfw(SettingsStore& settings, app::StartupOptions startup, WindowOptions window, TlsOptions tls)
    : settings_(settings),
      startup_(std::move(startup)),
      window_options_(window),
      io_(std::make_unique<IoThread>(std::move(tls))),
      http_(*io_),
      audio_(window_options_.audio_device) {}

BackendGlfw::~BackendGlfw() {
  audio_.stop();
  // Transports may still hold queued callbacks; they belong to the App, which is gone.
  io_.reset();
  if (window_) glfwDestroyWindow(window_);
  glfwTerminate();
}

bool BackendGlfw::create_window(std::string* error) {
  glfwSetErrorCallback(on_glfw_error);
  if (!glfwInit()) {
    if (error) *error = "cannot open a window (is DISPLAY set?)";
    return false;
  }
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
  glfwSetWindowUserPointer(window_, this);
  glfwSetWindowSizeLimits(window_, 640, 480, GLFW_DONT_CARE, GLFW_DONT_CARE);
  glfwMakeContextCurrent(window_);
  glfwSwapInterval(window_options_.vsync ? 1 : 0);
  glfwSetCursorPosCallback(window_, on_cursor);
  glfwSetMouseButtonCallback(window_, on_button);
  glfwSetScrollCallback(window_, on_scroll);
  glfwSetKeyCallback(window_, on_key);
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

void BackendGlfw::run(std::function<void()> frame) {
  using clock = std::chrono::steady_clock;
  const auto min_frame = std::chrono::duration<double>(1.0 / std::max(1.0, window_options_.max_fps));
  auto last = clock::now();
  while (!quit_ && !glfwWindowShouldClose(window_)) {
    glfwPollEvents();
    io_->ui().drain();  // network results, on this thread, before the client looks
    update_sizes();
    frame();
    if (after_frame) after_frame();
    // Without vertical sync (Xvfb, some drivers) keep to max_fps instead of spinning.
    const auto next = last + std::chrono::duration_cast<clock::duration>(min_frame);
    const auto now = clock::now();
    if (now < next) std::this_thread::sleep_for(next - now);
    last = std::max(next, now - std::chrono::duration_cast<clock::duration>(min_frame));
  }
  remember_window_size();
  // The audio thread pulls from the App, which main() destroys right after this.
  audio_.stop();
  if (imgui_input_ready_) {
    ImGui_ImplGlfw_Shutdown();  // while the App's ImGui context still exists
    imgui_input_ready_ = false;
  }
}

void BackendGlfw::new_frame() {
  if (!imgui_input_ready_) {
    // The App made the ImGui context on its first frame; attach GLFW input to it.
    ImGui_ImplGlfw_InitForOpenGL(window_, true);
    ImGui::GetIO().BackendPlatformName = "harmonic_glfw";
    imgui_input_ready_ = true;
  }
  ImGui_ImplGlfw_NewFrame();  // display size, time step, mouse, keys
  if (input_override) {
    input_override(ImGui::GetIO());
    activity_ = true;
  }
}

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

double BackendGlfw::monotonic_ms() const {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

double BackendGlfw::wall_clock_ms() const {
  using namespace std::chrono;
  return double(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

client::TransportFactory BackendGlfw::websocket_factory() { return beast_websocket_factory(*io_); }

bool BackendGlfw::start_audio(int sample_rate, int channels, app::AudioPull pull) {
  if (!audio_.start(sample_rate, channels, std::move(pull))) {
    std::fprintf(stderr, "harmonic-desktop: %s\n", audio_.error().c_str());
    return false;
  }
  return true;
}

void BackendGlfw::stop_audio() { audio_.stop(); }

void BackendGlfw::set_clipboard(const std::string& text) {
  if (window_) glfwSetClipboardString(window_, text.c_str());
}

std::optional<std::string> BackendGlfw::load_setting(const std::string& key) {
  return settings_.get_for_server(startup_.server_origin, key);
}
void BackendGlfw::save_setting(const std::string& key, const std::string& value) {
  settings_.set_for_server(startup_.server_origin, key, value);
}
void BackendGlfw::remove_setting(const std::string& key) { settings_.remove_for_server(startup_.server_origin, key); }

void BackendGlfw::set_location(const std::string& fragment) {
  // The desktop has no address bar: remember the universe, to open it next time.
  const std::string prefix = "universe=";
  if (fragment.rfind(prefix, 0) == 0) {
    settings_.set_for_server(startup_.server_origin, "last_universe", fragment.substr(prefix.size()));
  } else {
    settings_.remove_for_server(startup_.server_origin, "last_universe");
  }
}

std::string BackendGlfw::universe_link(const std::string& universe_id) {
  // The web client's link: whoever gets it opens the universe in a browser.
  return startup_.server_origin + "/#universe=" + universe_id;
}

void BackendGlfw::set_title(const std::string& title) {
  if (title == title_ || !window_) return;
  title_ = title;
  glfwSetWindowTitle(window_, title.c_str());
}

bool BackendGlfw::visible() const {
  return window_ && glfwGetWindowAttrib(window_, GLFW_VISIBLE) && !glfwGetWindowAttrib(window_, GLFW_ICONIFIED);
}

bool BackendGlfw::take_input_activity() {
  const bool was = activity_;
  activity_ = false;
  return was;
}

std::string BackendGlfw::font_path(bool bold) const {
  const std::filesystem::path dir = HARMONIC_FONT_DIR;
  return (dir / (bold ? "DejaVuSans-Bold.ttf" : "DejaVuSans.ttf")).string();
}

}  // namespace harmonic::native
