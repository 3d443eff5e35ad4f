// The browser's input: DOM mouse, wheel, touch, keyboard and focus events (html5.h)
// fed to ImGui, the invisible text field that brings up a phone's on-screen keyboard,
// ImGui's clipboard hooks (the paste event and navigator.clipboard), and presence
// (frontend::Input). Every event wakes the frame loop. One per page.
#pragma once

#include <functional>
#include <string>

#include "frontend/input.hpp"
#include "frontend/touch_gestures.hpp"

namespace harmonic::web {

class EmscriptenInput final : public frontend::Input {
 public:
  EmscriptenInput();
  ~EmscriptenInput() override;

  // Once per frame, from BackendEmscripten::new_frame (the first call installs the
  // event handlers into the App's ImGui context).
  void new_frame();

  bool take_activity() override;
  // The visual viewport's (web/emscripten_viewport.hpp).
  float keyboard_inset() const override;
  void mark_activity() { activity_ = true; }

  // Clipboard text: what the page's last paste event carried, or what we copied.
  void set_clipboard(const std::string& text);
  void set_paste_text(const char* text) { paste_text_ = text ? text : ""; }
  const std::string& paste_text() const { return paste_text_; }

  // From the invisible text field (harmonic_text_input): kind 0 text (UTF-8),
  // 1 Backspace, 2 Enter, 3 Delete; other kinds are ignored.
  void text_input(int kind, const char* text);

  // Called from the handler of a mouse press, release or drag move, after ImGui has the
  // event: runs the screens' logic at once (App::input_frame), so the widget acts before
  // the next animation frame (docs/latency.md).
  std::function<void()> on_input;
  // Whether a drag move may run on_input now: at most one per kDragInputMs, so a fast
  // mouse cannot fill the gaps between animation frames with UI work.
  bool drag_input_due(double now_ms);

  frontend::TouchGestures& gestures() { return gestures_; }
  // Runs the recognizer's timers and applies its pointer actions to ImGui.
  void apply_gestures(double now_ms);

 private:
  void install();

  bool installed_ = false;
  // Mouse buttons and keys released between the last two frames, let go this frame.
  bool release_now_[3] = {};
  bool key_release_now_[512] = {};
  bool activity_ = true;
  std::string paste_text_;
  frontend::TouchGestures gestures_;
  double gesture_timer_due_ = -1;
  bool text_input_focused_ = false;
  double last_drag_input_ms_ = -1e9;
};

}  // namespace harmonic::web
