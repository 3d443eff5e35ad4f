// The compact layout's tab bar along the bottom: Parameters / Chat & people / Sound.
// Tapping a tab opens its panel in the sheet above; tapping the open tab closes the
// sheet and leaves the whole canvas.
#pragma once

#include "ui/layout.hpp"
#include "ui/view.hpp"

namespace harmonic::ui {

void draw_sheet_tabs(Frame& f, const UniverseLayout& l);

}  // namespace harmonic::ui
