// state:initial (sent on join) and state:sync (catching up after a reconnect).
#include "core/event_error.hpp"
#include "core/payload_fields.hpp"
#include "core/realtime_hub.hpp"
#include "core/wire_format.hpp"

namespace harmonic::core {

namespace code = protocol::error_code;

namespace {
constexpr int max_sync_entries = 1000;

nlohmann::json parameters_json(const nlohmann::json& parameters) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto* category : {"physics", "music", "audio", "visualization"}) {
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
}  // namespace

nlohmann::json RealtimeHub::initial_state(const Room& room) {
  const auto& id = room.universe().id;
  return {{"universe", universe_to_json(room.universe())},
          {"parameters", parameters_json(room.parameters())},
          {"participants", room.participants_json()},
          {"history", to_array(store_.latest_history(id, options_.history_on_join), history_to_json)},
          {"messages", to_array(store_.latest_messages(id, options_.messages_on_join), message_to_json)},
          {"timestamp", sync_timestamp()}};
}

nlohmann::json RealtimeHub::on_state_sync(EventContext& context) {
  const Room& room = joined_room(context);
  const auto last_sync = context.payload.find("last_sync");
  std::int64_t since = 0;
  if (last_sync != context.payload.end() && !last_sync->is_null()) {
    since = static_cast<std::int64_t>(require_finite_number(context.payload, "last_sync"));
  }
  const auto& id = room.universe().id;
  const auto timestamp = sync_timestamp();
  const nlohmann::json state = {
      {"universe", universe_to_json(room.universe())},
      {"parameters", parameters_json(room.parameters())},
      {"participants", room.participants_json()},
      {"history", to_array(store_.history_since(id, since, max_sync_entries), history_to_json)},
      {"messages", to_array(store_.messages_since(id, since, max_sync_entries), message_to_json)},
  };
  emit_to(context.connection.id, "state:synced", {{"universe_id", id}, {"state", state}, {"timestamp", timestamp}});
  return {{"timestamp", timestamp}};
}

}  // namespace harmonic::core
