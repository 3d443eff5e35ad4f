// Toasts: the client's notices, on every screen.
#pragma once

#include "ui/view.hpp"

namespace harmonic::ui {

// The strip the universe list leaves free at the window's bottom, for one toast of a
// title and a line (kToastMargin below it).
inline constexpr float kToastStrip = 72;
inline constexpr float kToastMargin = 8;

void draw_notices(Frame& f);

}  // namespace harmonic::ui
