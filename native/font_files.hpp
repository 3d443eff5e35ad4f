// The desktop's UI fonts: DejaVu from fonts-dejavu-core (HARMONIC_FONT_DIR, set in
// native/CMakeLists.txt), read once at start; a missing file is empty bytes, which
// the UI answers with ImGui's built-in font.
#pragma once

#include "frontend/platform.hpp"

namespace harmonic::native {

frontend::FontFiles read_font_files();

}  // namespace harmonic::native
