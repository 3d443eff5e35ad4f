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

TEST_CASE("a failed group commit tells nobody of its changes, answers the writers and keeps everyone connected") {
  ScheduledRoom r;
  r.set_gravity(r.a, 3.0, 1);
  r.f.emit(r.b, "collaboration:message", {{"universe_id", r.universe.id}, {"message", "hello"}}, 2);
  r.f.batches.fail_next_commit = true;
  r.f.hub.finish_turn();

  CHECK(r.stored_entries() == 0);
  CHECK(r.f.store.latest_messages(r.universe.id, 10).empty());
  for (const auto& [id, ack] : {std::pair{r.a, "ack:1"}, std::pair{r.b, "ack:2"}}) {
    INFO("connection " << id);
    const auto events = r.f.take(id);
    REQUIRE(events.size() == 3);  // the writer's failed reply, then the room's state again
    CHECK(events[0].name == ack);
    CHECK(events[0].payload["ok"] == false);
    CHECK(events[0].payload["error"]["code"] == "server_error");
    CHECK(events[0].payload["error"]["details"]["reason"] == "disk_full");
    CHECK(events[1].name == "system:error");
    CHECK(events[1].payload["details"]["reason"] == "disk_full");
    CHECK(events[2].name == "state:initial");
    CHECK(events[2].payload["parameters"]["physics"]["gravity"] == 9.81);  // what is stored
    CHECK(events[2].payload["messages"].empty());
    CHECK(events[2].payload["participants"].size() == 2);
    CHECK_FALSE(r.f.outbox.closed.contains(id));  // nobody is disconnected
  }
  CHECK(r.f.hub.room_count() == 1);

  SECTION("the room goes on from what is stored: the next change is acknowledged and kept") {
    r.set_gravity(r.b, 4.0, 3);
    r.f.hub.finish_turn();
    const auto events = r.f.take(r.b);
    const auto* ack = HubFixture::find(events, "ack:3");
    REQUIRE(ack);
    CHECK(ack->payload["ok"] == true);
    CHECK(ack->payload["seq"] == 1);
    CHECK(r.stored_entries() == 1);
    CHECK(r.f.store.load_parameters(r.universe.id)["physics"]["gravity"] == 4.0);
  }
  SECTION("failing again at once answers the writer, without sending the room's state again") {
    r.set_gravity(r.a, 6.0, 5);
    r.f.batches.fail_next_commit = true;
    r.f.hub.finish_turn();
    auto events = r.f.take(r.a);
    REQUIRE(events.size() == 1);
    CHECK(events[0].name == "ack:5");
    CHECK(events[0].payload["ok"] == false);
    CHECK(r.f.take(r.b).empty());

    r.f.clock.now += 1000;  // a second later the room gets its state again
    r.set_gravity(r.a, 7.0, 6);
    r.f.batches.fail_next_commit = true;
    r.f.hub.finish_turn();
    events = r.f.take(r.b);
    REQUIRE(events.size() == 2);
    CHECK(events[1].name == "state:initial");
  }
  SECTION("a failure that is not about space says no reason") {
    r.set_gravity(r.a, 5.0, 4);
    r.f.batches.fail_next_commit = true;
    r.f.batches.fail_for_lack_of_space = false;
    r.f.hub.finish_turn();
    const auto events = r.f.take(r.a);
    const auto* ack = HubFixture::find(events, "ack:4");
    REQUIRE(ack);
    CHECK(ack->payload["error"]["code"] == "server_error");
    CHECK_FALSE(ack->payload["error"]["details"].contains("reason"));
  }
}

TEST_CASE("a failed group commit leaves rooms it did not write to alone") {
  ScheduledRoom r;
  const auto other_universe = r.f.universe(r.owner, /*is_public=*/true);
  const auto watcher = r.f.connect(r.editor);
  r.f.emit(watcher, "universe:join", {{"universe_id", other_universe.id}});
  r.f.take(watcher);

  r.set_gravity(r.a, 3.0, 1);  // opens the turn's batch: what follows is held
  r.f.emit(watcher, "parameter:sync", {{"universe_id", other_universe.id}}, 9);
  r.f.batches.fail_next_commit = true;
  r.f.hub.finish_turn();

  const auto events = r.f.take(watcher);
  REQUIRE(events.size() == 2);  // its own answers, as if nothing had failed
  CHECK(events[0].name == "parameter:synced");
  CHECK(events[1].name == "ack:9");
  CHECK(events[1].payload["ok"] == true);
  CHECK(r.f.hub.room_count() == 2);
}

TEST_CASE("a write that fails for a full disk is answered server_error disk_full, reads go on") {
  ScheduledRoom r;
  r.f.store.limit_pages(r.f.store.pragma_value("page_count"));  // not one page more
  // Chat lines until one needs a page the file may not grow by.
  const harmonic::test::Received* ack = nullptr;
  std::vector<harmonic::test::Received> events;
  for (std::uint64_t i = 1; i <= 30 && !ack; ++i) {
    r.f.emit(r.a, "collaboration:message", {{"universe_id", r.universe.id}, {"message", std::string(900, 'x')}}, i);
    r.f.hub.finish_turn();
    events = r.f.take(r.a);
    for (const auto& event : events) {
      if (event.name.rfind("ack:", 0) == 0 && event.payload["ok"] == false) ack = &event;
    }
    if (ack) break;
  }
  REQUIRE(ack);
  CHECK(ack->payload["ok"] == false);
  CHECK(ack->payload["error"]["code"] == "server_error");
  CHECK(ack->payload["error"]["details"]["reason"] == "disk_full");
  CHECK(r.f.store.out_of_space());
  CHECK_FALSE(r.f.outbox.closed.contains(r.a));

  r.f.emit(r.a, "parameter:sync", {{"universe_id", r.universe.id}}, 2);
  const auto read = r.f.take(r.a);
  CHECK(HubFixture::find(read, "parameter:synced"));
  CHECK(HubFixture::find(read, "ack:2")->payload["ok"] == true);
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
