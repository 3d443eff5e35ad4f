// Touch gestures as pointer actions (shared/frontend/touch_gestures.hpp): what a tap,
// a drag, a pinch and a long press become, in the order ImGui must see them.
#include <catch2/catch.hpp>

#include <string>

#include "frontend/touch_gestures.hpp"

using harmonic::frontend::PointerAction;
using harmonic::frontend::TouchGestures;
using Kind = PointerAction::Kind;

namespace {
// "move press(0) release(0)": the kinds, with the button for presses and releases.
std::string kinds(const std::vector<PointerAction>& actions) {
  std::string out;
  for (const auto& a : actions) {
    if (!out.empty()) out += ' ';
    switch (a.kind) {
      case Kind::move: out += "move"; break;
      case Kind::press: out += "press(" + std::to_string(a.button) + ")"; break;
      case Kind::release: out += "release(" + std::to_string(a.button) + ")"; break;
      case Kind::zoom: out += "zoom"; break;
      case Kind::leave: out += "leave"; break;
    }
  }
  return out;
}
}  // namespace

TEST_CASE("a tap is a left click where the finger lifted, and the pointer leaves shortly after") {
  TouchGestures g;
  g.touch_start(1, 100, 200, 0);
  CHECK(kinds(g.take_actions()) == "move");  // the pointer follows the finger at once
  g.touch_move(1, 103, 202, 50);              // within the slop: still a tap
  g.touch_end(1, 120);
  const auto actions = g.take_actions();
  REQUIRE(kinds(actions) == "move press(0) release(0)");
  CHECK(actions[1].x == 103);
  CHECK(actions[1].y == 202);
  g.tick(120 + TouchGestures::kLeaveAfterMs - 1);
  CHECK(g.take_actions().empty());
  CHECK(g.due_ms() == Approx(120 + TouchGestures::kLeaveAfterMs));
  g.tick(120 + TouchGestures::kLeaveAfterMs);
  CHECK(kinds(g.take_actions()) == "leave");
  CHECK(g.due_ms() < 0);
}

TEST_CASE("a finger that moves past the slop presses where it went down and drags") {
  TouchGestures g;
  g.touch_start(1, 100, 100, 0);
  g.take_actions();
  g.touch_move(1, 100 + TouchGestures::kSlopPx + 1, 100, 30);
  auto actions = g.take_actions();
  REQUIRE(kinds(actions) == "move press(0) move");
  CHECK(actions[1].x == 100);  // pressed at the start, so a slider's grab is taken there
  CHECK(actions[2].x == 100 + TouchGestures::kSlopPx + 1);
  g.touch_move(1, 160, 110, 60);
  actions = g.take_actions();
  REQUIRE(kinds(actions) == "move");
  CHECK(actions[0].x == 160);
  CHECK(actions[0].y == 110);
  g.tick(60 + TouchGestures::kLongPressMs * 2);  // a drag held long is no long press
  CHECK(g.take_actions().empty());
  g.touch_end(1, 2000);
  CHECK(kinds(g.take_actions()) == "release(0)");
}

TEST_CASE("a finger held still for the long-press time is a right click, and lifting it clicks nothing") {
  TouchGestures g;
  g.touch_start(7, 50, 60, 1000);
  g.take_actions();
  CHECK(g.due_ms() == Approx(1000 + TouchGestures::kLongPressMs));
  g.tick(1000 + TouchGestures::kLongPressMs - 1);
  CHECK(g.take_actions().empty());
  g.tick(1000 + TouchGestures::kLongPressMs);
  const auto actions = g.take_actions();
  REQUIRE(kinds(actions) == "move press(1) release(1)");
  CHECK(actions[1].x == 50);
  CHECK(actions[1].y == 60);
  g.touch_move(7, 90, 60, 1700);  // moving afterwards does not start a drag
  g.touch_end(7, 1800);
  CHECK(g.take_actions().empty());
}

TEST_CASE("two fingers pinch: zoom about their midpoint by the ratio of their spread") {
  TouchGestures g;
  g.touch_start(1, 100, 100, 0);
  g.touch_start(2, 200, 100, 10);
  CHECK(kinds(g.take_actions()) == "move");  // no click, no drag
  g.touch_move(2, 300, 100, 40);               // spread 100 -> 200
  auto actions = g.take_actions();
  REQUIRE(kinds(actions) == "zoom");
  CHECK(actions[0].factor == Approx(2));
  CHECK(actions[0].x == Approx(200));
  CHECK(actions[0].y == Approx(100));
  g.touch_move(1, 200, 100, 60);  // spread 200 -> 100: zoom out
  actions = g.take_actions();
  REQUIRE(kinds(actions) == "zoom");
  CHECK(actions[0].factor == Approx(0.5));
  g.touch_end(1, 80);
  g.touch_move(2, 400, 300, 90);  // the finger left behind does nothing
  g.touch_end(2, 100);
  CHECK(g.take_actions().empty());
}

TEST_CASE("a second finger during a drag lets the drag go before the pinch") {
  TouchGestures g;
  g.touch_start(1, 100, 100, 0);
  g.touch_move(1, 150, 100, 20);
  g.take_actions();
  g.touch_start(2, 250, 100, 30);
  CHECK(kinds(g.take_actions()) == "release(0)");
  g.touch_move(2, 350, 100, 40);
  CHECK(kinds(g.take_actions()) == "zoom");
  g.touch_end(2, 50);
  g.touch_end(1, 60);
  CHECK(g.take_actions().empty());  // lifting after a pinch clicks nothing
}

TEST_CASE("unknown fingers and repeated starts change nothing") {
  TouchGestures g;
  g.touch_move(9, 10, 10, 0);
  g.touch_end(9, 0);
  CHECK(g.take_actions().empty());
  g.touch_start(1, 10, 10, 0);
  g.touch_start(1, 30, 30, 5);
  CHECK(g.fingers() == 1);
  CHECK(kinds(g.take_actions()) == "move");
}
