// The adaptive quality controller (shared/ui/quality_controller.hpp): when it steps
// down, when it steps back up, and that it neither oscillates nor moves when pinned.
#include <catch2/catch.hpp>

#include "ui/quality_controller.hpp"

using harmonic::ui::QualityController;
using harmonic::ui::QualityLevel;
using harmonic::ui::QualityMode;

namespace {

// Feeds `seconds` of frames that each take `frame_ms`.
void run(QualityController& q, double frame_ms, double seconds) {
  for (double t = 0; t < seconds * 1000; t += frame_ms) q.frame(frame_ms);
}

constexpr double kSlow = 60;     // 16 fps: over the 36 ms budget
constexpr double kFast = 16.7;   // 60 fps: headroom
constexpr double kSteady = 25;   // 40 fps: within budget, but over 60 % of it: no headroom

}  // namespace

TEST_CASE("quality starts high and stays there while frames fit the budget") {
  QualityController q;
  CHECK(q.level() == QualityLevel::high);
  run(q, kSteady, 30);
  CHECK(q.level() == QualityLevel::high);
  CHECK(q.fps() == Approx(40).epsilon(0.05));
}

TEST_CASE("missing the budget for a couple of seconds steps down one level at a time") {
  QualityController q;
  run(q, kSlow, 1.4);
  CHECK(q.level() == QualityLevel::high);  // a short slow spell is not enough
  run(q, kSlow, 1.0);
  CHECK(q.level() == QualityLevel::medium);
  run(q, kSlow, 2.2);
  CHECK(q.level() == QualityLevel::low);
  run(q, kSlow, 2.2);
  CHECK(q.level() == QualityLevel::minimal);
  run(q, kSlow, 10);
  CHECK(q.level() == QualityLevel::minimal);  // nothing below the lowest level
}

TEST_CASE("a single long frame among fast ones does not step down") {
  QualityController q;
  for (int i = 0; i < 10; ++i) {
    run(q, kFast, 0.45);
    q.frame(200);  // a hitch (garbage collection, a tab switch) every half second
  }
  CHECK(q.level() == QualityLevel::high);
}

TEST_CASE("gaps longer than a second (a hidden page) are not counted as frames") {
  QualityController q;
  for (int i = 0; i < 20; ++i) q.frame(5000);
  CHECK(q.level() == QualityLevel::high);
  CHECK(q.fps() == 0);
}

TEST_CASE("headroom steps back up, more slowly than it stepped down") {
  QualityController q;
  run(q, kSlow, 4.6);
  REQUIRE(q.level() == QualityLevel::low);
  run(q, kFast, 3);
  CHECK(q.level() == QualityLevel::low);
  run(q, kFast, 1.5);
  CHECK(q.level() == QualityLevel::medium);
  run(q, kFast, 4.5);
  CHECK(q.level() == QualityLevel::high);
}

TEST_CASE("frames within budget but without headroom hold the level") {
  QualityController q;
  run(q, kSlow, 2.2);
  REQUIRE(q.level() == QualityLevel::medium);
  run(q, kSteady, 60);
  CHECK(q.level() == QualityLevel::medium);
}

TEST_CASE("a level that failed after a step up is retried ever more rarely (no oscillation)") {
  // A machine that has headroom at medium but misses the budget at high.
  QualityController q;
  run(q, kSlow, 2.2);
  REQUIRE(q.level() == QualityLevel::medium);
  int changes = 0;
  QualityLevel last = q.level();
  for (int second = 0; second < 120; ++second) {
    run(q, q.level() == QualityLevel::high ? kSlow : kFast, 1);
    if (q.level() != last) ++changes;
    last = q.level();
  }
  // Waits 4, 8, 16, 32, 64 s of headroom before the tries: at most 4 tries in 2 minutes,
  // each undone (2 changes), where a fixed wait would have made ~20 tries.
  CHECK(changes <= 8);
  CHECK(changes >= 2);  // it does try again
  CHECK(q.up_after_s() > 16);
}

TEST_CASE("a slowdown long after a successful step up starts the usual wait again") {
  QualityController q;
  const double usual = QualityController::Tuning{}.up_after_s;
  run(q, kSlow, 2.2);
  run(q, kFast, 4.5);
  REQUIRE(q.level() == QualityLevel::high);
  run(q, kSlow, 2.2);  // the step up is undone: the next try waits longer
  REQUIRE(q.level() == QualityLevel::medium);
  CHECK(q.up_after_s() == Approx(2 * usual));
  run(q, kFast, 2 * usual + 0.5);
  REQUIRE(q.level() == QualityLevel::high);
  run(q, kSteady, 30);  // this time the step up held
  run(q, kSlow, 2.2);
  REQUIRE(q.level() == QualityLevel::medium);
  CHECK(q.up_after_s() == Approx(usual));
}

TEST_CASE("a pinned level holds whatever the frame rate, and auto resumes from it") {
  QualityController q;
  q.set_mode(QualityMode::high);
  run(q, kSlow, 20);
  CHECK(q.level() == QualityLevel::high);
  CHECK(q.mode() == QualityMode::high);
  CHECK(q.fps() == Approx(1000 / kSlow).epsilon(0.05));  // still measured

  q.set_mode(QualityMode::low);
  run(q, kFast, 20);
  CHECK(q.level() == QualityLevel::low);

  q.set_mode(QualityMode::automatic);
  CHECK(q.level() == QualityLevel::low);
  run(q, kFast, 4.5);
  CHECK(q.level() == QualityLevel::medium);
}

TEST_CASE("quality modes are saved by name, and unknown names are refused") {
  using harmonic::ui::parse_quality_mode;
  using harmonic::ui::quality_name;
  for (auto mode : {QualityMode::automatic, QualityMode::high, QualityMode::low}) {
    CHECK(parse_quality_mode(quality_name(mode)) == mode);
  }
  CHECK(quality_name(QualityMode::automatic) == "auto");
  CHECK_FALSE(parse_quality_mode("ultra").has_value());
  CHECK_FALSE(parse_quality_mode("").has_value());
  CHECK(quality_name(QualityLevel::minimal) == "minimal");
}

TEST_CASE("each level is no more expensive than the one above it") {
  using harmonic::ui::render_options;
  for (int i = 1; i < harmonic::ui::kQualityLevels; ++i) {
    const auto above = render_options(static_cast<QualityLevel>(i - 1));
    const auto below = render_options(static_cast<QualityLevel>(i));
    if (below.trails) CHECK(below.render_scale <= above.render_scale);  // without trails there is no layer
    CHECK(below.halo <= above.halo);
    CHECK(below.sprite <= above.sprite);
    CHECK(below.stride >= above.stride);
    CHECK((above.trails || !below.trails));
    CHECK((above.panel_layers || !below.panel_layers));
  }
  const auto high = render_options(QualityLevel::high);
  CHECK(high.render_scale == 1);  // unchanged visuals when there is headroom
  CHECK(high.halo == 1);
  CHECK(high.trails);
  CHECK(high.panel_layers);
  CHECK_FALSE(render_options(QualityLevel::low).panel_layers);  // the panels cost as much as the particles there
}
