// The browser's UI fonts: DejaVu, packed into harmonic-web.data at build time and
// mounted at /assets (web/CMakeLists.txt), read once at start; a missing file is
// empty bytes, which the UI answers with ImGui's built-in font.
#pragma once

#include "frontend/platform.hpp"

namespace harmonic::web {

frontend::FontFiles read_font_files();

}  // namespace harmonic::web
