// Rights changes reach live sockets at once, whichever path made them (issue 12,
// finding 4): the socket that lost access is told (system:error unauthorized), leaves
// the room (universe:left to the others), and nothing it sends for that universe is served.
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
  harmonic::storage::Universe universe;
  explicit Room(bool is_public) : universe(f.universe(owner, is_public)) {
    f.store.add_collaborator(universe.id, editor.id);
  }
  harmonic::core::ConnectionId join(const harmonic::storage::User& who) {
    const auto c = f.connect(who);
    f.emit(c, "universe:join", {{"universe_id", universe.id}});
    return c;
  }
  void make_private_in_store() {
    harmonic::storage::UniverseChange change;
    change.universe_id = universe.id;
    change.is_public = false;
    f.store.commit(change);
  }
};

bool told_unauthorized(const std::vector<harmonic::test::Received>& events, const std::string& universe_id) {
  const auto* error = HubFixture::find(events, "system:error");
  return error && error->payload["code"] == "unauthorized" && error->payload["details"]["universe_id"] == universe_id;
}

bool left(const std::vector<harmonic::test::Received>& events, const std::string& user_id) {
  for (const auto& e : events) {
    if (e.name == "universe:left" && e.payload["user_id"] == user_id) return true;
  }
  return false;
}

// Every event of a connection for the universe is refused, and none reaches the room.
void check_shut_out(Room& r, harmonic::core::ConnectionId gone, harmonic::core::ConnectionId stays) {
  const auto& id = r.universe.id;
  r.f.emit(gone, "parameter:sync", {{"universe_id", id}}, 21);
  r.f.emit(gone, "state:sync", {{"universe_id", id}, {"last_sync", 0}}, 22);
  r.f.emit(gone, "collaboration:message", {{"universe_id", id}, {"message", "still here"}}, 23);
  r.f.emit(gone, "collaboration:cursor", {{"universe_id", id}, {"position", {{"x", 1}, {"y", 2}}}}, 24);
  r.f.emit(gone, "parameter:update", {{"universe_id", id}, {"category", "physics"}, {"parameters", {{"gravity", 3}}}}, 25);
  const auto events = r.f.take(gone);
  for (int ack = 21; ack <= 25; ++ack) {
    const auto* reply = HubFixture::find(events, "ack:" + std::to_string(ack));
    REQUIRE(reply);
    CHECK(reply->payload["ok"] == false);
  }
  CHECK_FALSE(HubFixture::find(events, "parameter:synced"));
  CHECK_FALSE(HubFixture::find(events, "state:synced"));
  CHECK(r.f.take(stays).empty());
  CHECK(r.f.store.latest_messages(id, 10).empty());
}
}  // namespace

TEST_CASE("universe:update is_public false over the socket evicts the public viewers at once") {
  Room r(/*is_public=*/true);
  const auto o = r.join(r.owner);
  const auto e = r.join(r.editor);
  const auto v1 = r.join(r.viewer);
  const auto v2 = r.join(r.viewer);  // a second tab of the same viewer
  for (const auto c : {o, e, v1, v2}) r.f.take(c);

  r.f.emit(o, "universe:update", {{"universe_id", r.universe.id}, {"changes", {{"is_public", false}}}}, 1);
  for (const auto v : {v1, v2}) {
    const auto events = r.f.take(v);
    CHECK(told_unauthorized(events, r.universe.id));
    CHECK(HubFixture::find(events, "system:error")->payload["details"]["reason"] == "access_removed");
    CHECK(left(events, r.viewer.id));
  }
  const auto for_owner = r.f.take(o);
  CHECK(HubFixture::find(for_owner, "ack:1")->payload["ok"] == true);
  CHECK(left(for_owner, r.viewer.id));
  CHECK(left(r.f.take(e), r.viewer.id));
  check_shut_out(r, v1, o);
  // The others stay and carry on.
  r.f.emit(e, "parameter:update", {{"universe_id", r.universe.id}, {"category", "physics"}, {"parameters", {{"gravity", 4}}}}, 2);
  CHECK(HubFixture::find(r.f.take(e), "ack:2")->payload["ok"] == true);
  // Joining again is refused now.
  r.f.emit(v1, "universe:join", {{"universe_id", r.universe.id}}, 3);
  CHECK(HubFixture::find(r.f.take(v1), "ack:3")->payload["error"]["code"] == "unauthorized");
}

TEST_CASE("made private over REST: the viewers are evicted") {
  Room r(/*is_public=*/true);
  const auto o = r.join(r.owner);
  const auto v = r.join(r.viewer);
  r.f.take(o);
  r.f.take(v);
  r.make_private_in_store();
  auto changed = *r.f.store.find_universe(r.universe.id);
  r.f.hub.universe_updated(changed, {{"is_public", false}}, r.owner);
  CHECK(told_unauthorized(r.f.take(v), r.universe.id));
  CHECK(left(r.f.take(o), r.viewer.id));
  check_shut_out(r, v, o);
}

TEST_CASE("a collaborator removed over REST from a private universe is evicted at once") {
  Room r(/*is_public=*/false);
  const auto o = r.join(r.owner);
  const auto e = r.join(r.editor);
  r.f.take(o);
  r.f.take(e);
  r.f.store.remove_collaborator(r.universe.id, r.editor.id);
  r.f.hub.collaborators_changed(r.universe.id, "editor was removed");
  const auto events = r.f.take(e);
  CHECK(told_unauthorized(events, r.universe.id));
  CHECK(left(events, r.editor.id));
  const auto for_owner = r.f.take(o);
  CHECK(left(for_owner, r.editor.id));
  CHECK(HubFixture::find(for_owner, "system:notification"));
  check_shut_out(r, e, o);
}

TEST_CASE("a collaborator removed from a public universe stays as a viewer and can no longer edit") {
  Room r(/*is_public=*/true);
  const auto o = r.join(r.owner);
  const auto e = r.join(r.editor);
  r.f.take(o);
  r.f.take(e);
  r.f.store.remove_collaborator(r.universe.id, r.editor.id);
  r.f.hub.collaborators_changed(r.universe.id, "editor was removed");
  CHECK_FALSE(HubFixture::find(r.f.take(e), "system:error"));
  CHECK_FALSE(left(r.f.take(o), r.editor.id));
  r.f.emit(e, "parameter:update", {{"universe_id", r.universe.id}, {"category", "physics"}, {"parameters", {{"gravity", 3}}}}, 1);
  r.f.emit(e, "parameter:sync", {{"universe_id", r.universe.id}}, 2);
  const auto events = r.f.take(e);
  CHECK(HubFixture::find(events, "ack:1")->payload["error"]["code"] == "unauthorized");
  CHECK(HubFixture::find(events, "ack:2")->payload["ok"] == true);
}

TEST_CASE("a deleted universe evicts everyone with unauthorized and closes the room") {
  Room r(/*is_public=*/true);
  const auto o = r.join(r.owner);
  const auto v = r.join(r.viewer);
  r.f.take(o);
  r.f.take(v);
  r.f.store.delete_universe(r.universe.id);
  r.f.hub.universe_deleted(r.universe.id);
  for (const auto c : {o, v}) {
    const auto events = r.f.take(c);
    CHECK(told_unauthorized(events, r.universe.id));
    CHECK(HubFixture::find(events, "system:error")->payload["details"]["reason"] == "universe_deleted");
    CHECK(HubFixture::find(events, "universe:left"));
  }
  CHECK(r.f.hub.room_count() == 0);
  r.f.emit(o, "parameter:sync", {{"universe_id", r.universe.id}}, 1);
  CHECK(HubFixture::find(r.f.take(o), "ack:1")->payload["ok"] == false);
}

TEST_CASE("every event re-checks the role, not only that the connection joined") {
  // A rights change the hub was not told about as one (here: a universe record that says
  // private, delivered as a rename) must still not let a viewer read on.
  Room r(/*is_public=*/true);
  const auto o = r.join(r.owner);
  const auto v = r.join(r.viewer);
  r.f.take(o);
  r.f.take(v);
  auto record = *r.f.store.find_universe(r.universe.id);
  record.is_public = false;
  r.f.hub.universe_updated(record, {{"name", record.name}}, r.owner);
  r.f.take(o);
  r.f.take(v);
  r.f.emit(v, "parameter:sync", {{"universe_id", r.universe.id}}, 1);
  const auto events = r.f.take(v);
  CHECK(HubFixture::find(events, "ack:1")->payload["error"]["code"] == "unauthorized");
  CHECK_FALSE(HubFixture::find(events, "parameter:synced"));
  CHECK(left(r.f.take(o), r.viewer.id));  // and it left the room
  r.f.emit(v, "state:sync", {{"universe_id", r.universe.id}}, 2);
  CHECK(HubFixture::find(r.f.take(v), "ack:2")->payload["error"]["code"] == "invalid_universe");
}
