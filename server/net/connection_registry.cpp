#include "net/connection_registry.hpp"

#include <vector>

#include <spdlog/spdlog.h>

namespace harmonic::net {

core::ConnectionId ConnectionRegistry::add(std::weak_ptr<FrameSink> sink) {
  const auto id = next_id_++;
  sinks_.emplace(id, std::move(sink));
  return id;
}

void ConnectionRegistry::remove(core::ConnectionId connection) { sinks_.erase(connection); }

void ConnectionRegistry::replace(core::ConnectionId connection, std::weak_ptr<FrameSink> sink) {
  const auto it = sinks_.find(connection);
  if (it != sinks_.end()) it->second = std::move(sink);
}

void ConnectionRegistry::send(core::ConnectionId connection, const core::Frame& frame) {
  const auto it = sinks_.find(connection);
  if (it == sinks_.end()) return;
  if (auto sink = it->second.lock()) sink->send(frame);
}

void ConnectionRegistry::close(core::ConnectionId connection, std::string_view reason) {
  const auto it = sinks_.find(connection);
  if (it == sinks_.end()) return;
  spdlog::debug("closing connection {}: {}", connection, reason);
  if (auto sink = it->second.lock()) sink->close_after_flush();
}

void ConnectionRegistry::close_over_capacity(core::ConnectionId connection, std::string_view reason) {
  const auto it = sinks_.find(connection);
  if (it == sinks_.end()) return;
  spdlog::debug("closing connection {} (over capacity): {}", connection, reason);
  if (auto sink = it->second.lock()) sink->close_over_capacity();
}

bool ConnectionRegistry::is_closing(core::ConnectionId connection) const {
  const auto it = sinks_.find(connection);
  if (it == sinks_.end()) return true;
  const auto sink = it->second.lock();
  return !sink || sink->is_closing();
}

void ConnectionRegistry::close_all() {
  std::vector<std::shared_ptr<FrameSink>> live;
  for (const auto& [id, weak] : sinks_) {
    if (auto sink = weak.lock()) live.push_back(std::move(sink));
  }
  for (const auto& sink : live) sink->close_after_flush();
}

}  // namespace harmonic::net
