// RealtimeNotifier: changes made through the REST API reach the people in the room.
// Cluster mode (docs/cluster.md, "What crosses nodes"): the room may be open on other
// nodes too, and this node may have none. What the room hears is broadcast through the
// link whether or not the room is open here, and each change is announced on the
// universe's channel (announce_rest_change) at the point where this node acts on its own
// room, so every other node does the same to its members in the same order.
#include "core/realtime_hub.hpp"
#include "core/wire_format.hpp"
#include "params/table.hpp"

namespace harmonic::core {

void RealtimeHub::universe_updated(const storage::Universe& universe, const nlohmann::json& changes,
                                   const storage::User& by) {
  const auto it = rooms_.find(universe.id);
  if (it == rooms_.end() && !clustered()) return;
  if (it != rooms_.end()) it->second.universe() = universe;
  emit_to_room(universe.id, "universe:updated",
               {{"universe_id", universe.id}, {"changes", changes}, {"user_id", by.id}});
  if (changes.contains("name")) {
    emit_to_room(universe.id, "system:notification",
                 {{"type", "universe_renamed"},
                  {"message", by.username + " renamed the universe to \"" + universe.name + "\""},
                  {"data", {{"universe_id", universe.id}, {"name", universe.name}, {"user_id", by.id}}}});
  }
  // The other nodes' caches take the new record (and evict if it was made private).
  announce_rest_change(universe.id, "universe");
  // A universe made private may leave viewers in the room who can no longer see it.
  if (changes.contains("is_public")) evict_unauthorized(universe.id);
}

void RealtimeHub::parameters_replaced(const std::string& universe_id) {
  const auto it = rooms_.find(universe_id);
  if (it == rooms_.end() && !clustered()) return;
  const auto parameters = store_.load_parameters(universe_id);
  if (it != rooms_.end()) it->second.parameters() = parameters;
  announce_rest_change(universe_id, "parameters");
  for (const auto& spec : params::categories()) {
    const std::string category(spec.name);
    emit_to_room(universe_id, "parameter:updated",
                 {{"universe_id", universe_id}, {"category", category},
                  {"parameters", parameters.value(category, nlohmann::json::object())}});
  }
}

void RealtimeHub::collaborators_changed(const std::string& universe_id, const std::string& message) {
  // Reloads the rights; a removed collaborator of a private universe leaves the room now,
  // one of a public universe stays as a viewer (every write checks the role).
  announce_rest_change(universe_id, "rights");
  evict_unauthorized(universe_id);
  if (!rooms_.contains(universe_id) && !clustered()) return;
  emit_to_room(universe_id, "system:notification",
               {{"type", "collaborators_changed"}, {"message", message}, {"data", {{"universe_id", universe_id}}}});
}

void RealtimeHub::universe_deleted(const std::string& universe_id) {
  if (!rooms_.contains(universe_id) && !clustered()) return;
  emit_to_room(universe_id, "system:notification",
               {{"type", "universe_deleted"}, {"message", "this universe was deleted by its owner"},
                {"data", {{"universe_id", universe_id}}}});
  announce_rest_change(universe_id, "deleted");
  evict_unauthorized(universe_id);  // the universe is gone: everyone leaves the room
}

}  // namespace harmonic::core
