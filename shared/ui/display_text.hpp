// How the model's facts read on screen: a person's colour, how long ago something was,
// what went wrong. Pure functions (no ImGui), unit-tested in tests/unit/ui.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "client/client_state.hpp"

namespace harmonic::ui {

// A stable, distinct colour (0xRRGGBB) for a user id, for cursors and avatars.
std::uint32_t user_color(const std::string& user_id);

// "1.2 s ago"-style text; `now_ms` and `timestamp_ms` are ms since the epoch.
std::string relative_time(double timestamp_ms, double now_ms);

// One sentence for an error object {code, message, details} (docs/protocol.md, "Conventions"),
// the server's or the client's own (client/client_errors.hpp): the message, then each
// invalid field ("physics.gravity must be between 0 and 20"). Also takes an ack
// {ok: false, error} or a bare string.
std::string describe_error(const nlohmann::json& error);

// A toast's text: its error worded (describe_error) or its text.
std::string notice_text(const client::Notice& notice);

}  // namespace harmonic::ui
