// Rights changes reach live sockets at once (issue 12, finding 4). A universe made
// private, a collaborator removed, a universe deleted: whichever path made the change
// (REST or socket), it calls evict_unauthorized afterwards, and every connection in the
// room whose user may no longer see the universe leaves it now, not at its next join.
//
// The rights are re-read from the store (the truth) rather than patched into the room's
// cache by each caller, so no path can forget a field. Evicted connections leave the room
// first, all of them, and only then are the others told, so a universe made private with
// a thousand viewers in it costs one universe:left per viewer to the few who stay, not a
// broadcast per viewer to every viewer.
#include "core/realtime_hub.hpp"
#include "protocol/error_codes.hpp"

namespace harmonic::core {

void RealtimeHub::evict_unauthorized(const std::string& universe_id) {
  const auto it = rooms_.find(universe_id);
  if (it == rooms_.end()) return;
  Room& room = it->second;
  auto universe = store_.find_universe(universe_id);
  const bool deleted = !universe;
  if (universe) {
    room.universe() = std::move(*universe);
    std::set<std::string> collaborators;
    for (const auto& user : store_.list_collaborators(universe_id)) collaborators.insert(user.id);
    room.set_collaborators(std::move(collaborators));
  }
  const auto evicted = deleted ? room.members() : room.members_without_access();
  if (evicted.empty()) return;

  const nlohmann::json details = {{"universe_id", universe_id},
                                  {"reason", deleted ? "universe_deleted" : "access_removed"}};
  const std::string message =
      deleted ? "this universe was deleted by its owner" : "you no longer have access to this universe";
  std::vector<std::string> users_gone;  // users whose last connection in the room was evicted
  for (const auto connection_id : evicted) {
    const auto connection = connections_.find(connection_id);
    const bool last_connection = room.remove_member(connection_id);
    delivery_.leave(universe_id, connection_id);
    if (connection == connections_.end()) continue;
    auto& evictee = connection->second;
    evictee.joined.erase(universe_id);
    evictee.pending_cursors.erase(universe_id);
    const std::string user_id = evictee.identity ? evictee.identity->user_id : std::string();
    reply_error(evictee, std::nullopt, protocol::error_code::unauthorized, message, details);
    emit_to(connection_id, "universe:left", {{"universe_id", universe_id}, {"user_id", user_id}});
    if (last_connection && !user_id.empty()) {
      retract_presence(universe_id, user_id);
      // Cluster mode: still connected through another node, which evicts them itself.
      if (!room.remote().has(user_id)) users_gone.push_back(user_id);
    }
  }
  const bool closing = deleted || (room.empty() && room.watch().held_joins.empty());
  // Nobody here to tell when the room closes; in cluster mode its members on other nodes
  // still hear who left (a deleted universe evicts them too: they need not).
  if (!deleted && (!closing || clustered())) {
    for (const auto& user_id : users_gone) {
      emit_to_room(universe_id, "universe:left", {{"universe_id", universe_id}, {"user_id", user_id}});
    }
  }
  if (closing) close_room(universe_id);
}

}  // namespace harmonic::core
