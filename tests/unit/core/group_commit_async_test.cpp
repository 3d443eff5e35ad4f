// GroupCommit on a store that commits off the event loop (docs/cluster.md, "Commits off
// the event loop"): finish() returns before the COMMIT does, the held frames go out when
// the store says it returned, the next turn's batch is written meanwhile, and everything
// reaches each connection in the order it was produced, whatever each commit's outcome.
#include <catch2/catch.hpp>

#include <deque>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/group_commit.hpp"
#include "storage/errors.hpp"

using harmonic::core::ConnectionId;
using harmonic::core::Frame;
using harmonic::core::GroupCommit;
using harmonic::core::make_frame;

namespace {

// A store whose COMMITs return when the test says so: each commit_batch_async() waits in
// `committing` until return_next() (the commit thread posting back to the loop).
class SlowCommits final : public harmonic::storage::WriteBatch {
 public:
  void begin_batch() override {
    if (open_) throw std::logic_error("begin_batch with a batch open");
    open_ = true;
    ++begun;
  }
  void commit_batch() override { throw std::logic_error("a synchronous commit on a store that commits off the loop"); }
  void commit_batch_async(CommitDone done) override {
    open_ = false;
    committing.push_back(std::move(done));
  }
  void rollback_batch() noexcept override { open_ = false; }
  bool batch_open() const override { return open_; }

  void return_next(std::exception_ptr failure = nullptr) {
    REQUIRE_FALSE(committing.empty());
    auto done = std::move(committing.front());
    committing.pop_front();
    done(failure);
  }

  int begun = 0;
  std::deque<CommitDone> committing;

 private:
  bool open_ = false;
};

class RecordingNetwork final : public harmonic::core::Outbox {
 public:
  void send(ConnectionId connection, const Frame& frame) override { sent.push_back({connection, *frame}); }
  void close(ConnectionId connection, std::string_view reason) override {
    sent.push_back({connection, "close " + std::string(reason)});
  }
  std::vector<std::string> to(ConnectionId connection) const {
    std::vector<std::string> texts;
    for (const auto& [to, text] : sent) {
      if (to == connection) texts.push_back(text);
    }
    return texts;
  }
  std::vector<std::pair<ConnectionId, std::string>> sent;
};

using Texts = std::vector<std::string>;
constexpr ConnectionId writer = 1;
constexpr ConnectionId bystander = 2;

struct Turns {
  SlowCommits store;
  RecordingNetwork network;
  GroupCommit commits{store, network};
  std::vector<std::string> finished;  // "stored" / "lost", in the order told

  void turn(const std::vector<std::pair<ConnectionId, std::string>>& frames, GroupCommit::Failure failure = {}) {
    commits.open();
    for (const auto& [to, text] : frames) commits.send(to, make_frame(text));
    commits.finish(std::move(failure), [this](bool stored) { finished.push_back(stored ? "stored" : "lost"); });
  }
};

}  // namespace

TEST_CASE("off the loop: acks and broadcasts of a turn go out when its COMMIT returned, not at finish()") {
  Turns t;
  t.commits.open();
  t.commits.send(bystander, make_frame("updated"));
  t.commits.send_reply(writer, 7, make_frame("ack 7"));
  t.commits.finish({}, [&](bool stored) { t.finished.push_back(stored ? "stored" : "lost"); });
  CHECK(t.commits.in_flight() == 1);
  CHECK_FALSE(t.commits.is_open());
  CHECK(t.network.sent.empty());
  CHECK(t.finished.empty());

  t.store.return_next();
  CHECK(t.network.to(bystander) == Texts{"updated"});
  CHECK(t.network.to(writer) == Texts{"ack 7"});
  CHECK(t.finished == Texts{"stored"});
  CHECK(t.commits.in_flight() == 0);
  // Nothing in flight: straight out again.
  t.commits.send(writer, make_frame("pong"));
  CHECK(t.network.to(writer) == Texts{"ack 7", "pong"});
}

TEST_CASE("off the loop: with two batches in flight each connection hears everything in the order produced") {
  Turns t;
  t.turn({{writer, "a1"}, {bystander, "b1"}});
  // No batch open, one in flight: a frame of this turn waits behind it, after_commit too.
  t.commits.send(writer, make_frame("cursor"));
  std::vector<std::string> actions;
  t.commits.after_commit([&] { actions.push_back("published after batch 1"); });
  t.turn({{writer, "a2"}, {bystander, "b2"}});  // the next batch is begun while 1 commits
  CHECK(t.store.begun == 2);
  CHECK(t.commits.in_flight() == 2);
  CHECK(t.network.sent.empty());
  CHECK(actions.empty());

  t.store.return_next();
  CHECK(t.network.to(writer) == Texts{"a1", "cursor"});
  CHECK(t.network.to(bystander) == Texts{"b1"});
  CHECK(actions == Texts{"published after batch 1"});
  CHECK(t.finished == Texts{"stored"});

  t.store.return_next();
  CHECK(t.network.to(writer) == Texts{"a1", "cursor", "a2"});
  CHECK(t.network.to(bystander) == Texts{"b1", "b2"});
  CHECK(t.finished == Texts{"stored", "stored"});
}

TEST_CASE("off the loop: a failed COMMIT acks nothing, answers its replies as failed, and the next batch goes on") {
  Turns t;
  std::vector<std::string> failures;
  GroupCommit::Failure failure;
  failure.failed = [&](const harmonic::storage::StorageError& error) { failures.push_back(error.what()); };
  failure.heard_of_changes = [](ConnectionId connection) { return connection == writer; };
  failure.failed_reply = [](std::uint64_t ack_id) { return make_frame("failed ack " + std::to_string(ack_id)); };
  std::vector<std::string> actions;

  t.commits.open();
  t.commits.send(writer, make_frame("updated"));
  t.commits.send_reply(writer, 7, make_frame("ack 7"));
  t.commits.send(bystander, make_frame("their own cursor"));
  t.commits.after_commit([&] { actions.push_back("published batch 1"); });
  t.commits.close(bystander, "kicked");
  CHECK(t.commits.is_closing(bystander));  // a close held in the batch counts
  t.commits.finish(failure, [&](bool stored) { t.finished.push_back(stored ? "stored" : "lost"); });
  CHECK(t.commits.is_closing(bystander));  // and in flight
  t.commits.send(writer, make_frame("behind batch 1"));  // depends on none of its changes
  t.turn({{writer, "a2"}});

  t.store.return_next(std::make_exception_ptr(harmonic::storage::StorageError("COMMIT refused")));
  CHECK(failures == Texts{"COMMIT refused"});
  CHECK(t.network.to(writer) == Texts{"failed ack 7", "behind batch 1"});
  CHECK(t.network.to(bystander) == Texts{"their own cursor", "close kicked"});
  CHECK(actions.empty());  // nothing of a lost batch is published
  CHECK(t.finished == Texts{"lost"});
  CHECK_FALSE(t.commits.is_closing(bystander));  // released: the network's to say now

  t.store.return_next();
  CHECK(t.network.to(writer) == Texts{"failed ack 7", "behind batch 1", "a2"});
  CHECK(t.finished == Texts{"lost", "stored"});
}

TEST_CASE("off the loop: what a completion sends while a turn is open waits behind that turn") {
  Turns t;
  t.commits.open();
  t.commits.send(writer, make_frame("a1"));
  // A failed commit's recovery (the room's state again) is sent from its completion,
  // which the loop may run between two packets of a later turn.
  t.commits.finish({}, [&](bool stored) {
    if (!stored) t.commits.send(writer, make_frame("recovery"));
  });
  t.turn({{writer, "a2"}});
  t.commits.open();
  t.commits.send(writer, make_frame("a3"));
  t.store.return_next(std::make_exception_ptr(std::runtime_error("connection reset")));
  CHECK(t.network.to(writer).empty());  // a1 withheld (every connection may have heard), a2 and a3 wait
  t.commits.finish();
  t.store.return_next();
  CHECK(t.network.to(writer) == Texts{"a2"});
  t.store.return_next();
  CHECK(t.network.to(writer) == Texts{"a2", "a3", "recovery"});
}

TEST_CASE("off the loop: a connection outside the rooms a batch in flight wrote to is served at once") {
  Turns t;
  constexpr ConnectionId elsewhere = 3;  // in another universe
  GroupCommit::Failure failure;
  failure.heard_of_changes = [](ConnectionId connection) { return connection == writer || connection == bystander; };
  t.commits.open();
  t.commits.send(writer, make_frame("updated"));
  t.commits.finish(failure, {});

  t.commits.send(elsewhere, make_frame("their sync answer"));  // depends on nothing in flight
  CHECK(t.network.to(elsewhere) == Texts{"their sync answer"});
  t.commits.send(bystander, make_frame("state of the room"));  // may show the batch's change
  t.commits.send(writer, make_frame("pong"));
  CHECK(t.network.to(bystander).empty());
  CHECK(t.network.to(writer).empty());

  t.store.return_next();
  CHECK(t.network.to(writer) == Texts{"updated", "pong"});
  CHECK(t.network.to(bystander) == Texts{"state of the room"});
}
