// The layout decisions (shared/ui/layout.hpp): which mode a display gets, and that the
// panels it places never overlap, stay on screen and leave the canvas in sight.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "ui/camera.hpp"
#include "ui/layout.hpp"
#include "ui/layout_status.hpp"

using namespace harmonic::ui;

namespace {

const Display kPhone{390, 844, 3, true};
const Display kPhoneLandscape{844, 390, 3, true};
const Display kTabletPortrait{768, 1024, 2, true};
const Display kTabletLandscape{1024, 768, 2, true};
const Display kDesktop{1280, 800, 1, false};
const Display kNarrowDesktop{640, 720, 1, false};

std::vector<Rect> panels(const UniverseLayout& l) {
  return {l.top_bar, l.parameters, l.side, l.audio, l.sheet_tabs};
}

bool inside(const Rect& r, const Display& d) {
  return r.x >= 0 && r.y >= 0 && r.x + r.w <= d.width + 0.01f && r.y + r.h <= d.height + 0.01f;
}

void check_fits(const Display& d, const PanelsShown& shown) {
  const UniverseLayout l = universe_layout(d, shown);
  const auto rects = panels(l);
  for (std::size_t i = 0; i < rects.size(); ++i) {
    if (!visible(rects[i])) continue;
    INFO("panel " << i << " on " << d.width << "x" << d.height);
    CHECK(inside(rects[i], d));
    for (std::size_t j = i + 1; j < rects.size(); ++j) {
      INFO("and panel " << j);
      CHECK_FALSE(overlaps(rects[i], rects[j]));
    }
    CHECK_FALSE(overlaps(rects[i], l.canvas));
  }
  CHECK(l.canvas.w >= 100);
  CHECK(l.canvas.h >= 100);
}

}  // namespace

TEST_CASE("overlap needs shared area, touching edges and empty rectangles do not count") {
  CHECK(overlaps(Rect{0, 0, 10, 10}, Rect{5, 5, 10, 10}));
  CHECK_FALSE(overlaps(Rect{0, 0, 10, 10}, Rect{10, 0, 10, 10}));
  CHECK_FALSE(overlaps(Rect{0, 0, 10, 10}, Rect{0, 10, 10, 10}));
  CHECK_FALSE(overlaps(Rect{0, 0, 10, 10}, Rect{2, 2, 0, 0}));
}

TEST_CASE("phones, portrait tablets, short and narrow windows are compact, wide windows keep the panels") {
  CHECK(layout_mode(kPhone) == LayoutMode::compact);
  CHECK(layout_mode(kPhoneLandscape) == LayoutMode::compact);  // too short for side panels
  CHECK(layout_mode(kTabletPortrait) == LayoutMode::compact);
  CHECK(layout_mode(kNarrowDesktop) == LayoutMode::compact);
  CHECK(layout_mode(kTabletLandscape) == LayoutMode::wide);
  CHECK(layout_mode(kDesktop) == LayoutMode::wide);
  CHECK(layout_mode(Display{kCompactMaxWidth - 1, 600, 1, false}) == LayoutMode::compact);
  CHECK(layout_mode(Display{kCompactMaxWidth, 600, 1, false}) == LayoutMode::wide);
}

TEST_CASE("touch screens and compact layouts get finger-sized targets, a desktop keeps ImGui's sizes") {
  CHECK(min_hit_target(kPhone) == kMinTouchTarget);
  CHECK(min_hit_target(kTabletLandscape) == kMinTouchTarget);
  CHECK(min_hit_target(kNarrowDesktop) == kMinTouchTarget);
  CHECK(min_hit_target(kDesktop) == 0);
  CHECK(font_scale(kPhone) > 1.0f);
  CHECK(font_scale(kDesktop) == 1.0f);
  CHECK(universe_layout(kPhone, {}).min_hit == kMinTouchTarget);
  CHECK(universe_layout(kPhone, {}).top_bar.h >= kMinTouchTarget);
  CHECK(universe_layout(kPhone, {}).sheet_tabs.h >= kMinTouchTarget);
}

TEST_CASE("the wide layout is today's: parameters left, sound under them, the side panel right") {
  const UniverseLayout l = universe_layout(kDesktop, {});
  CHECK(l.mode == LayoutMode::wide);
  CHECK(l.parameters.x == 8);
  CHECK(l.parameters.w == 360);
  CHECK(l.side.x + l.side.w == 1280 - 8);
  CHECK(l.audio.y + l.audio.h == 800 - 8);
  CHECK(l.parameters.y + l.parameters.h <= l.audio.y);
  CHECK_FALSE(visible(l.sheet_tabs));
  // Closing a panel gives its room to the canvas.
  const UniverseLayout closed = universe_layout(kDesktop, PanelsShown{true, false, true});
  CHECK_FALSE(visible(closed.side));
  CHECK(closed.canvas.w > l.canvas.w);
}

TEST_CASE("the compact layout shows one panel, the open tab's, between the top bar and the tab bar") {
  PanelsShown shown;
  shown.sheet = SheetTab::people;
  const UniverseLayout l = universe_layout(kPhone, shown);
  CHECK(l.mode == LayoutMode::compact);
  CHECK(visible(l.side));
  CHECK_FALSE(visible(l.parameters));
  CHECK_FALSE(visible(l.audio));
  CHECK(l.side.y >= l.top_bar.y + l.top_bar.h);
  CHECK(l.side.y + l.side.h <= l.sheet_tabs.y);
  CHECK(l.sheet_tabs.y + l.sheet_tabs.h == kPhone.height);
  // A closed sheet leaves the canvas (and the status line under it) everything between the bars.
  shown.sheet_open = false;
  const UniverseLayout closed = universe_layout(kPhone, shown);
  CHECK_FALSE(visible(closed.side));
  CHECK(closed.canvas.h + closed.status_line.h == Approx(kPhone.height - closed.top_bar.h - closed.sheet_tabs.h));
}

TEST_CASE("on every display and panel choice, panels stay on screen, apart, and off the canvas") {
  for (const Display& d : {kPhone, kPhoneLandscape, kTabletPortrait, kTabletLandscape, kDesktop, kNarrowDesktop,
                           Display{kCompactMaxWidth, 500, 1, false}, Display{320, 568, 2, true}}) {
    for (const SheetTab tab : kSheetTabs) {
      for (int mask = 0; mask < 8; ++mask) {
        PanelsShown shown{(mask & 1) != 0, (mask & 2) != 0, (mask & 4) != 0, tab, mask != 0};
        check_fits(d, shown);
      }
    }
  }
}

TEST_CASE("the event log first opens over the canvas, not under a panel") {
  for (const Display& d : {kDesktop, kTabletLandscape, Display{1100, 700, 1, false}}) {
    const UniverseLayout l = universe_layout(d, {});
    INFO(d.width << "x" << d.height);
    CHECK_FALSE(overlaps(l.event_log, l.parameters));
    CHECK_FALSE(overlaps(l.event_log, l.side));
    CHECK_FALSE(overlaps(l.event_log, l.audio));
    CHECK_FALSE(overlaps(l.event_log, l.top_bar));
  }
  const UniverseLayout phone = universe_layout(kPhone, {});
  CHECK_FALSE(overlaps(phone.event_log, phone.parameters));
  CHECK_FALSE(overlaps(phone.event_log, phone.sheet_tabs));
}

TEST_CASE("rectangles are on whole points, as ImGui places windows") {
  for (const Display& d : {kPhone, Display{391.5f, 845.25f, 2.5f, true}, Display{1003.3f, 771.7f, 1.25f, false}}) {
    const UniverseLayout l = universe_layout(d, {});
    for (const Rect& r : {l.top_bar, l.parameters, l.side, l.audio, l.sheet_tabs, l.canvas}) {
      CHECK(r.x == std::round(r.x));
      CHECK(r.y == std::round(r.y));
      CHECK(r.w == std::round(r.w));
      CHECK(r.h == std::round(r.h));
    }
  }
}

TEST_CASE("the status JSON reports the mode, the open panel and every panel's rectangle") {
  PanelsShown shown;
  shown.sheet = SheetTab::sound;
  const auto phone = layout_status(universe_layout(kPhone, shown), shown);
  CHECK(phone["mode"] == "compact");
  CHECK(phone["open_panel"] == "sound");
  CHECK(phone["min_hit"] == kMinTouchTarget);
  CHECK(phone["panels"]["audio"]["visible"] == true);
  CHECK(phone["panels"]["parameters"]["visible"] == false);
  CHECK(phone["panels"]["sheet_tabs"]["h"].get<float>() >= kMinTouchTarget);
  const auto desktop = layout_status(universe_layout(kDesktop, shown), shown);
  CHECK(desktop["mode"] == "wide");
  CHECK(desktop["open_panel"].is_null());
  CHECK(desktop["panels"]["side"]["x"] == 1280 - 8 - 320);
}

TEST_CASE("with the on-screen keyboard up, the bars and the open sheet sit above it") {
  Display phone = kPhone;
  phone.keyboard_inset = 330;  // a phone keyboard: the visual viewport is 514 of 844 points
  const float keyboard_top = phone.height - phone.keyboard_inset;
  for (const SheetTab tab : kSheetTabs) {
    PanelsShown shown;
    shown.sheet = tab;
    const UniverseLayout l = universe_layout(phone, shown);
    INFO("sheet " << sheet_tab_name(tab));
    CHECK(l.mode == LayoutMode::compact);
    const Rect sheet = tab == SheetTab::parameters ? l.parameters : tab == SheetTab::people ? l.side : l.audio;
    REQUIRE(visible(sheet));
    CHECK(sheet.y + sheet.h <= l.sheet_tabs.y);
    CHECK(l.sheet_tabs.y + l.sheet_tabs.h <= keyboard_top);
    CHECK(l.canvas.y + l.canvas.h <= sheet.y);
    CHECK(l.canvas.h >= 100);
    CHECK_FALSE(overlaps(sheet, l.top_bar));
  }
  // Without the keyboard the same sheet reaches further down.
  CHECK(universe_layout(kPhone, {}).sheet_tabs.y > universe_layout(phone, {}).sheet_tabs.y);
}

TEST_CASE("the keyboard changes neither the mode nor the orientation, a bogus inset keeps a usable window") {
  Display tablet = kTabletLandscape;
  tablet.keyboard_inset = 400;
  CHECK(layout_mode(tablet) == LayoutMode::wide);
  const UniverseLayout wide = universe_layout(tablet, {});
  CHECK(wide.side.y + wide.side.h <= tablet.height - tablet.keyboard_inset);  // chat's field above the keyboard
  Display portrait = kTabletPortrait;
  portrait.keyboard_inset = 600;  // taller than it is wide above the keyboard: still a portrait sheet
  const UniverseLayout sheet = universe_layout(portrait, {});
  CHECK(sheet.parameters.w == portrait.width);
  for (const float bogus : {-50.0f, 1e9f, std::nanf("")}) {
    Display d = kPhone;
    d.keyboard_inset = bogus;
    INFO("inset " << bogus);
    CHECK(visible_height(d) >= d.height * kMinVisibleShare);
    CHECK(visible_height(d) <= d.height);
  }
  Display negative = kPhone;
  negative.keyboard_inset = -50;
  CHECK(visible_height(negative) == kPhone.height);
}

namespace {
// The world's frame as app.cpp draws it in the compact layout: fitted into the canvas.
Rect world_in(const Rect& canvas) {
  Camera c;
  c.view_x = canvas.x, c.view_y = canvas.y, c.view_width = canvas.w, c.view_height = canvas.h;
  float x0, y0, x1, y1;
  c.to_screen(-c.world_width / 2, c.world_height / 2, x0, y0);
  c.to_screen(c.world_width / 2, -c.world_height / 2, x1, y1);
  return Rect{x0, y0, x1 - x0, y1 - y0};
}
}  // namespace

TEST_CASE("compact: the status line has its own strip under the canvas, off the world and above the keyboard") {
  // With the keyboard up a phone's canvas is short and wide, so the world fills its
  // height: a status line drawn inside the canvas covered the world's bottom edge.
  for (const float inset : {0.0f, 320.0f, 330.0f}) {
    for (const Display base : {kPhone, kPhoneLandscape, kTabletPortrait, kNarrowDesktop}) {
      Display d = base;
      d.keyboard_inset = base.width < base.height ? inset : 0;
      for (const SheetTab tab : kSheetTabs) {
        for (const bool open : {true, false}) {
          PanelsShown shown;
          shown.sheet = tab;
          shown.sheet_open = open;
          const UniverseLayout l = universe_layout(d, shown);
          INFO(d.width << "x" << d.height << " inset " << d.keyboard_inset << " sheet " << sheet_tab_name(tab)
                       << (open ? " open" : " closed"));
          REQUIRE(l.mode == LayoutMode::compact);
          REQUIRE(visible(l.status_line));
          CHECK(l.status_line.h >= kStatusLineHeight);
          CHECK(l.status_line.y == l.canvas.y + l.canvas.h);  // right under the canvas
          CHECK(l.status_line.y + l.status_line.h <= visible_height(d));
          CHECK_FALSE(overlaps(l.status_line, l.canvas));
          CHECK_FALSE(overlaps(l.status_line, world_in(l.canvas)));
          for (const Rect& panel : panels(l)) CHECK_FALSE(overlaps(l.status_line, panel));
        }
      }
    }
  }
}

TEST_CASE("wide: the status line runs along the canvas's bottom, above an on-screen keyboard") {
  const UniverseLayout desk = universe_layout(kDesktop, {});
  CHECK(desk.status_line.y + desk.status_line.h == desk.canvas.y + desk.canvas.h);
  CHECK(desk.status_line.x == desk.canvas.x);
  CHECK(desk.status_line.w == desk.canvas.w);
  Display tablet = kTabletLandscape;
  tablet.keyboard_inset = 400;
  const UniverseLayout l = universe_layout(tablet, {});
  CHECK(l.status_line.y + l.status_line.h <= tablet.height - tablet.keyboard_inset);
  for (const Rect& panel : panels(l)) CHECK_FALSE(overlaps(l.status_line, panel));
}
