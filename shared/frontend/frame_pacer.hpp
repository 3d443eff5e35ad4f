// When the next frame is due (docs/latency.md, "Frames on demand"). Frames run at the
// display's rate while something animates (the simulation of an open universe, the
// sound panel) and for a short settle time after anything woke the loop (input, a
// network event, a resize), so ImGui's hover, popups and layout catch up. Otherwise
// the screen is idle and draws only a slow heartbeat, which keeps the text caret and
// time-based things (toasts, reconnection countdowns) moving. No platform code: the
// backends ask delay_ms() after each frame and sleep that long or until woken.
#pragma once

#include <cstdint>

namespace harmonic::frontend {

class FramePacer {
 public:
  static constexpr double kSettleMs = 500;     // full rate this long after a wake
  static constexpr double kHeartbeatMs = 250;  // an idle screen's frame interval

  // Something happened that the screen may have to show: input, an incoming event.
  void wake(double now_ms) { settle_until_ms_ = now_ms + kSettleMs; }

  // After a frame that started at `now_ms`: whether something animates decides the rate.
  // Counts the frame as idle when neither an animation nor a recent wake asked for it.
  void frame_drawn(double now_ms, bool animating) {
    ++frames_;
    continuous_ = animating || now_ms < settle_until_ms_;
    if (!continuous_) ++idle_frames_;
  }

  // How long the loop may wait before the next frame: 0 means the next display frame.
  // Counted from the frame just drawn; a wake() meanwhile cuts the wait short.
  double delay_ms() const { return continuous_ ? 0 : kHeartbeatMs; }

  bool continuous() const { return continuous_; }
  std::uint64_t frames() const { return frames_; }
  std::uint64_t idle_frames() const { return idle_frames_; }

 private:
  double settle_until_ms_ = 0;
  bool continuous_ = true;
  std::uint64_t frames_ = 0;
  std::uint64_t idle_frames_ = 0;
};

}  // namespace harmonic::frontend
