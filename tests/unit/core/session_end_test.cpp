// A socket lives no longer than its token: it is told (system:error unauthorized) and
// closed when the token expires (on_tick) or is revoked (RealtimeNotifier, from REST).
#include <catch2/catch.hpp>

#include "hub_fixture.hpp"

using harmonic::test::HubFixture;
using harmonic::test::Received;
using nlohmann::json;

namespace {

// Opens a connection and sends CONNECT with `token`.
harmonic::core::ConnectionId connect_with(HubFixture& f, const std::string& token) {
  const auto id = f.next_id++;
  f.hub.on_open(id);
  f.hub.on_packet(id, "0" + json{{"token", token}}.dump());
  return id;
}

bool told_unauthorized(const std::vector<Received>& events) {
  const auto* error = HubFixture::find(events, "system:error");
  return error && error->payload["code"] == "unauthorized";
}

}  // namespace

TEST_CASE("a socket is told and closed when its token expires, not before") {
  HubFixture f;
  const auto ada = f.user("ada");
  const auto token = f.tokens.issue(ada.id, ada.username, std::chrono::seconds(120));
  const auto expires_at_ms = f.tokens.verify(token)->expires_at * 1000;
  const auto universe = f.universe(ada, /*is_public=*/true);
  const auto c = connect_with(f, token);
  const auto watcher = f.connect(f.user("bob"));
  f.emit(c, "universe:join", {{"universe_id", universe.id}});
  f.emit(watcher, "universe:join", {{"universe_id", universe.id}});
  f.take(c);
  f.take(watcher);

  f.clock.now = expires_at_ms - 1;
  f.hub.on_tick();
  CHECK_FALSE(f.outbox.closed.contains(c));

  f.clock.now = expires_at_ms;
  f.hub.on_tick();
  CHECK(f.outbox.closed.contains(c));
  CHECK(told_unauthorized(f.take(c)));
  CHECK(HubFixture::find(f.take(watcher), "universe:left"));  // the room sees them go
  CHECK_FALSE(f.outbox.closed.contains(watcher));

  // Until the close lands, what it still sends is ignored: no reply is built for a closing
  // connection, and it does not get back into the room.
  f.emit(c, "universe:join", {{"universe_id", universe.id}}, 7);
  CHECK(f.take(c).empty());
  CHECK(f.take(watcher).empty());
}

TEST_CASE("re-authenticating with a longer token moves the deadline, closing forgets it") {
  HubFixture f;
  const auto ada = f.user("ada");
  const auto short_token = f.tokens.issue(ada.id, ada.username, std::chrono::seconds(60));
  const auto long_token = f.tokens.issue(ada.id, ada.username, std::chrono::seconds(3600));
  const auto c = connect_with(f, short_token);
  f.emit(c, "authenticate", {{"token", long_token}}, 1);
  f.clock.now = f.tokens.verify(short_token)->expires_at * 1000 + 1;
  f.hub.on_tick();
  CHECK_FALSE(f.outbox.closed.contains(c));
  f.clock.now = f.tokens.verify(long_token)->expires_at * 1000;
  f.hub.on_tick();
  CHECK(f.outbox.closed.contains(c));

  const auto d = connect_with(f, short_token);
  f.hub.on_close(d);
  f.clock.now += 10'000'000;
  f.hub.on_tick();  // nothing to do for a connection that is gone
  CHECK_FALSE(f.outbox.closed.contains(d));
}

TEST_CASE("a revoked token's sockets are told and closed, the user's other sockets stay") {
  HubFixture f;
  const auto ada = f.user("ada");
  const auto laptop_token = f.tokens.issue(ada.id, ada.username);
  const auto phone_token = f.tokens.issue(ada.id, ada.username);
  const auto laptop = connect_with(f, laptop_token);
  const auto laptop_tab = connect_with(f, laptop_token);
  const auto phone = connect_with(f, phone_token);
  const auto bob = f.connect(f.user("bob"));
  for (const auto id : {laptop, laptop_tab, phone, bob}) f.take(id);

  f.hub.token_revoked(ada.id, f.tokens.verify(laptop_token)->token_id);
  CHECK(f.outbox.closed.contains(laptop));
  CHECK(f.outbox.closed.contains(laptop_tab));
  CHECK(told_unauthorized(f.take(laptop)));
  CHECK_FALSE(f.outbox.closed.contains(phone));
  CHECK_FALSE(f.outbox.closed.contains(bob));

  f.hub.tokens_revoked(ada.id);  // a password change: every socket of the user
  CHECK(f.outbox.closed.contains(phone));
  CHECK(told_unauthorized(f.take(phone)));
  CHECK_FALSE(f.outbox.closed.contains(bob));
  f.hub.tokens_revoked("999");  // nobody: nothing happens
}

TEST_CASE("a revoked token or one of an older generation is refused at CONNECT and by authenticate") {
  HubFixture f;
  const auto ada = f.user("ada");
  const auto token = f.tokens.issue(ada.id, ada.username);
  const auto claims = *f.tokens.verify(token);
  f.store.revoke_token(claims.token_id, claims.expires_at * 1000, f.clock.now);
  const auto c = connect_with(f, token);
  const auto frames = f.outbox.frames[c];
  REQUIRE(frames.size() == 1);
  CHECK(frames[0].rfind("44", 0) == 0);  // CONNECT_ERROR

  const auto old_generation = f.tokens.issue(ada.id, ada.username);
  f.store.change_password(ada.id, "new hash");
  const auto d = f.next_id++;
  f.hub.on_open(d);
  f.hub.on_packet(d, "0");
  f.take(d);
  f.emit(d, "authenticate", {{"token", old_generation}}, 3);
  const auto refusal = f.take(d);
  const auto* refused = HubFixture::find(refusal, "ack:3");
  REQUIRE(refused);
  CHECK(refused->payload["ok"] == false);
  f.emit(d, "authenticate", {{"token", f.tokens.issue(ada.id, ada.username, 1)}}, 4);
  const auto acceptance = f.take(d);
  const auto* accepted = HubFixture::find(acceptance, "ack:4");
  REQUIRE(accepted);
  CHECK(accepted->payload["ok"] == true);
}
