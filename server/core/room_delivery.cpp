#include "core/room_delivery.hpp"

#include <algorithm>

namespace harmonic::core {

void LocalRoomDelivery::join(const std::string& room, ConnectionId connection) {
  auto& members = members_[room];
  if (std::find(members.begin(), members.end(), connection) == members.end()) members.push_back(connection);
}

void LocalRoomDelivery::leave(const std::string& room, ConnectionId connection) {
  const auto it = members_.find(room);
  if (it == members_.end()) return;
  std::erase(it->second, connection);
  if (it->second.empty()) members_.erase(it);
}

std::size_t LocalRoomDelivery::deliver(const std::string& room, const Frame& frame,
                                       std::optional<ConnectionId> except) {
  const auto it = members_.find(room);
  if (it == members_.end()) return 0;
  std::size_t delivered = 0;
  for (const auto member : it->second) {
    if (except && member == *except) continue;
    outbox_.send(member, frame);
    ++delivered;
  }
  return delivered;
}

}  // namespace harmonic::core
