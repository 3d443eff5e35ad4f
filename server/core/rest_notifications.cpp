// RealtimeNotifier: changes made through the REST API reach the people in the room.
#include "core/realtime_hub.hpp"
#include "core/wire_format.hpp"

namespace harmonic::core {

void RealtimeHub::universe_updated(const storage::Universe& universe, const nlohmann::json& changes,
                                   const storage::User& by) {
  const auto it = rooms_.find(universe.id);
  if (it == rooms_.end()) return;
  it->second.universe() = universe;
  emit_to_room(universe.id, "universe:updated",
               {{"universe_id", universe.id}, {"changes", changes}, {"user_id", by.id}});
  if (changes.contains("name")) {
    emit_to_room(universe.id, "system:notification",
                 {{"type", "universe_renamed"},
                  {"message", by.username + " renamed the universe to \"" + universe.name + "\""},
                  {"data", {{"universe_id", universe.id}, {"name", universe.name}, {"user_id", by.id}}}});
  }
  // A universe made private may leave viewers in the room who can no longer see it.
  if (!universe.is_public) {
    for (const auto connection_id : it->second.members()) {
      auto connection = connections_.find(connection_id);
      if (connection == connections_.end() || !connection->second.identity) continue;
      if (it->second.role_of(connection->second.identity->user_id) == storage::Role::none) {
        emit_to(connection_id, "system:notification",
                {{"type", "access_revoked"}, {"message", "this universe is no longer public"},
                 {"data", {{"universe_id", universe.id}}}});
        leave_room(connection->second, universe.id, /*notify_self=*/true);
        if (!rooms_.contains(universe.id)) return;
      }
    }
  }
}

void RealtimeHub::parameters_replaced(const std::string& universe_id) {
  const auto it = rooms_.find(universe_id);
  if (it == rooms_.end()) return;
  it->second.parameters() = store_.load_parameters(universe_id);
  for (const auto* category : {"physics", "music", "audio", "visualization"}) {
    emit_to_room(universe_id, "parameter:updated",
                 {{"universe_id", universe_id}, {"category", category},
                  {"parameters", it->second.parameters().value(category, nlohmann::json::object())}});
  }
}

void RealtimeHub::collaborators_changed(const std::string& universe_id, const std::string& message) {
  const auto it = rooms_.find(universe_id);
  if (it == rooms_.end()) return;
  std::set<std::string> collaborators;
  for (const auto& user : store_.list_collaborators(universe_id)) collaborators.insert(user.id);
  it->second.set_collaborators(std::move(collaborators));
  emit_to_room(universe_id, "system:notification",
               {{"type", "collaborators_changed"}, {"message", message}, {"data", {{"universe_id", universe_id}}}});
}

void RealtimeHub::universe_deleted(const std::string& universe_id) {
  const auto it = rooms_.find(universe_id);
  if (it == rooms_.end()) return;
  emit_to_room(universe_id, "system:notification",
               {{"type", "universe_deleted"}, {"message", "this universe was deleted by its owner"},
                {"data", {{"universe_id", universe_id}}}});
  for (const auto connection_id : it->second.members()) {
    auto connection = connections_.find(connection_id);
    if (connection == connections_.end()) continue;
    connection->second.joined.erase(universe_id);
    connection->second.pending_cursors.erase(universe_id);
    delivery_.leave(universe_id, connection_id);
  }
  rooms_.erase(universe_id);
  metrics_.set_rooms(static_cast<std::int64_t>(rooms_.size()));
}

}  // namespace harmonic::core
