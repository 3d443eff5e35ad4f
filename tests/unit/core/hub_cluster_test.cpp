// Cluster mode in the hub (cluster_events.cpp, docs/cluster.md): two hubs on one store,
// linked by a fake ClusterLink whose messages the test delivers, in any order, or loses.
#include <catch2/catch.hpp>

#include "hub_fixture.hpp"

using namespace harmonic;
using harmonic::test::FakeClock;
using harmonic::test::RecordingOutbox;
using nlohmann::json;

namespace {

class FakeLink final : public core::ClusterLink {
 public:
  explicit FakeLink(std::string node) : node_(std::move(node)) {}
  bool publish(const std::string& universe_id, const std::string& message) override {
    if (!up) return false;
    published.emplace_back(universe_id, message);
    return true;
  }
  bool connected() const override { return up; }
  const std::string& node_id() const override { return node_; }
  std::vector<std::pair<std::string, std::string>> published;
  bool up = true;

 private:
  std::string node_;
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
    return id;
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

TEST_CASE("cluster: chat goes out through the link, to every node's members; without it to this node's only") {
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
