// How the model's facts read on screen: a person's colour, how long ago something was.
// Pure functions (no ImGui), unit-tested in tests/unit/ui.
#pragma once

#include <cstdint>
#include <string>

namespace harmonic::ui {

// A stable, distinct colour (0xRRGGBB) for a user id, for cursors and avatars.
std::uint32_t user_color(const std::string& user_id);

// "1.2 s ago"-style text; `now_ms` and `timestamp_ms` are ms since the epoch.
std::string relative_time(double timestamp_ms, double now_ms);

}  // namespace harmonic::ui
