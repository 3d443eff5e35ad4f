// "Deliver to a room" behind one small interface: to the members connected to this
// process (LocalRoomDelivery). In cluster mode the other nodes' members are reached
// through the universe's Redis channel, each node delivering to its own members
// (cluster_events.cpp, docs/cluster.md).
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/outbox.hpp"

namespace harmonic::core {

class RoomDelivery {
 public:
  virtual ~RoomDelivery() = default;
  virtual void join(const std::string& room, ConnectionId connection) = 0;
  virtual void leave(const std::string& room, ConnectionId connection) = 0;
  // Sends `frame` to every member of `room` except `except`; returns how many got it here.
  virtual std::size_t deliver(const std::string& room, const Frame& frame,
                              std::optional<ConnectionId> except = std::nullopt) = 0;
};

class LocalRoomDelivery final : public RoomDelivery {
 public:
  explicit LocalRoomDelivery(Outbox& outbox) : outbox_(outbox) {}
  void join(const std::string& room, ConnectionId connection) override;
  void leave(const std::string& room, ConnectionId connection) override;
  std::size_t deliver(const std::string& room, const Frame& frame, std::optional<ConnectionId> except) override;

 private:
  Outbox& outbox_;
  std::unordered_map<std::string, std::vector<ConnectionId>> members_;
};

}  // namespace harmonic::core
