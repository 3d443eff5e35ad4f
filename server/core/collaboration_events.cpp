// collaboration:cursor, presence and message: the people side of a room.
#include <cmath>

#include "core/event_error.hpp"
#include "core/payload_fields.hpp"
#include "core/realtime_hub.hpp"
#include "core/text_rules.hpp"
#include "core/wire_format.hpp"

namespace harmonic::core {

namespace code = protocol::error_code;

namespace {
constexpr double max_coordinate = 1e9;
}  // namespace

nlohmann::json RealtimeHub::on_cursor(EventContext& context) {
  // Cursors spend their own budget; over it they are coalesced, never refused.
  const Room& room = joined_room(context);
  const auto& identity = context.identity();
  const auto position = context.payload.find("position");
  if (position == context.payload.end() || !position->is_object()) {
    throw EventError(code::invalid_parameters, "position must be an object {x, y}", {{"field", "position"}});
  }
  const double x = require_finite_number(*position, "x");
  const double y = require_finite_number(*position, "y");
  if (std::abs(x) > max_coordinate || std::abs(y) > max_coordinate) {
    throw EventError(code::invalid_parameters, "position is out of range", {{"field", "position"}});
  }
  // `hidden: true`: the pointer left (a finger lifted), so the others stop drawing it
  // (docs/protocol.md); relayed only when true, so older clients see the usual payload.
  const auto hidden = context.payload.find("hidden");
  if (hidden != context.payload.end() && !hidden->is_boolean()) {
    throw EventError(code::invalid_parameters, "hidden must be a boolean", {{"field", "hidden"}});
  }
  nlohmann::json cursor = {{"universe_id", room.universe().id},
                           {"user_id", identity.user_id},
                           {"username", identity.username},
                           {"position", {{"x", x}, {"y", y}}}};
  if (hidden != context.payload.end() && hidden->get<bool>()) cursor["hidden"] = true;
  auto& connection = context.connection;
  const auto now = clock_.now_ms();
  if (connection.cursors.try_take(now)) {
    connection.pending_cursors.erase(room.universe().id);
    emit_to_room(room.universe().id, "collaboration:cursor", cursor, connection.id);
  } else if (!is_flooding(connection, now)) {
    connection.pending_cursors[room.universe().id] = std::move(cursor);  // latest wins
    cursor_backlog_.insert(connection.id);
  }
  return {};
}

void RealtimeHub::flush_pending_cursors(Connection& connection) {
  for (auto it = connection.pending_cursors.begin(); it != connection.pending_cursors.end();) {
    if (!connection.cursors.try_take(clock_.now_ms())) return;
    if (connection.joined.contains(it->first)) {
      emit_to_room(it->first, "collaboration:cursor", it->second, connection.id);
    }
    it = connection.pending_cursors.erase(it);
  }
}

nlohmann::json RealtimeHub::on_presence(EventContext& context) {
  Room& room = joined_room(context);
  const auto& identity = context.identity();
  const auto status = require_string(context.payload, "status", 16);
  if (status != "active" && status != "idle" && status != "away") {
    throw EventError(code::invalid_parameters, "status must be one of active, idle, away",
                     {{"field", "status"}, {"allowed", {{"values", {"active", "idle", "away"}}}}});
  }
  room.set_status(identity.user_id, status);
  announce_presence(room.universe().id, identity.user_id, identity.username, status);
  emit_to_room(room.universe().id, "collaboration:presence",
               {{"universe_id", room.universe().id}, {"user_id", identity.user_id}, {"status", status}});
  return {};
}

nlohmann::json RealtimeHub::on_message(EventContext& context) {
  const Room& room = joined_room(context);
  const auto& identity = context.identity();
  const auto text = require_string(context.payload, "message", kChatMessageMax * 4);
  if (const auto problem = check_chat_message(text)) {
    throw EventError(code::invalid_parameters, *problem,
                     {{"field", "message"}, {"allowed", {{"min_length", 1}, {"max_length", kChatMessageMax}}}});
  }
  auto stored = store_message(room.universe().id, identity.user_id, text);
  stored.username = identity.username;
  const auto message = message_to_json(stored);
  emit_to_room(room.universe().id, "collaboration:message", message);
  return {{"message", message}};
}

}  // namespace harmonic::core
