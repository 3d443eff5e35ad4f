// The canvas under the panels: zoom/pan input, the world's frame, remote cursors.
#include "ui/canvas.hpp"

#include <algorithm>
#include <cmath>

#include "imgui.h"
#include "ui/display_text.hpp"
#include "ui/widgets.hpp"

namespace harmonic::ui {

void canvas_input(Frame& f) {
  ImGuiIO& io = ImGui::GetIO();
  auto& camera = f.view.camera;
  f.view.canvas_hovered = !io.WantCaptureMouse;
  const ImVec2 mouse = io.MousePos;
  const bool mouse_valid = mouse.x > -1e6f && mouse.y > -1e6f;
  if (f.view.canvas_hovered && mouse_valid) {
    float wx, wy;
    camera.to_world(mouse.x, mouse.y, wx, wy);
    if (io.MouseDelta.x != 0 || io.MouseDelta.y != 0) {
      f.client.move_cursor(wx, wy);
      f.view.cursor_shown = true;
    }
    if (io.MouseWheel != 0) camera.zoom_at(mouse.x, mouse.y, std::pow(1.15f, io.MouseWheel));
    if (ImGui::IsMouseClicked(0)) f.view.panning = true;
    if (ImGui::IsMouseDoubleClicked(0)) camera.reset();
  }
  // The pointer left the window (a mouse out of it, a finger lifted a moment ago: the
  // touch recognizer's "leave"): the others stop drawing our cursor.
  if (!mouse_valid && f.view.cursor_shown) {
    f.client.hide_cursor();
    f.view.cursor_shown = false;
  }
  if (f.view.panning) {
    if (io.MouseDown[0]) camera.pan_by_screen(io.MouseDelta.x, io.MouseDelta.y);
    else f.view.panning = false;
  }
}

void world_frame(Frame& f) {
  ImDrawList* draw = ImGui::GetBackgroundDrawList();
  const auto& c = f.view.camera;
  const float hw = c.world_width * 0.5f, hh = c.world_height * 0.5f;
  ImVec2 corners[4];
  const float xs[4] = {-hw, hw, hw, -hw}, ys[4] = {-hh, -hh, hh, hh};
  for (int i = 0; i < 4; ++i) c.to_screen(xs[i], ys[i], corners[i].x, corners[i].y);
  draw->AddPolyline(corners, 4, IM_COL32(120, 150, 220, 40), ImDrawFlags_Closed, 1.0f);
  // The frame's bounding box, so tests can check nothing is drawn over the world.
  float x0 = corners[0].x, y0 = corners[0].y, x1 = x0, y1 = y0;
  for (const ImVec2& p : corners) {
    x0 = std::min(x0, p.x), y0 = std::min(y0, p.y), x1 = std::max(x1, p.x), y1 = std::max(y1, p.y);
  }
  f.view.widgets["canvas.world"] = Rect{x0, y0, x1 - x0, y1 - y0};
}

void draw_cursors_overlay(Frame& f) {
  ImDrawList* draw = ImGui::GetBackgroundDrawList();
  for (const auto& [id, cursor] : f.state.cursors) {
    const double age = f.now_ms - cursor.updated_ms;
    const float alpha = age < 8000 ? 1.0f : std::max(0.0f, 1.0f - float(age - 8000) / 4000.0f);
    if (alpha <= 0) continue;
    float sx, sy;
    f.view.camera.to_screen(float(cursor.x), float(cursor.y), sx, sy);
    const unsigned rgb = user_color(id);
    const ImU32 color = rgb_to_imgui(rgb, alpha);
    // An arrow pointer like the system's, then a name tag.
    const ImVec2 p(sx, sy);
    const ImVec2 a(p.x, p.y), b(p.x, p.y + 18), c2(p.x + 5, p.y + 13.5f), d(p.x + 12.5f, p.y + 13);
    draw->AddTriangleFilled(a, b, c2, color);
    draw->AddTriangleFilled(a, c2, d, color);
    draw->AddLine(a, b, IM_COL32(10, 12, 18, int(200 * alpha)), 1.0f);
    draw->AddLine(a, d, IM_COL32(10, 12, 18, int(200 * alpha)), 1.0f);
    const char* name = cursor.username.c_str();
    const ImVec2 size = ImGui::CalcTextSize(name);
    const ImVec2 tag(p.x + 12, p.y + 18);
    draw->AddRectFilled(tag, ImVec2(tag.x + size.x + 12, tag.y + size.y + 4), color, 6);
    draw->AddText(ImVec2(tag.x + 6, tag.y + 2), IM_COL32(10, 12, 18, int(255 * alpha)), name);
  }
}

}  // namespace harmonic::ui
