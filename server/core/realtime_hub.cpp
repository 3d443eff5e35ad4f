#include "core/realtime_hub.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

#include <spdlog/spdlog.h>

#include "core/event_costs.hpp"
#include "core/event_error.hpp"
#include "core/payload_fields.hpp"
#include "protocol/error_codes.hpp"

namespace harmonic::core {

namespace code = protocol::error_code;

namespace {
// A client still sending this many refused events within one second is not a person:
// it is cut off rather than answered forever.
constexpr std::int64_t flood_cutoff_per_second = 400;
}  // namespace

RealtimeHub::RealtimeHub(storage::Store& store, const auth::TokenService& tokens, GroupCommit& outbox,
                         RoomDelivery& rooms, const Clock& clock, Metrics& metrics, HubOptions options)
    : store_(store), tokens_(tokens), outbox_(outbox), delivery_(rooms), clock_(clock), metrics_(metrics),
      options_(options) {}

const Identity& RealtimeHub::EventContext::identity() const {
  if (!connection.identity) throw EventError(code::unauthorized, "authenticate first");
  return *connection.identity;
}

const std::unordered_map<std::string_view, RealtimeHub::Handler>& RealtimeHub::handlers() {
  static const std::unordered_map<std::string_view, Handler> table = {
      {"authenticate", &RealtimeHub::on_authenticate},
      {"universe:join", &RealtimeHub::on_universe_join},
      {"universe:leave", &RealtimeHub::on_universe_leave},
      {"universe:update", &RealtimeHub::on_universe_update},
      {"parameter:update", &RealtimeHub::on_parameter_update},
      {"parameter:reset", &RealtimeHub::on_parameter_reset},
      {"parameter:sync", &RealtimeHub::on_parameter_sync},
      {"parameter:batch_update", &RealtimeHub::on_parameter_batch_update},
      {"parameter:delta", &RealtimeHub::on_parameter_delta},
      {"collaboration:cursor", &RealtimeHub::on_cursor},
      {"collaboration:presence", &RealtimeHub::on_presence},
      {"collaboration:message", &RealtimeHub::on_message},
      {"state:sync", &RealtimeHub::on_state_sync},
  };
  return table;
}

void RealtimeHub::on_open(ConnectionId connection) {
  const auto now = clock_.now_ms();
  connections_.try_emplace(connection, connection, now, options_.event_rate, options_.event_burst,
                           options_.cursor_rate, options_.cursor_burst);
  awaiting_connect_.emplace_back(now, connection);
  awaiting_identity_.emplace_back(now, connection);
  metrics_.connection_opened();
}

void RealtimeHub::on_close(ConnectionId connection) {
  const auto it = connections_.find(connection);
  if (it == connections_.end()) return;
  leave_all_rooms(it->second);
  forget_session(it->second);
  cursor_backlog_.erase(connection);
  connections_.erase(it);
  metrics_.connection_closed();
  metrics_.set_rooms(static_cast<std::int64_t>(rooms_.size()));
}

std::string RealtimeHub::user_of(ConnectionId connection) const {
  const auto it = connections_.find(connection);
  return it != connections_.end() && it->second.identity ? it->second.identity->user_id : std::string{};
}

void RealtimeHub::on_binary(ConnectionId connection) {
  const auto it = connections_.find(connection);
  if (it == connections_.end()) return;
  if (!admit(it->second, std::nullopt, "binary")) return;
  reply_error(it->second, std::nullopt, code::invalid_parameters, "binary frames are not supported",
              {{"reason", "binary"}});
}

void RealtimeHub::on_packet(ConnectionId id, std::string_view payload) {
  const auto it = connections_.find(id);
  if (it == connections_.end()) return;
  dispatch_packet(it->second, payload);
  if (!schedule_finish_) finish_turn();
}

void RealtimeHub::dispatch_packet(Connection& connection, std::string_view payload) {
  const auto id = connection.id;
  // Being closed or dropped (e.g. it stopped reading and its write queue is full): its
  // reply would be thrown away, so it is not built; a flood of state:sync from sockets
  // that never read once cost every other client its latency.
  if (outbox_.is_closing(id)) return;
  auto parsed = protocol::parse_socket_packet(payload);
  if (auto* error = std::get_if<protocol::PacketError>(&parsed)) {
    if (!connection.namespace_connected) {
      outbox_.close(id, "malformed packet before CONNECT");
      return;
    }
    if (!admit(connection, std::nullopt, "malformed")) return;
    reply_error(connection, std::nullopt, code::invalid_parameters, "malformed packet: " + error->message,
                {{"reason", "malformed"}});
    return;
  }
  auto& packet = std::get<protocol::SocketPacket>(parsed);

  if (packet.type == protocol::SocketPacketType::connect) {
    on_namespace_connect(connection, packet);
    return;
  }
  if (!connection.namespace_connected || packet.nsp != "/") {
    // Socket.IO servers drop a client that skips CONNECT; there is no namespace to answer in.
    outbox_.close(id, "packet before CONNECT");
    return;
  }
  switch (packet.type) {
    case protocol::SocketPacketType::disconnect:
      leave_all_rooms(connection);
      connection.namespace_connected = false;
      outbox_.close(id, "client disconnect");
      return;
    case protocol::SocketPacketType::event: {
      const auto ack_id = packet.ack_id;
      auto event = protocol::event_from_packet(std::move(packet));
      if (!event) {
        if (!admit(connection, ack_id, "malformed")) return;
        reply_error(connection, ack_id, code::invalid_parameters,
                    "an event must be an array starting with its name", {{"reason", "malformed"}});
        return;
      }
      handle_event(connection, *event);
      return;
    }
    case protocol::SocketPacketType::ack:
      return;  // the server asks nothing of clients, so a stray ack changes nothing
    default:
      if (!admit(connection, std::nullopt, "malformed")) return;
      reply_error(connection, std::nullopt, code::invalid_parameters, "unexpected packet type",
                  {{"reason", "malformed"}});
  }
}

void RealtimeHub::handle_event(Connection& connection, const protocol::Event& event) {
  const bool is_cursor = event.name == "collaboration:cursor";
  if (!is_cursor && !admit(connection, event.ack_id, event.name)) return;

  const auto& table = handlers();
  const auto handler = table.find(event.name);
  const std::string_view counted_name = handler == table.end() ? std::string_view("unknown") : handler->first;
  metrics_.count_event_in(counted_name);

  try {
    const bool is_authenticate = handler != table.end() && handler->first == "authenticate";
    if (!is_authenticate && !connection.identity) throw EventError(code::unauthorized, "authenticate first");
    if (handler == table.end()) {
      throw EventError(code::invalid_parameters, "unknown event '" + event.name.substr(0, 64) + "'",
                       {{"event", event.name.substr(0, 64)}});
    }
    EventContext context{connection, event, event.payload};
    reply_deferred_ = false;
    auto result = (this->*(handler->second))(context);
    // A held join answers when it finishes (cluster_events.cpp).
    if (event.ack_id && !std::exchange(reply_deferred_, false)) {
      if (!result.is_object()) result = nlohmann::json::object();
      result["ok"] = true;
      outbox_.send_reply(connection.id, *event.ack_id, make_frame(protocol::encode_ack_frame(*event.ack_id, result)));
    }
  } catch (const EventError& error) {
    reply_error(connection, event.ack_id, error.code(), error.what(), error.details());
    if (error.code() == code::too_many_connections) outbox_.close_over_capacity(connection.id, error.what());
  } catch (const std::exception& error) {
    spdlog::error("event {} from connection {} failed: {}", event.name.substr(0, 64), connection.id, error.what());
    reply_error(connection, event.ack_id, code::server_error, "the server could not complete the request",
                failure_details(&error));
  }
}

bool RealtimeHub::admit(Connection& connection, std::optional<std::uint64_t> ack_id, std::string_view event_name) {
  const auto now = clock_.now_ms();
  if (connection.events.try_take(now, event_cost(event_name))) return true;

  if (is_flooding(connection, now)) return false;

  metrics_.count_error(code::rate_limited);
  const nlohmann::json details = {{"limit", connection.events.capacity()},
                                  {"remaining", connection.events.remaining(now)},
                                  {"reset_at", connection.events.full_at(now)},
                                  {"event", std::string(event_name.substr(0, 64))}};
  if (ack_id) {
    outbox_.send(connection.id, make_frame(protocol::encode_ack_frame(
                                    *ack_id, {{"ok", false},
                                              {"error", {{"code", code::rate_limited},
                                                         {"message", "too many events; slow down"},
                                                         {"details", details}}}})));
  }
  // The notice itself is rate limited so refusing a flood does not become one.
  if (now - connection.last_rate_notice_ms >= 1000) {
    connection.last_rate_notice_ms = now;
    emit_to(connection.id, "rate_limit",
            {{"limit", details["limit"]}, {"remaining", details["remaining"]}, {"reset_at", details["reset_at"]}});
    if (!ack_id) {
      emit_to(connection.id, "system:error",
              {{"code", code::rate_limited}, {"message", "too many events; slow down"}, {"details", details}});
    }
  }
  return false;
}

bool RealtimeHub::is_flooding(Connection& connection, std::int64_t now) {
  if (now - connection.refuse_window_start_ms >= 1000) {
    connection.refuse_window_start_ms = now;
    connection.refused_in_window = 0;
  }
  if (++connection.refused_in_window <= flood_cutoff_per_second) return false;
  if (connection.refused_in_window == flood_cutoff_per_second + 1) {
    spdlog::warn("connection {} flooded past {} refused events per second; closing", connection.id,
                 flood_cutoff_per_second);
    outbox_.close(connection.id, "flood");
  }
  return true;
}

void RealtimeHub::reply_error(Connection& connection, std::optional<std::uint64_t> ack_id, std::string_view error_code,
                              const std::string& message, const nlohmann::json& details) {
  metrics_.count_error(error_code);
  const nlohmann::json error = {{"code", error_code}, {"message", message},
                                {"details", details.is_null() ? nlohmann::json::object() : details}};
  if (ack_id) {
    outbox_.send_reply(connection.id, *ack_id,
                       make_frame(protocol::encode_ack_frame(*ack_id, {{"ok", false}, {"error", error}})));
  } else {
    emit_to(connection.id, "system:error", error);
  }
}

void RealtimeHub::on_tick() {
  const auto now = clock_.now_ms();
  expire_sessions(now);
  if (cluster_) {
    fill_overdue_gaps();
    settle_overdue_watches();
    recheck_session_tokens();
  }
  for (auto it = cursor_backlog_.begin(); it != cursor_backlog_.end();) {
    const auto connection = connections_.find(*it);
    if (connection != connections_.end()) flush_pending_cursors(connection->second);
    if (connection == connections_.end() || connection->second.pending_cursors.empty()) {
      it = cursor_backlog_.erase(it);
    } else {
      ++it;
    }
  }
  while (!awaiting_connect_.empty() && now - awaiting_connect_.front().first > options_.connect_timeout_ms) {
    const auto id = awaiting_connect_.front().second;
    awaiting_connect_.pop_front();
    const auto connection = connections_.find(id);
    if (connection != connections_.end() && !connection->second.namespace_connected) {
      outbox_.close(id, "no Socket.IO CONNECT in time");
    }
  }
  while (!awaiting_identity_.empty() && now - awaiting_identity_.front().first > options_.auth_timeout_ms) {
    const auto id = awaiting_identity_.front().second;
    awaiting_identity_.pop_front();
    const auto connection = connections_.find(id);
    if (connection == connections_.end() || connection->second.identity) continue;
    metrics_.count_connection_refused("auth_timeout");
    if (connection->second.namespace_connected) {
      emit_to(id, "system:error",
              {{"code", code::unauthorized},
               {"message", "not authenticated in time: send a token with CONNECT or `authenticate` right away"},
               {"details", {{"reason", "auth_timeout"}, {"timeout_ms", options_.auth_timeout_ms}}}});
    }
    outbox_.close(id, "not authenticated in time");
  }
}

bool RealtimeHub::take_identity(Connection& connection, Identity identity) {
  const bool same_user = connection.identity && connection.identity->user_id == identity.user_id;
  if (connection.identity && !same_user) return false;
  if (!same_user) {
    const auto user = sessions_by_user_.find(identity.user_id);
    if (user != sessions_by_user_.end() &&
        user->second.size() >= static_cast<std::size_t>(options_.max_sockets_per_user)) {
      metrics_.count_connection_refused("max_sockets_per_user");
      return false;
    }
  }
  adopt_identity(connection, std::move(identity));  // a fresh token replaces the old deadline
  return true;
}

void RealtimeHub::announce_maintenance(std::string_view message, std::int64_t estimated_duration_s) {
  const auto frame = make_frame(protocol::encode_event_frame(
      "system:maintenance",
      {{"type", "shutdown"}, {"message", std::string(message)}, {"estimated_duration", estimated_duration_s}}));
  for (const auto& [id, connection] : connections_) {
    if (connection.namespace_connected) outbox_.send(id, frame);
  }
  metrics_.count_event_out("system:maintenance", connections_.size());
}

void RealtimeHub::emit_to(ConnectionId connection, std::string_view name, const nlohmann::json& payload) {
  outbox_.send(connection, make_frame(protocol::encode_event_frame(name, payload)));
  metrics_.count_event_out(name);
}

void RealtimeHub::emit_to_room(const std::string& universe_id, std::string_view name, const nlohmann::json& payload,
                               std::optional<ConnectionId> except) {
  if (cluster_ && cluster_->connected()) {
    publish_to_cluster(universe_id, name, payload, except);  // cluster_events.cpp
    return;
  }
  emit_here(universe_id, name, payload, except);
}

void RealtimeHub::emit_here(const std::string& universe_id, std::string_view name, const nlohmann::json& payload,
                            std::optional<ConnectionId> except) {
  // Serialised once; every recipient's queue holds the same buffer.
  const auto frame = make_frame(protocol::encode_event_frame(name, payload));
  metrics_.count_event_out(name, delivery_.deliver(universe_id, frame, except));
}

void RealtimeHub::check_user_id(const EventContext& context) const {
  if (!context.payload.is_object() || !context.payload.contains("user_id")) return;
  const auto& claimed = context.payload["user_id"];
  if (!claimed.is_string() || claimed.get_ref<const std::string&>() != context.identity().user_id) {
    throw EventError(code::unauthorized, "user_id does not match the authenticated user");
  }
}

Room& RealtimeHub::joined_room(const EventContext& context) {
  require_object(context.payload);
  check_user_id(context);
  const auto universe_id = require_string(context.payload, "universe_id");
  const auto room = rooms_.find(universe_id);
  if (!context.connection.joined.contains(universe_id) || room == rooms_.end()) {
    throw EventError(code::invalid_universe, "join universe " + universe_id + " first",
                     {{"universe_id", universe_id}});
  }
  // Joined is not enough: rights can change while a connection is in the room. Every
  // rights change evicts at once (access_removal.cpp); this is the check every handler
  // makes anyway, reading or writing, and a connection that fails it leaves the room.
  if (room->second.role_of(context.identity().user_id) == storage::Role::none) {
    leave_room(context.connection, universe_id, /*notify_self=*/true);
    throw EventError(code::unauthorized, "you may no longer see this universe",
                     {{"universe_id", universe_id}, {"reason", "access_removed"}});
  }
  return room->second;
}

void RealtimeHub::require_editor(const Room& room, const Identity& identity) const {
  if (room.role_of(identity.user_id) < storage::Role::collaborator) {
    throw EventError(code::unauthorized, "only the owner and collaborators can change this universe");
  }
}

void RealtimeHub::begin_write(const std::string& universe_id) {
  // A shared store (PostgreSQL) holds a universe's row lock (and the rows a chat message
  // prunes) from the batch's first write to it until the batch's COMMIT; two nodes whose
  // batches took two universes in opposite orders would deadlock. So a batch writes
  // universes in ascending id order only: a write to a universe below one the batch has
  // written to finishes the batch first (its COMMIT goes to the commit thread) and goes
  // into the next (docs/cluster.md, "Locks in one order").
  // The highest universe the batch has written is the last of turn_universes_ (sorted);
  // it is recorded before the statement, since a failed write may still have waited for,
  // or held, a lock.
  if (options_.shared_store && !turn_universes_.empty() && universe_id < *turn_universes_.rbegin()) finish_turn();
  turn_universes_.insert(universe_id);
  if (outbox_.open() && schedule_finish_) schedule_finish_();
}

std::vector<storage::HistoryEntry> RealtimeHub::commit(storage::UniverseChange& change) {
  begin_write(change.universe_id);
  auto entries = store_.commit(change);
  if (cluster_) replicate(change.universe_id, entries);
  return entries;
}

storage::ChatMessage RealtimeHub::store_message(const std::string& universe_id, const std::string& user_id,
                                                const std::string& text) {
  begin_write(universe_id);
  return store_.add_message(universe_id, user_id, text, change_timestamp());
}

void RealtimeHub::finish_turn() {
  if (!outbox_.is_open()) return;
  const auto started = std::chrono::steady_clock::now();
  // The batch's own universes: with PostgreSQL its commit returns turns later
  // (group_commit.hpp), when turn_universes_ is the next batch's.
  auto universes = std::make_shared<const std::set<std::string>>(std::exchange(turn_universes_, {}));
  outbox_.finish(commit_failure_handling(universes), [this, started, universes](bool stored) {
    metrics_.observe_write_latency(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    if (!stored) recover_from_failed_commit(*universes);
    commit_failed_for_space_ = false;
  });
}

// Changes are stamped strictly after the last state:synced timestamp handed out, so a
// client syncing "newer than T" can never miss a change made in the same millisecond.
// A sync stamp is never older than a change already made, so nothing is sent twice either.
std::int64_t RealtimeHub::change_timestamp() {
  last_change_stamp_ = std::max({clock_.now_ms(), last_sync_stamp_ + 1, last_change_stamp_});
  return last_change_stamp_;
}

std::int64_t RealtimeHub::sync_timestamp() {
  last_sync_stamp_ = std::max({clock_.now_ms(), last_sync_stamp_, last_change_stamp_});
  return last_sync_stamp_;
}

void RealtimeHub::leave_all_rooms(Connection& connection) {
  const auto joined = connection.joined;
  for (const auto& universe_id : joined) leave_room(connection, universe_id, /*notify_self=*/false);
}

}  // namespace harmonic::core
