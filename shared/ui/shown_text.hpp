// The text of the model that the screens show (names, chat, universes, toasts): what
// the font atlas must be able to draw (ui/glyph_needs.hpp). Text the person is typing is
// not in the model yet; the App adds the active text field's characters itself.
#pragma once

#include <functional>
#include <string_view>

#include "client/client_state.hpp"

namespace harmonic::ui {

void for_each_shown_text(const client::ClientState& state, const std::function<void(std::string_view)>& visit);

}  // namespace harmonic::ui
