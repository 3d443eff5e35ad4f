// state:initial (sent on join) and state:sync (catching up after a reconnect).
#include "core/event_error.hpp"
#include "core/payload_fields.hpp"
#include "core/realtime_hub.hpp"
#include "core/sync_pages.hpp"
#include "core/wire_format.hpp"
#include "params/table.hpp"

namespace harmonic::core {

namespace code = protocol::error_code;

namespace {
nlohmann::json parameters_json(const nlohmann::json& parameters) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& spec : params::categories()) {
    const std::string category(spec.name);
    out[category] = parameters.value(category, nlohmann::json::object());
  }
  return out;
}

template <typename T, typename Convert>
nlohmann::json to_array(const std::vector<T>& items, Convert convert) {
  auto list = nlohmann::json::array();
  for (const auto& item : items) list.push_back(convert(item));
  return list;
}

// `cursor` of a state:sync request: absent or null for the first page.
SyncCursor read_cursor(const nlohmann::json& payload) {
  const auto found = payload.find("cursor");
  if (found == payload.end() || found->is_null()) return {};
  const auto& cursor = require_object(*found, "cursor");
  SyncCursor out;
  if (cursor.contains("history_seq")) out.history_seq = require_integer(cursor, "history_seq", 0, max_safe_integer);
  if (auto id = optional_string(cursor, "message_id", 20)) {
    // "" or a message id as the server sent it: a canonical positive decimal.
    const bool canonical = id->empty() || ((*id)[0] != '0' && id->find_first_not_of("0123456789") == std::string::npos);
    if (!canonical) {
      throw EventError(code::invalid_parameters, "cursor.message_id must be a message id from a state:synced cursor",
                       {{"field", "cursor.message_id"}});
    }
    out.message_id = std::move(*id);
  }
  return out;
}

// Keeps the newest history entries and messages that fit in `budget_bytes` together with
// the `used_bytes` already taken, dropping the oldest first (both lists are oldest first).
void keep_newest_within(nlohmann::json& history, nlohmann::json& messages, std::size_t used_bytes,
                        std::size_t budget_bytes) {
  std::size_t h = history.size(), m = messages.size();
  while (h > 0 || m > 0) {
    const bool take_history =
        h > 0 && (m == 0 || history[h - 1].value("timestamp", 0) >= messages[m - 1].value("timestamp", 0));
    const auto size = (take_history ? history[h - 1] : messages[m - 1]).dump().size() + 1;
    if (used_bytes + size > budget_bytes) break;
    used_bytes += size;
    (take_history ? h : m) -= 1;
  }
  history.erase(history.begin(), history.begin() + static_cast<std::ptrdiff_t>(h));
  messages.erase(messages.begin(), messages.begin() + static_cast<std::ptrdiff_t>(m));
}
}  // namespace

// The recent history and chat, as much of it as fits in the state:sync budget: the rest
// is one state:sync away (docs/protocol.md, "Limits and paging").
nlohmann::json RealtimeHub::initial_state(const Room& room) {
  const auto& id = room.universe().id;
  nlohmann::json state = {{"universe", universe_to_json(room.universe())},
                          {"parameters", parameters_json(room.parameters())},
                          {"participants", room.participants_json()},
                          {"timestamp", sync_timestamp()}};
  auto history = to_array(store_.latest_history(id, options_.history_on_join), history_to_json);
  auto messages = to_array(store_.latest_messages(id, options_.messages_on_join), message_to_json);
  constexpr std::size_t frame_and_keys = 64;  // the event name and the two keys
  keep_newest_within(history, messages, state.dump().size() + frame_and_keys, options_.sync_reply_bytes);
  state["history"] = std::move(history);
  state["messages"] = std::move(messages);
  return state;
}

// One page per request (sync_pages.hpp); the client follows `cursor` while `has_more`.
nlohmann::json RealtimeHub::on_state_sync(EventContext& context) {
  const Room& room = joined_room(context);
  std::int64_t since = 0;
  if (const auto last_sync = context.payload.find("last_sync");
      last_sync != context.payload.end() && !last_sync->is_null()) {
    since = require_integer(context.payload, "last_sync", 0, max_safe_integer);
  }
  const auto after = read_cursor(context.payload);
  const auto& id = room.universe().id;
  const auto timestamp = sync_timestamp();
  nlohmann::json reply = {
      {"universe_id", id},
      {"state",
       {{"universe", universe_to_json(room.universe())},
        {"parameters", parameters_json(room.parameters())},
        {"participants", room.participants_json()},
        {"history", nlohmann::json::array()},
        {"messages", nlohmann::json::array()}}},
      {"timestamp", timestamp},
      {"has_more", false},
      {"cursor", cursor_to_json(after)}};
  // The frame around the entries counts against the budget too; the cursor may grow by
  // a few digits, and the frame adds the event name.
  constexpr std::size_t frame_and_cursor_growth = 64;
  const auto used = reply.dump().size() + frame_and_cursor_growth;
  auto page = read_sync_page(store_, id, since, after, options_.sync_reply_bytes, used);
  auto& state = reply["state"];
  state["history"] = std::move(page.history);
  state["messages"] = std::move(page.messages);
  reply["has_more"] = page.has_more;
  reply["cursor"] = cursor_to_json(page.next);
  emit_to(context.connection.id, "state:synced", reply);
  return {{"timestamp", timestamp}, {"has_more", page.has_more}};
}

}  // namespace harmonic::core
