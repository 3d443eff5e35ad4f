// The layout's decisions as JSON, for window.harmonic.status() ("layout"): tests and
// support read where each panel is and whether it is shown (docs/client.md, "Layout").
#pragma once

#include <nlohmann/json.hpp>

#include "ui/layout.hpp"

namespace harmonic::ui {

// {"mode": "wide"|"compact", "open_panel": "parameters"|"people"|"sound"|null (compact
//  only), "font_scale", "min_hit", "visible_height" (above an on-screen keyboard), "panels": {name: {x, y, w, h, visible}}} for the
//  top bar, parameters, side, audio, sheet_tabs, canvas and status_line.
nlohmann::json layout_status(const UniverseLayout& layout, const PanelsShown& shown);

}  // namespace harmonic::ui
