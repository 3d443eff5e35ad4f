#include "ui/layout.hpp"

#include <algorithm>
#include <cmath>

namespace harmonic::ui {

namespace {

constexpr float kMargin = 8;
constexpr float kTopBarHeight = 52;         // wide: one row of buttons and the name
constexpr float kAudioHeight = 170;
constexpr float kWideEventLogHeight = 260;
constexpr float kMinCanvasHeight = 140;     // compact: the universe stays in sight
constexpr float kSheetMaxWidth = 440;       // compact landscape: the sheet on the right

Rect below(const Rect& r) { return Rect{r.x, r.y + r.h, r.w, 0}; }

// Whole points, edges rounded alike, so neighbours still touch: ImGui places windows
// on whole points, and a fraction would make the drawn window overlap its neighbour.
Rect snapped(const Rect& r) {
  const float x0 = std::round(r.x), y0 = std::round(r.y);
  return Rect{x0, y0, std::round(r.x + r.w) - x0, std::round(r.y + r.h) - y0};
}

UniverseLayout snapped(UniverseLayout l) {
  for (Rect* r : {&l.top_bar, &l.parameters, &l.side, &l.audio, &l.sheet_tabs, &l.canvas, &l.event_log, &l.status_line}) *r = snapped(*r);
  return l;
}

UniverseLayout wide_layout(const Display& d, const PanelsShown& shown) {
  const float w = d.width, h = d.height;
  UniverseLayout l;
  l.mode = LayoutMode::wide;
  l.font_scale = font_scale(d);
  l.min_hit = min_hit_target(d);
  const bool narrow = w < 980;  // a small desktop window: narrower panels
  const float left_w = narrow ? std::min(330.0f, w * 0.9f) : 360.0f;
  const float right_w = narrow ? std::min(300.0f, w * 0.9f) : 320.0f;
  const float top_h = std::max(kTopBarHeight, l.min_hit + 2 * kMargin);
  l.top_bar = Rect{0, 0, w, top_h};
  const float y = top_h + kMargin;
  if (shown.parameters) {
    const float params_h = h - top_h - 2 * kMargin - (shown.audio ? kAudioHeight + kMargin : 0);
    l.parameters = Rect{kMargin, y, left_w, std::max(200.0f, params_h)};
  }
  // The side panel holds the chat field: with an on-screen keyboard up it ends above it
  // (the parameter and sound panels have no text fields and keep their places).
  if (shown.side) l.side = Rect{w - right_w - kMargin, y, right_w, std::max(0.0f, visible_height(d) - top_h - 2 * kMargin)};
  if (shown.audio) {
    l.audio = Rect{kMargin, h - kAudioHeight - kMargin, left_w, kAudioHeight};
  }
  // The canvas is what lies between the left column and the side panel.
  const float left_edge = (shown.parameters || shown.audio) ? std::max(l.parameters.x + l.parameters.w,
                                                                        l.audio.x + l.audio.w) : 0;
  const float right_edge = shown.side ? l.side.x : w;
  l.canvas = Rect{left_edge, top_h, std::max(0.0f, right_edge - left_edge), h - top_h};
  const float status_h = kStatusLineHeight * l.font_scale;
  const float status_bottom = std::min(l.canvas.y + l.canvas.h, visible_height(d));
  l.status_line = Rect{l.canvas.x, std::max(l.canvas.y, status_bottom - status_h), l.canvas.w, status_h};
  // The event log opens over the canvas, under the top bar, so no panel hides it; when
  // the canvas is too thin it takes the window's width and floats above the panels.
  constexpr float min_log_w = 240;  // the time, direction and event name columns
  const float free_w = l.canvas.w - 2 * kMargin;
  const bool fits = free_w >= min_log_w;
  const float log_w = fits ? std::min(600.0f, free_w) : std::min(600.0f, w - 2 * kMargin);
  const float log_x = fits ? l.canvas.x + (l.canvas.w - log_w) * 0.5f : (w - log_w) * 0.5f;
  l.event_log = Rect{log_x, y, log_w, std::min(kWideEventLogHeight, h - y - kMargin)};
  return l;
}

UniverseLayout compact_layout(const Display& d, const PanelsShown& shown) {
  // With the on-screen keyboard up the bars, the sheet and its focused field move above
  // it; the mode stays what the whole window decided.
  const float w = d.width, h = visible_height(d);
  const bool landscape = d.width > d.height;  // the window's, not the part above the keyboard
  UniverseLayout l;
  l.mode = LayoutMode::compact;
  l.font_scale = font_scale(d);
  l.min_hit = min_hit_target(d);
  const float bar_h = l.min_hit + 12;  // a finger-sized row and a little air
  l.top_bar = Rect{0, 0, w, bar_h};
  l.sheet_tabs = Rect{0, h - bar_h, w, bar_h};
  const float free_top = bar_h, free_bottom = h - bar_h;  // between the two bars
  Rect sheet;
  if (shown.sheet_open) {
    if (landscape) {
      // Landscape: the sheet stands on the right, the canvas keeps the left.
      const float sheet_w = std::min(kSheetMaxWidth, w * 0.5f);
      sheet = Rect{w - sheet_w, free_top, sheet_w, free_bottom - free_top};
    } else {
      const float room = free_bottom - free_top;
      const float sheet_h = std::max(0.0f, std::min(room * 0.55f, room - kMinCanvasHeight));
      sheet = Rect{0, free_bottom - sheet_h, w, sheet_h};
    }
  }
  switch (shown.sheet) {
    case SheetTab::parameters: l.parameters = sheet; break;
    case SheetTab::people: l.side = sheet; break;
    case SheetTab::sound: l.audio = sheet; break;
  }
  if (!visible(sheet)) sheet = below(l.top_bar);
  Rect region;  // what the bars and the sheet leave: the canvas and, under it, the status line
  if (landscape && visible(sheet)) {
    region = Rect{0, free_top, sheet.x, free_bottom - free_top};
  } else {
    const float canvas_bottom = visible(sheet) ? sheet.y : free_bottom;
    region = Rect{0, free_top, w, canvas_bottom - free_top};
  }
  const float status_h = std::min(kStatusLineHeight * l.font_scale, std::max(0.0f, region.h));
  l.canvas = Rect{region.x, region.y, region.w, std::max(0.0f, region.h - status_h)};
  l.status_line = Rect{region.x, l.canvas.y + l.canvas.h, region.w, status_h};
  l.event_log = Rect{kMargin, l.canvas.y + kMargin, std::max(0.0f, l.canvas.w - 2 * kMargin),
                     std::max(0.0f, l.canvas.h - 2 * kMargin)};
  return l;
}

}  // namespace

bool overlaps(const Rect& a, const Rect& b) {
  return visible(a) && visible(b) && a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

std::string_view sheet_tab_name(SheetTab tab) {
  switch (tab) {
    case SheetTab::parameters: return "parameters";
    case SheetTab::people: return "people";
    case SheetTab::sound: return "sound";
  }
  return "";
}

std::string_view sheet_tab_label(SheetTab tab) {
  switch (tab) {
    case SheetTab::parameters: return "Parameters";
    case SheetTab::people: return "Chat & people";
    case SheetTab::sound: return "Sound";
  }
  return "";
}

float visible_height(const Display& d) {
  const float inset = std::isfinite(d.keyboard_inset) ? std::max(0.0f, d.keyboard_inset) : 0.0f;
  return std::max(d.height * kMinVisibleShare, d.height - inset);
}

LayoutMode layout_mode(const Display& d) {
  const bool portrait = d.height > d.width;
  return d.width < kCompactMaxWidth || d.height < kCompactMaxHeight || portrait ? LayoutMode::compact
                                                                                : LayoutMode::wide;
}

float font_scale(const Display& d) {
  return d.touch && layout_mode(d) == LayoutMode::compact ? 1.1f : 1.0f;
}

float min_hit_target(const Display& d) {
  return d.touch || layout_mode(d) == LayoutMode::compact ? kMinTouchTarget : 0.0f;
}

UniverseLayout universe_layout(const Display& display, const PanelsShown& shown) {
  UniverseLayout l = snapped(layout_mode(display) == LayoutMode::compact ? compact_layout(display, shown)
                                                                        : wide_layout(display, shown));
  l.visible_height = visible_height(display);
  return l;
}

}  // namespace harmonic::ui
