#include "ui/layout_status.hpp"

#include <string>

namespace harmonic::ui {

namespace {
nlohmann::json rect_json(const Rect& r) {
  return {{"x", r.x}, {"y", r.y}, {"w", r.w}, {"h", r.h}, {"visible", visible(r)}};
}
}  // namespace

nlohmann::json layout_status(const UniverseLayout& l, const PanelsShown& shown) {
  const bool compact = l.mode == LayoutMode::compact;
  nlohmann::json open = nullptr;
  if (compact && shown.sheet_open) open = std::string(sheet_tab_name(shown.sheet));
  return {{"mode", compact ? "compact" : "wide"},
          {"open_panel", open},
          {"font_scale", l.font_scale},
          {"min_hit", l.min_hit},
          {"visible_height", l.visible_height},
          {"panels",
           {{"top_bar", rect_json(l.top_bar)},
            {"parameters", rect_json(l.parameters)},
            {"side", rect_json(l.side)},
            {"audio", rect_json(l.audio)},
            {"sheet_tabs", rect_json(l.sheet_tabs)},
            {"canvas", rect_json(l.canvas)},
            {"status_line", rect_json(l.status_line)}}}};
}

}  // namespace harmonic::ui
