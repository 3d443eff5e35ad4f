// The Parameters panel: the four categories, built from the schema table.
#pragma once

#include "ui/layout.hpp"
#include "ui/view.hpp"

namespace harmonic::ui {

void draw_parameter_panel(Frame& f, const UniverseLayout& l);

}  // namespace harmonic::ui
