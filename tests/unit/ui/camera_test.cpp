// The camera's arithmetic (shared/ui/camera.hpp): what the viewer sees where, without
// drawing anything.
#include <catch2/catch.hpp>

#include "ui/camera.hpp"

using harmonic::ui::Camera;

namespace {
Camera window_1000_by_500() {
  Camera camera;
  camera.world_width = 200;
  camera.world_height = 100;
  camera.view_width = 1000;
  camera.view_height = 500;
  return camera;
}
}  // namespace

TEST_CASE("the world is fitted to the window with a margin, and zooms multiply") {
  auto camera = window_1000_by_500();
  CHECK(camera.scale() == Approx(1000.0f / 200 * 0.94f));
  camera.user_zoom = 2;
  camera.param_zoom = 1.5f;
  CHECK(camera.zoom() == Approx(3));
  CHECK(camera.scale() == Approx(1000.0f / 200 * 0.94f * 3));
}

TEST_CASE("the world centre is the window centre, and +y points up on screen") {
  auto camera = window_1000_by_500();
  float sx = 0, sy = 0;
  camera.to_screen(0, 0, sx, sy);
  CHECK(sx == Approx(500));
  CHECK(sy == Approx(250));
  camera.to_screen(0, 10, sx, sy);
  CHECK(sy < 250);
}

TEST_CASE("screen and world coordinates round-trip, rotated or not") {
  for (float rotation : {0.0f, 37.0f, -90.0f, 180.0f}) {
    auto camera = window_1000_by_500();
    camera.rotation_deg = rotation;
    camera.center_x = 12;
    camera.center_y = -7;
    camera.user_zoom = 1.7f;
    float sx = 0, sy = 0, wx = 0, wy = 0;
    camera.to_screen(33, 21, sx, sy);
    camera.to_world(sx, sy, wx, wy);
    CHECK(wx == Approx(33).margin(1e-3));
    CHECK(wy == Approx(21).margin(1e-3));
  }
}

TEST_CASE("zooming at a point keeps the world point under it, within the zoom limits") {
  auto camera = window_1000_by_500();
  camera.rotation_deg = 30;
  float before_x = 0, before_y = 0, after_x = 0, after_y = 0;
  camera.to_world(800, 100, before_x, before_y);
  camera.zoom_at(800, 100, 2.5f);
  CHECK(camera.user_zoom == Approx(2.5f));
  camera.to_world(800, 100, after_x, after_y);
  CHECK(after_x == Approx(before_x).margin(1e-3));
  CHECK(after_y == Approx(before_y).margin(1e-3));
  camera.zoom_at(800, 100, 1000);
  CHECK(camera.user_zoom == Approx(20));
  camera.zoom_at(800, 100, 1e-6f);
  CHECK(camera.user_zoom == Approx(0.2f));
}

TEST_CASE("dragging moves the world with the pointer, and reset forgets the user's view") {
  auto camera = window_1000_by_500();
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  camera.to_screen(5, 5, x0, y0);
  camera.pan_by_screen(40, -20);
  camera.to_screen(5, 5, x1, y1);
  CHECK(x1 - x0 == Approx(40).margin(1e-3));
  CHECK(y1 - y0 == Approx(-20).margin(1e-3));
  camera.zoom_at(0, 0, 3);
  camera.reset();
  CHECK(camera.user_zoom == 1);
  CHECK(camera.center_x == 0);
  CHECK(camera.center_y == 0);
}
