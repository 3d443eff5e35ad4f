// The transport-free realtime core. The network edge calls on_open / on_packet /
// on_close / on_tick; the hub parses Socket.IO packets into events, checks identity,
// rights and rate, applies changes through the Store (committed before anyone hears of
// them: see group_commit.hpp), and answers through the Outbox and RoomDelivery interfaces.
//
// Single-threaded by design: every call happens on the server's one I/O thread, so the
// hub needs no locks and one connection always sees events in the order applied.
//
// The handlers are split by area over several files:
//   realtime_hub.cpp          connection lifecycle, dispatch, rate limiting, replies
//   auth_events.cpp           CONNECT auth and `authenticate`
//   universe_events.cpp       universe:join / leave / update
//   parameter_events.cpp      parameter:update / reset / sync / batch_update / delta
//   collaboration_events.cpp  collaboration:cursor / presence / message
//   state_events.cpp          state:initial and state:sync (paged: sync_pages.hpp)
//   rest_notifications.cpp    RealtimeNotifier: what REST changes tell the room
//   access_removal.cpp        evict_unauthorized: rights changes reach live sockets at once
//   token_deadlines.cpp       sockets end when their token expires or is revoked
//   commit_recovery.cpp       what a failed group commit does to rooms and replies
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/tokens.hpp"
#include "core/clock.hpp"
#include "core/cluster_link.hpp"
#include "core/connection.hpp"
#include "core/group_commit.hpp"
#include "core/metrics.hpp"
#include "core/outbox.hpp"
#include "core/realtime_notifier.hpp"
#include "core/room.hpp"
#include "core/room_delivery.hpp"
#include "protocol/socketio.hpp"
#include "storage/store.hpp"

namespace harmonic::core {

struct HubOptions {
  double event_rate = 20;     // event budget per second per connection (costs: event_costs.hpp)
  double event_burst = 40;
  double cursor_rate = 60;    // cursor frames have their own, larger budget
  double cursor_burst = 120;
  std::int64_t connect_timeout_ms = 10000;  // Engine.IO open without a Socket.IO CONNECT
  std::int64_t auth_timeout_ms = 10000;     // open without an identity (CONNECT token or `authenticate`)
  int max_sockets_per_user = 16;            // connections with the same identity at once
  int history_on_join = 100;
  // The byte budget of one state:synced reply, more is paged; state:initial keeps the newest
  // history and chat that fit in it (docs/protocol.md, "Limits and paging").
  std::size_t sync_reply_bytes = 256 * 1024;
  int messages_on_join = 50;
  int max_batch_parts = 64;
  // Other processes write to the same store (--postgres): parameter:delta's compare-and-set
  // is then repeated by the store inside the transaction (UniverseChange::expected_parameters),
  // since this process's cached parameters may be behind. Off for SQLite, whose only writer
  // is this process, so its hot path reads nothing more.
  bool shared_store = false;
};

class RealtimeHub final : public RealtimeNotifier {
 public:
  // `outbox` wraps the network and `store`; `rooms` must deliver through `outbox` too, so
  // that broadcasts wait for the commit like everything else.
  RealtimeHub(storage::Store& store, const auth::TokenService& tokens, GroupCommit& outbox, RoomDelivery& rooms,
              const Clock& clock, Metrics& metrics, HubOptions options = {});

  // Group commit. With a scheduler, the changes of several packets share one commit: the
  // hub calls `schedule_finish` once when a turn's first change is written, and the
  // network edge must then call finish_turn() after handing over everything it read in that
  // turn (e.g. by posting it to the event loop). Without one (the default), every packet
  // is its own turn and finishes before on_packet returns.
  void set_turn_scheduler(std::function<void()> schedule_finish) { schedule_finish_ = std::move(schedule_finish); }
  // Commits the turn's changes, then sends everything they held back. Anything else that
  // reads or writes the store (REST) calls this first, so it never sees or builds on a
  // change that is not yet durable.
  void finish_turn();

  // Cluster mode (cluster_events.cpp, docs/operations.md "Cluster mode"): with a link,
  // every room broadcast goes to every node through it, and durable changes reach each
  // room's cache and members strictly in seq order, whichever node made them.
  void set_cluster(ClusterLink* link) { cluster_ = link; }
  // A message from the link (any node's, this one's included).
  void on_cluster_message(std::string_view message);
  // The link is back after an outage: what the other nodes committed meanwhile is read
  // from the store for every open room, and every socket's token is checked again
  // (revocations announced meanwhile were missed).
  void on_cluster_reconnected();
  // The universe's channel is subscribed (again) and `others` are the other nodes'
  // presence entries for it: they become the room's remote participants (after an outage
  // they are only added; members here hear universe:joined for them), what other nodes committed
  // before the subscription is read from the store, and the joins held until now finish.
  void on_room_watched(const std::string& universe_id, const std::vector<PresenceEntry>& others);
  // A node stopped refreshing its liveness: its users leave every room here (members
  // hear universe:left for each user who is then on no node).
  void on_node_gone(const std::string& presence_id);

  // --- called by the network edge ---
  void on_open(ConnectionId connection);
  // `payload` is an Engine.IO message's data: one Socket.IO packet.
  void on_packet(ConnectionId connection, std::string_view payload);
  // A binary WebSocket frame: this server speaks text only.
  void on_binary(ConnectionId connection);
  void on_close(ConnectionId connection);
  // About every 50 ms: flushes coalesced cursors and drops connections that never connected.
  // It visits only those connections, never all of them: a walk over every connection
  // stalled the event loop for ~1 ms per 5,000 connections, 20 times a second.
  void on_tick();
  // Tells every connection the server is going down (system:maintenance).
  void announce_maintenance(std::string_view message, std::int64_t estimated_duration_s);

  std::size_t connection_count() const { return connections_.size(); }
  // The id of the user a connection signed in as, "" before it did (for the access log).
  std::string user_of(ConnectionId connection) const;
  std::size_t room_count() const { return rooms_.size(); }

  // --- RealtimeNotifier (REST changes) ---
  void universe_updated(const storage::Universe& universe, const nlohmann::json& changes,
                        const storage::User& by) override;
  void parameters_replaced(const std::string& universe_id) override;
  void collaborators_changed(const std::string& universe_id, const std::string& message) override;
  void universe_deleted(const std::string& universe_id) override;
  void token_revoked(const std::string& user_id, const std::string& token_id) override;
  void tokens_revoked(const std::string& user_id) override;

 private:
  struct EventContext {
    Connection& connection;
    const protocol::Event& event;
    const nlohmann::json& payload;
    const Identity& identity() const;
  };
  using Handler = nlohmann::json (RealtimeHub::*)(EventContext&);

  // lifecycle and dispatch (realtime_hub.cpp)
  void dispatch_packet(Connection& connection, std::string_view payload);
  void handle_event(Connection& connection, const protocol::Event& event);
  bool admit(Connection& connection, std::optional<std::uint64_t> ack_id, std::string_view event_name);
  // Counts one refused event; true (and the connection is being closed) past the flood cutoff.
  bool is_flooding(Connection& connection, std::int64_t now);
  void reply_error(Connection& connection, std::optional<std::uint64_t> ack_id, std::string_view code,
                   const std::string& message, const nlohmann::json& details);
  void leave_all_rooms(Connection& connection);
  // Gives the connection its identity, counted against the user's socket cap (the sockets
  // in sessions_by_user_); false (and nothing changed) when that user already has
  // max_sockets_per_user connections, or the connection is another user's.
  bool take_identity(Connection& connection, Identity identity);
  static const std::unordered_map<std::string_view, Handler>& handlers();

  // sending
  void emit_to(ConnectionId connection, std::string_view name, const nlohmann::json& payload);
  void emit_to_room(const std::string& universe_id, std::string_view name, const nlohmann::json& payload,
                    std::optional<ConnectionId> except = std::nullopt);
  // To this node's members of the room only (what only this node's cache concerns).
  void emit_here(const std::string& universe_id, std::string_view name, const nlohmann::json& payload,
                 std::optional<ConnectionId> except = std::nullopt);

  // cluster (cluster_events.cpp)
  bool clustered() const { return cluster_ != nullptr; }
  void publish_to_cluster(const std::string& universe_id, std::string_view name, const nlohmann::json& payload,
                          std::optional<ConnectionId> except);
  // After the turn's commit: hands the change's entries to the room's replica here and to
  // the other nodes.
  void replicate(const std::string& universe_id, const std::vector<storage::HistoryEntry>& entries);
  void release_in_order(const std::string& universe_id, std::vector<storage::HistoryEntry> entries);
  // Applies one durable change to the room's cache and tells its members here.
  void apply_replicated(Room& room, const storage::HistoryEntry& entry);
  // Reads from the store what a room's replica is missing (after a wait for it, or a reconnect).
  void fill_gap(const std::string& universe_id);
  void fill_overdue_gaps();
  // Presence (docs/cluster.md, "Presence"): this node's entries in the shared table and
  // the messages that tell the other nodes at once.
  void announce_presence(const std::string& universe_id, const std::string& user_id, const std::string& username,
                         const std::string& status);
  void retract_presence(const std::string& universe_id, const std::string& user_id);
  void apply_presence(const nlohmann::json& envelope);
  // The members here hear universe:joined / universe:left for the users who came or went
  // on other nodes since `remote_before` (on a first subscription there are none yet).
  void tell_presence_changes(const Room& room, const std::set<std::string>& remote_before);
  // Starts the room's subscription; with the link up, joins wait for its confirmation.
  void start_watching(Room& room);
  // Ends the subscription wait: held joins finish (from on_room_watched, or after a
  // timeout when Redis does not answer).
  void settle_watch(const std::string& universe_id);
  void settle_overdue_watches();
  // A REST change: the other nodes redo for their members what it did here
  // (rest_notifications.cpp): "universe" and "rights" re-read the rights and evict,
  // "deleted" closes the room, "parameters" re-reads the parameters.
  void announce_rest_change(const std::string& universe_id, std::string_view change);
  void apply_rest_change(const std::string& universe_id, const std::string& change);

  // shared checks
  void check_user_id(const EventContext& context) const;
  Room& joined_room(const EventContext& context);
  void require_editor(const Room& room, const Identity& identity) const;
  // Every store write goes through one of these two: they open the turn's batch first.
  std::vector<storage::HistoryEntry> commit(storage::UniverseChange& change);
  storage::ChatMessage store_message(const std::string& universe_id, const std::string& user_id,
                                     const std::string& text);
  // Notes that the turn writes to `universe_id` (for commit_recovery.cpp), then opens
  // the turn's batch.
  void begin_write(const std::string& universe_id);

  // commit_recovery.cpp: after a failed group commit the caches of the rooms the turn
  // wrote to hold changes that were never stored; they are read again from the store and
  // their members get the room's state anew. Nothing else is reset.
  // Both for the batch that wrote to `universes` (its commit may return turns later).
  void recover_from_failed_commit(const std::set<std::string>& universes);
  GroupCommit::Failure commit_failure_handling(std::shared_ptr<const std::set<std::string>> universes);
  // details of a server_error caused by `error` ({reason: disk_full} for a full disk).
  nlohmann::json failure_details(const std::exception* error) const;
  std::int64_t change_timestamp();
  std::int64_t sync_timestamp();

  // auth (auth_events.cpp)
  void on_namespace_connect(Connection& connection, const protocol::SocketPacket& packet);
  std::optional<Identity> identify(const nlohmann::json& token);
  nlohmann::json on_authenticate(EventContext& context);

  // sessions: token expiry and revocation (token_deadlines.cpp)
  void adopt_identity(Connection& connection, Identity identity);
  void forget_session(const Connection& connection);
  // Tells the connection why (system:error unauthorized) and closes it.
  void end_session(Connection& connection, const std::string& message);
  void expire_sessions(std::int64_t now);
  // Ends this node's sockets signed in with `token_id` (all of the user's without one).
  void end_revoked_sessions(const std::string& user_id, const std::optional<std::string>& token_id);
  // A revocation made over REST here: every other node ends its sockets too
  // (docs/cluster.md, "What crosses nodes"); applied from on_cluster_message.
  void announce_revocation(const std::string& user_id, const std::optional<std::string>& token_id);
  void apply_revocation(const nlohmann::json& envelope);
  // After a Redis outage (revocations announced meanwhile were not heard): on the next
  // tick every authenticated socket's token is checked against the store, in two queries,
  // and those no longer accepted are ended as a heard revocation ends them.
  void schedule_token_recheck();
  void recheck_session_tokens();

  // universe (universe_events.cpp)
  nlohmann::json on_universe_join(EventContext& context);
  nlohmann::json on_universe_leave(EventContext& context);
  nlohmann::json on_universe_update(EventContext& context);
  Room* open_room(const std::string& universe_id);
  // The member joins: the room hears of a new person, the connection gets the state.
  // Returns the join's reply.
  nlohmann::json enter_room(Connection& connection, Room& room);
  // Drops the room from this node (its subscription and presence entries with it).
  void close_room(const std::string& universe_id);
  // access_removal.cpp: every path that changes who may see a universe (made private,
  // collaborator removed, universe deleted; REST or socket) calls this after the change.
  // It re-reads the rights from the store and removes from the room, at once, every
  // connection whose user may no longer see it: that connection gets system:error
  // `unauthorized` and universe:left, the others universe:left for each user who left.
  void evict_unauthorized(const std::string& universe_id);
  void leave_room(Connection& connection, const std::string& universe_id, bool notify_self);

  // parameters (parameter_events.cpp)
  nlohmann::json on_parameter_update(EventContext& context);
  nlohmann::json on_parameter_reset(EventContext& context);
  nlohmann::json on_parameter_sync(EventContext& context);
  nlohmann::json on_parameter_batch_update(EventContext& context);
  nlohmann::json on_parameter_delta(EventContext& context);
  nlohmann::json apply_parameter_parts(EventContext& context, Room& room,
                                       const std::vector<std::pair<std::string, nlohmann::json>>& parts,
                                       const nlohmann::json* expected = nullptr);
  // Every parameter write (update, batch, delta, reset) goes through these two: a change
  // stamped now, then the commit, after which (and only after which) the room's cached
  // parameters take its sets (clustered: the replica does, in seq order). Returns the seq
  // of the change's last history entry.
  storage::UniverseChange new_parameter_change(const Room& room);
  std::int64_t commit_parameter_change(Room& room, storage::UniverseChange& change);

  // collaboration (collaboration_events.cpp)
  nlohmann::json on_cursor(EventContext& context);
  nlohmann::json on_presence(EventContext& context);
  nlohmann::json on_message(EventContext& context);
  void flush_pending_cursors(Connection& connection);

  // state (state_events.cpp)
  nlohmann::json initial_state(const Room& room);
  nlohmann::json on_state_sync(EventContext& context);

  storage::Store& store_;
  const auth::TokenService& tokens_;
  GroupCommit& outbox_;
  RoomDelivery& delivery_;
  const Clock& clock_;
  Metrics& metrics_;
  HubOptions options_;
  std::unordered_map<ConnectionId, Connection> connections_;
  // What on_tick has to look at: connections holding coalesced cursors, and connections
  // in the order they opened (checked for a Socket.IO CONNECT once their time is up).
  std::unordered_set<ConnectionId> cursor_backlog_;
  std::deque<std::pair<std::int64_t, ConnectionId>> awaiting_connect_;  // (opened at, id)
  std::deque<std::pair<std::int64_t, ConnectionId>> awaiting_identity_;  // (opened at, id)
  std::unordered_map<std::string, Room> rooms_;
  // Authenticated connections by when their token expires (on_tick pops only the due
  // ones) and by user (a revocation finds that user's sockets without walking them all).
  std::set<std::pair<std::int64_t, ConnectionId>> session_deadlines_;
  std::unordered_map<std::string, std::unordered_set<ConnectionId>> sessions_by_user_;
  std::set<std::string> turn_universes_;  // written to in the open turn, sorted (begin_write())
  bool commit_failed_for_space_ = false;   // the last failed group commit: disk full
  std::unordered_map<std::string, std::int64_t> last_resync_ms_;  // commit_recovery.cpp
  std::int64_t last_sync_stamp_ = 0;
  std::int64_t last_change_stamp_ = 0;
  std::function<void()> schedule_finish_;
  ClusterLink* cluster_ = nullptr;
  bool refill_all_rooms_ = false;  // the link reconnected: every room reads what it missed
  // The link reconnected: from this time on_tick re-checks the sockets' tokens (token_deadlines.cpp).
  std::optional<std::int64_t> token_recheck_due_ms_;
  bool reply_deferred_ = false;    // the handler answers later (a held join)
};

}  // namespace harmonic::core
