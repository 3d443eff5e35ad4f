// The canvas under the panels: zoom/pan input, the world's frame, remote cursors.
#pragma once

#include "ui/view.hpp"

namespace harmonic::ui {

// Mouse over the canvas (not a panel): cursor position to others, wheel zoom, drag pan,
// double-click resets the camera.
void canvas_input(Frame& f);
// The world's edge, faintly.
void world_frame(Frame& f);
// Everyone else's cursor with a name tag, fading out when they stop moving.
void draw_cursors_overlay(Frame& f);

}  // namespace harmonic::ui
