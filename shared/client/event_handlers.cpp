// Server events applied to the client's model (docs/protocol.md lists them): one
// handler per event, found in a table, as the server's handlers() finds its own.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string_view>
#include <unordered_map>

#include "client/client_state.hpp"
#include "client/payload_reading.hpp"
#include "client/state_updates.hpp"
#include "params/table.hpp"

namespace harmonic::client {

using nlohmann::json;
using payload::field;
using payload::number;
using payload::text;

namespace {

// `self`: the signed-in user's id ("" when signed out).
using Handler = void (*)(ClientState& state, const json& payload, double now_ms, const std::string& self);

struct EventHandler {
  bool room_scoped;  // applies only to the open universe (payload.universe_id)
  Handler apply;
};

void on_universe_joined(ClientState& state, const json& payload, double /*now_ms*/, const std::string& self) {
  const json& universe = field(payload, "universe");
  if (universe.is_object()) state.universe = universe;
  set_participants(state, field(payload, "participants"));
  if (id_string(field(payload, "user_id")) == self) state.joined = true;
}

void on_state_initial(ClientState& state, const json& payload, double /*now_ms*/, const std::string& /*self*/) {
  apply_state(state, payload, true);
  state.joined = true;
}

void on_state_synced(ClientState& state, const json& payload, double /*now_ms*/, const std::string& /*self*/) {
  apply_state(state, field(payload, "state"), false);
  // Only the last page moves the sync point: a reconnection in the middle of paging
  // asks again from where the whole sync started.
  const double ts = number(payload, "timestamp");
  const json& more = field(payload, "has_more");
  if (ts > 0 && !(more.is_boolean() && more.get<bool>())) state.last_sync_ms = ts;
}

void on_universe_left(ClientState& state, const json& payload, double /*now_ms*/, const std::string& self) {
  const std::string user_id = id_string(field(payload, "user_id"));
  if (user_id == self) {
    state.joined = false;
  } else {
    std::erase_if(state.participants, [&](const Participant& p) { return p.id == user_id; });
    state.cursors.erase(user_id);
  }
}

void on_universe_updated(ClientState& state, const json& payload, double now_ms, const std::string& /*self*/) {
  json changes = field(payload, "changes");
  if (!changes.is_object()) changes = field(payload, "universe");
  if (changes.is_object()) {
    for (auto it = changes.begin(); it != changes.end(); ++it) state.universe[it.key()] = it.value();
    add_history(state, live_history_entry(payload, "universe", "", changes, now_ms));
  }
  // Keep the list entry's name in step.
  for (auto& u : state.universes) {
    if (u.id == state.universe_id) {
      u.name = state.universe.value("name", u.name);
      u.description = state.universe.value("description", u.description);
    }
  }
}

void on_parameter_updated(ClientState& state, const json& payload, double now_ms, const std::string& /*self*/) {
  const std::string category = text(payload, "category");
  merge_parameters(state, category, field(payload, "parameters"));
  HistoryEntry entry = live_history_entry(payload, "parameter", category, field(payload, "parameters"), now_ms);
  // Consecutive drags by one person on the same category read as one change.
  if (!state.history.empty()) {
    auto& last = state.history.back();
    if (last.seq < 0 && last.kind == "parameter" && last.category == category && last.user_id == entry.user_id &&
        now_ms - last.timestamp < 1500 && last.changes.is_object() && entry.changes.is_object()) {
      for (auto it = entry.changes.begin(); it != entry.changes.end(); ++it) last.changes[it.key()] = it.value();
      last.timestamp = now_ms;
      return;
    }
  }
  add_history(state, std::move(entry));
}

void on_parameter_reset(ClientState& state, const json& payload, double now_ms, const std::string& /*self*/) {
  const std::string category = text(payload, "category");
  const json& defaults = field(payload, "default_parameters");
  if (!category.empty() && defaults.is_object()) {
    state.parameters[category] = defaults;
    add_history(state, live_history_entry(payload, "reset", category, defaults, now_ms));
  }
}

void on_parameter_synced(ClientState& state, const json& payload, double /*now_ms*/, const std::string& /*self*/) {
  for (const auto& spec : params::categories()) {
    const std::string category(spec.name);
    const json& values = field(payload, (category + "_parameters").c_str());
    if (values.is_object()) state.parameters[category] = values;
  }
}

void on_collaboration_cursor(ClientState& state, const json& payload, double now_ms, const std::string& self) {
  const std::string user_id = id_string(field(payload, "user_id"));
  if (user_id.empty() || user_id == self) return;
  const json& hidden = field(payload, "hidden");
  if (hidden.is_boolean() && hidden.get<bool>()) {  // their pointer left (docs/protocol.md)
    state.cursors.erase(user_id);
    return;
  }
  auto& cursor = state.cursors[user_id];
  cursor.user_id = user_id;
  const std::string username = text(payload, "username");
  cursor.username = username.empty() ? state.username_of(user_id) : username;
  const json& position = field(payload, "position");
  cursor.x = number(position, "x");
  cursor.y = number(position, "y");
  cursor.updated_ms = now_ms;
}

void on_collaboration_presence(ClientState& state, const json& payload, double /*now_ms*/, const std::string& /*self*/) {
  const std::string user_id = id_string(field(payload, "user_id"));
  const std::string status = text(payload, "status");
  for (auto& p : state.participants) {
    if (p.id == user_id && !status.empty()) p.status = status;
  }
}

void on_collaboration_message(ClientState& state, const json& payload, double now_ms, const std::string& /*self*/) {
  ChatMessage message = message_from(payload);
  if (message.timestamp <= 0) message.timestamp = now_ms;
  add_message(state, std::move(message), true);
}

void on_system_error(ClientState& state, const json& payload, double now_ms, const std::string& /*self*/) {
  const std::string code = text(payload, "code");
  const json& universe_id = field(field(payload, "details"), "universe_id");
  if (code == "unauthorized" && !universe_id.is_null() && id_string(universe_id) == state.universe_id) {
    // Access to the open universe was removed, or it was deleted (the Client closes it).
    state.notify(NoticeLevel::warning, "Universe closed", text(payload, "message"), now_ms, 8000);
  } else if (code == "rate_limited") {
    state.notify(NoticeLevel::warning, "Slow down", "Too many changes at once; some were not applied.", now_ms);
  } else {
    state.notify_error("Server error", payload, now_ms);
  }
}

void on_rate_limit(ClientState& state, const json& payload, double now_ms, const std::string& /*self*/) {
  const double reset_at = number(payload, "reset_at");
  std::string detail = "The server is limiting how fast changes are sent";
  if (reset_at > 0 && now_ms > 0) {
    char buffer[96];
    const double wait = std::max(0.0, (reset_at - now_ms) / 1000.0);
    std::snprintf(buffer, sizeof buffer, " (%d of %d left, full again in %.1f s).",
                  int(number(payload, "remaining")), int(number(payload, "limit")), wait);
    detail += buffer;
  } else {
    detail += ".";
  }
  state.notify(NoticeLevel::warning, "Rate limit", detail, now_ms);
}

void on_system_notification(ClientState& state, const json& payload, double now_ms, const std::string& /*self*/) {
  std::string title = text(payload, "type");
  if (title.empty()) title = "Notice";
  else title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
  std::replace(title.begin(), title.end(), '_', ' ');
  state.notify(NoticeLevel::info, title, text(payload, "message"), now_ms);
}

void on_system_maintenance(ClientState& state, const json& payload, double now_ms, const std::string& /*self*/) {
  std::string message = text(payload, "message");
  const double duration = number(payload, "estimated_duration");
  if (duration > 0) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, " (about %.0f s)", duration >= 1000 ? duration / 1000 : duration);
    message += buffer;
  }
  state.notify(NoticeLevel::warning, "Maintenance", message.empty() ? "The server is restarting." : message,
               now_ms, 15000);
}

// Known and nothing to apply: the session itself acts on it.
void on_authenticated(ClientState&, const json&, double, const std::string&) {}

const std::unordered_map<std::string_view, EventHandler>& handlers() {
  static const std::unordered_map<std::string_view, EventHandler> table = {
      {"universe:joined", {true, on_universe_joined}},
      {"state:initial", {false, on_state_initial}},
      {"state:synced", {true, on_state_synced}},
      {"universe:left", {true, on_universe_left}},
      {"universe:updated", {true, on_universe_updated}},
      {"parameter:updated", {true, on_parameter_updated}},
      {"parameter:reset", {true, on_parameter_reset}},
      {"parameter:synced", {false, on_parameter_synced}},
      {"collaboration:cursor", {true, on_collaboration_cursor}},
      {"collaboration:presence", {true, on_collaboration_presence}},
      {"collaboration:message", {true, on_collaboration_message}},
      {"system:error", {false, on_system_error}},
      {"rate_limit", {false, on_rate_limit}},
      {"system:notification", {false, on_system_notification}},
      {"system:maintenance", {false, on_system_maintenance}},
      {"authenticated", {false, on_authenticated}},
  };
  return table;
}

}  // namespace

bool apply_event(ClientState& state, const std::string& name, const json& payload, double now_ms) {
  const auto found = handlers().find(name);
  if (found == handlers().end()) return false;
  const auto& [room_scoped, apply] = found->second;
  if (room_scoped && !for_this_universe(state, payload)) return true;
  apply(state, payload, now_ms, state.user ? state.user->id : std::string());
  return true;
}

}  // namespace harmonic::client
