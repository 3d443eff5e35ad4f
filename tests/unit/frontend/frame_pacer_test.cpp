// Frames on demand (shared/frontend/frame_pacer.hpp, docs/latency.md): full rate while
// something animates or just after a wake, a slow heartbeat otherwise.
#include <catch2/catch.hpp>

#include "frontend/frame_pacer.hpp"

using harmonic::frontend::FramePacer;

TEST_CASE("an animation keeps frames at the display's rate") {
  FramePacer p;
  for (int i = 0; i < 10; ++i) {
    p.frame_drawn(1000.0 + i * 16, true);
    CHECK(p.delay_ms() == 0);
  }
  CHECK(p.frames() == 10);
  CHECK(p.idle_frames() == 0);
}

TEST_CASE("an idle screen draws only the heartbeat, and counts those frames as idle") {
  FramePacer p;
  p.frame_drawn(1000, false);
  CHECK_FALSE(p.continuous());
  CHECK(p.delay_ms() == FramePacer::kHeartbeatMs);
  p.frame_drawn(1250, false);
  CHECK(p.idle_frames() == 2);
  CHECK(p.frames() == 2);
}

TEST_CASE("a wake gives full-rate frames for the settle time, then idles again") {
  FramePacer p;
  p.frame_drawn(1000, false);
  p.wake(1100);
  p.frame_drawn(1116, false);
  CHECK(p.delay_ms() == 0);
  p.frame_drawn(1100 + FramePacer::kSettleMs - 1, false);
  CHECK(p.delay_ms() == 0);
  CHECK(p.idle_frames() == 1);
  p.frame_drawn(1100 + FramePacer::kSettleMs, false);
  CHECK(p.delay_ms() == FramePacer::kHeartbeatMs);
  CHECK(p.idle_frames() == 2);
}
