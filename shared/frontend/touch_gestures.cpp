#include "frontend/touch_gestures.hpp"

#include <algorithm>
#include <cmath>

namespace harmonic::frontend {

using Kind = PointerAction::Kind;

TouchGestures::Finger* TouchGestures::find(int id) {
  for (auto& f : fingers_) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

float TouchGestures::spread() const {
  if (fingers_.size() < 2) return 0;
  return std::hypot(fingers_[0].x - fingers_[1].x, fingers_[0].y - fingers_[1].y);
}

void TouchGestures::emit(Kind kind, float x, float y, int button, float factor) {
  PointerAction a;
  a.kind = kind;
  a.x = x;
  a.y = y;
  a.button = button;
  a.factor = factor;
  actions_.push_back(a);
}

void TouchGestures::touch_start(int id, float x, float y, double now_ms) {
  if (find(id)) return;  // a repeated start for a finger already down
  fingers_.push_back({id, x, y});
  if (fingers_.size() == 1) {
    mode_ = Mode::pending;
    start_x_ = x;
    start_y_ = y;
    start_ms_ = now_ms;
    emit(Kind::move, x, y);  // the pointer (and the cursor others see) follows the finger
    return;
  }
  if (fingers_.size() == 2 && mode_ != Mode::long_pressed) {
    // A second finger turns whatever the first one did into a pinch.
    if (mode_ == Mode::dragging) emit(Kind::release, fingers_[0].x, fingers_[0].y, 0);
    mode_ = Mode::pinching;
    last_spread_ = spread();
  }
}

void TouchGestures::touch_move(int id, float x, float y, double now_ms) {
  Finger* f = find(id);
  if (!f) return;
  f->x = x;
  f->y = y;
  switch (mode_) {
    case Mode::pending:
      if (std::hypot(x - start_x_, y - start_y_) < kSlopPx) return;
      // A drag: press where the finger went down, then follow it.
      emit(Kind::move, start_x_, start_y_);
      emit(Kind::press, start_x_, start_y_, 0);
      mode_ = Mode::dragging;
      emit(Kind::move, x, y);
      return;
    case Mode::dragging:
      if (f == &fingers_[0]) emit(Kind::move, x, y);
      return;
    case Mode::pinching: {
      if (fingers_.size() < 2) return;
      const float now_spread = spread();
      const float cx = (fingers_[0].x + fingers_[1].x) * 0.5f, cy = (fingers_[0].y + fingers_[1].y) * 0.5f;
      if (last_spread_ > 1 && now_spread > 1 && now_spread != last_spread_) {
        emit(Kind::zoom, cx, cy, 0, now_spread / last_spread_);
      }
      last_spread_ = now_spread;
      return;
    }
    default:
      (void)now_ms;
      return;
  }
}

void TouchGestures::touch_end(int id, double now_ms) {
  Finger* f = find(id);
  if (!f) return;
  const Finger lifted = *f;
  fingers_.erase(fingers_.begin() + (f - fingers_.data()));
  if (!fingers_.empty()) {
    if (mode_ == Mode::pinching) last_spread_ = 0;  // one finger left: the pinch is over, nothing more
    return;
  }
  switch (mode_) {
    case Mode::pending:  // a tap: a left click where the finger was
      emit(Kind::move, lifted.x, lifted.y);
      emit(Kind::press, lifted.x, lifted.y, 0);
      emit(Kind::release, lifted.x, lifted.y, 0);
      break;
    case Mode::dragging:
      emit(Kind::release, lifted.x, lifted.y, 0);
      break;
    default:
      break;
  }
  mode_ = Mode::lifted;
  lifted_ms_ = now_ms;
}

void TouchGestures::tick(double now_ms) {
  if (mode_ == Mode::pending && now_ms - start_ms_ >= kLongPressMs) {
    emit(Kind::move, start_x_, start_y_);
    emit(Kind::press, start_x_, start_y_, 1);
    emit(Kind::release, start_x_, start_y_, 1);
    mode_ = Mode::long_pressed;
  } else if (mode_ == Mode::lifted && now_ms - lifted_ms_ >= kLeaveAfterMs) {
    emit(Kind::leave);
    mode_ = Mode::none;
  }
}

double TouchGestures::due_ms() const {
  if (mode_ == Mode::pending) return start_ms_ + kLongPressMs;
  if (mode_ == Mode::lifted) return lifted_ms_ + kLeaveAfterMs;
  return -1;
}

std::vector<PointerAction> TouchGestures::take_actions() {
  std::vector<PointerAction> out;
  out.swap(actions_);
  return out;
}

}  // namespace harmonic::frontend
