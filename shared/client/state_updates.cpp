#include "client/state_updates.hpp"

#include <algorithm>

#include "client/payload_reading.hpp"

namespace harmonic::client {

using nlohmann::json;
using payload::field;
using payload::number;
using payload::text;

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

}  // namespace harmonic::client
