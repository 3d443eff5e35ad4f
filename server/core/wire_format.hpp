// How stored things look on the wire, in one place, so REST and the realtime protocol
// describe a universe, a history entry or a chat message identically.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "storage/store.hpp"

namespace harmonic::core {

// {id, owner_id, name, description, is_public, seed, created_at, updated_at}
nlohmann::json universe_to_json(const storage::Universe& universe);
// "owner", "collaborator", "viewer" or "none"
std::string_view role_name(storage::Role role);
// {id, username}
nlohmann::json user_to_json(const storage::User& user);
// {seq, timestamp, user_id, kind, category?, changes}
nlohmann::json history_to_json(const storage::HistoryEntry& entry);
// {id, universe_id, user_id, username, message, timestamp}
nlohmann::json message_to_json(const storage::ChatMessage& message);

}  // namespace harmonic::core
