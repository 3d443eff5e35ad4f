// How the core hands frames to the network without knowing it. A frame is serialised
// once and shared by every recipient (a room broadcast is one string, many pointers).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace harmonic::core {

using ConnectionId = std::uint64_t;
using Frame = std::shared_ptr<const std::string>;

inline Frame make_frame(std::string text) { return std::make_shared<const std::string>(std::move(text)); }

class Outbox {
 public:
  virtual ~Outbox() = default;
  // Queue a complete Engine.IO text frame for one connection (no-op if it is gone).
  virtual void send(ConnectionId connection, const Frame& frame) = 0;
  // Close the connection after what is already queued has been written.
  virtual void close(ConnectionId connection, std::string_view reason) = 0;
  // The same, telling the peer the server is over a capacity limit and it may try again
  // later (WebSocket close 1013). By default an ordinary close.
  virtual void close_over_capacity(ConnectionId connection, std::string_view reason) { close(connection, reason); }
  // True once the connection is being closed or dropped (or is gone): nothing sent to it
  // will arrive, so the core builds no reply for it (an expensive one least of all).
  virtual bool is_closing(ConnectionId /*connection*/) const { return false; }
};

}  // namespace harmonic::core
