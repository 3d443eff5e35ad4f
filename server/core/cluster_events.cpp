// Cluster mode (docs/operations.md, "Cluster mode"): several nodes on one PostgreSQL
// database hear each other through a ClusterLink (Redis pub/sub), one channel per universe.
//
// Two kinds of message travel on it, both only after the sender's commit:
//   {"n": node, "u": universe, "e": [history entries]}   a durable change, with its seqs
//   {"n": node, "u": universe, "f": frame, "x": except}   any other room broadcast
// and, to every node, {"n": node, "revoked": {...}}: a token revoked (token_deadlines.cpp).
// Durable changes go to the room's replica (seq_order.hpp) on every node, the sender's
// included, and reach the cache and the members strictly in seq order; a seq that does not
// come is read from the store after kGapWaitMs. Other broadcasts are delivered by every
// node as they come back from Redis, the sender's node too, so that everyone in the room
// hears them in Redis's one order; without Redis they go to this node's members only.
#include <algorithm>
#include <utility>

#include <spdlog/spdlog.h>

#include "core/realtime_hub.hpp"
#include "core/wire_format.hpp"
#include "protocol/error_codes.hpp"
#include "protocol/socketio.hpp"

namespace harmonic::core {

namespace {

// How long a missing seq may be waited for before it is read from the store. Changes of
// two nodes normally arrive within a millisecond or two of each other; a seq still
// missing after this was lost (a Redis hiccup) rather than late.
constexpr std::int64_t kGapWaitMs = 200;
// Entries read from the store per gap fill; a longer gap is filled over several ticks.
constexpr int kGapFillPage = 500;

nlohmann::json entry_to_json(const storage::HistoryEntry& entry) {
  nlohmann::json item = {{"seq", entry.seq},
                         {"timestamp", entry.timestamp},
                         {"user_id", entry.user_id},
                         {"kind", entry.kind},
                         {"changes", entry.changes}};
  if (entry.category) item["category"] = *entry.category;
  return item;
}

storage::HistoryEntry entry_from_json(const nlohmann::json& item) {
  storage::HistoryEntry entry;
  entry.seq = item.value("seq", std::int64_t{0});
  entry.timestamp = item.value("timestamp", std::int64_t{0});
  entry.user_id = item.value("user_id", std::string());
  entry.kind = item.value("kind", std::string());
  if (const auto category = item.find("category"); category != item.end() && category->is_string()) {
    entry.category = category->get<std::string>();
  }
  entry.changes = item.value("changes", nlohmann::json::object());
  return entry;
}

}  // namespace

void RealtimeHub::publish_to_cluster(const std::string& universe_id, std::string_view name,
                                     const nlohmann::json& payload, std::optional<ConnectionId> except) {
  auto text = protocol::encode_event_frame(name, payload);
  nlohmann::json envelope = {{"n", cluster_->node_id()}, {"u", universe_id}, {"f", text}};
  if (except) envelope["x"] = *except;
  outbox_.after_commit([this, universe_id, message = envelope.dump(), frame = make_frame(std::move(text)), except,
                        event = std::string(name)] {
    if (cluster_->publish(universe_id, message)) return;
    // Redis went away meanwhile: this node's members at least hear it.
    metrics_.count_event_out(event, delivery_.deliver(universe_id, frame, except));
  });
}

void RealtimeHub::replicate(const std::string& universe_id, const std::vector<storage::HistoryEntry>& entries) {
  if (entries.empty()) return;
  nlohmann::json envelope = {{"n", cluster_->node_id()}, {"u", universe_id}, {"e", nlohmann::json::array()}};
  for (const auto& entry : entries) envelope["e"].push_back(entry_to_json(entry));
  outbox_.after_commit([this, universe_id, entries, message = envelope.dump()] {
    // This node's replica first, so its members hear it with Redis down too; the copy
    // that comes back from Redis is then a duplicate and dropped.
    release_in_order(universe_id, entries);
    if (cluster_->connected()) cluster_->publish(universe_id, message);
  });
}

void RealtimeHub::on_cluster_message(std::string_view message) {
  const auto envelope = nlohmann::json::parse(message, nullptr, /*allow_exceptions=*/false);
  if (envelope.is_object() && envelope.contains("revoked")) {  // about no one universe
    apply_revocation(envelope);
    return;
  }
  if (!envelope.is_object() || !envelope.contains("u") || !envelope["u"].is_string()) {
    spdlog::warn("cluster: ignored a message that is not a harmonic envelope ({} bytes)", message.size());
    return;
  }
  const auto universe_id = envelope["u"].get<std::string>();
  if (!rooms_.contains(universe_id)) return;  // nobody here is in that room
  if (envelope.contains("p")) {
    apply_presence(envelope);
    return;
  }
  if (const auto change = envelope.find("r"); change != envelope.end()) {
    // The serving node did it to its own room already.
    if (change->is_string() && envelope.value("n", std::string()) != cluster_->node_id()) {
      apply_rest_change(universe_id, change->get<std::string>());
    }
    return;
  }
  if (const auto entries = envelope.find("e"); entries != envelope.end() && entries->is_array()) {
    std::vector<storage::HistoryEntry> received;
    for (const auto& item : *entries) {
      if (item.is_object()) received.push_back(entry_from_json(item));
    }
    release_in_order(universe_id, std::move(received));
    return;
  }
  const auto frame = envelope.find("f");
  if (frame == envelope.end() || !frame->is_string()) return;
  // The sender is skipped on its own node only: connection ids are per node.
  std::optional<ConnectionId> except;
  if (envelope.value("n", std::string()) == cluster_->node_id() && envelope.contains("x") &&
      envelope["x"].is_number_unsigned()) {
    except = envelope["x"].get<ConnectionId>();
  }
  delivery_.deliver(universe_id, make_frame(frame->get<std::string>()), except);
}

void RealtimeHub::release_in_order(const std::string& universe_id, std::vector<storage::HistoryEntry> entries) {
  const auto room = rooms_.find(universe_id);
  if (room == rooms_.end()) return;
  bool rights_changed = false;
  for (const auto& entry : room->second.replica().accept(std::move(entries), clock_.now_ms())) {
    apply_replicated(room->second, entry);
    rights_changed = rights_changed || (entry.kind == "universe" && entry.changes.contains("is_public"));
  }
  // Made private on another node: this node's viewers leave now too (access_removal.cpp).
  // Last, since it may close the room.
  if (rights_changed) evict_unauthorized(universe_id);
}

void RealtimeHub::apply_replicated(Room& room, const storage::HistoryEntry& entry) {
  const auto universe_id = room.universe().id;
  if (entry.kind == "parameter" && entry.category) {
    auto& values = room.parameters()[*entry.category];
    if (!values.is_object()) values = nlohmann::json::object();
    values.update(entry.changes);
    emit_here(universe_id, "parameter:updated",
              {{"universe_id", universe_id},
               {"category", *entry.category},
               {"parameters", entry.changes},
               {"user_id", entry.user_id},
               {"seq", entry.seq}});
  } else if (entry.kind == "reset" && entry.category) {
    room.parameters()[*entry.category] = entry.changes;
    emit_here(universe_id, "parameter:reset",
              {{"universe_id", universe_id},
               {"category", *entry.category},
               {"default_parameters", entry.changes},
               {"user_id", entry.user_id},
               {"seq", entry.seq}});
  } else if (entry.kind == "universe") {
    // The cache only: universe:updated itself travels as a broadcast of its node.
    auto& universe = room.universe();
    if (entry.changes.contains("name") && entry.changes["name"].is_string()) universe.name = entry.changes["name"];
    if (entry.changes.contains("description") && entry.changes["description"].is_string()) {
      universe.description = entry.changes["description"];
    }
    if (entry.changes.contains("is_public") && entry.changes["is_public"].is_boolean()) {
      universe.is_public = entry.changes["is_public"];
    }
    universe.updated_at = std::max(universe.updated_at, entry.timestamp);
  } else {
    // A kind this node cannot replay: the committed values are read again instead.
    room.parameters() = store_.load_parameters(universe_id);
  }
}

void RealtimeHub::fill_gap(const std::string& universe_id) {
  auto room = rooms_.find(universe_id);
  if (room == rooms_.end()) return;
  const auto before = room->second.replica().applied_seq();
  release_in_order(universe_id, store_.history_page(universe_id, 0, before, kGapFillPage));
  room = rooms_.find(universe_id);  // a change of rights may have closed it
  if (room == rooms_.end()) return;
  auto& replica = room->second.replica();
  if (replica.gap_since() && replica.applied_seq() == before) {
    // Nothing after `before` in the store although later seqs are held: history retention
    // dropped it. The room starts again from the store's state.
    spdlog::warn("cluster: universe {} misses seqs after {} that the store no longer has; reloading", universe_id,
                 before);
    const auto latest = store_.latest_history(universe_id, 1);
    room->second.parameters() = store_.load_parameters(universe_id);
    replica = SeqOrder(latest.empty() ? 0 : latest.back().seq);
    emit_here(universe_id, "state:initial", initial_state(room->second));
  }
}

void RealtimeHub::fill_overdue_gaps() {
  // Never inside an open batch: the store would show this turn's uncommitted changes.
  if (outbox_.is_open()) return;
  const auto now = clock_.now_ms();
  std::vector<std::string> due;  // filling may close rooms: not while walking them
  for (auto& [universe_id, room] : rooms_) {
    const auto since = room.replica().gap_since();
    if (refill_all_rooms_ || (since && now - *since >= kGapWaitMs)) due.push_back(universe_id);
  }
  const bool after_outage = std::exchange(refill_all_rooms_, false);
  for (const auto& universe_id : due) {
    fill_gap(universe_id);
    // A REST change of rights made on another node while Redis was away was not heard.
    if (after_outage) evict_unauthorized(universe_id);
  }
}

void RealtimeHub::on_cluster_reconnected() {
  // Read on the next tick rather than here: a turn may hold uncommitted changes now.
  refill_all_rooms_ = true;
  // Revocations announced on harmonic:nodes meanwhile were not heard either.
  schedule_token_recheck();
  // Redis may have restarted empty, and presence messages were lost meanwhile: this
  // node's entries are written again and announced whole, each room's full list of this
  // node's users, which replaces what the other nodes mirror of this node.
  for (const auto& [universe_id, room] : rooms_) {
    auto users = nlohmann::json::array();
    for (const auto& participant : room.local_participants()) {
      cluster_->set_presence(universe_id, {cluster_->presence_id(), participant.user_id, participant.username,
                                           participant.status});
      users.push_back({{"user", participant.user_id}, {"name", participant.username}, {"status", participant.status}});
    }
    const nlohmann::json envelope = {
        {"n", cluster_->node_id()}, {"u", universe_id}, {"p", {{"i", cluster_->presence_id()}, {"all", users}}}};
    outbox_.after_commit([this, id = universe_id, message = envelope.dump()] { cluster_->publish(id, message); });
  }
}

}  // namespace harmonic::core

namespace harmonic::core {

namespace {

// How long a first join here waits for the universe's subscription before it is
// answered anyway, with the participants known so far (Redis slow or away).
constexpr std::int64_t kWatchWaitMs = 2000;

}  // namespace

void RealtimeHub::start_watching(Room& room) {
  if (!cluster_) return;
  cluster_->watch(room.universe().id);
  if (!cluster_->connected()) return;  // Redis away: this node's members only, as before
  room.watch().awaiting_snapshot = true;
  room.watch().since_ms = clock_.now_ms();
}

void RealtimeHub::on_room_watched(const std::string& universe_id, const std::vector<PresenceEntry>& others) {
  // The store is read below: never with a turn's changes uncommitted.
  finish_turn();
  const auto it = rooms_.find(universe_id);
  if (it == rooms_.end()) return;
  Room& room = it->second;
  const auto before = room.remote().users();
  std::vector<PresenceEntry> entries;
  for (const auto& entry : others) {
    if (entry.node != cluster_->presence_id()) entries.push_back(entry);
  }
  if (room.watch().awaiting_snapshot) {
    room.remote().replace(entries);
  } else {
    // Subscribed again after an outage: the table may still lack what other nodes have
    // not rewritten yet, so it only adds; each node's own announcement after the outage
    // (on_cluster_reconnected) replaces what is mirrored of it, departures included.
    for (const auto& entry : entries) room.remote().set(entry);
  }
  tell_presence_changes(room, before);
  // What other nodes committed between this node's read of the room and the subscription
  // was published before anyone here listened: read it from the store.
  fill_gap(universe_id);
  settle_watch(universe_id);
}

void RealtimeHub::settle_watch(const std::string& universe_id) {
  auto room = rooms_.find(universe_id);
  if (room == rooms_.end()) return;
  const auto held = std::move(room->second.watch().held_joins);
  room->second.watch() = {};
  for (const auto& join : held) {
    const auto connection = connections_.find(join.connection);
    if (connection == connections_.end() || !connection->second.identity) continue;
    room = rooms_.find(universe_id);
    if (room == rooms_.end()) {
      reply_error(connection->second, join.ack_id, protocol::error_code::invalid_universe,
                  "the room closed meanwhile; join again", {{"universe_id", universe_id}});
      continue;
    }
    if (room->second.role_of(connection->second.identity->user_id) == storage::Role::none) {
      reply_error(connection->second, join.ack_id, protocol::error_code::unauthorized,
                  "you may not see this universe", {{"universe_id", universe_id}});
      continue;
    }
    auto reply = enter_room(connection->second, room->second);
    if (join.ack_id) {
      reply["ok"] = true;
      outbox_.send_reply(join.connection, *join.ack_id,
                         make_frame(protocol::encode_ack_frame(*join.ack_id, reply)));
    }
  }
  room = rooms_.find(universe_id);
  if (room != rooms_.end() && room->second.empty()) close_room(universe_id);  // every joiner went away
}

void RealtimeHub::settle_overdue_watches() {
  const auto now = clock_.now_ms();
  std::vector<std::string> due;
  for (auto& [universe_id, room] : rooms_) {
    if (room.watch().awaiting_snapshot && now - room.watch().since_ms >= kWatchWaitMs) due.push_back(universe_id);
  }
  for (const auto& universe_id : due) {
    spdlog::warn("cluster: no subscription to universe {} after {} ms; its joins go on with this node's participants",
                 universe_id, kWatchWaitMs);
    settle_watch(universe_id);
  }
}

void RealtimeHub::announce_presence(const std::string& universe_id, const std::string& user_id,
                                    const std::string& username, const std::string& status) {
  if (!cluster_) return;
  const PresenceEntry entry{cluster_->presence_id(), user_id, username, status};
  cluster_->set_presence(universe_id, entry);
  const nlohmann::json envelope = {
      {"n", cluster_->node_id()},
      {"u", universe_id},
      {"p", {{"i", entry.node}, {"user", user_id}, {"name", username}, {"status", status}}}};
  outbox_.after_commit([this, universe_id, message = envelope.dump()] { cluster_->publish(universe_id, message); });
}

void RealtimeHub::retract_presence(const std::string& universe_id, const std::string& user_id) {
  if (!cluster_) return;
  cluster_->clear_presence(universe_id, user_id);
  const nlohmann::json envelope = {{"n", cluster_->node_id()},
                                   {"u", universe_id},
                                   {"p", {{"i", cluster_->presence_id()}, {"user", user_id}, {"gone", true}}}};
  outbox_.after_commit([this, universe_id, message = envelope.dump()] { cluster_->publish(universe_id, message); });
}

void RealtimeHub::apply_presence(const nlohmann::json& envelope) {
  const auto room = rooms_.find(envelope["u"].get<std::string>());
  const auto& presence = envelope["p"];
  if (room == rooms_.end() || !presence.is_object()) return;
  PresenceEntry entry{presence.value("i", std::string()), presence.value("user", std::string()),
                      presence.value("name", std::string()), presence.value("status", std::string("active"))};
  if (entry.node.empty() || entry.node == cluster_->presence_id()) return;
  if (const auto all = presence.find("all"); all != presence.end() && all->is_array()) {
    // A node's whole list after an outage: what changed meanwhile is news here.
    const auto before = room->second.remote().users();
    std::vector<PresenceEntry> entries;
    for (const auto& user : *all) {
      if (!user.is_object()) continue;
      entries.push_back({entry.node, user.value("user", std::string()), user.value("name", std::string()),
                         user.value("status", std::string("active"))});
    }
    room->second.remote().replace_node(entry.node, entries);
    tell_presence_changes(room->second, before);
    return;
  }
  // Only the mirror changes: universe:joined / left travel as the sender's own broadcasts.
  if (entry.user_id.empty()) return;
  if (presence.value("gone", false)) {
    room->second.remote().remove(entry.node, entry.user_id);
  } else {
    room->second.remote().set(entry);
  }
}

void RealtimeHub::tell_presence_changes(const Room& room, const std::set<std::string>& remote_before) {
  const auto& universe_id = room.universe().id;
  const auto after = room.remote().users();
  // Users with a connection here were announced by this node and stay whatever the others say.
  for (const auto& user_id : after) {
    if (remote_before.contains(user_id) || !room.connections_of(user_id).empty()) continue;
    emit_here(universe_id, "universe:joined",
              {{"universe", universe_to_json(room.universe())},
               {"participants", room.participants_json()},
               {"user_id", user_id}});
  }
  for (const auto& user_id : remote_before) {
    if (after.contains(user_id) || !room.connections_of(user_id).empty()) continue;
    emit_here(universe_id, "universe:left", {{"universe_id", universe_id}, {"user_id", user_id}});
  }
}

void RealtimeHub::on_node_gone(const std::string& presence_id) {
  std::size_t users_gone = 0;
  for (auto& [universe_id, room] : rooms_) {
    for (const auto& user_id : room.remote().drop_node(presence_id)) {
      if (!room.connections_of(user_id).empty()) continue;
      emit_here(universe_id, "universe:left", {{"universe_id", universe_id}, {"user_id", user_id}});
      ++users_gone;
    }
  }
  spdlog::warn("cluster: node {} stopped refreshing its presence; {} participants left rooms here", presence_id,
               users_gone);
}

void RealtimeHub::announce_rest_change(const std::string& universe_id, std::string_view change) {
  if (!cluster_) return;
  const nlohmann::json envelope = {{"n", cluster_->node_id()}, {"u", universe_id}, {"r", change}};
  outbox_.after_commit([this, universe_id, message = envelope.dump()] { cluster_->publish(universe_id, message); });
}

void RealtimeHub::apply_rest_change(const std::string& universe_id, const std::string& change) {
  const auto room = rooms_.find(universe_id);
  if (room == rooms_.end()) return;
  if (change == "parameters") {
    room->second.parameters() = store_.load_parameters(universe_id);
    return;
  }
  // "universe", "rights", "deleted": the record and rights are read again, and whoever
  // may no longer see the universe leaves, exactly as on the node that served the request.
  evict_unauthorized(universe_id);
}

}  // namespace harmonic::core
