// Group commit for the realtime core: every change made in one event-loop turn goes into
// one storage transaction, and every frame produced after the turn's first change waits
// here until that transaction is committed.
//
// Why: a commit per change cost ~100 µs of the ~115 µs a parameter update took, so with
// many rooms the server spent its time in fsync-free but still expensive WAL commits. One
// commit per turn pays that once for everything read from the network in that turn.
//
// The promise is unchanged: nobody, neither the sender (ack) nor the room (broadcast), hears
// of a change before it is durable. Frames are held in order, so each connection still sees
// events in the order they were applied; frames produced before the turn's first change go
// out at once, since they cannot depend on anything uncommitted.
//
// Off the loop (docs/cluster.md, "Commits off the event loop"): finish() hands the batch to
// the store's commit_batch_async() and returns; the held frames go out when the store says
// the COMMIT returned, on the loop. Meanwhile the next turn's changes form the next batch.
// A frame sent with no batch open while batches are in flight waits behind them when its
// connection has frames waiting there (each connection hears everything in the order it
// was produced) or may have heard of their changes (Failure::heard_of_changes: it is in a
// room they wrote to, so the frame may show what is not stored yet); any other connection
// is served at once. Batches complete in the order they were finished. With SQLite the
// commit completes inside finish(), so nothing waits longer than before.
#pragma once

#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/outbox.hpp"
#include "storage/errors.hpp"
#include "storage/write_batch.hpp"

namespace harmonic::core {

class GroupCommit final : public Outbox {
 public:
  GroupCommit(storage::WriteBatch& storage, Outbox& network) : storage_(storage), network_(network) {}

  // Called before a change is written. Opens the turn's batch when none is open and then
  // returns true: the caller arranges for finish() to run at the end of the turn.
  bool open();
  bool is_open() const { return open_; }

  // What to do with the held frames when the batch could not be stored.
  struct Failure {
    // Told first, with why the commit failed.
    std::function<void(const storage::StorageError&)> failed;
    // Whether a connection may have been told of the lost changes (it is in a room the
    // batch wrote to). Empty: every connection may have.
    std::function<bool(ConnectionId)> heard_of_changes;
    // The answer to a held reply (send_reply) of such a connection instead: an error.
    // Empty: such replies are dropped.
    std::function<Frame(std::uint64_t ack_id)> failed_reply;
  };

  // Told on the loop once a finished batch's commit returned: whether it was stored.
  using Finished = std::function<void(bool stored)>;

  // Commits the batch and sends everything held, in order, then calls `finished(true)`.
  // When the commit fails nothing of the batch is stored and `finished(false)` is called;
  // then a connection that may have heard of the lost changes gets none of its held
  // frames (they speak of changes that do not exist) but its held replies answered as
  // failed; every other connection gets its frames as if the commit had worked, since
  // none of them depends on it. Closes are carried out either way. Returns at once when
  // the store commits off the loop (see above); `finished` runs later, on the loop.
  void finish(Failure failure = {}, Finished finished = {});
  // Batches finished whose commit has not returned yet.
  std::size_t in_flight() const { return in_flight_.size(); }

  // A reply (Socket.IO ack) to `ack_id`: held like send(), but answered as failed when
  // the commit fails (Failure::failed_reply), so no client waits for an answer forever.
  void send_reply(ConnectionId connection, std::uint64_t ack_id, const Frame& frame);

  // Runs `action` once the turn's changes are committed, in order with the held frames (at
  // once when no batch is open nor in flight); dropped when the commit fails. Cluster mode publishes to
  // the other nodes this way: they must never hear of a change that was not stored.
  void after_commit(std::function<void()> action);

  // Outbox: straight to the network unless a batch is open or in flight.
  void send(ConnectionId connection, const Frame& frame) override;
  void close(ConnectionId connection, std::string_view reason) override;
  void close_over_capacity(ConnectionId connection, std::string_view reason) override;
  // Closing on the network, or closed by a close held in this turn.
  bool is_closing(ConnectionId connection) const override;

 private:
  struct Held {
    ConnectionId connection;
    Frame frame;                        // empty for a close
    std::optional<std::string> close_reason;
    bool over_capacity = false;         // a close: close_over_capacity
    std::optional<std::uint64_t> ack_id;  // a reply (send_reply)
    std::function<void()> action = {};    // after_commit: run instead of sending
    // Sent after its batch's turn, while the batch was in flight: depends on none of its
    // changes, so it goes out (or runs) whether the commit worked or not.
    bool after_turn = false;
  };
  // A finished batch: its held frames, until its commit returns.
  struct Batch {
    std::vector<Held> items;
    Failure failure;
    Finished finished;
    bool complete = false;
    std::exception_ptr error;  // complete: why the commit failed, null when stored
  };
  // Holds `item` where it must wait: in the open batch, behind the batch being released,
  // or behind the last batch in flight. False when nothing is to be waited for.
  bool hold(Held item);
  // Whether a frame for `connection`, sent with no batch open, waits for the batches in
  // flight (see the top of this file).
  bool must_wait(ConnectionId connection);
  void commit_returned(const std::shared_ptr<Batch>& batch, std::exception_ptr error);
  void release_batch(Batch& batch);
  void release(const Held& item);

  storage::WriteBatch& storage_;
  Outbox& network_;
  bool open_ = false;
  std::vector<Held> held_;
  std::vector<Held> spare_;  // a released batch's buffer, reused: a large room's broadcast
                             // holds thousands of frames per turn
  std::deque<std::shared_ptr<Batch>> in_flight_;  // oldest first
  bool releasing_batches_ = false;  // commit_returned() is releasing: no reentry
  std::unordered_multiset<ConnectionId> closes_held_;  // a close held, open or in flight
  // Connections with something held in a batch in flight; worked out when first needed
  // (never with SQLite, whose batches are never in flight outside finish()).
  std::unordered_set<ConnectionId> waiting_;
  bool waiting_known_ = false;
  bool releasing_now_ = false;  // finish() is releasing: what after_commit actions send waits
  std::vector<Held> deferred_;   // sent by after_commit actions, released after the held ones
};

}  // namespace harmonic::core
