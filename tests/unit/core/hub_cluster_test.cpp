// Cluster mode in the hub (cluster_events.cpp, docs/cluster.md): two hubs on one store,
// linked by a fake ClusterLink whose messages the test delivers, in any order, or loses.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <utility>

#include "../storage/temp_dir.hpp"
#include "hub_fixture.hpp"
#include "storage/data_admin.hpp"

using namespace harmonic;
using harmonic::test::FakeClock;
using harmonic::test::RecordingOutbox;
using nlohmann::json;

namespace {

class FakeLink final : public core::ClusterLink {
 public:
  explicit FakeLink(std::string node) : node_(std::move(node)), presence_id_(node_ + ".1") {}
  bool publish(const std::string& universe_id, const std::string& message) override {
    if (!up) return false;
    published.emplace_back(universe_id, message);
    return true;
  }
  bool publish_to_all(const std::string& message) override {
    if (!up) return false;
    published.emplace_back("", message);  // "": no universe, every node hears it
    return true;
  }
  bool connected() const override { return up; }
  const std::string& node_id() const override { return node_; }
  const std::string& presence_id() const override { return presence_id_; }
  void watch(const std::string& universe_id) override {
    watched.insert(universe_id);
    unconfirmed.push_back(universe_id);
  }
  void unwatch(const std::string& universe_id) override {
    watched.erase(universe_id);
    presence.erase(universe_id);
  }
  void set_presence(const std::string& universe_id, const core::PresenceEntry& entry) override {
    presence[universe_id][entry.user_id] = entry;
  }
  void clear_presence(const std::string& universe_id, const std::string& user_id) override {
    presence[universe_id].erase(user_id);
  }
  std::vector<std::pair<std::string, std::string>> published;
  std::set<std::string> watched;
  std::vector<std::string> unconfirmed;  // watched, subscription not confirmed yet
  // What this node wrote to the presence table: universe -> user -> entry.
  std::map<std::string, std::map<std::string, core::PresenceEntry>> presence;
  bool up = true;

 private:
  std::string node_;
  std::string presence_id_;
};

core::HubOptions cluster_options() {
  core::HubOptions options;
  options.shared_store = true;
  return options;
}

struct Node {
  Node(storage::Store& store, const auth::TokenService& tokens, const core::Clock& clock, const std::string& name)
      : link(name), writes(store, outbox), delivery(writes),
        hub(store, tokens, writes, delivery, clock, metrics, cluster_options()) {
    hub.set_cluster(&link);
  }
  FakeLink link;
  RecordingOutbox outbox;
  core::Metrics metrics;
  core::GroupCommit writes;
  core::LocalRoomDelivery delivery;
  core::RealtimeHub hub;
};

struct TwoNodes {
  storage::SqliteStore store{":memory:"};
  auth::TokenService tokens{"test-secret-of-sufficient-length"};
  FakeClock clock;
  Node a{store, tokens, clock, "a"};
  Node b{store, tokens, clock, "b"};
  storage::User owner = *store.create_user("owner", "", "x", clock.now);
  storage::User collaborator = *store.create_user("collab", "", "x", clock.now);
  storage::Universe universe = make_universe();
  core::ConnectionId next_id = 1;

  storage::Universe make_universe() {
    auto created = store.create_universe(owner.id, "U", "", true, 7, params::all_defaults(), clock.now);
    store.add_collaborator(created.id, collaborator.id);
    return created;
  }

  core::ConnectionId join(Node& node, const storage::User& who) {
    const auto id = next_id++;
    node.hub.on_open(id);
    node.hub.on_packet(id, "0" + json{{"token", tokens.issue(who.id, who.username)}}.dump());
    emit(node, id, "universe:join", {{"universe_id", universe.id}}, 1);
    confirm_watches(node);
    return id;
  }

  // The subscriptions `node` asked for are confirmed: it gets the other node's entries.
  void confirm_watches(Node& node) {
    auto& other = &node == &a ? b : a;
    for (const auto& universe_id : std::exchange(node.link.unconfirmed, {})) {
      std::vector<core::PresenceEntry> others;
      for (const auto& [user_id, entry] : other.link.presence[universe_id]) others.push_back(entry);
      node.hub.on_room_watched(universe_id, others);
    }
  }

  static void emit(Node& node, core::ConnectionId id, const std::string& name, const json& payload,
                   std::optional<std::uint64_t> ack = std::nullopt) {
    node.hub.on_packet(id, protocol::encode_client_event_frame(name, payload, ack).substr(1));
  }

  // Hands what `from` published to both nodes (Redis delivers to every subscriber, the
  // publisher included); returns how many messages that was.
  std::size_t relay(Node& from) {
    auto messages = std::move(from.link.published);
    from.link.published.clear();
    for (const auto& [universe_id, message] : messages) {
      a.hub.on_cluster_message(message);
      b.hub.on_cluster_message(message);
    }
    return messages.size();
  }

  // The events a connection received since the last call, of one name.
  static std::vector<json> taken(Node& node, core::ConnectionId id, const std::string& name) {
    std::vector<json> events;
    for (const auto& frame : node.outbox.frames[id]) {
      if (frame.rfind("42", 0) != 0) continue;
      auto data = json::parse(frame.substr(2));
      if (data[0] == name) events.push_back(data[1]);
    }
    node.outbox.frames[id].clear();
    return events;
  }

  static std::vector<std::int64_t> seqs(const std::vector<json>& events) {
    std::vector<std::int64_t> result;
    for (const auto& event : events) result.push_back(event["seq"].get<std::int64_t>());
    return result;
  }

  json synced(Node& node, core::ConnectionId id) {
    emit(node, id, "parameter:sync", {{"universe_id", universe.id}});
    return taken(node, id, "parameter:synced").at(0);
  }
};

json update(const std::string& universe_id, const json& physics) {
  return {{"universe_id", universe_id}, {"category", "physics"}, {"parameters", physics}};
}

}  // namespace

TEST_CASE("cluster: changes from two nodes reach every member in seq order, whatever order Redis brings them") {
  TwoNodes c;
  const auto on_a = c.join(c.a, c.owner);
  const auto on_b = c.join(c.b, c.collaborator);
  c.relay(c.a);
  c.relay(c.b);
  c.taken(c.a, on_a, "parameter:updated");
  c.taken(c.b, on_b, "parameter:updated");

  c.emit(c.a, on_a, "parameter:update", update(c.universe.id, {{"gravity", 2.0}}));   // seq 1
  c.emit(c.b, on_b, "parameter:update", update(c.universe.id, {{"friction", 0.1}}));  // seq 2
  // Node b has seq 2 but not 1 yet: its members hear nothing until 1 arrives.
  CHECK(c.taken(c.b, on_b, "parameter:updated").empty());
  CHECK(c.seqs(c.taken(c.a, on_a, "parameter:updated")) == std::vector<std::int64_t>{1});

  // b's message first, then a's.
  REQUIRE(c.relay(c.b) == 1);
  REQUIRE(c.relay(c.a) == 1);
  CHECK(c.seqs(c.taken(c.a, on_a, "parameter:updated")) == std::vector<std::int64_t>{2});
  CHECK(c.seqs(c.taken(c.b, on_b, "parameter:updated")) == std::vector<std::int64_t>{1, 2});

  // Both caches hold both changes: b's write sent only friction, so a's gravity stayed.
  for (auto* node : {&c.a, &c.b}) {
    const auto id = node == &c.a ? on_a : on_b;
    const auto physics = c.synced(*node, id)["physics_parameters"];
    CHECK(physics["gravity"] == 2.0);
    CHECK(physics["friction"] == 0.1);
  }
  CHECK(c.store.load_parameters(c.universe.id)["physics"]["gravity"] == 2.0);
}

TEST_CASE("cluster: a lost message is read from the store after the gap wait, before anything later") {
  TwoNodes c;
  const auto on_a = c.join(c.a, c.owner);
  const auto on_b = c.join(c.b, c.collaborator);
  c.relay(c.a);
  c.relay(c.b);

  c.emit(c.a, on_a, "parameter:update", update(c.universe.id, {{"gravity", 3.0}}));   // seq 1, lost
  c.a.link.published.clear();
  c.emit(c.b, on_b, "parameter:update", update(c.universe.id, {{"gravity", 4.0}}));   // seq 2
  c.relay(c.b);
  CHECK(c.taken(c.b, on_b, "parameter:updated").empty());

  c.clock.now += 50;
  c.b.hub.on_tick();  // not yet: it may still come
  CHECK(c.taken(c.b, on_b, "parameter:updated").empty());
  c.clock.now += 300;
  c.b.hub.on_tick();
  const auto heard = c.taken(c.b, on_b, "parameter:updated");
  CHECK(c.seqs(heard) == std::vector<std::int64_t>{1, 2});
  CHECK(heard.at(0)["parameters"]["gravity"] == 3.0);
  CHECK(c.synced(c.b, on_b)["physics_parameters"]["gravity"] == 4.0);
}

TEST_CASE("cluster: parameter:delta is decided by the store, not by a node's stale cache") {
  TwoNodes c;
  const auto on_a = c.join(c.a, c.owner);
  const auto on_b = c.join(c.b, c.collaborator);
  const json race = {{"universe_id", c.universe.id}, {"category", "physics"}};
  auto delta = [&](double to) {
    auto payload = race;
    payload["changes"] = {{"gravity", {{"from", 9.81}, {"to", to}}}};
    return payload;
  };
  c.emit(c.a, on_a, "parameter:delta", delta(12), 7);
  // b has not heard of it (nothing relayed): its cache still says 9.81.
  c.emit(c.b, on_b, "parameter:delta", delta(15), 8);
  std::vector<json> replies;
  for (auto* node : {&c.a, &c.b}) {
    for (const auto& frame : node->outbox.frames[node == &c.a ? on_a : on_b]) {
      if (frame.rfind("437", 0) == 0 || frame.rfind("438", 0) == 0) replies.push_back(json::parse(frame.substr(3))[0]);
    }
  }
  REQUIRE(replies.size() == 2);
  CHECK(replies[0]["ok"] == true);
  CHECK(replies[1]["ok"] == false);
  CHECK(replies[1]["error"]["details"]["reason"] == "conflict");
  CHECK(replies[1]["error"]["details"]["current"]["gravity"] == 12.0);
  CHECK(c.store.load_parameters(c.universe.id)["physics"]["gravity"] == 12.0);
}

TEST_CASE("cluster: chat goes out through the link, to every node's members, without it to this node's only") {
  TwoNodes c;
  const auto on_a = c.join(c.a, c.owner);
  const auto on_b = c.join(c.b, c.collaborator);
  c.relay(c.a);
  c.relay(c.b);
  c.emit(c.a, on_a, "collaboration:message", {{"universe_id", c.universe.id}, {"message", "hello"}});
  CHECK(c.taken(c.a, on_a, "collaboration:message").empty());  // heard when Redis brings it back
  REQUIRE(c.relay(c.a) == 1);
  CHECK(c.taken(c.a, on_a, "collaboration:message").size() == 1);
  const auto on_b_heard = c.taken(c.b, on_b, "collaboration:message");
  REQUIRE(on_b_heard.size() == 1);
  CHECK(on_b_heard[0]["message"] == "hello");

  c.a.link.up = false;
  c.emit(c.a, on_a, "collaboration:message", {{"universe_id", c.universe.id}, {"message", "alone"}});
  CHECK(c.taken(c.a, on_a, "collaboration:message").size() == 1);
  CHECK(c.relay(c.a) == 0);
  CHECK(c.taken(c.b, on_b, "collaboration:message").empty());
}

TEST_CASE("cluster: a first join waits for the subscription, then lists the users of every node") {
  TwoNodes c;
  const auto on_a = c.join(c.a, c.owner);
  c.relay(c.a);
  c.taken(c.a, on_a, "universe:joined");
  const auto id = c.next_id++;
  c.b.hub.on_open(id);
  c.b.hub.on_packet(id, "0" + json{{"token", c.tokens.issue(c.collaborator.id, c.collaborator.username)}}.dump());
  c.emit(c.b, id, "universe:join", {{"universe_id", c.universe.id}}, 5);
  // Nothing yet: not the reply, not the state.
  CHECK(c.taken(c.b, id, "state:initial").empty());
  REQUIRE(c.b.link.unconfirmed == std::vector<std::string>{c.universe.id});

  // Meanwhile node a commits a change that b's subscription is too late to hear.
  c.emit(c.a, on_a, "parameter:update", update(c.universe.id, {{"gravity", 5.0}}));
  c.a.link.published.clear();

  c.confirm_watches(c.b);
  bool acked = false;
  for (const auto& frame : c.b.outbox.frames[id]) {
    if (frame.rfind("435", 0) == 0) acked = json::parse(frame.substr(3))[0]["ok"] == true;
  }
  CHECK(acked);
  const auto initial = c.taken(c.b, id, "state:initial");
  REQUIRE(initial.size() == 1);
  std::set<std::string> listed;
  for (const auto& participant : initial[0]["participants"]) listed.insert(participant["id"].get<std::string>());
  CHECK(listed == std::set<std::string>{c.owner.id, c.collaborator.id});
  // The change made before the subscription was read from the store.
  CHECK(initial[0]["parameters"]["physics"]["gravity"] == 5.0);
  // b's entry is in the table, and a hears of the new person through b's broadcast.
  CHECK(c.b.link.presence[c.universe.id].contains(c.collaborator.id));
  c.relay(c.b);
  const auto joined = c.taken(c.a, on_a, "universe:joined");
  REQUIRE(joined.size() == 1);
  CHECK(joined[0]["user_id"] == c.collaborator.id);
  CHECK(joined[0]["participants"].size() == 2);
}

TEST_CASE("cluster: a node that stops beating takes its users out of the other nodes' rooms") {
  TwoNodes c;
  const auto on_a = c.join(c.a, c.owner);
  c.relay(c.a);
  c.join(c.b, c.collaborator);
  c.relay(c.b);
  c.taken(c.a, on_a, "universe:left");
  c.a.hub.on_node_gone("nobody.1");  // a node without users here changes nothing
  CHECK(c.taken(c.a, on_a, "universe:left").empty());

  c.a.hub.on_node_gone(c.b.link.presence_id());
  const auto left = c.taken(c.a, on_a, "universe:left");
  REQUIRE(left.size() == 1);
  CHECK(left[0]["user_id"] == c.collaborator.id);
  c.emit(c.a, on_a, "state:sync", {{"universe_id", c.universe.id}}, 10);
  const auto synced = c.taken(c.a, on_a, "state:synced");
  REQUIRE(synced.size() == 1);
  CHECK(synced[0]["state"]["participants"].size() == 1);
}

TEST_CASE("cluster: a person connected through two nodes leaves the room only when both are gone") {
  TwoNodes c;
  const auto on_a = c.join(c.a, c.owner);
  c.relay(c.a);
  c.taken(c.a, on_a, "universe:joined");
  const auto owner_on_b = c.join(c.b, c.owner);
  c.relay(c.b);
  // Already in the room through a: nobody is told of an arrival.
  CHECK(c.taken(c.a, on_a, "universe:joined").empty());
  const auto viewer = c.join(c.a, c.collaborator);
  c.relay(c.a);
  c.taken(c.a, viewer, "universe:left");
  c.emit(c.b, owner_on_b, "universe:leave", {{"universe_id", c.universe.id}}, 3);
  c.relay(c.b);
  CHECK(c.taken(c.a, viewer, "universe:left").empty());
  CHECK(!c.b.link.presence[c.universe.id].contains(c.owner.id));
  CHECK(!c.b.link.watched.contains(c.universe.id));  // b's last member left: unsubscribed
}

TEST_CASE("cluster: a collaborator removed over REST on one node is evicted on the other") {
  TwoNodes c;
  storage::UniverseChange made_private;
  made_private.universe_id = c.universe.id;
  made_private.is_public = false;
  c.store.commit(made_private);
  const auto on_a = c.join(c.a, c.owner);
  c.relay(c.a);
  const auto on_b = c.join(c.b, c.collaborator);
  c.relay(c.b);
  c.taken(c.b, on_b, "system:error");
  c.taken(c.a, on_a, "universe:left");

  REQUIRE(c.store.remove_collaborator(c.universe.id, c.collaborator.id));
  c.a.hub.collaborators_changed(c.universe.id, "owner removed collab as a collaborator");
  CHECK(c.taken(c.b, on_b, "system:error").empty());  // not before the link brings it
  c.relay(c.a);
  const auto errors = c.taken(c.b, on_b, "system:error");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0]["code"] == "unauthorized");
  CHECK(errors[0]["details"]["reason"] == "access_removed");
  c.relay(c.b);
  const auto left = c.taken(c.a, on_a, "universe:left");
  REQUIRE(left.size() == 1);
  CHECK(left[0]["user_id"] == c.collaborator.id);
}

TEST_CASE("cluster: a universe deleted over REST on a node without the room closes it on the others") {
  TwoNodes c;
  const auto on_b = c.join(c.b, c.collaborator);
  c.relay(c.b);
  REQUIRE(c.store.delete_universe(c.universe.id));
  c.a.hub.universe_deleted(c.universe.id);  // node a has nobody in that room
  c.relay(c.a);
  const auto heard = c.b.outbox.frames[on_b];
  const auto notes = c.taken(c.b, on_b, "system:notification");
  REQUIRE(notes.size() == 1);
  CHECK(notes[0]["type"] == "universe_deleted");
  c.b.outbox.frames[on_b] = heard;
  const auto errors = c.taken(c.b, on_b, "system:error");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0]["details"]["reason"] == "universe_deleted");
  CHECK(c.b.hub.room_count() == 0);
}

TEST_CASE("cluster: made private by a socket on one node, the viewers on the other leave") {
  TwoNodes c;
  const auto on_a = c.join(c.a, c.owner);
  c.relay(c.a);
  const auto stranger = *c.store.create_user("stranger", "", "x", c.clock.now);
  const auto on_b = c.join(c.b, stranger);
  c.relay(c.b);
  c.taken(c.b, on_b, "system:error");
  c.emit(c.a, on_a, "universe:update", {{"universe_id", c.universe.id}, {"changes", {{"is_public", false}}}}, 4);
  c.relay(c.a);
  const auto errors = c.taken(c.b, on_b, "system:error");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0]["details"]["reason"] == "access_removed");
}

TEST_CASE("cluster: after an outage each node's whole list replaces what the others mirror of it") {
  TwoNodes c;
  const auto on_a = c.join(c.a, c.owner);
  c.relay(c.a);
  const auto stranger = *c.store.create_user("stranger", "", "x", c.clock.now);
  c.join(c.b, c.collaborator);
  const auto stranger_on_b = c.join(c.b, stranger);
  c.relay(c.b);
  c.taken(c.a, on_a, "universe:left");
  // Redis goes away: b's stranger leaves and nobody else hears of it.
  c.emit(c.b, stranger_on_b, "universe:leave", {{"universe_id", c.universe.id}}, 4);
  c.b.link.published.clear();
  CHECK(c.taken(c.a, on_a, "universe:left").empty());
  // a's subscription comes back first and reads a table that b has not rewritten yet:
  // nobody is taken away for that.
  c.a.hub.on_room_watched(c.universe.id, {});
  CHECK(c.taken(c.a, on_a, "universe:left").empty());
  // b is back: its whole list tells a who is gone.
  c.b.hub.on_cluster_reconnected();
  CHECK(c.relay(c.b) == 1);
  const auto left = c.taken(c.a, on_a, "universe:left");
  REQUIRE(left.size() == 1);
  CHECK(left[0]["user_id"] == stranger.id);
  CHECK(c.b.link.presence[c.universe.id].contains(c.collaborator.id));
}

TEST_CASE("cluster: a join whose subscription Redis never confirms goes on after the wait") {
  TwoNodes c;
  const auto id = c.next_id++;
  c.a.hub.on_open(id);
  c.a.hub.on_packet(id, "0" + json{{"token", c.tokens.issue(c.owner.id, c.owner.username)}}.dump());
  c.emit(c.a, id, "universe:join", {{"universe_id", c.universe.id}}, 2);
  c.clock.now += 1000;
  c.a.hub.on_tick();
  CHECK(c.taken(c.a, id, "state:initial").empty());
  c.clock.now += 1100;
  c.a.hub.on_tick();
  const auto initial = c.taken(c.a, id, "state:initial");
  REQUIRE(initial.size() == 1);
  CHECK(initial[0]["participants"].size() == 1);
  // The late confirmation still brings the other nodes' users (none here) without a second state.
  c.confirm_watches(c.a);
  CHECK(c.taken(c.a, id, "state:initial").empty());
}

TEST_CASE("cluster: a token revoked over REST on one node closes the sockets holding it on the other") {
  TwoNodes c;
  const auto signed_in = [&](Node& node, const std::string& token) {
    const auto id = c.next_id++;
    node.hub.on_open(id);
    node.hub.on_packet(id, "0" + json{{"token", token}}.dump());
    return id;
  };
  const auto logged_out = c.tokens.issue(c.collaborator.id, c.collaborator.username);
  const auto kept = c.tokens.issue(c.collaborator.id, c.collaborator.username);
  const auto with_logged_out = signed_in(c.b, logged_out);
  const auto with_kept = signed_in(c.b, kept);
  const auto owner_on_b = signed_in(c.b, c.tokens.issue(c.owner.id, c.owner.username));

  // Logout on a (REST tells its hub): b hears it through the link and ends that token's socket only.
  c.a.hub.token_revoked(c.collaborator.id, c.tokens.verify(logged_out)->token_id);
  CHECK(c.relay(c.a) == 1);
  CHECK(c.b.outbox.closed == std::set<core::ConnectionId>{with_logged_out});
  const auto errors = c.taken(c.b, with_logged_out, "system:error");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0]["code"] == "unauthorized");

  // A password change on a: every socket of the user on b, nobody else's.
  c.a.hub.tokens_revoked(c.collaborator.id);
  CHECK(c.relay(c.a) == 1);
  CHECK(c.b.outbox.closed.contains(with_kept));
  CHECK_FALSE(c.b.outbox.closed.contains(owner_on_b));
}

TEST_CASE("cluster: a malformed revocation from the link ends nobody's session") {
  TwoNodes c;
  const auto token = c.tokens.issue(c.owner.id, c.owner.username);
  const auto id = c.next_id++;
  c.b.hub.on_open(id);
  c.b.hub.on_packet(id, "0" + json{{"token", token}}.dump());
  c.b.hub.on_cluster_message(json{{"n", "a"}, {"revoked", {{"user", c.owner.id}, {"token", 7}}}}.dump());
  c.b.hub.on_cluster_message(json{{"n", "a"}, {"revoked", "everyone"}}.dump());
  CHECK(c.b.outbox.closed.empty());
  // The same message well formed does end it.
  c.b.hub.on_cluster_message(json{{"n", "a"}, {"revoked", {{"user", c.owner.id}}}}.dump());
  CHECK(c.b.outbox.closed == std::set<core::ConnectionId>{id});
}

TEST_CASE("cluster: revocations a node missed while cut off from Redis end its sockets once the link is back") {
  TwoNodes c;
  const auto signed_in = [&](Node& node, const std::string& token) {
    const auto id = c.next_id++;
    node.hub.on_open(id);
    node.hub.on_packet(id, "0" + json{{"token", token}}.dump());
    return id;
  };
  const auto logged_out = c.tokens.issue(c.collaborator.id, c.collaborator.username);
  const auto kept = c.tokens.issue(c.collaborator.id, c.collaborator.username);
  const auto with_logged_out = signed_in(c.b, logged_out);
  const auto with_kept = signed_in(c.b, kept);
  const auto owner_on_b = signed_in(c.b, c.tokens.issue(c.owner.id, c.owner.username));
  const auto owner_on_a = signed_in(c.a, c.tokens.issue(c.owner.id, c.owner.username));

  // Redis goes away. On a, a logout of one of the collaborator's tokens and a password
  // change of the owner, each as REST does it: the store, then the hub.
  c.a.link.up = false;
  c.b.link.up = false;
  const auto claims = c.tokens.verify(logged_out);
  REQUIRE(claims);
  c.store.revoke_token(claims->token_id, claims->expires_at * 1000, c.clock.now);
  c.a.hub.token_revoked(c.collaborator.id, claims->token_id);
  REQUIRE(c.store.change_password(c.owner.id, "new-hash"));
  c.a.hub.tokens_revoked(c.owner.id);
  CHECK(c.relay(c.a) == 0);  // published into the void: b never hears of them
  CHECK(c.a.outbox.closed == std::set<core::ConnectionId>{owner_on_a});
  c.b.hub.on_tick();
  CHECK(c.b.outbox.closed.empty());

  // b's link is back: on its next tick (not inside the callback, where a turn may be
  // open) it checks its sockets' tokens against the store and ends the revoked ones,
  // with what a live revocation sends.
  c.a.link.up = true;
  c.b.link.up = true;
  c.b.hub.on_cluster_reconnected();
  CHECK(c.b.outbox.closed.empty());
  c.b.hub.on_tick();
  CHECK(c.b.outbox.closed == std::set<core::ConnectionId>{with_logged_out, owner_on_b});
  const auto signed_out = c.taken(c.b, with_logged_out, "system:error");
  REQUIRE(signed_out.size() == 1);
  CHECK(signed_out[0]["code"] == "unauthorized");
  CHECK(signed_out[0]["message"] == "this session was signed out");
  CHECK(signed_out[0]["details"]["reason"] == "session_ended");
  const auto password_changed = c.taken(c.b, owner_on_b, "system:error");
  REQUIRE(password_changed.size() == 1);
  CHECK(password_changed[0]["code"] == "unauthorized");
  CHECK(password_changed[0]["message"] == "the password was changed; sign in again");
  CHECK(c.taken(c.b, with_kept, "system:error").empty());

  // Once is enough: later ticks read nothing more and end nobody else.
  c.b.hub.on_tick();
  CHECK(c.b.outbox.closed.size() == 2);
}

TEST_CASE("cluster: after an outage a socket of a revoked token leaves its rooms, and the room hears it") {
  TwoNodes c;
  const auto owner_on_a = c.join(c.a, c.owner);
  const auto collaborator_on_b = c.join(c.b, c.collaborator);
  c.relay(c.a);
  c.relay(c.b);
  c.taken(c.a, owner_on_a, "universe:left");
  c.a.link.up = false;
  c.b.link.up = false;
  REQUIRE(c.store.change_password(c.collaborator.id, "new-hash"));
  c.a.hub.tokens_revoked(c.collaborator.id);
  c.b.link.up = true;
  c.b.hub.on_cluster_reconnected();
  c.b.hub.on_tick();
  CHECK(c.b.outbox.closed == std::set<core::ConnectionId>{collaborator_on_b});
  // b tells the other nodes the collaborator left, as any departure.
  c.a.link.up = true;
  c.relay(c.b);
  const auto left = c.taken(c.a, owner_on_a, "universe:left");
  REQUIRE(left.size() == 1);
  CHECK(left[0]["user_id"] == c.collaborator.id);
}

TEST_CASE("cluster: after an outage a socket whose user was deleted meanwhile is ended too") {
  harmonic::test::TempDir dir;
  storage::SqliteStore store(storage::database_file_in(dir.path()).string());
  auth::TokenService tokens{"test-secret-of-sufficient-length"};
  FakeClock clock;
  Node node{store, tokens, clock, "b"};
  const auto gone = *store.create_user("gone", "", "x", clock.now);
  const auto stays = *store.create_user("stays", "", "x", clock.now);
  node.hub.on_open(1);
  node.hub.on_packet(1, "0" + json{{"token", tokens.issue(gone.id, gone.username)}}.dump());
  node.hub.on_open(2);
  node.hub.on_packet(2, "0" + json{{"token", tokens.issue(stays.id, stays.username)}}.dump());
  storage::DataAdmin(dir.path()).delete_user("gone", std::nullopt);
  node.hub.on_cluster_reconnected();
  node.hub.on_tick();
  CHECK(node.outbox.closed == std::set<core::ConnectionId>{1});
  const auto errors = TwoNodes::taken(node, 1, "system:error");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0]["message"] == "the account no longer exists; sign in again");
}

namespace {

// A store whose batch revocation read fails while `away` (PostgreSQL gone as well).
class RevocationsAway final : public storage::SqliteStore {
 public:
  RevocationsAway() : SqliteStore(":memory:") {}
  std::set<std::string> revoked_among(const std::vector<std::string>& token_ids) override {
    if (away) throw storage::StorageError("the store is away");
    return SqliteStore::revoked_among(token_ids);
  }
  bool away = false;
};

}  // namespace

TEST_CASE("cluster: a re-check after an outage that the store cannot answer is tried again a second later") {
  RevocationsAway store;
  auth::TokenService tokens{"test-secret-of-sufficient-length"};
  FakeClock clock;
  Node node{store, tokens, clock, "b"};
  const auto ada = *store.create_user("ada", "", "x", clock.now);
  const auto token = tokens.issue(ada.id, ada.username);
  node.hub.on_open(1);
  node.hub.on_packet(1, "0" + json{{"token", token}}.dump());
  const auto claims = tokens.verify(token);
  REQUIRE(claims);
  store.revoke_token(claims->token_id, claims->expires_at * 1000, clock.now);
  store.away = true;
  node.hub.on_cluster_reconnected();
  node.hub.on_tick();
  CHECK(node.outbox.closed.empty());
  store.away = false;
  clock.now += 500;
  node.hub.on_tick();  // not before the retry is due
  CHECK(node.outbox.closed.empty());
  clock.now += 600;
  node.hub.on_tick();
  CHECK(node.outbox.closed == std::set<core::ConnectionId>{1});
}
