// The client model's part of window.harmonic.status() (docs/client.md): what tests and
// scripts read of the connection, the user, the open universe and its people.
#pragma once

#include <nlohmann/json.hpp>

#include "client/client_state.hpp"

namespace harmonic::frontend {

nlohmann::json client_status_json(const client::ClientState& state);

}  // namespace harmonic::frontend
