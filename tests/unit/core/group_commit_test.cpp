// Group commit in the hub: with a turn scheduler, the changes of several packets share one
// storage commit, and nothing that depends on them (acks, broadcasts) is sent before it.
#include <catch2/catch.hpp>

#include "hub_fixture.hpp"

using harmonic::test::HubFixture;
using nlohmann::json;

namespace {

struct ScheduledRoom {
  HubFixture f;
  harmonic::storage::User owner = f.user("owner");
  harmonic::storage::User editor = f.user("editor");
  harmonic::storage::Universe universe = f.universe(owner, /*is_public=*/true);
  int turns_scheduled = 0;
  harmonic::core::ConnectionId a = 0;
  harmonic::core::ConnectionId b = 0;

  ScheduledRoom() {
    f.store.add_collaborator(universe.id, editor.id);
    f.hub.set_turn_scheduler([this] { ++turns_scheduled; });
    a = join(owner);
    b = join(editor);
    f.take(a);
    f.take(b);
  }
  harmonic::core::ConnectionId join(const harmonic::storage::User& who) {
    const auto c = f.connect(who);
    f.emit(c, "universe:join", {{"universe_id", universe.id}});
    return c;
  }
  void set_gravity(harmonic::core::ConnectionId from, double gravity, std::uint64_t ack) {
    f.emit(from, "parameter:update",
           {{"universe_id", universe.id}, {"category", "physics"}, {"parameters", {{"gravity", gravity}}}}, ack);
  }
  std::size_t stored_entries() { return f.store.latest_history(universe.id, 100).size(); }
};

}  // namespace

TEST_CASE("acks and broadcasts of a turn wait for its one commit") {
  ScheduledRoom r;
  r.set_gravity(r.a, 3.0, 1);
  r.set_gravity(r.b, 4.0, 2);
  CHECK(r.turns_scheduled == 1);  // one commit for both packets
  CHECK(r.f.store.batch_open());
  CHECK(r.f.take(r.a).empty());
  CHECK(r.f.take(r.b).empty());

  r.f.hub.finish_turn();
  CHECK_FALSE(r.f.store.batch_open());
  CHECK(r.stored_entries() == 2);
  const auto for_a = r.f.take(r.a);
  REQUIRE(for_a.size() == 3);  // own broadcast, own ack, then b's broadcast: the order applied
  CHECK(for_a[0].name == "parameter:updated");
  CHECK(for_a[0].payload["parameters"]["gravity"] == 3.0);
  CHECK(for_a[1].name == "ack:1");
  CHECK(for_a[1].payload["ok"] == true);
  CHECK(for_a[2].name == "parameter:updated");
  CHECK(for_a[2].payload["parameters"]["gravity"] == 4.0);
  CHECK(for_a[2].payload["seq"] == 2);

  SECTION("the next turn schedules its own commit") {
    r.set_gravity(r.a, 5.0, 3);
    CHECK(r.turns_scheduled == 2);
    r.f.hub.finish_turn();
    CHECK(r.stored_entries() == 3);
  }
}

TEST_CASE("what a turn sends before its first change is not held back") {
  ScheduledRoom r;
  r.f.emit(r.a, "collaboration:cursor", {{"universe_id", r.universe.id}, {"position", {{"x", 1}, {"y", 2}}}});
  CHECK(HubFixture::find(r.f.take(r.b), "collaboration:cursor"));
  CHECK(r.turns_scheduled == 0);

  // After a change, later frames queue behind it so nobody sees them out of order.
  r.set_gravity(r.a, 3.0, 1);
  r.f.emit(r.a, "collaboration:cursor", {{"universe_id", r.universe.id}, {"position", {{"x", 3}, {"y", 4}}}});
  CHECK(r.f.take(r.b).empty());
  r.f.hub.finish_turn();
  const auto for_b = r.f.take(r.b);
  REQUIRE(for_b.size() == 2);
  CHECK(for_b[0].name == "parameter:updated");
  CHECK(for_b[1].name == "collaboration:cursor");
}

TEST_CASE("a failed group commit tells nobody of its changes and resets the rooms") {
  ScheduledRoom r;
  r.set_gravity(r.a, 3.0, 1);
  r.f.emit(r.b, "collaboration:message", {{"universe_id", r.universe.id}, {"message", "hello"}}, 2);
  r.f.batches.fail_next_commit = true;
  r.f.hub.finish_turn();

  CHECK(r.stored_entries() == 0);
  CHECK(r.f.store.latest_messages(r.universe.id, 10).empty());
  for (const auto id : {r.a, r.b}) {
    const auto events = r.f.take(id);
    REQUIRE(events.size() == 1);  // no ack, no broadcast: only the error
    CHECK(events[0].name == "system:error");
    CHECK(events[0].payload["code"] == "server_error");
    CHECK(r.f.outbox.closed.contains(id));
  }
  CHECK(r.f.hub.room_count() == 0);

  SECTION("a client that comes back reads what is stored, not the lost change") {
    const auto again = r.join(r.owner);
    r.f.hub.finish_turn();
    const auto events = r.f.take(again);
    const auto* initial = HubFixture::find(events, "state:initial");
    REQUIRE(initial);
    CHECK(initial->payload["parameters"]["physics"]["gravity"] == 9.81);
  }
}

TEST_CASE("without a scheduler every packet is its own turn") {
  HubFixture f;
  const auto owner = f.user("owner");
  const auto universe = f.universe(owner);
  const auto c = f.connect(owner);
  f.emit(c, "universe:join", {{"universe_id", universe.id}});
  f.take(c);
  f.emit(c, "parameter:update",
         {{"universe_id", universe.id}, {"category", "physics"}, {"parameters", {{"gravity", 2.5}}}}, 7);
  CHECK_FALSE(f.store.batch_open());
  CHECK(HubFixture::find(f.take(c), "ack:7"));
  CHECK(f.store.latest_history(universe.id, 10).size() == 1);
}
