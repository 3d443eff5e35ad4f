// What a failed group commit does (group_commit.hpp): nothing of the turn's batch is
// stored, and nobody was told of it, since everything that depended on it was held.
//
// Why not reset everything: a full disk used to turn every group commit into a reset of
// every room, disconnecting everyone, on every write (issue 12, finding 8). Now only what
// the lost changes touched is repaired:
//   - replies held for connections in the rooms the turn wrote to are answered as failed
//     (server_error, details.reason "disk_full" when the disk is full), so writers learn
//     their change was not saved; other connections get their frames as usual;
//   - those rooms' caches (universe, parameters, collaborators) are read again from the
//     store, and their members get the room's state again (state:initial), which also
//     replaces anything else they missed from that turn (a join, a chat line, a cursor);
//     at most once a second per room, since with a full disk every write fails.
// Rooms the turn did not write to, and every connection, stay as they are.
// Operators: docs/operations.md, "Disk full".
#include <spdlog/spdlog.h>

#include "core/realtime_hub.hpp"
#include "protocol/error_codes.hpp"

namespace harmonic::core {

namespace code = protocol::error_code;

namespace {
constexpr std::int64_t resync_interval_ms = 1000;
}  // namespace

nlohmann::json RealtimeHub::failure_details(const std::exception* error) const {
  const auto* storage_error = dynamic_cast<const storage::StorageError*>(error);
  const bool disk_full = storage_error ? storage_error->out_of_space() : commit_failed_for_space_ || store_.out_of_space();
  if (!disk_full) return nlohmann::json::object();
  return {{"reason", protocol::error_reason::disk_full}};
}

GroupCommit::Failure RealtimeHub::commit_failure_handling(std::shared_ptr<const std::set<std::string>> universes) {
  GroupCommit::Failure failure;
  failure.failed = [this](const storage::StorageError& error) { commit_failed_for_space_ = error.out_of_space(); };
  failure.heard_of_changes = [this, universes](ConnectionId id) {
    const auto connection = connections_.find(id);
    if (connection == connections_.end()) return false;  // gone: nothing reaches it anyway
    for (const auto& universe_id : *universes) {
      if (connection->second.joined.contains(universe_id)) return true;
    }
    return false;
  };
  failure.failed_reply = [this](std::uint64_t ack_id) {
    metrics_.count_error(code::server_error);
    const nlohmann::json error = {{"code", code::server_error},
                                  {"message", "the change could not be saved; it was not applied"},
                                  {"details", failure_details(nullptr)}};
    return make_frame(protocol::encode_ack_frame(ack_id, {{"ok", false}, {"error", error}}));
  };
  return failure;
}

void RealtimeHub::recover_from_failed_commit(const std::set<std::string>& universes) {
  metrics_.count_error(code::server_error);
  for (const auto& universe_id : universes) {
    const auto it = rooms_.find(universe_id);
    if (it == rooms_.end()) continue;
    Room& room = it->second;
    try {
      auto universe = store_.find_universe(universe_id);
      if (universe) {
        std::set<std::string> collaborators;
        for (const auto& user : store_.list_collaborators(universe_id)) collaborators.insert(user.id);
        room.universe() = std::move(*universe);
        room.parameters() = store_.load_parameters(universe_id);
        room.set_collaborators(std::move(collaborators));
        // While the disk stays full every write fails; the room's state goes out at most
        // once per resync_interval_ms, so failing writes cannot be turned into a flood of
        // full states to everyone in a large room (the writers still get their answer).
        auto& last = last_resync_ms_[universe_id];
        const auto now = clock_.now_ms();
        if (last != 0 && now - last < resync_interval_ms) continue;
        last = now;
        emit_here(universe_id, "system:error",
                     {{"code", code::server_error},
                      {"message", "recent changes in this universe could not be saved"},
                      {"details", failure_details(nullptr)}});
        emit_here(universe_id, "state:initial", initial_state(room));
        continue;
      }
    } catch (const std::exception& error) {
      spdlog::error("universe {} could not be read again after a failed commit: {}", universe_id, error.what());
    }
    // Gone, or unreadable: its members leave it and read it again when they rejoin.
    const auto frame = make_frame(protocol::encode_event_frame(
        "system:error", {{"code", code::server_error},
                         {"message", "recent changes could not be saved; join the universe again"},
                         {"details", failure_details(nullptr)}}));
    for (const auto member : room.members()) {
      const auto connection = connections_.find(member);
      if (connection == connections_.end()) continue;
      connection->second.joined.erase(universe_id);
      connection->second.pending_cursors.erase(universe_id);
      delivery_.leave(universe_id, member);
      outbox_.send(member, frame);
    }
    close_room(universe_id);
  }
  metrics_.set_rooms(static_cast<std::int64_t>(rooms_.size()));
  std::erase_if(last_resync_ms_, [this](const auto& entry) { return !rooms_.contains(entry.first); });
}

}  // namespace harmonic::core
