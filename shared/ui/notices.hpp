// Toasts: the client's notices, on every screen.
#pragma once

#include "ui/view.hpp"

namespace harmonic::ui {

void draw_notices(Frame& f);

}  // namespace harmonic::ui
