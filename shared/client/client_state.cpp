#include "client/client_state.hpp"

#include "params/table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace harmonic::client {

using nlohmann::json;

namespace {

const json& field(const json& object, const char* name) {
  static const json null_value;
  if (!object.is_object()) return null_value;
  auto it = object.find(name);
  return it == object.end() ? null_value : *it;
}

std::string text(const json& object, const char* name) {
  const json& value = field(object, name);
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number()) return id_string(value);
  return {};
}

double number(const json& object, const char* name, double fallback = 0) {
  const json& value = field(object, name);
  return value.is_number() ? value.get<double>() : fallback;
}

Participant participant_from(const json& p) {
  Participant out;
  out.id = id_string(field(p, "id"));
  if (out.id.empty()) out.id = id_string(field(p, "user_id"));
  out.username = text(p, "username");
  out.status = text(p, "status");
  if (out.status.empty()) out.status = "active";
  return out;
}

ChatMessage message_from(const json& m) {
  ChatMessage out;
  out.id = id_string(field(m, "id"));
  out.user_id = id_string(field(m, "user_id"));
  out.username = text(m, "username");
  out.message = text(m, "message");
  out.timestamp = number(m, "timestamp");
  return out;
}

HistoryEntry history_from(const json& h) {
  HistoryEntry out;
  out.seq = static_cast<std::int64_t>(number(h, "seq", -1));
  out.timestamp = number(h, "timestamp");
  out.user_id = id_string(field(h, "user_id"));
  out.kind = text(h, "kind");
  out.category = text(h, "category");
  out.changes = field(h, "changes");
  return out;
}

// A change heard live. It has no seq (-1) until the server's log entry for it arrives
// (state:sync, re-join), which then replaces it.
HistoryEntry live_history_entry(const json& payload, std::string kind, std::string category, json changes,
                                double now_ms) {
  HistoryEntry entry;
  entry.seq = -1;
  entry.timestamp = now_ms;
  entry.user_id = id_string(field(payload, "user_id"));
  entry.kind = std::move(kind);
  entry.category = std::move(category);
  entry.changes = std::move(changes);
  return entry;
}

void set_participants(ClientState& state, const json& list) {
  if (!list.is_array()) return;
  state.participants.clear();
  for (const auto& p : list) {
    Participant participant = participant_from(p);
    if (participant.id.empty()) continue;
    if (state.participant(participant.id)) continue;  // one entry per user
    state.participants.push_back(std::move(participant));
  }
}

void add_history(ClientState& state, HistoryEntry entry) {
  // Entries with a sequence number are the server's log: keep each seq once, in order.
  if (entry.seq >= 0) {
    for (auto& existing : state.history) {
      if (existing.seq == entry.seq) return;
    }
    // A live entry (seq -1) for the same change is replaced by the logged one.
    auto live = std::find_if(state.history.begin(), state.history.end(), [&](const HistoryEntry& h) {
      return h.seq < 0 && h.kind == entry.kind && h.category == entry.category && h.user_id == entry.user_id &&
             h.changes == entry.changes;
    });
    if (live != state.history.end()) state.history.erase(live);
    auto pos = std::find_if(state.history.begin(), state.history.end(),
                            [&](const HistoryEntry& h) { return h.seq > entry.seq; });
    state.history.insert(pos, std::move(entry));
  } else {
    state.history.push_back(std::move(entry));
  }
  while (state.history.size() > kMaxHistory) state.history.pop_front();
}

void add_message(ClientState& state, ChatMessage message, bool count_unread) {
  if (!message.id.empty()) {
    for (const auto& existing : state.chat) {
      if (existing.id == message.id) return;
    }
  }
  if (message.username.empty()) message.username = state.username_of(message.user_id);
  const bool mine = state.user && message.user_id == state.user->id;
  if (count_unread && !mine) ++state.unread_chat;
  state.chat.push_back(std::move(message));
  if (state.chat.size() > kMaxChat) state.chat.erase(state.chat.begin());
}

void merge_parameters(ClientState& state, const std::string& category, const json& values) {
  if (category.empty() || !values.is_object()) return;
  if (!state.parameters.is_object()) state.parameters = json::object();
  json& target = state.parameters[category];
  if (!target.is_object()) target = json::object();
  for (auto it = values.begin(); it != values.end(); ++it) target[it.key()] = it.value();
}

bool for_this_universe(const ClientState& state, const json& payload) {
  const json& id = field(payload, "universe_id");
  return id.is_null() || state.universe_id.empty() || id_string(id) == state.universe_id;
}

}  // namespace

std::string id_string(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  if (value.is_number()) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.17g", value.get<double>());
    return buffer;
  }
  return {};
}

void ClientState::clear_universe() {
  universe_id.clear();
  joined = false;
  universe = json::object();
  parameters = json::object();
  participants.clear();
  cursors.clear();
  chat.clear();
  unread_chat = 0;
  history.clear();
  last_sync_ms = 0;
  read_only = false;
}

const Participant* ClientState::participant(const std::string& user_id) const {
  for (const auto& p : participants) {
    if (p.id == user_id) return &p;
  }
  return nullptr;
}

std::string ClientState::username_of(const std::string& user_id) const {
  if (user && user->id == user_id) return user->username;
  if (const auto* p = participant(user_id)) return p->username;
  for (auto it = chat.rbegin(); it != chat.rend(); ++it) {
    if (it->user_id == user_id && !it->username.empty()) return it->username;
  }
  auto cursor = cursors.find(user_id);
  if (cursor != cursors.end() && !cursor->second.username.empty()) return cursor->second.username;
  return user_id.empty() ? std::string("someone") : "user " + user_id;
}

void ClientState::notify(NoticeLevel level, std::string title, std::string text, double now_ms, double duration_ms) {
  // The same message again refreshes the existing toast instead of stacking.
  for (auto& notice : notices) {
    if (notice.title == title && notice.text == text) {
      notice.at_ms = now_ms;
      return;
    }
  }
  notices.push_back(Notice{level, std::move(title), std::move(text), now_ms, duration_ms});
  if (notices.size() > 6) notices.erase(notices.begin());
}

void apply_state(ClientState& state, const json& snapshot, bool replace) {
  if (!snapshot.is_object()) return;
  const json& universe = field(snapshot, "universe");
  if (universe.is_object()) {
    state.universe = universe;
    const std::string id = id_string(field(universe, "id"));
    if (!id.empty()) state.universe_id = id;
    const std::string role = text(universe, "role");
    if (!role.empty()) state.read_only = (role == "viewer");
  }
  const json& parameters = field(snapshot, "parameters");
  if (parameters.is_object()) {
    if (replace) state.parameters = json::object();
    for (auto it = parameters.begin(); it != parameters.end(); ++it) merge_parameters(state, it.key(), it.value());
  }
  set_participants(state, field(snapshot, "participants"));
  const json& history = field(snapshot, "history");
  if (history.is_array()) {
    if (replace) state.history.clear();
    for (const auto& h : history) add_history(state, history_from(h));
  }
  const json& messages = field(snapshot, "messages");
  if (messages.is_array()) {
    if (replace) state.chat.clear();
    for (const auto& m : messages) add_message(state, message_from(m), false);
  }
}

bool apply_event(ClientState& state, const std::string& name, const json& payload, double now_ms) {
  const std::string self = state.user ? state.user->id : std::string();

  if (name == "universe:joined") {
    if (!for_this_universe(state, payload)) return true;
    const json& universe = field(payload, "universe");
    if (universe.is_object()) state.universe = universe;
    set_participants(state, field(payload, "participants"));
    if (id_string(field(payload, "user_id")) == self) state.joined = true;
    return true;
  }
  if (name == "state:initial") {
    apply_state(state, payload, true);
    state.joined = true;
    return true;
  }
  if (name == "state:synced") {
    if (!for_this_universe(state, payload)) return true;
    apply_state(state, field(payload, "state"), false);
    // Only the last page moves the sync point: a reconnection in the middle of paging
    // asks again from where the whole sync started.
    const double ts = number(payload, "timestamp");
    const json& more = field(payload, "has_more");
    if (ts > 0 && !(more.is_boolean() && more.get<bool>())) state.last_sync_ms = ts;
    return true;
  }
  if (name == "universe:left") {
    if (!for_this_universe(state, payload)) return true;
    const std::string user_id = id_string(field(payload, "user_id"));
    if (user_id == self) {
      state.joined = false;
    } else {
      std::erase_if(state.participants, [&](const Participant& p) { return p.id == user_id; });
      state.cursors.erase(user_id);
    }
    return true;
  }
  if (name == "universe:updated") {
    if (!for_this_universe(state, payload)) return true;
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
    return true;
  }
  if (name == "parameter:updated") {
    if (!for_this_universe(state, payload)) return true;
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
        return true;
      }
    }
    add_history(state, std::move(entry));
    return true;
  }
  if (name == "parameter:reset") {
    if (!for_this_universe(state, payload)) return true;
    const std::string category = text(payload, "category");
    const json& defaults = field(payload, "default_parameters");
    if (!category.empty() && defaults.is_object()) {
      state.parameters[category] = defaults;
      add_history(state, live_history_entry(payload, "reset", category, defaults, now_ms));
    }
    return true;
  }
  if (name == "parameter:synced") {
    for (const auto& spec : params::categories()) {
      const std::string category(spec.name);
      const json& values = field(payload, (category + "_parameters").c_str());
      if (values.is_object()) state.parameters[category] = values;
    }
    return true;
  }
  if (name == "collaboration:cursor") {
    if (!for_this_universe(state, payload)) return true;
    const std::string user_id = id_string(field(payload, "user_id"));
    if (user_id.empty() || user_id == self) return true;
    auto& cursor = state.cursors[user_id];
    cursor.user_id = user_id;
    const std::string username = text(payload, "username");
    cursor.username = username.empty() ? state.username_of(user_id) : username;
    const json& position = field(payload, "position");
    cursor.x = number(position, "x");
    cursor.y = number(position, "y");
    cursor.updated_ms = now_ms;
    return true;
  }
  if (name == "collaboration:presence") {
    if (!for_this_universe(state, payload)) return true;
    const std::string user_id = id_string(field(payload, "user_id"));
    const std::string status = text(payload, "status");
    for (auto& p : state.participants) {
      if (p.id == user_id && !status.empty()) p.status = status;
    }
    return true;
  }
  if (name == "collaboration:message") {
    if (!for_this_universe(state, payload)) return true;
    ChatMessage message = message_from(payload);
    if (message.timestamp <= 0) message.timestamp = now_ms;
    add_message(state, std::move(message), true);
    return true;
  }
  if (name == "system:error") {
    const std::string code = text(payload, "code");
    const json& universe_id = field(field(payload, "details"), "universe_id");
    if (code == "unauthorized" && !universe_id.is_null() && id_string(universe_id) == state.universe_id) {
      // Access to the open universe was removed, or it was deleted (the Client closes it).
      state.notify(NoticeLevel::warning, "Universe closed", text(payload, "message"), now_ms, 8000);
    } else if (code == "rate_limited") {
      state.notify(NoticeLevel::warning, "Slow down", "Too many changes at once; some were not applied.", now_ms);
    } else {
      state.notify(NoticeLevel::error, "Server error", describe_error(payload), now_ms);
    }
    return true;
  }
  if (name == "rate_limit") {
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
    return true;
  }
  if (name == "system:notification") {
    std::string title = text(payload, "type");
    if (title.empty()) title = "Notice";
    else title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
    std::replace(title.begin(), title.end(), '_', ' ');
    state.notify(NoticeLevel::info, title, text(payload, "message"), now_ms);
    return true;
  }
  if (name == "system:maintenance") {
    std::string message = text(payload, "message");
    const double duration = number(payload, "estimated_duration");
    if (duration > 0) {
      char buffer[64];
      std::snprintf(buffer, sizeof buffer, " (about %.0f s)", duration >= 1000 ? duration / 1000 : duration);
      message += buffer;
    }
    state.notify(NoticeLevel::warning, "Maintenance", message.empty() ? "The server is restarting." : message,
                 now_ms, 15000);
    return true;
  }
  if (name == "authenticated") return true;
  return false;
}

json status_json(const ClientState& state) {
  json participants = json::array();
  for (const auto& p : state.participants) {
    participants.push_back({{"id", p.id}, {"username", p.username}, {"status", p.status}});
  }
  json parameters = json::object();
  for (const auto& spec : params::categories()) {
    const std::string category(spec.name);
    auto it = state.parameters.find(category);
    parameters[category] = (it != state.parameters.end() && it->is_object()) ? *it : json::object();
  }
  json out = {
      {"connection", to_string(state.connection)},
      {"user", state.user ? json{{"id", state.user->id}, {"username", state.user->username}} : json(nullptr)},
      {"universe_id", state.universe_id.empty() ? json(nullptr) : json(state.universe_id)},
      {"joined", state.joined},
      {"participants", participants},
      {"parameters", parameters},
      {"chat_count", state.chat.size()},
      {"unread_chat", state.unread_chat},
      {"cursors", state.cursors.size()},
      {"history_count", state.history.size()},
      {"reconnect_attempt", state.reconnect_attempt},
      {"frames", state.frames},
      {"edit_sent_frame", state.edit_sent_frame},
  };
  json notices = json::array();
  for (const auto& n : state.notices) notices.push_back({{"title", n.title}, {"text", n.text}});
  out["notices"] = notices;
  return out;
}

std::uint32_t user_color(const std::string& user_id) {
  // FNV-1a over the id picks a hue; saturation and value stay pleasant on dark.
  std::uint32_t h = 2166136261u;
  for (unsigned char c : user_id) h = (h ^ c) * 16777619u;
  const float hue = float(h % 360) / 60.0f;
  const float s = 0.65f, v = 0.98f;
  const int i = int(hue);
  const float f = hue - float(i);
  const float p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
  float r, g, b;
  switch (i % 6) {
    case 0: r = v, g = t, b = p; break;
    case 1: r = q, g = v, b = p; break;
    case 2: r = p, g = v, b = t; break;
    case 3: r = p, g = q, b = v; break;
    case 4: r = t, g = p, b = v; break;
    default: r = v, g = p, b = q; break;
  }
  auto byte = [](float x) { return std::uint32_t(std::lround(std::clamp(x, 0.0f, 1.0f) * 255)); };
  return (byte(r) << 16) | (byte(g) << 8) | byte(b);
}

std::string describe_error(const json& error) {
  if (!error.is_object()) return error.is_string() ? error.get<std::string>() : "Something went wrong.";
  const json& inner = field(error, "error");
  const json& e = inner.is_object() ? inner : error;
  std::string message = text(e, "message");
  const std::string code = text(e, "code");
  if (message.empty()) message = code.empty() ? "Something went wrong." : code;
  const json& details = field(e, "details");
  const json& fields = field(details, "fields");
  if (fields.is_array() && !fields.empty()) {
    std::string list;
    for (const auto& f : fields) {
      const std::string m = text(f, "message");
      const std::string name = text(f, "field");
      if (!list.empty()) list += "; ";
      list += name.empty() ? m : name + " " + m;
    }
    if (!list.empty() && message.find(list) == std::string::npos) message += ": " + list;
  }
  return message;
}

std::string relative_time(double timestamp_ms, double now_ms) {
  const double seconds = std::max(0.0, (now_ms - timestamp_ms) / 1000.0);
  char buffer[32];
  if (seconds < 5) return "just now";
  if (seconds < 60) std::snprintf(buffer, sizeof buffer, "%d s ago", int(seconds));
  else if (seconds < 3600) std::snprintf(buffer, sizeof buffer, "%d min ago", int(seconds / 60));
  else if (seconds < 86400) std::snprintf(buffer, sizeof buffer, "%d h ago", int(seconds / 3600));
  else std::snprintf(buffer, sizeof buffer, "%d d ago", int(seconds / 86400));
  return buffer;
}

}  // namespace harmonic::client
