// Touch gestures as mouse input, without any platform (docs/client.md, "Touch and
// the on-screen keyboard"). The platform's input feeds the fingers in and applies the
// pointer actions that come out to ImGui, so widgets and the canvas need no touch code:
//   - a tap is a left click where the finger lifted;
//   - one finger that moves past the slop presses the left button where it went down
//     and drags (a slider moves, the canvas pans);
//   - two fingers pinch: zoom about their midpoint (the canvas zooms like a wheel);
//   - a finger held still for the long-press time is a right click (context menus);
//   - the pointer leaves a short while after the last finger lifted, so nothing stays
//     hovered.
#pragma once

#include <vector>

namespace harmonic::frontend {

struct PointerAction {
  enum class Kind { move, press, release, zoom, leave };
  Kind kind = Kind::move;
  int button = 0;     // press/release: 0 left, 1 right (ImGui's numbering)
  float x = 0, y = 0; // move, zoom: the point (CSS pixels / window points)
  float factor = 1;   // zoom: > 1 zooms in
};

class TouchGestures {
 public:
  static constexpr float kSlopPx = 10;          // movement that turns a touch into a drag
  static constexpr double kLongPressMs = 550;   // held still this long: right click
  static constexpr double kLeaveAfterMs = 400;  // after the last finger lifts

  void touch_start(int id, float x, float y, double now_ms);
  void touch_move(int id, float x, float y, double now_ms);
  // Lifted or cancelled.
  void touch_end(int id, double now_ms);
  // Timers: the long press and the pointer leaving. Call every frame and when due_ms() comes.
  void tick(double now_ms);
  // When tick() next has something to do (a negative value: nothing pending).
  double due_ms() const;

  std::vector<PointerAction> take_actions();
  int fingers() const { return int(fingers_.size()); }

 private:
  struct Finger {
    int id;
    float x, y;
  };
  enum class Mode { none, pending, dragging, long_pressed, pinching, lifted };

  Finger* find(int id);
  float spread() const;
  void emit(PointerAction::Kind kind, float x = 0, float y = 0, int button = 0, float factor = 1);

  std::vector<Finger> fingers_;
  Mode mode_ = Mode::none;
  float start_x_ = 0, start_y_ = 0;
  double start_ms_ = 0;
  double lifted_ms_ = 0;
  float last_spread_ = 0;
  std::vector<PointerAction> actions_;
};

}  // namespace harmonic::frontend
