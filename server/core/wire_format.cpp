#include "core/wire_format.hpp"

namespace harmonic::core {

nlohmann::json universe_to_json(const storage::Universe& universe) {
  return {
      {"id", universe.id},
      {"owner_id", universe.owner_id},
      {"name", universe.name},
      {"description", universe.description},
      {"is_public", universe.is_public},
      {"seed", universe.seed},
      {"created_at", universe.created_at},
      {"updated_at", universe.updated_at},
  };
}

std::string_view role_name(storage::Role role) {
  switch (role) {
    case storage::Role::owner: return "owner";
    case storage::Role::collaborator: return "collaborator";
    case storage::Role::viewer: return "viewer";
    case storage::Role::none: break;
  }
  return "none";
}

nlohmann::json user_to_json(const storage::User& user) { return {{"id", user.id}, {"username", user.username}}; }

nlohmann::json history_to_json(const storage::HistoryEntry& entry) {
  nlohmann::json json = {
      {"seq", entry.seq},
      {"timestamp", entry.timestamp},
      {"user_id", entry.user_id},
      {"kind", entry.kind},
      {"changes", entry.changes},
  };
  if (entry.category) json["category"] = *entry.category;
  return json;
}

nlohmann::json message_to_json(const storage::ChatMessage& message) {
  return {
      {"id", message.id},
      {"universe_id", message.universe_id},
      {"user_id", message.user_id},
      {"username", message.username},
      {"message", message.message},
      {"timestamp", message.timestamp},
  };
}

}  // namespace harmonic::core
