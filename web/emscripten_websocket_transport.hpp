// The browser's WebSocket transport (shared/client/transport.hpp) over the browser's
// WebSocket (emscripten/websocket.h). Callbacks find their transport through an id,
// so a socket that fires after its transport was destroyed finds nothing.
#pragma once

#include "client/transport.hpp"

namespace harmonic::web {

// Makes one transport per (re)connection, as the Socket.IO session wants.
client::TransportFactory emscripten_websocket_factory();

}  // namespace harmonic::web
