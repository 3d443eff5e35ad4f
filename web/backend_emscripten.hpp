// The browser's frontend::Backend: the canvas and its WebGL 2 context (html5.h) and
// the requestAnimationFrame main loop, run on demand: it pauses when the App says the
// screen is idle and resumes at the next animation frame when woken (wake_frames) or
// when the App's heartbeat is due; a hidden page's frames come from a 1 s timer, since
// browsers stop animation frames there (docs/latency.md, "Frames on demand"). Input is
// EmscriptenInput's. Thin on purpose: everything a person sees is in shared/.
#pragma once

#include <functional>
#include <string>

#include <emscripten/html5.h>

#include "frontend/backend.hpp"
#include "web/emscripten_input.hpp"

namespace harmonic::web {

// Wakes the frame loop at once (the next animation frame) and tells the App (on_wake):
// input, a WebSocket event, a fetch result, a resize, the page shown again.
void wake_frames();

class BackendEmscripten final : public frontend::Backend {
 public:
  explicit BackendEmscripten(EmscriptenInput& input) : input_(input) {}
  ~BackendEmscripten() override;

  // Makes the WebGL 2 context on #canvas; false when the browser has none.
  bool create_context();

  // [frontend::Backend]
  void run(std::function<double()> frame) override;
  void new_frame() override;
  void end_frame() override;
  int framebuffer_width() const override { return fb_width_; }
  int framebuffer_height() const override { return fb_height_; }
  float dpi_scale() const override { return dpi_; }
  void set_title(const std::string& title) override;
  bool visible() const override;

  // Called by wake_frames() before the loop resumes.
  std::function<void()> on_wake;

  // [internal: the main loop]
  void loop_frame();
  void timer_fired();
  void wake();

 private:
  void update_canvas_size();

  EmscriptenInput& input_;
  EMSCRIPTEN_WEBGL_CONTEXT_HANDLE context_ = 0;
  int fb_width_ = 1, fb_height_ = 1;
  double css_width_ = 1, css_height_ = 1;
  float dpi_ = 1;
  double last_time_ = 0;
  std::function<double()> frame_;
  bool paused_ = false;  // the requestAnimationFrame loop is paused ...
  long timer_ = 0;       // ... and this timeout brings the next frame (0: none)
  bool first_frame_done_ = false;
  std::string title_;
};

}  // namespace harmonic::web
