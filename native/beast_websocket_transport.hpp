// The desktop WebSocket transport (shared/client/transport.hpp) over Boost.Beast:
// ws:// and wss:// (TLS with the system's trusted roots, SNI and host name checks).
// The socket lives on the IoThread; on_open / on_message / on_close are queued to
// the UI thread and run by IoThread::ui().drain(). After close() or destruction no
// callback runs, even if one was already queued.
#pragma once

#include "client/transport.hpp"
#include "native/io_thread.hpp"

namespace harmonic::native {

struct WebSocketOptions {
  double connect_timeout_s = 10;        // resolve + TCP + TLS + WebSocket handshake
  std::size_t max_message_bytes = 16u << 20;
};

// Makes one transport per (re)connection, as the Socket.IO session wants.
client::TransportFactory beast_websocket_factory(IoThread& io, WebSocketOptions options = {});

}  // namespace harmonic::native
