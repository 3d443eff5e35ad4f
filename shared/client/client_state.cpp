#include "client/client_state.hpp"

#include "client/payload_reading.hpp"
#include "client/state_updates.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace harmonic::client {

using nlohmann::json;
using payload::field;
using payload::text;


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

namespace {

void add_notice(std::vector<Notice>& notices, Notice notice) {
  // The same message again refreshes the existing toast instead of stacking.
  for (auto& shown : notices) {
    if (shown.title == notice.title && shown.text == notice.text && shown.error == notice.error) {
      shown.at_ms = notice.at_ms;
      return;
    }
  }
  notices.push_back(std::move(notice));
  if (notices.size() > 6) notices.erase(notices.begin());
}

}  // namespace

void ClientState::notify(NoticeLevel level, std::string title, std::string text, double now_ms, double duration_ms) {
  add_notice(notices, Notice{level, std::move(title), std::move(text), json(), now_ms, duration_ms});
}

void ClientState::notify_error(std::string title, json error, double now_ms, double duration_ms) {
  add_notice(notices, Notice{NoticeLevel::error, std::move(title), std::string(), std::move(error), now_ms, duration_ms});
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

}  // namespace harmonic::client
