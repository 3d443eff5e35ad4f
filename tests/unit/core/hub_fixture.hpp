// A RealtimeHub with everything around it faked or in memory: an Outbox that records
// frames per connection, a settable clock, and an in-memory SQLite store.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/tokens.hpp"
#include "core/realtime_hub.hpp"
#include "core/room_delivery.hpp"
#include "params/schema.hpp"
#include "protocol/socketio.hpp"
#include "storage/sqlite_store.hpp"

namespace harmonic::test {

class RecordingOutbox final : public core::Outbox {
 public:
  void send(core::ConnectionId connection, const core::Frame& frame) override { frames[connection].push_back(*frame); }
  void close(core::ConnectionId connection, std::string_view) override { closed.insert(connection); }
  // As the network: a connection it was told to close is closing (its frames are dropped).
  bool is_closing(core::ConnectionId connection) const override { return closed.contains(connection); }
  std::map<core::ConnectionId, std::vector<std::string>> frames;
  std::set<core::ConnectionId> closed;
};

// The store's own batches, except that a commit can be made to fail: the batch is then
// rolled back and StorageError thrown, as SqliteStore does when COMMIT fails.
class FailableBatches final : public storage::WriteBatch {
 public:
  explicit FailableBatches(storage::WriteBatch& real) : real_(real) {}
  void begin_batch() override { real_.begin_batch(); }
  void commit_batch() override {
    ++commits;
    if (fail_next_commit) {
      fail_next_commit = false;
      real_.rollback_batch();
      throw storage::StorageError("disk I/O error (injected by the test)", /*out_of_space=*/fail_for_lack_of_space);
    }
    real_.commit_batch();
  }
  void rollback_batch() noexcept override { real_.rollback_batch(); }
  bool batch_open() const override { return real_.batch_open(); }
  bool fail_next_commit = false;
  int commits = 0;  // commit_batch() calls, failed ones included
  bool fail_for_lack_of_space = true;  // what the injected failure says it was

 private:
  storage::WriteBatch& real_;
};

class FakeClock final : public core::Clock {
 public:
  std::int64_t now_ms() const override { return now; }
  std::int64_t now = 1'700'000'000'000;
};

struct Received {
  std::string name;
  nlohmann::json payload;
};

class HubFixture {
 public:
  explicit HubFixture(core::HubOptions options = {})
      : store(":memory:"), tokens("test-secret-of-sufficient-length"), batches(store), writes(batches, outbox),
        delivery(writes),
        hub(store, tokens, writes, delivery, clock, metrics, options) {}

  storage::User user(const std::string& name) { return *store.create_user(name, "", "x", clock.now); }

  storage::Universe universe(const storage::User& owner, bool is_public = false) {
    return store.create_universe(owner.id, "U", "", is_public, 7, params::all_defaults(), clock.now);
  }

  // Opens a connection and sends CONNECT with the user's token.
  core::ConnectionId connect(const storage::User& who) {
    const auto id = next_id++;
    hub.on_open(id);
    hub.on_packet(id, "0" + nlohmann::json{{"token", tokens.issue(who.id, who.username)}}.dump());
    return id;
  }

  void emit(core::ConnectionId id, const std::string& name, const nlohmann::json& payload,
            std::optional<std::uint64_t> ack = std::nullopt) {
    hub.on_packet(id, protocol::encode_client_event_frame(name, payload, ack).substr(1));
  }

  // Events received by a connection since the last call (frames are consumed).
  std::vector<Received> take(core::ConnectionId id) {
    std::vector<Received> events;
    for (const auto& frame : outbox.frames[id]) {
      if (frame.rfind("42", 0) == 0) {
        auto data = nlohmann::json::parse(frame.substr(2));
        events.push_back({data[0].get<std::string>(), data.size() > 1 ? data[1] : nlohmann::json()});
      } else if (frame.rfind("43", 0) == 0) {
        const auto bracket = frame.find('[');
        events.push_back({"ack:" + frame.substr(2, bracket - 2), nlohmann::json::parse(frame.substr(bracket))[0]});
      } else {
        events.push_back({"raw:" + frame, nullptr});
      }
    }
    outbox.frames[id].clear();
    return events;
  }

  static const Received* find(const std::vector<Received>& events, const std::string& name) {
    for (const auto& event : events) {
      if (event.name == name) return &event;
    }
    return nullptr;
  }

  RecordingOutbox outbox;
  FakeClock clock;
  core::Metrics metrics;
  storage::SqliteStore store;
  auth::TokenService tokens;
  FailableBatches batches;
  core::GroupCommit writes;
  core::LocalRoomDelivery delivery;
  core::RealtimeHub hub;
  core::ConnectionId next_id = 1;
};

}  // namespace harmonic::test
