#include "frontend/client_status.hpp"

#include "params/table.hpp"
#include "ui/display_text.hpp"

namespace harmonic::frontend {

using nlohmann::json;

json client_status_json(const client::ClientState& state) {
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
      {"connection", client::to_string(state.connection)},
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
  // The text as the toast shows it (an error worded by ui::notice_text).
  for (const auto& n : state.notices) notices.push_back({{"title", n.title}, {"text", ui::notice_text(n)}});
  out["notices"] = notices;
  json cursors = json::array();  // the others' pointers as this client draws them
  for (const auto& [id, c] : state.cursors) cursors.push_back({{"user_id", id}, {"username", c.username}, {"x", c.x}, {"y", c.y}});
  out["remote_cursors"] = cursors;
  return out;
}

}  // namespace harmonic::frontend
