// The universe screen's top bar: back, name, connection, people, panel toggles.
#pragma once

#include "ui/layout.hpp"
#include "ui/view.hpp"

namespace harmonic::ui {

void draw_top_bar(Frame& f, const UniverseLayout& l);

}  // namespace harmonic::ui
