#include "web/backend_emscripten.hpp"

#include <algorithm>
#include <cmath>

#include <emscripten.h>
#include <emscripten/eventloop.h>

#include "imgui.h"

namespace harmonic::web {

// Browser APIs, each used by one method below.
EM_JS(void, js_set_title, (const char* title), { document.title = UTF8ToString(title); });
EM_JS(int, js_visible, (), { return document.visibilityState === 'visible' ? 1 : 0; });

EM_JS(void, js_first_frame, (), {
  if (typeof window.harmonicFirstFrame === 'function') window.harmonicFirstFrame();
});

BackendEmscripten::~BackendEmscripten() {
  if (context_) emscripten_webgl_destroy_context(context_);
}

bool BackendEmscripten::create_context() {
  EmscriptenWebGLContextAttributes attributes;
  emscripten_webgl_init_context_attributes(&attributes);
  attributes.majorVersion = 2;
  attributes.minorVersion = 0;
  attributes.alpha = EM_FALSE;
  attributes.depth = EM_FALSE;
  attributes.stencil = EM_FALSE;
  attributes.antialias = EM_FALSE;
  attributes.premultipliedAlpha = EM_TRUE;
  attributes.preserveDrawingBuffer = EM_FALSE;
  attributes.powerPreference = EM_WEBGL_POWER_PREFERENCE_HIGH_PERFORMANCE;
  context_ = emscripten_webgl_create_context("#canvas", &attributes);
  if (context_ <= 0) return false;
  emscripten_webgl_make_context_current(context_);
  update_canvas_size();
  return true;
}

void BackendEmscripten::update_canvas_size() {
  double css_w = 0, css_h = 0;
  emscripten_get_element_css_size("#canvas", &css_w, &css_h);
  const float dpi = float(std::max(1.0, emscripten_get_device_pixel_ratio()));
  const int w = std::max(1, int(std::lround(css_w * dpi)));
  const int h = std::max(1, int(std::lround(css_h * dpi)));
  if (w != fb_width_ || h != fb_height_) emscripten_set_canvas_element_size("#canvas", w, h);
  fb_width_ = w;
  fb_height_ = h;
  css_width_ = std::max(1.0, css_w);
  css_height_ = std::max(1.0, css_h);
  dpi_ = dpi;
}

EM_JS(void, js_install_wake_hooks, (), {
  // The page shown again (its animation frames resume) or resized: draw at once.
  document.addEventListener('visibilitychange', function() { _harmonic_wake(); });
  window.addEventListener('resize', function() { _harmonic_wake(); });
});

namespace {
BackendEmscripten* g_backend = nullptr;
// Browsers run timers in a hidden page at most about once a second; the frame keeps
// the client's timers (presence, reconnection) going there.
constexpr double kHiddenFrameMs = 1000;

void main_loop() {
  if (g_backend) g_backend->loop_frame();
}
void on_timer(void*) {
  if (g_backend) g_backend->timer_fired();
}
}  // namespace

void wake_frames() {
  if (g_backend) g_backend->wake();
}

void BackendEmscripten::run(std::function<double()> frame) {
  frame_ = std::move(frame);
  g_backend = this;
  js_install_wake_hooks();
  emscripten_set_main_loop(main_loop, 0, EM_FALSE);
}

void BackendEmscripten::loop_frame() {
  const double delay = frame_();
  const bool shown = visible();
  if (delay <= 0 && shown) return;  // the next animation frame
  if (!paused_) emscripten_pause_main_loop();
  paused_ = true;
  if (timer_) emscripten_clear_timeout(timer_);
  timer_ = emscripten_set_timeout(on_timer, shown ? delay : kHiddenFrameMs, nullptr);
}

void BackendEmscripten::timer_fired() {
  timer_ = 0;
  if (!paused_) return;
  if (visible()) {
    paused_ = false;
    emscripten_resume_main_loop();
  } else {
    loop_frame();  // no animation frames in a hidden page: draw from the timer
  }
}

void BackendEmscripten::wake() {
  if (on_wake) on_wake();
  if (!paused_ && !visible()) {
    // Hidden while drawing at the display's rate (visibilitychange wakes us): a hidden
    // page gets no animation frames, not even the one already asked for, so the hidden
    // page's timer takes over at once (docs/latency.md, "Frames on demand").
    emscripten_pause_main_loop();
    paused_ = true;
  }
  if (!paused_) return;
  if (timer_) emscripten_clear_timeout(timer_);
  timer_ = 0;
  if (visible()) {
    paused_ = false;
    emscripten_resume_main_loop();
  } else {
    timer_ = emscripten_set_timeout(on_timer, 0, nullptr);
  }
}

void BackendEmscripten::new_frame() {
  update_canvas_size();
  input_.new_frame();
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(float(css_width_), float(css_height_));
  io.DisplayFramebufferScale = ImVec2(float(fb_width_ / css_width_), float(fb_height_ / css_height_));
  const double now = emscripten_get_now();
  io.DeltaTime = last_time_ > 0 ? float(std::max(0.0001, (now - last_time_) / 1000.0)) : 1.0f / 60.0f;
  last_time_ = now;
}

void BackendEmscripten::end_frame() {
  if (!first_frame_done_) {
    first_frame_done_ = true;
    js_first_frame();
  }
}

void BackendEmscripten::set_title(const std::string& title) {
  if (title == title_) return;
  title_ = title;
  js_set_title(title.c_str());
}

bool BackendEmscripten::visible() const { return js_visible() != 0; }

}  // namespace harmonic::web
