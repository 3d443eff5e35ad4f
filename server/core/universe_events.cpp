// universe:join, universe:leave and universe:update, and the life of a room.
#include "core/event_error.hpp"
#include "core/payload_fields.hpp"
#include "core/realtime_hub.hpp"
#include "core/text_rules.hpp"
#include "core/wire_format.hpp"

namespace harmonic::core {

namespace code = protocol::error_code;

Room* RealtimeHub::open_room(const std::string& universe_id) {
  if (const auto it = rooms_.find(universe_id); it != rooms_.end()) return &it->second;
  auto universe = store_.find_universe(universe_id);
  if (!universe) return nullptr;
  std::set<std::string> collaborators;
  for (const auto& user : store_.list_collaborators(universe_id)) collaborators.insert(user.id);
  // Cluster mode: the last seq is read before the parameters, so the cache holds at least
  // everything up to it; a change after it that the load already saw is applied again by
  // the replica, which is harmless (a change sets values, it does not add to them).
  std::int64_t applied_seq = 0;
  if (cluster_) {
    const auto latest = store_.latest_history(universe_id, 1);
    if (!latest.empty()) applied_seq = latest.back().seq;
  }
  auto parameters = store_.load_parameters(universe_id);
  auto [it, inserted] = rooms_.try_emplace(universe_id, std::move(*universe), std::move(parameters), std::move(collaborators));
  it->second.replica() = SeqOrder(applied_seq);
  metrics_.set_rooms(static_cast<std::int64_t>(rooms_.size()));
  return &it->second;
}

nlohmann::json RealtimeHub::on_universe_join(EventContext& context) {
  const auto& payload = require_object(context.payload);
  check_user_id(context);
  const auto& identity = context.identity();
  const auto universe_id = require_string(payload, "universe_id");

  const bool room_was_open = rooms_.contains(universe_id);
  Room* room = open_room(universe_id);
  if (!room) throw EventError(code::invalid_universe, "there is no universe " + universe_id, {{"universe_id", universe_id}});
  if (room->role_of(identity.user_id) == storage::Role::none) {
    if (!room_was_open) rooms_.erase(universe_id);
    throw EventError(code::unauthorized, "you may not see this universe", {{"universe_id", universe_id}});
  }
  if (!room_was_open) start_watching(*room);
  if (room->watch().awaiting_snapshot && !room->has_member(context.connection.id)) {
    // Cluster mode: the state is sent once the other nodes' participants are known and
    // nothing committed before the subscription can be missed (cluster_events.cpp).
    room->watch().held_joins.push_back({context.connection.id, context.event.ack_id});
    reply_deferred_ = true;
    return {};
  }
  return enter_room(context.connection, *room);
}

nlohmann::json RealtimeHub::enter_room(Connection& connection, Room& room) {
  const auto& identity = *connection.identity;
  const auto& universe_id = room.universe().id;
  bool new_participant = false;
  // A person already in the room through another node is not announced again.
  const bool known_elsewhere = room.remote().has(identity.user_id);
  if (!room.has_member(connection.id)) {
    new_participant = room.add_member(connection.id, identity.user_id, identity.username);
    delivery_.join(universe_id, connection.id);
    connection.joined.insert(universe_id);
  }
  if (new_participant) announce_presence(universe_id, identity.user_id, identity.username, "active");
  const nlohmann::json joined = {{"universe", universe_to_json(room.universe())},
                                 {"participants", room.participants_json()},
                                 {"user_id", identity.user_id}};
  // The room hears of a person arriving, not of their second tab: the participant list
  // only changes for a new person, and in a large room this broadcast is the costly one.
  if (new_participant && !known_elsewhere) emit_to_room(universe_id, "universe:joined", joined);
  else emit_to(connection.id, "universe:joined", joined);
  emit_to(connection.id, "state:initial", initial_state(room));
  return {{"universe_id", universe_id}, {"role", role_name(room.role_of(identity.user_id))}};
}

nlohmann::json RealtimeHub::on_universe_leave(EventContext& context) {
  const Room& room = joined_room(context);
  const auto universe_id = room.universe().id;
  leave_room(context.connection, universe_id, /*notify_self=*/true);
  return {{"universe_id", universe_id}};
}

void RealtimeHub::leave_room(Connection& connection, const std::string& universe_id, bool notify_self) {
  connection.joined.erase(universe_id);
  connection.pending_cursors.erase(universe_id);
  const auto it = rooms_.find(universe_id);
  if (it == rooms_.end() || !connection.identity) return;
  Room& room = it->second;
  const auto& user_id = connection.identity->user_id;
  const nlohmann::json left = {{"universe_id", universe_id}, {"user_id", user_id}};
  const bool last_connection = room.remove_member(connection.id);
  if (last_connection) retract_presence(universe_id, user_id);
  // Cluster mode: a person still connected through another node has not left the room.
  if (last_connection && !room.remote().has(user_id)) {
    // The leaver's own connection hears it too, while it is still a member of the room.
    if (notify_self) emit_to(connection.id, "universe:left", left);
    delivery_.leave(universe_id, connection.id);
    emit_to_room(universe_id, "universe:left", left);
  } else {
    delivery_.leave(universe_id, connection.id);
    if (notify_self) emit_to(connection.id, "universe:left", left);
  }
  if (room.empty() && room.watch().held_joins.empty()) close_room(universe_id);
}

void RealtimeHub::close_room(const std::string& universe_id) {
  const auto it = rooms_.find(universe_id);
  if (it == rooms_.end()) return;
  for (const auto& held : it->second.watch().held_joins) {
    const auto connection = connections_.find(held.connection);
    if (connection == connections_.end()) continue;
    reply_error(connection->second, held.ack_id, code::invalid_universe, "the room closed meanwhile; join again",
                {{"universe_id", universe_id}});
  }
  if (cluster_) {
    for (const auto& user_id : it->second.local_users()) retract_presence(universe_id, user_id);
    cluster_->unwatch(universe_id);
  }
  rooms_.erase(it);
  metrics_.set_rooms(static_cast<std::int64_t>(rooms_.size()));
}

nlohmann::json RealtimeHub::on_universe_update(EventContext& context) {
  Room& room = joined_room(context);
  const auto& identity = context.identity();
  static const nlohmann::json missing;
  const auto found = context.payload.find("changes");
  // Both branches are lvalues, so `changes` refers to the payload, not to a temporary.
  const auto& changes = require_object(found == context.payload.end() ? missing : *found, "changes");
  if (changes.empty()) throw EventError(code::invalid_parameters, "changes must name at least one field");
  require_editor(room, identity);

  storage::UniverseChange change;
  change.universe_id = room.universe().id;
  nlohmann::json applied = nlohmann::json::object();
  for (const auto& [field, value] : changes.items()) {
    if (field == "name") {
      // Trimmed and checked as REST does (text_rules.hpp): one rule for both.
      const auto name = trim_spaces(require_string(changes, "name", kUniverseNameMax * 4));
      if (const auto problem = check_universe_name(name)) {
        throw EventError(code::invalid_parameters, *problem,
                         {{"field", "name"}, {"allowed", {{"min_length", 1}, {"max_length", kUniverseNameMax}}}});
      }
      change.name = name;
      applied["name"] = name;
    } else if (field == "description") {
      const auto description = require_string(changes, "description", kDescriptionMax * 4);
      if (const auto problem = check_description(description)) {
        throw EventError(code::invalid_parameters, *problem,
                         {{"field", "description"}, {"allowed", {{"max_length", kDescriptionMax}}}});
      }
      change.description = description;
      applied["description"] = description;
    } else if (field == "is_public") {
      if (!value.is_boolean()) throw EventError(code::invalid_parameters, "is_public must be true or false", {{"field", "is_public"}});
      if (room.role_of(identity.user_id) != storage::Role::owner) {
        throw EventError(code::unauthorized, "only the owner can change is_public");
      }
      change.is_public = value.get<bool>();
      applied["is_public"] = value;
    } else {
      throw EventError(code::invalid_parameters, "'" + field.substr(0, 64) + "' cannot be changed",
                       {{"field", field.substr(0, 64)}, {"allowed", {"name", "description", "is_public"}}});
    }
  }

  change.timestamp = change_timestamp();
  change.history.push_back({0, change.timestamp, identity.user_id, "universe", std::nullopt, applied});
  const auto entries = commit(change);

  auto& universe = room.universe();
  if (change.name) universe.name = *change.name;
  if (change.description) universe.description = *change.description;
  if (change.is_public) universe.is_public = *change.is_public;
  universe.updated_at = change.timestamp;

  emit_to_room(universe.id, "universe:updated",
               {{"universe_id", universe.id}, {"changes", applied}, {"user_id", identity.user_id},
                {"seq", entries.empty() ? 0 : entries.back().seq}});
  if (change.name) {
    emit_to_room(universe.id, "system:notification",
                 {{"type", "universe_renamed"},
                  {"message", identity.username + " renamed the universe to \"" + *change.name + "\""},
                  {"data", {{"universe_id", universe.id}, {"name", *change.name}, {"user_id", identity.user_id}}}});
  }
  auto reply = nlohmann::json{{"universe", universe_to_json(universe)}};
  // Made private: public viewers in the room lose it now (room and universe may be gone after).
  if (change.is_public && !*change.is_public) evict_unauthorized(change.universe_id);
  return reply;
}

}  // namespace harmonic::core
