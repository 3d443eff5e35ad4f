// How facts read on screen (shared/ui/display_text.hpp).
#include <algorithm>

#include <catch2/catch.hpp>

#include "ui/display_text.hpp"

using namespace harmonic::ui;

TEST_CASE("display: a user's colour is stable, distinct and bright enough on dark") {
  CHECK(user_color("42") == user_color("42"));
  CHECK(user_color("42") != user_color("43"));
  for (const char* id : {"1", "2", "alice", ""}) {
    const auto rgb = user_color(id);
    CHECK(rgb <= 0xFFFFFFu);
    const auto brightest = std::max({rgb >> 16, (rgb >> 8) & 0xFFu, rgb & 0xFFu});
    CHECK(brightest >= 200u);  // value 0.98: never a dark colour on the dark theme
  }
}

TEST_CASE("display: relative times") {
  const double now = 1'000'000'000;
  CHECK(relative_time(now - 1000, now) == "just now");
  CHECK(relative_time(now + 5000, now) == "just now");  // a clock a little ahead
  CHECK(relative_time(now - 42'000, now) == "42 s ago");
  CHECK(relative_time(now - 5 * 60'000, now) == "5 min ago");
  CHECK(relative_time(now - 3 * 3'600'000, now) == "3 h ago");
  CHECK(relative_time(now - 2 * 86'400'000.0, now) == "2 d ago");
}
