// Where the viewer looks: the world fitted to the window, then the user's zoom and
// pan (mouse wheel and drag) and the universe's camera_zoom / camera_rotation.
// Converts between world metres (+y up) and window points (+y down).
#pragma once

#include <algorithm>
#include <cmath>

namespace harmonic::ui {

struct Camera {
  // The user's own view (not shared): zoom factor and the world point at the centre.
  float user_zoom = 1;
  float center_x = 0, center_y = 0;
  // Per frame, from the universe and the window.
  float world_width = 200, world_height = 125;
  float param_zoom = 1;
  float rotation_deg = 0;
  float view_width = 1280, view_height = 800;  // window points
  float view_x = 0, view_y = 0;                // top-left of the area the world is fitted into

  float zoom() const { return user_zoom * param_zoom; }
  // Window points per metre.
  float scale() const {
    const float fit = std::min(view_width / std::max(world_width, 1.0f), view_height / std::max(world_height, 1.0f));
    return fit * 0.94f * zoom();
  }
  void to_screen(float wx, float wy, float& sx, float& sy) const {
    const float a = rotation_deg * 3.14159265f / 180.0f;
    const float rx = wx - center_x, ry = wy - center_y;
    const float x = rx * std::cos(a) - ry * std::sin(a), y = rx * std::sin(a) + ry * std::cos(a);
    sx = view_x + view_width * 0.5f + x * scale();
    sy = view_y + view_height * 0.5f - y * scale();
  }
  void to_world(float sx, float sy, float& wx, float& wy) const {
    const float a = rotation_deg * 3.14159265f / 180.0f;
    const float x = (sx - view_x - view_width * 0.5f) / scale();
    const float y = -(sy - view_y - view_height * 0.5f) / scale();
    wx = center_x + x * std::cos(a) + y * std::sin(a);
    wy = center_y - x * std::sin(a) + y * std::cos(a);
  }
  // Zoom by `factor` keeping the world point under (sx, sy) in place.
  void zoom_at(float sx, float sy, float factor) {
    float before_x, before_y, after_x, after_y;
    to_world(sx, sy, before_x, before_y);
    user_zoom = std::clamp(user_zoom * factor, 0.2f, 20.0f);
    to_world(sx, sy, after_x, after_y);
    center_x += before_x - after_x;
    center_y += before_y - after_y;
  }
  void pan_by_screen(float dx, float dy) {
    float x0, y0, x1, y1;
    to_world(0, 0, x0, y0);
    to_world(dx, dy, x1, y1);
    center_x -= x1 - x0;
    center_y -= y1 - y0;
  }
  void reset() {
    user_zoom = 1;
    center_x = center_y = 0;
  }
};

}  // namespace harmonic::ui
