// Writes what the window shows to a PNG file (--screenshot, the script's "screenshot").
// Call with the frame's GL context current, after drawing and before the swap.
#pragma once

#include <string>

namespace harmonic::native {

// Reads the back buffer (width x height pixels) and writes an RGB PNG; false with
// `error` set when reading or writing failed.
bool write_framebuffer_png(const std::string& path, int width, int height, std::string* error);

}  // namespace harmonic::native
