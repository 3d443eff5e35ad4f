// Small drawing helpers shared by the panels.
#pragma once

#include <string>

#include "imgui.h"
#include "ui/layout.hpp"
#include "ui/view.hpp"

namespace harmonic::ui {

// Panels are placed by the layout (ui/layout.hpp), not by the person, and never overlap
// one another; they stay behind floating windows (the event log, dialogs, toasts)
// even when clicked.
inline constexpr ImGuiWindowFlags kPanelFlags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                                ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                                ImGuiWindowFlags_NoBringToFrontOnFocus;

// Begins a panel window at `at`, the layout's rectangle for it, and records its
// rectangle as "panel.<name>". In the compact sheet it has no title bar or close
// button: the tab bar names and closes it. Call ImGui::End() whatever it returns.
bool begin_panel(Frame& f, const UniverseLayout& l, const char* title, const char* name, const Rect& at, bool* open);

// While alive, every frame (button, slider, field, tab) is at least `min_hit` points
// tall and slider grabs are wide enough for a finger; 0 changes nothing.
class HitTargetStyle {
 public:
  explicit HitTargetStyle(float min_hit);
  ~HitTargetStyle();
  HitTargetStyle(const HitTargetStyle&) = delete;
  HitTargetStyle& operator=(const HitTargetStyle&) = delete;

 private:
  int vars_ = 0;
};

// `text` shortened with "…" to fit `max_width` in the current font.
std::string fit_text(const std::string& text, float max_width);

ImU32 rgb_to_imgui(unsigned rgb, float alpha = 1.0f);  // 0xRRGGBB -> ImU32
// A filled circle with the user's initial, for participant lists and cursors.
void avatar(const std::string& name, unsigned rgb, float radius);
// A rounded label with a coloured background (roles, statuses).
void badge(const char* text, ImU32 background, ImU32 foreground = IM_COL32(235, 240, 250, 255));
// Text in the muted colour.
void muted_text(const char* fmt, ...);
// Centre the next item of width `width` on the current line.
void center_next(float width);
// A coloured dot followed by text, on one line.
void status_dot(ImU32 color, float radius = 4.5f);
// A dot centred on a row of buttons (frame height), then SameLine: for a dot beside
// buttons, where status_dot's text-line centring sits too high.
void row_dot(ImU32 color, float radius = 4.5f);
ImU32 presence_color(const std::string& status);

}  // namespace harmonic::ui
