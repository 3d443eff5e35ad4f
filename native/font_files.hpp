// The desktop's UI fonts: DejaVu from fonts-dejavu-core (HARMONIC_FONT_DIR, set in
// native/CMakeLists.txt), read once at start; a missing file is empty bytes, which
// the UI answers with ImGui's built-in font. The CJK fallback font
// (HARMONIC_FALLBACK_FONT, fonts-wqy-microhei) is read only when text needs it.
#pragma once

#include <string>

#include "frontend/platform.hpp"

namespace harmonic::native {

frontend::FontFiles read_font_files();

class FileFallbackFont final : public frontend::FallbackFont {
 public:
  void request() override;
  State state() const override { return state_; }
  const std::string& bytes() const override { return bytes_; }

 private:
  State state_ = State::not_requested;
  std::string bytes_;
};

}  // namespace harmonic::native
