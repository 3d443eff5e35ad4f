#include "ui/theme.hpp"

#include "imgui.h"
#include "ui/glyph_needs.hpp"

namespace harmonic::ui {

namespace {
ImVec4 rgb(int r, int g, int b, float a = 1.0f) { return ImVec4(r / 255.0f, g / 255.0f, b / 255.0f, a); }
}  // namespace

void apply_theme(float dpi_scale) {
  ImGuiStyle style;
  ImGui::StyleColorsDark(&style);
  style.WindowRounding = 10;
  style.ChildRounding = 8;
  style.FrameRounding = 6;
  style.PopupRounding = 8;
  style.GrabRounding = 6;
  style.TabRounding = 6;
  style.ScrollbarRounding = 8;
  style.WindowBorderSize = 1;
  style.FrameBorderSize = 0;
  style.WindowPadding = ImVec2(14, 12);
  style.FramePadding = ImVec2(9, 6);
  style.ItemSpacing = ImVec2(9, 7);
  style.ItemInnerSpacing = ImVec2(7, 5);
  style.ScrollbarSize = 12;
  style.GrabMinSize = 12;
  style.WindowTitleAlign = ImVec2(0.0f, 0.5f);
  style.IndentSpacing = 16;

  ImVec4* c = style.Colors;
  c[ImGuiCol_Text] = rgb(228, 232, 240);
  c[ImGuiCol_TextDisabled] = rgb(128, 136, 150);
  c[ImGuiCol_WindowBg] = rgb(16, 19, 28, 0.88f);
  c[ImGuiCol_ChildBg] = rgb(22, 26, 38, 0.55f);
  c[ImGuiCol_PopupBg] = rgb(20, 24, 35, 0.97f);
  c[ImGuiCol_Border] = rgb(70, 86, 120, 0.35f);
  c[ImGuiCol_FrameBg] = rgb(36, 42, 60, 0.9f);
  c[ImGuiCol_FrameBgHovered] = rgb(48, 58, 84);
  c[ImGuiCol_FrameBgActive] = rgb(56, 70, 104);
  c[ImGuiCol_TitleBg] = rgb(18, 22, 32, 0.95f);
  c[ImGuiCol_TitleBgActive] = rgb(24, 30, 46, 0.98f);
  c[ImGuiCol_TitleBgCollapsed] = rgb(18, 22, 32, 0.8f);
  c[ImGuiCol_MenuBarBg] = rgb(14, 17, 25, 0.92f);
  c[ImGuiCol_ScrollbarBg] = rgb(0, 0, 0, 0.0f);
  c[ImGuiCol_ScrollbarGrab] = rgb(70, 80, 105);
  c[ImGuiCol_CheckMark] = rgb(71, 179, 255);
  c[ImGuiCol_SliderGrab] = rgb(71, 179, 255);
  c[ImGuiCol_SliderGrabActive] = rgb(130, 205, 255);
  c[ImGuiCol_Button] = rgb(44, 54, 80);
  c[ImGuiCol_ButtonHovered] = rgb(58, 76, 118);
  c[ImGuiCol_ButtonActive] = rgb(71, 110, 170);
  c[ImGuiCol_Header] = rgb(50, 62, 92, 0.7f);
  c[ImGuiCol_HeaderHovered] = rgb(60, 78, 118, 0.85f);
  c[ImGuiCol_HeaderActive] = rgb(71, 100, 150);
  c[ImGuiCol_Separator] = rgb(70, 86, 120, 0.4f);
  c[ImGuiCol_Tab] = rgb(30, 36, 52);
  c[ImGuiCol_TabHovered] = rgb(64, 92, 140);
  c[ImGuiCol_TabActive] = rgb(52, 76, 118);
  c[ImGuiCol_TabUnfocused] = rgb(26, 30, 44);
  c[ImGuiCol_TabUnfocusedActive] = rgb(44, 60, 92);
  c[ImGuiCol_PlotLines] = rgb(71, 179, 255);
  c[ImGuiCol_PlotHistogram] = rgb(120, 140, 255);
  c[ImGuiCol_TableHeaderBg] = rgb(28, 34, 50);
  c[ImGuiCol_TableBorderLight] = rgb(50, 60, 84, 0.5f);
  c[ImGuiCol_TableRowBgAlt] = rgb(255, 255, 255, 0.025f);
  c[ImGuiCol_TextSelectedBg] = rgb(71, 179, 255, 0.35f);
  c[ImGuiCol_ModalWindowDimBg] = rgb(5, 6, 10, 0.6f);
  c[ImGuiCol_NavHighlight] = rgb(71, 179, 255);
  (void)dpi_scale;  // sizes are in points; the renderer scales to pixels
  ImGui::GetStyle() = style;
}

void set_font_scale(float scale, float dpi_scale) {
  ImGui::GetIO().FontGlobalScale = scale / (dpi_scale > 0 ? dpi_scale : 1.0f);
}

Fonts load_fonts(const std::string& regular_ttf, const std::string& bold_ttf, float dpi_scale,
                 const std::vector<char32_t>& extra_codepoints, const std::string& fallback_ttf) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  Fonts fonts;
  // Rasterise at device pixels and draw at 1/dpi so text stays sharp on high-DPI screens.
  const float px = dpi_scale > 0 ? dpi_scale : 1.0f;
  // The extra characters' ranges must outlive the atlas's build (below); the next call
  // replaces them after Clear() has dropped the fonts that pointed at them.
  static ImVector<ImWchar> extra_ranges;
  extra_ranges.clear();
  if (!extra_codepoints.empty()) {
    ImFontGlyphRangesBuilder builder;
    for (const char32_t c : extra_codepoints) {
      if (c <= kLastDrawableCodepoint) builder.AddChar(static_cast<ImWchar>(c));
    }
    builder.BuildRanges(&extra_ranges);
  }
  ImFontConfig config;
  config.OversampleH = 2;
  config.OversampleV = 1;
  config.PixelSnapH = false;
  // The bytes stay the caller's (FontDataOwnedByAtlas = false): ImGui reads them
  // while it builds the atlas and never writes or frees them.
  config.FontDataOwnedByAtlas = false;
  ImFontConfig merged = config;
  merged.MergeMode = true;
  const auto ttf_data = [](const std::string& ttf) { return const_cast<char*>(ttf.data()); };
  // One size: the face's base characters, then the extra ones from the same face
  // (DejaVu has Greek, Cyrillic, Arabic ...) and, for what it lacks, the fallback font
  // (a font merged later never replaces a glyph an earlier one gave).
  auto add = [&](const std::string& ttf, float size_points) {
    ImFont* font = io.Fonts->AddFontFromMemoryTTF(ttf_data(ttf), int(ttf.size()), size_points * px, &config,
                                                  reinterpret_cast<const ImWchar*>(kBaseGlyphRanges));
    if (font && !extra_ranges.empty()) {
      io.Fonts->AddFontFromMemoryTTF(ttf_data(ttf), int(ttf.size()), size_points * px, &merged, extra_ranges.Data);
      if (!fallback_ttf.empty()) {
        io.Fonts->AddFontFromMemoryTTF(ttf_data(fallback_ttf), int(fallback_ttf.size()), size_points * px, &merged,
                                       extra_ranges.Data);
      }
    }
    return font;
  };
  if (!regular_ttf.empty()) {
    fonts.regular = add(regular_ttf, 15.5f);
    fonts.small = add(regular_ttf, 13.0f);
    const std::string& heavy = bold_ttf.empty() ? regular_ttf : bold_ttf;
    fonts.large = add(heavy, 19.0f);
    fonts.title = add(heavy, 30.0f);
  }
  if (!fonts.regular) {
    ImFontConfig fallback;
    fallback.SizePixels = 13.0f * px;
    fonts.regular = io.Fonts->AddFontDefault(&fallback);
    fonts.small = fonts.regular;
    fonts.large = fonts.regular;
    fonts.title = fonts.regular;
  }
  // Built now, not by the renderer's texture upload, so the App can ask at once which
  // characters the atlas has (ui/glyph_needs.hpp).
  io.Fonts->Build();
  io.FontDefault = fonts.regular;
  set_font_scale(1.0f, px);
  return fonts;
}

}  // namespace harmonic::ui
