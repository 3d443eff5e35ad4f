#include <catch2/catch.hpp>

#include "hub_fixture.hpp"

using harmonic::test::HubFixture;
using nlohmann::json;

namespace {
struct Room {
  HubFixture f;
  harmonic::storage::User owner = f.user("owner");
  harmonic::storage::User editor = f.user("editor");
  harmonic::storage::User viewer = f.user("viewer");
  harmonic::storage::User stranger = f.user("stranger");
  harmonic::storage::Universe universe = f.universe(owner, /*is_public=*/true);
  Room() { f.store.add_collaborator(universe.id, editor.id); }
  harmonic::core::ConnectionId join(const harmonic::storage::User& who) {
    const auto c = f.connect(who);
    f.emit(c, "universe:join", {{"universe_id", universe.id}});
    return c;
  }
};
}  // namespace

TEST_CASE("joining tells the whole room and sends state:initial only to the joiner") {
  Room r;
  const auto a = r.join(r.owner);
  auto events = r.f.take(a);
  REQUIRE(HubFixture::find(events, "universe:joined"));
  REQUIRE(HubFixture::find(events, "state:initial"));
  const auto& initial = HubFixture::find(events, "state:initial")->payload;
  CHECK(initial["parameters"]["physics"]["gravity"] == 9.81);
  CHECK(initial["universe"]["id"] == r.universe.id);

  const auto b = r.join(r.viewer);
  auto for_a = r.f.take(a);
  auto for_b = r.f.take(b);
  REQUIRE(for_a.size() == 1);
  CHECK(for_a[0].name == "universe:joined");
  CHECK(for_a[0].payload["participants"].size() == 2);
  CHECK(for_a[0].payload["user_id"] == r.viewer.id);
  CHECK(HubFixture::find(for_b, "state:initial"));
}

TEST_CASE("who may join: strangers see private universes as unauthorized, unknown ones as invalid_universe") {
  HubFixture f;
  auto owner = f.user("owner");
  auto stranger = f.user("stranger");
  auto secret = f.universe(owner, /*is_public=*/false);
  const auto c = f.connect(stranger);
  f.take(c);
  f.emit(c, "universe:join", {{"universe_id", secret.id}}, 1);
  f.emit(c, "universe:join", {{"universe_id", "424242"}}, 2);
  auto events = f.take(c);
  REQUIRE(events.size() == 2);
  CHECK(events[0].payload["error"]["code"] == "unauthorized");
  CHECK(events[1].payload["error"]["code"] == "invalid_universe");
  CHECK(f.hub.room_count() == 0);
}

TEST_CASE("parameter:update is validated, stored, then sent to the room with the sender") {
  Room r;
  const auto a = r.join(r.owner);
  const auto b = r.join(r.editor);
  r.f.take(a);
  r.f.take(b);
  r.f.emit(b, "parameter:update", {{"universe_id", r.universe.id}, {"category", "physics"}, {"parameters", {{"gravity", 15}}}}, 9);
  auto for_a = r.f.take(a);
  auto for_b = r.f.take(b);
  REQUIRE(for_a.size() == 1);
  CHECK(for_a[0].name == "parameter:updated");
  CHECK(for_a[0].payload["parameters"] == json{{"gravity", 15.0}});
  CHECK(for_a[0].payload["user_id"] == r.editor.id);
  REQUIRE(HubFixture::find(for_b, "parameter:updated"));
  REQUIRE(HubFixture::find(for_b, "ack:9"));
  CHECK(HubFixture::find(for_b, "ack:9")->payload["ok"] == true);
  CHECK(r.f.store.load_parameters(r.universe.id)["physics"]["gravity"] == 15.0);
  auto history = r.f.store.latest_history(r.universe.id, 10);
  REQUIRE(history.size() == 1);
  CHECK(history[0].seq == 1);
  CHECK(history[0].user_id == r.editor.id);
}

TEST_CASE("viewers and spoofed user ids change nothing") {
  Room r;
  const auto v = r.join(r.viewer);
  const auto o = r.join(r.owner);
  r.f.take(v);
  r.f.take(o);
  r.f.emit(v, "parameter:update", {{"universe_id", r.universe.id}, {"category", "physics"}, {"parameters", {{"gravity", 1}}}}, 1);
  r.f.emit(o, "parameter:update",
           {{"universe_id", r.universe.id}, {"user_id", r.editor.id}, {"category", "physics"}, {"parameters", {{"gravity", 2}}}}, 2);
  CHECK(r.f.take(v)[0].payload["error"]["code"] == "unauthorized");
  CHECK(r.f.take(o)[0].payload["error"]["code"] == "unauthorized");
  CHECK(r.f.store.load_parameters(r.universe.id)["physics"]["gravity"] == 9.81);
  CHECK(r.f.store.latest_history(r.universe.id, 10).empty());
}

TEST_CASE("events for a universe not joined are invalid_universe") {
  Room r;
  const auto c = r.f.connect(r.owner);
  r.f.take(c);
  r.f.emit(c, "parameter:sync", {{"universe_id", r.universe.id}}, 1);
  CHECK(r.f.take(c)[0].payload["error"]["code"] == "invalid_universe");
}

TEST_CASE("a batch is applied whole or not at all, one broadcast per category") {
  Room r;
  const auto o = r.join(r.owner);
  r.f.take(o);
  const json bad = {{"universe_id", r.universe.id},
                    {"updates", {{{"category", "physics"}, {"parameters", {{"gravity", 3}}}},
                                 {{"category", "music"}, {"parameters", {{"tempo", 999}}}}}}};
  r.f.emit(o, "parameter:batch_update", bad, 1);
  auto events = r.f.take(o);
  REQUIRE(events.size() == 1);
  CHECK(events[0].payload["error"]["code"] == "invalid_parameters");
  CHECK(r.f.store.load_parameters(r.universe.id)["physics"]["gravity"] == 9.81);

  const json good = {{"universe_id", r.universe.id},
                     {"updates", {{{"category", "physics"}, {"parameters", {{"gravity", 3}}}},
                                  {{"category", "music"}, {"parameters", {{"tempo", 90}}}},
                                  {{"category", "physics"}, {"parameters", {{"gravity", 4}, {"friction", 0.5}}}}}}};
  r.f.emit(o, "parameter:batch_update", good, 2);
  events = r.f.take(o);
  REQUIRE(events.size() == 3);
  CHECK(events[0].name == "parameter:updated");
  CHECK(events[0].payload["category"] == "physics");
  CHECK(events[0].payload["parameters"] == json{{"gravity", 4.0}, {"friction", 0.5}});
  CHECK(events[1].payload["category"] == "music");
  CHECK(r.f.store.load_parameters(r.universe.id)["physics"]["gravity"] == 4.0);
  CHECK(r.f.store.latest_history(r.universe.id, 10).size() == 3);
}

TEST_CASE("parameter:delta is compare-and-set") {
  Room r;
  const auto o = r.join(r.owner);
  r.f.take(o);
  r.f.emit(o, "parameter:delta",
           {{"universe_id", r.universe.id}, {"category", "physics"}, {"changes", {{"gravity", {{"from", 1.0}, {"to", 5.0}}}}}}, 1);
  auto events = r.f.take(o);
  REQUIRE(events.size() == 1);
  CHECK(events[0].payload["error"]["details"]["reason"] == "conflict");
  CHECK(events[0].payload["error"]["details"]["current"]["gravity"] == 9.81);

  r.f.emit(o, "parameter:delta",
           {{"universe_id", r.universe.id}, {"category", "physics"}, {"changes", {{"gravity", {{"from", 9.81}, {"to", 5.0}}}}}}, 2);
  events = r.f.take(o);
  REQUIRE(HubFixture::find(events, "parameter:updated"));
  CHECK(r.f.store.load_parameters(r.universe.id)["physics"]["gravity"] == 5.0);
}

TEST_CASE("parameter:reset restores the schema defaults") {
  Room r;
  const auto o = r.join(r.owner);
  r.f.emit(o, "parameter:update", {{"universe_id", r.universe.id}, {"category", "audio"}, {"parameters", {{"volume", 0.1}}}});
  r.f.take(o);
  r.f.emit(o, "parameter:reset", {{"universe_id", r.universe.id}, {"category", "audio"}});
  auto events = r.f.take(o);
  REQUIRE(events.size() == 1);
  CHECK(events[0].payload["default_parameters"]["volume"] == 0.8);
  CHECK(r.f.store.load_parameters(r.universe.id)["audio"]["volume"] == 0.8);
  CHECK(r.f.store.latest_history(r.universe.id, 10).back().kind == "reset");
}

namespace {
// Two users joined to one public universe, with a small cursor budget; `a` moves, `b` watches.
struct CursorRoom {
  explicit CursorRoom(double rate, double burst) : f(options(rate, burst)) {
    const auto owner = f.user("owner");
    const auto other = f.user("other");
    universe_id = f.universe(owner, true).id;
    a = f.connect(owner);
    b = f.connect(other);
    f.emit(a, "universe:join", {{"universe_id", universe_id}});
    f.emit(b, "universe:join", {{"universe_id", universe_id}});
    f.take(a);
    f.take(b);
  }
  static harmonic::core::HubOptions options(double rate, double burst) {
    harmonic::core::HubOptions options;
    options.cursor_rate = rate;
    options.cursor_burst = burst;
    return options;
  }
  void move_a(int x) {
    f.emit(a, "collaboration:cursor", {{"universe_id", universe_id}, {"position", {{"x", x}, {"y", 0}}}});
  }
  HubFixture f;
  std::string universe_id;
  harmonic::core::ConnectionId a = 0;
  harmonic::core::ConnectionId b = 0;
};
}  // namespace

TEST_CASE("cursors go to everyone but the sender, and are coalesced over budget") {
  CursorRoom room(10, 2);
  auto& f = room.f;
  for (int i = 0; i < 5; ++i) room.move_a(i);
  CHECK(f.take(room.a).empty());
  auto for_b = f.take(room.b);
  REQUIRE(for_b.size() == 2);  // the burst; the rest wait
  CHECK(for_b[1].payload["position"]["x"] == 1);
  f.clock.now += 100;  // one more token
  f.hub.on_tick();
  for_b = f.take(room.b);
  REQUIRE(for_b.size() == 1);
  CHECK(for_b[0].payload["position"]["x"] == 4);  // latest wins
  CHECK(for_b[0].payload["username"] == "owner");
}

TEST_CASE("a coalesced cursor waits through ticks without budget, then goes out once") {
  CursorRoom room(1, 1);
  auto& f = room.f;
  for (int i = 0; i < 3; ++i) room.move_a(i);
  REQUIRE(f.take(room.b).size() == 1);
  f.clock.now += 400;  // not yet a token
  f.hub.on_tick();
  CHECK(f.take(room.b).empty());
  f.clock.now += 700;
  f.hub.on_tick();
  auto for_b = f.take(room.b);
  REQUIRE(for_b.size() == 1);
  CHECK(for_b[0].payload["position"]["x"] == 2);
  f.clock.now += 5000;
  f.hub.on_tick();
  CHECK(f.take(room.b).empty());  // sent once, not again
}

TEST_CASE("a connection that closes with a coalesced cursor leaves nothing behind for the tick") {
  // Two rooms in the same state: a moved twice, the second move is coalesced (waiting
  // for budget). Where a stays, the tick delivers it, so the silence after a close is
  // the close's doing, not a cursor that was never pending.
  const auto coalesced = [](CursorRoom& room) {
    room.move_a(1);
    room.move_a(2);
    const auto first = room.f.take(room.b);
    REQUIRE(first.size() == 1);
    CHECK(first[0].payload["position"]["x"] == 1);
  };
  CursorRoom stays(1, 1);
  coalesced(stays);
  stays.f.clock.now += 5000;
  stays.f.hub.on_tick();
  const auto delivered = stays.f.take(stays.b);
  REQUIRE(delivered.size() == 1);
  CHECK(delivered[0].payload["position"]["x"] == 2);

  CursorRoom closes(1, 1);
  coalesced(closes);
  closes.f.hub.on_close(closes.a);
  const auto left = closes.f.take(closes.b);
  REQUIRE(left.size() == 1);
  CHECK(left[0].name == "universe:left");
  closes.f.clock.now += 5000;
  closes.f.hub.on_tick();
  CHECK(closes.f.take(closes.b).empty());
}

TEST_CASE("universe:left is sent when a user's last connection leaves") {
  Room r;
  const auto a1 = r.join(r.owner);
  const auto a2 = r.join(r.owner);
  const auto b = r.join(r.viewer);
  r.f.take(a1);
  r.f.take(a2);
  auto for_b = r.f.take(b);
  CHECK(HubFixture::find(for_b, "state:initial")->payload["participants"].size() == 2);

  r.f.emit(a1, "universe:leave", {{"universe_id", r.universe.id}});
  CHECK(r.f.take(b).empty());
  CHECK(HubFixture::find(r.f.take(a1), "universe:left"));

  r.f.hub.on_close(a2);
  for_b = r.f.take(b);
  REQUIRE(for_b.size() == 1);
  CHECK(for_b[0].name == "universe:left");
  CHECK(for_b[0].payload["user_id"] == r.owner.id);
}

TEST_CASE("chat is stored and sent to the room including the sender, blank messages are refused") {
  Room r;
  const auto v = r.join(r.viewer);
  r.f.take(v);
  r.f.emit(v, "collaboration:message", {{"universe_id", r.universe.id}, {"message", "hello"}}, 1);
  auto events = r.f.take(v);
  REQUIRE(HubFixture::find(events, "collaboration:message"));
  CHECK(HubFixture::find(events, "collaboration:message")->payload["id"].is_string());
  r.f.emit(v, "collaboration:message", {{"universe_id", r.universe.id}, {"message", "   "}}, 2);
  r.f.emit(v, "collaboration:message", {{"universe_id", r.universe.id}, {"message", std::string(2001, 'a')}}, 3);
  events = r.f.take(v);
  CHECK(events[0].payload["ok"] == false);
  CHECK(events[1].payload["ok"] == false);
  CHECK(r.f.store.latest_messages(r.universe.id, 10).size() == 1);
}

TEST_CASE("state:sync returns what is newer than last_sync, nothing twice and nothing missed") {
  Room r;
  const auto o = r.join(r.owner);
  const auto initial = HubFixture::find(r.f.take(o), "state:initial")->payload;
  const auto stamp = initial["timestamp"].get<std::int64_t>();
  // same millisecond as the stamp: must still count as newer
  r.f.emit(o, "parameter:update", {{"universe_id", r.universe.id}, {"category", "physics"}, {"parameters", {{"gravity", 2}}}});
  r.f.take(o);
  r.f.emit(o, "state:sync", {{"universe_id", r.universe.id}, {"last_sync", stamp}});
  auto synced = HubFixture::find(r.f.take(o), "state:synced")->payload;
  CHECK(synced["state"]["history"].size() == 1);
  CHECK(synced["state"]["parameters"]["physics"]["gravity"] == 2.0);
  r.f.emit(o, "state:sync", {{"universe_id", r.universe.id}, {"last_sync", synced["timestamp"]}});
  CHECK(HubFixture::find(r.f.take(o), "state:synced")->payload["state"]["history"].empty());
}

TEST_CASE("over the event budget nothing is applied and rate_limit is sent at most once a second") {
  harmonic::core::HubOptions options;
  options.event_rate = 1;
  options.event_burst = 7;
  HubFixture f(options);
  auto owner = f.user("owner");
  auto universe = f.universe(owner);
  const auto c = f.connect(owner);
  f.emit(c, "universe:join", {{"universe_id", universe.id}});  // 5 tokens (event_costs.hpp)
  f.take(c);
  for (int i = 0; i < 5; ++i) {
    f.emit(c, "parameter:update", {{"universe_id", universe.id}, {"category", "physics"}, {"parameters", {{"gravity", i}}}});
  }
  auto events = f.take(c);
  int updated = 0, notices = 0, errors = 0;
  for (const auto& event : events) {
    updated += event.name == "parameter:updated";
    notices += event.name == "rate_limit";
    errors += event.name == "system:error" && event.payload["code"] == "rate_limited";
  }
  CHECK(updated == 2);
  CHECK(notices == 1);
  CHECK(errors == 1);
  CHECK(HubFixture::find(events, "rate_limit")->payload["limit"] == 7);
  CHECK(f.store.load_parameters(universe.id)["physics"]["gravity"] == 1.0);
  CHECK(f.metrics.errors("rate_limited") == 3);
}

TEST_CASE("REST changes reach the room") {
  Room r;
  const auto o = r.join(r.owner);
  const auto v = r.join(r.viewer);
  r.f.take(o);
  r.f.take(v);
  auto changed = r.universe;
  changed.name = "Renamed";
  r.f.hub.universe_updated(changed, {{"name", "Renamed"}}, r.owner);
  auto events = r.f.take(v);
  REQUIRE(HubFixture::find(events, "universe:updated"));
  REQUIRE(HubFixture::find(events, "system:notification"));

  changed.is_public = false;  // the viewer loses access and is removed from the room
  harmonic::storage::UniverseChange made_private;
  made_private.universe_id = r.universe.id;
  made_private.is_public = false;
  r.f.store.commit(made_private);  // REST changes the store, then tells the hub
  r.f.hub.universe_updated(changed, {{"is_public", false}}, r.owner);
  events = r.f.take(v);
  REQUIRE(HubFixture::find(events, "universe:left"));
  r.f.emit(v, "parameter:sync", {{"universe_id", r.universe.id}}, 4);
  CHECK(r.f.take(v)[0].payload["error"]["code"] == "invalid_universe");

  r.f.take(o);
  r.f.store.delete_universe(r.universe.id);
  r.f.hub.universe_deleted(r.universe.id);
  CHECK(HubFixture::find(r.f.take(o), "system:notification")->payload["type"] == "universe_deleted");
  CHECK(r.f.hub.room_count() == 0);
}

TEST_CASE("a second connection of a present user is not announced to the room again") {
  Room r;
  const auto a1 = r.join(r.owner);
  const auto b = r.join(r.viewer);
  r.f.take(a1);
  r.f.take(b);
  const auto a2 = r.join(r.owner);
  CHECK(r.f.take(b).empty());
  auto for_a2 = r.f.take(a2);
  REQUIRE(HubFixture::find(for_a2, "universe:joined"));
  CHECK(HubFixture::find(for_a2, "universe:joined")->payload["participants"].size() == 2);
  REQUIRE(HubFixture::find(for_a2, "state:initial"));
  // b still hears the room (so its silence above was the rule, not a deaf connection):
  // a new person is announced to it.
  r.join(r.editor);
  const auto for_b = r.f.take(b);
  REQUIRE(for_b.size() == 1);
  CHECK(for_b[0].name == "universe:joined");
  CHECK(for_b[0].payload["user_id"] == r.editor.id);
}

TEST_CASE("universe:update validates, stores, and tells the room") {
  Room r;
  const auto e = r.join(r.editor);
  const auto v = r.join(r.viewer);
  r.f.take(e);
  r.f.take(v);
  r.f.emit(e, "universe:update", {{"universe_id", r.universe.id}, {"changes", {{"name", "New Name"}, {"description", "D"}}}}, 1);
  auto for_v = r.f.take(v);
  REQUIRE(HubFixture::find(for_v, "universe:updated"));
  CHECK(HubFixture::find(for_v, "universe:updated")->payload["changes"]["name"] == "New Name");
  CHECK(HubFixture::find(for_v, "system:notification")->payload["type"] == "universe_renamed");
  CHECK(r.f.store.find_universe(r.universe.id)->name == "New Name");
  CHECK(HubFixture::find(r.f.take(e), "ack:1")->payload["ok"] == true);

  r.f.emit(e, "universe:update", {{"universe_id", r.universe.id}, {"changes", {{"name", ""}}}}, 2);
  r.f.emit(e, "universe:update", {{"universe_id", r.universe.id}, {"changes", {{"owner_id", "1"}}}}, 3);
  r.f.emit(e, "universe:update", {{"universe_id", r.universe.id}, {"changes", {{"is_public", false}}}}, 4);
  r.f.emit(v, "universe:update", {{"universe_id", r.universe.id}, {"changes", {{"name", "Mine"}}}}, 5);
  auto for_e = r.f.take(e);
  REQUIRE(for_e.size() == 3);
  CHECK(for_e[0].payload["error"]["code"] == "invalid_parameters");
  CHECK(for_e[1].payload["error"]["details"]["field"] == "owner_id");
  CHECK(for_e[2].payload["error"]["code"] == "unauthorized");
  CHECK(r.f.take(v)[0].payload["error"]["code"] == "unauthorized");
  CHECK(r.f.store.find_universe(r.universe.id)->name == "New Name");
  CHECK(r.f.store.find_universe(r.universe.id)->is_public);
}

TEST_CASE("a connection that floods far past its budget is cut off, cursors included") {
  harmonic::core::HubOptions options;
  options.cursor_rate = 10;
  options.cursor_burst = 10;
  HubFixture f(options);
  auto owner = f.user("owner");
  auto universe = f.universe(owner);
  const auto c = f.connect(owner);
  f.emit(c, "universe:join", {{"universe_id", universe.id}});
  for (int i = 0; i < 300; ++i) {
    f.emit(c, "collaboration:cursor", {{"universe_id", universe.id}, {"position", {{"x", i}, {"y", 0}}}});
  }
  CHECK_FALSE(f.outbox.closed.contains(c));  // coalescing absorbs an eager mouse
  for (int i = 0; i < 200; ++i) {
    f.emit(c, "collaboration:cursor", {{"universe_id", universe.id}, {"position", {{"x", i}, {"y", 0}}}});
  }
  CHECK(f.outbox.closed.contains(c));  // 490 refusals in one second is not a person
}
