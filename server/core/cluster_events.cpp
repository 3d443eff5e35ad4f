// Cluster mode (docs/operations.md, "Cluster mode"): several nodes on one PostgreSQL
// database hear each other through a ClusterLink (Redis pub/sub), one channel per universe.
//
// Two kinds of message travel on it, both only after the sender's commit:
//   {"n": node, "u": universe, "e": [history entries]}   a durable change, with its seqs
//   {"n": node, "u": universe, "f": frame, "x": except}   any other room broadcast
// Durable changes go to the room's replica (seq_order.hpp) on every node, the sender's
// included, and reach the cache and the members strictly in seq order; a seq that does not
// come is read from the store after kGapWaitMs. Other broadcasts are delivered by every
// node as they come back from Redis, the sender's node too, so that everyone in the room
// hears them in Redis's one order; without Redis they go to this node's members only.
#include <algorithm>

#include <spdlog/spdlog.h>

#include "core/realtime_hub.hpp"
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
  if (!envelope.is_object() || !envelope.contains("u") || !envelope["u"].is_string()) {
    spdlog::warn("cluster: ignored a message that is not a harmonic envelope ({} bytes)", message.size());
    return;
  }
  const auto universe_id = envelope["u"].get<std::string>();
  if (!rooms_.contains(universe_id)) return;  // nobody here is in that room
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
  for (const auto& entry : room->second.replica().accept(std::move(entries), clock_.now_ms())) {
    apply_replicated(room->second, entry);
  }
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
  const auto room = rooms_.find(universe_id);
  if (room == rooms_.end()) return;
  auto& replica = room->second.replica();
  const auto before = replica.applied_seq();
  release_in_order(universe_id, store_.history_page(universe_id, 0, before, kGapFillPage));
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
  for (auto& [universe_id, room] : rooms_) {
    const auto since = room.replica().gap_since();
    if (refill_all_rooms_ || (since && now - *since >= kGapWaitMs)) fill_gap(universe_id);
  }
  refill_all_rooms_ = false;
}

void RealtimeHub::on_cluster_reconnected() {
  // Read on the next tick rather than here: a turn may hold uncommitted changes now.
  refill_all_rooms_ = true;
}

}  // namespace harmonic::core
