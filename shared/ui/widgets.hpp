// Small drawing helpers shared by the panels.
#pragma once

#include <string>

#include "imgui.h"

namespace harmonic::ui {

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
ImU32 presence_color(const std::string& status);

}  // namespace harmonic::ui
