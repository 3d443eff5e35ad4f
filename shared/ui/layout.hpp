// Where the universe screen's panels go, decided from the display alone: a pure
// function of the window's size, pixel density and input (so it is unit-tested,
// tests/unit/ui/layout_test.cpp), which the panels then follow. docs/client.md
// ("Layout") describes the rules.
#pragma once

#include <string_view>

namespace harmonic::ui {

// A rectangle in window points (CSS px on the web).
struct Rect {
  float x = 0, y = 0, w = 0, h = 0;
};

// True when the two rectangles share some area (touching edges do not count).
bool overlaps(const Rect& a, const Rect& b);
inline bool visible(const Rect& r) { return r.w > 0 && r.h > 0; }

// The window as the platform reports it.
struct Display {
  float width = 1280;       // points (CSS px)
  float height = 800;
  float pixel_ratio = 1;    // device pixels per point
  bool touch = false;       // fingers rather than a mouse (ImGuiConfigFlags_IsTouchScreen)
  // Points at the window's bottom hidden by an on-screen keyboard (the browser's visual
  // viewport ends above the canvas's bottom); the panels are laid out above it.
  float keyboard_inset = 0;
};

// The window's height the panels may use: above the on-screen keyboard, but never less
// than kMinVisibleShare of the window (a bogus inset must not collapse the layout).
inline constexpr float kMinVisibleShare = 0.3f;
float visible_height(const Display& display);

// wide: the panels side by side around the canvas (a desktop or a landscape tablet).
// compact: one panel at a time in a bottom sheet picked by a tab bar, for phones,
// portrait tablets and narrow windows.
enum class LayoutMode { wide, compact };
// The compact sheet's tabs, in the tab bar's order.
enum class SheetTab { parameters, people, sound };
inline constexpr SheetTab kSheetTabs[] = {SheetTab::parameters, SheetTab::people, SheetTab::sound};
std::string_view sheet_tab_name(SheetTab tab);   // "parameters", "people", "sound"
std::string_view sheet_tab_label(SheetTab tab);  // "Parameters", "Chat & people", "Sound"

// Below this width (or in portrait, or below kCompactMaxHeight) the layout is compact:
// narrower, the two side columns would leave the canvas under ~100 points.
inline constexpr float kCompactMaxWidth = 760;
inline constexpr float kCompactMaxHeight = 500;
// The smallest thing a finger hits reliably, in points (Apple's and Google's guidance).
inline constexpr float kMinTouchTarget = 44;

LayoutMode layout_mode(const Display& display);
// Text a little larger on a compact touch screen, read at arm's length.
float font_scale(const Display& display);
// The minimum height and width of anything tappable; 0 means ImGui's own sizes.
float min_hit_target(const Display& display);

// What the person has opened: the wide layout's panel toggles and the compact
// layout's sheet.
struct PanelsShown {
  bool parameters = true;
  bool side = true;
  bool audio = true;
  SheetTab sheet = SheetTab::parameters;
  bool sheet_open = true;
};

struct UniverseLayout {
  LayoutMode mode = LayoutMode::wide;
  float font_scale = 1;
  float min_hit = 0;
  float visible_height = 0;  // above the on-screen keyboard (the window's height without one)
  Rect top_bar;
  // Each panel's rectangle; empty when it is not shown.
  Rect parameters;
  Rect side;
  Rect audio;
  Rect sheet_tabs;  // compact only: the tab bar along the bottom
  Rect canvas;      // the part of the universe no panel covers
  Rect event_log;   // where the debug event log first appears: over the canvas
  // The visualizer's status line (particles, fps, zoom, quality), right-aligned in this
  // strip. Compact: the strip is cut from the bottom of the canvas region, so the world
  // fitted into `canvas` never runs under the text (with the keyboard up the canvas is
  // short and the world fills its height). Wide: the world is fitted to the whole window
  // under floating panels, and the strip lies along the canvas's bottom, above any
  // on-screen keyboard.
  Rect status_line;
};

// The status line strip's height in points at font scale 1 (13-point text and air).
inline constexpr float kStatusLineHeight = 24;

UniverseLayout universe_layout(const Display& display, const PanelsShown& shown);

}  // namespace harmonic::ui
