// The side panel ("Together"): chat, people, history.
#pragma once

#include "ui/layout.hpp"
#include "ui/view.hpp"

namespace harmonic::ui {

void draw_side_panel(Frame& f, const UniverseLayout& l);

}  // namespace harmonic::ui
