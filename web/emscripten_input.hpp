// The browser's input: DOM mouse, wheel, touch, keyboard and focus events (html5.h)
// fed to ImGui, the invisible text field that brings up a phone's on-screen keyboard,
// ImGui's clipboard hooks (the paste event and navigator.clipboard), and presence
// (frontend::Input). Every event wakes the frame loop. One per page.
#pragma once

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
};

}  // namespace harmonic::web
