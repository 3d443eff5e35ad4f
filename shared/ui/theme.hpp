// The look: a dark theme with one accent colour, rounded panels, and DejaVu Sans at a
// size that reads well, rasterised at the display's pixel density.
#pragma once

#include <string>
#include <vector>

#include "ui/view.hpp"

namespace harmonic::ui {

// Colours used by panels for status and accents (0xAABBGGRR as ImGui wants).
namespace colors {
inline constexpr unsigned accent = 0xFFFFB347;       // soft blue-violet glow (#47B3FF)
inline constexpr unsigned ok = 0xFF7FD16B;           // green
inline constexpr unsigned warn = 0xFF4FC2FF;         // amber
inline constexpr unsigned error = 0xFF6B6BFF;        // red
inline constexpr unsigned muted = 0xFFA59C94;        // grey text
}  // namespace colors

void apply_theme(float dpi_scale);
// Loads the fonts from TrueType bytes (regular, bold; the platform reads the files);
// an empty `regular_ttf` means ImGui's built-in font, an empty `bold_ttf` the regular
// one. The bytes must outlive the font atlas. Call before the renderer builds the
// font texture.
// Text size: `scale` times the fonts' point sizes, drawn from the atlas rasterised at
// `dpi_scale` (ui/layout.hpp decides the scale).
void set_font_scale(float scale, float dpi_scale);
// Every size holds kBaseGlyphRanges (ui/glyph_needs.hpp) and `extra_codepoints`, merged
// from the same face and then from `fallback_ttf` (empty: none; a collection's first
// face). `fallback_ttf` must outlive the atlas too. The atlas is built on return.
Fonts load_fonts(const std::string& regular_ttf, const std::string& bold_ttf, float dpi_scale,
                 const std::vector<char32_t>& extra_codepoints = {}, const std::string& fallback_ttf = {});

}  // namespace harmonic::ui
