// The browser's UI fonts: DejaVu, packed into harmonic-web.data at build time and
// mounted at /assets (web/CMakeLists.txt), read once at start; a missing file is
// empty bytes, which the UI answers with ImGui's built-in font. The CJK fallback font
// is not in harmonic-web.data: it is fetched from the site (HARMONIC_FALLBACK_FONT_URL)
// only when text needs it, so first load does not wait for its megabytes.
#pragma once

#include <string>

#include "frontend/platform.hpp"

namespace harmonic::web {

frontend::FontFiles read_font_files();

class FetchedFallbackFont final : public frontend::FallbackFont {
 public:
  void request() override;
  State state() const override { return state_; }
  const std::string& bytes() const override { return bytes_; }
  // The fetch's answer (harmonic_fallback_font in main.cpp): the bytes, or none when it failed.
  void arrived(const char* data, int size);

 private:
  State state_ = State::not_requested;
  std::string bytes_;
};

}  // namespace harmonic::web
