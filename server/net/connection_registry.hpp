// The Outbox the core writes to: connection ids mapped to live sessions, WebSocket or
// long-polling alike (the core cannot tell them apart). Sessions register when their
// Engine.IO handshake is sent and leave when they end; an upgrade from polling to
// WebSocket re-points the id at the WebSocket.
#pragma once

#include <memory>
#include <unordered_map>

#include "core/outbox.hpp"
#include "net/frame_sink.hpp"

namespace harmonic::net {

class ConnectionRegistry final : public core::Outbox {
 public:
  core::ConnectionId add(std::weak_ptr<FrameSink> sink);
  void remove(core::ConnectionId connection);
  void replace(core::ConnectionId connection, std::weak_ptr<FrameSink> sink);
  void send(core::ConnectionId connection, const core::Frame& frame) override;
  void close(core::ConnectionId connection, std::string_view reason) override;
  void close_over_capacity(core::ConnectionId connection, std::string_view reason) override;
  bool is_closing(core::ConnectionId connection) const override;  // true when it is gone
  void close_all();
  std::size_t size() const { return sinks_.size(); }

 private:
  std::unordered_map<core::ConnectionId, std::weak_ptr<FrameSink>> sinks_;
  core::ConnectionId next_id_ = 1;
};

}  // namespace harmonic::net
