// On a shared store (PostgreSQL) a batch takes universes' row locks in ascending id order
// only (RealtimeHub::commit, docs/cluster.md "Locks in one order"): a change to a
// universe below one the open batch has written to finishes that batch first. Two nodes
// then cannot hold two universes' locks in opposite orders (the deadlock case itself,
// against PostgreSQL, is in tests/cluster/cluster.test.mjs). SQLite (no row locks) keeps
// one commit per turn whatever the order.
#include <catch2/catch.hpp>

#include <algorithm>

#include "hub_fixture.hpp"

using harmonic::test::HubFixture;
using nlohmann::json;

namespace {

harmonic::core::HubOptions shared_store(bool shared) {
  harmonic::core::HubOptions options;
  options.shared_store = shared;
  return options;
}

struct TwoUniverses {
  explicit TwoUniverses(bool shared) : f(shared_store(shared)) {
    const auto first = f.universe(owner, /*is_public=*/true);
    const auto second = f.universe(owner, /*is_public=*/true);
    low = std::min(first.id, second.id);
    high = std::max(first.id, second.id);
    f.hub.set_turn_scheduler([] {});  // turns end when the test says (finish_turn)
    connection = f.connect(owner);
    f.emit(connection, "universe:join", {{"universe_id", low}});
    f.emit(connection, "universe:join", {{"universe_id", high}});
    f.take(connection);
  }
  void set_gravity(const std::string& universe_id, double gravity, std::uint64_t ack) {
    f.emit(connection, "parameter:update",
           {{"universe_id", universe_id}, {"category", "physics"}, {"parameters", {{"gravity", gravity}}}}, ack);
  }
  // The acks the connection got, in order.
  std::vector<std::string> acks() {
    std::vector<std::string> names;
    for (const auto& event : f.take(connection)) {
      if (event.name.rfind("ack:", 0) == 0 && event.payload["ok"] == true) names.push_back(event.name);
    }
    return names;
  }

  HubFixture f;
  harmonic::storage::User owner = f.user("owner");
  std::string low;
  std::string high;
  harmonic::core::ConnectionId connection = 0;
};

}  // namespace

TEST_CASE("shared store: a turn writing universes in ascending order is one batch") {
  TwoUniverses t(/*shared=*/true);
  const auto before = t.f.batches.commits;
  t.set_gravity(t.low, 1.0, 1);
  t.set_gravity(t.high, 2.0, 2);
  t.set_gravity(t.high, 3.0, 3);  // the same universe again takes no new lock
  t.f.hub.finish_turn();
  CHECK(t.f.batches.commits - before == 1);
  CHECK(t.acks() == std::vector<std::string>{"ack:1", "ack:2", "ack:3"});
}

TEST_CASE("shared store: a change to a lower universe than the batch holds starts a new batch") {
  TwoUniverses t(/*shared=*/true);
  const auto before = t.f.batches.commits;
  t.set_gravity(t.high, 1.0, 1);
  // The batch holding `high` is committed before `low` is written: its ack is out already.
  t.set_gravity(t.low, 2.0, 2);
  CHECK(t.f.batches.commits - before == 1);
  CHECK(t.acks() == std::vector<std::string>{"ack:1"});
  t.set_gravity(t.high, 3.0, 3);  // ascending again: the same batch
  t.f.hub.finish_turn();
  CHECK(t.f.batches.commits - before == 2);
  CHECK(t.acks() == std::vector<std::string>{"ack:2", "ack:3"});
  CHECK(t.f.store.latest_history(t.low, 10).size() == 1);
  CHECK(t.f.store.latest_history(t.high, 10).size() == 2);
}

TEST_CASE("shared store: a failed batch split off acks nothing, the next batch is stored") {
  TwoUniverses t(/*shared=*/true);
  t.f.batches.fail_next_commit = true;
  t.set_gravity(t.high, 1.0, 1);
  t.set_gravity(t.low, 2.0, 2);  // splits: the failing COMMIT is the first batch's
  t.f.hub.finish_turn();
  const auto events = t.f.take(t.connection);
  const auto* refused = HubFixture::find(events, "ack:1");
  REQUIRE(refused);
  CHECK(refused->payload["ok"] == false);
  const auto* stored = HubFixture::find(events, "ack:2");
  REQUIRE(stored);
  CHECK(stored->payload["ok"] == true);
  CHECK(t.f.store.latest_history(t.high, 10).empty());
  CHECK(t.f.store.latest_history(t.low, 10).size() == 1);
}

TEST_CASE("SQLite: one batch per turn whatever the order of universes") {
  TwoUniverses t(/*shared=*/false);
  const auto before = t.f.batches.commits;
  t.set_gravity(t.high, 1.0, 1);
  t.set_gravity(t.low, 2.0, 2);
  t.f.hub.finish_turn();
  CHECK(t.f.batches.commits - before == 1);
  CHECK(t.acks() == std::vector<std::string>{"ack:1", "ack:2"});
}
