// The browser's input: DOM mouse, wheel, keyboard and focus events (html5.h) fed to
// ImGui, ImGui's clipboard hooks (the paste event and navigator.clipboard), and
// presence (frontend::Input). One per page.
#pragma once

#include <string>

#include "frontend/input.hpp"

namespace harmonic::web {

class EmscriptenInput final : public frontend::Input {
 public:
  EmscriptenInput();
  ~EmscriptenInput() override;

  // Once per frame, from BackendEmscripten::new_frame (the first call installs the
  // event handlers into the App's ImGui context).
  void new_frame();

  bool take_activity() override;
  void mark_activity() { activity_ = true; }

  // Clipboard text: what the page's last paste event carried, or what we copied.
  void set_clipboard(const std::string& text);
  void set_paste_text(const char* text) { paste_text_ = text ? text : ""; }
  const std::string& paste_text() const { return paste_text_; }

 private:
  void install();

  bool installed_ = false;
  // Mouse buttons and keys released between the last two frames, let go this frame.
  bool release_now_[3] = {};
  bool key_release_now_[512] = {};
  bool activity_ = true;
  std::string paste_text_;
};

}  // namespace harmonic::web
