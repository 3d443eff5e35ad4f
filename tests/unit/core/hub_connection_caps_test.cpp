// The hub's share of the connection caps: sockets per account, and the deadline for a
// connection to say who it is (docs/operations.md, "Connection limits and backpressure").
#include <catch2/catch.hpp>

#include "hub_fixture.hpp"

using namespace harmonic;
using harmonic::test::HubFixture;

namespace {
core::HubOptions caps(int sockets_per_user) {
  core::HubOptions options;
  options.max_sockets_per_user = sockets_per_user;
  return options;
}
}  // namespace

TEST_CASE("past max_sockets_per_user a CONNECT gets CONNECT_ERROR and is closed, a freed slot is reusable") {
  HubFixture f(caps(2));
  const auto alice = f.user("alice");
  const auto bob = f.user("bob");
  const auto first = f.connect(alice);
  const auto second = f.connect(alice);
  const auto third = f.connect(alice);
  CHECK(f.take(first).front().name.rfind("raw:40", 0) == 0);
  CHECK(f.take(second).front().name.rfind("raw:40", 0) == 0);
  CHECK(f.take(third).front().name == "raw:44{\"message\":\"too_many_connections\"}");
  CHECK(f.outbox.closed.contains(third));
  CHECK_FALSE(f.outbox.closed.contains(first));
  CHECK(f.metrics.connections_refused("max_sockets_per_user") == 1);

  const auto other = f.connect(bob);  // another account has its own count
  CHECK(f.take(other).front().name.rfind("raw:40", 0) == 0);

  f.hub.on_close(third);  // a refused connection gives back nothing it did not hold
  f.hub.on_close(first);
  const auto again = f.connect(alice);
  CHECK(f.take(again).front().name.rfind("raw:40", 0) == 0);
  CHECK_FALSE(f.outbox.closed.contains(again));
}

TEST_CASE("past max_sockets_per_user `authenticate` fails with too_many_connections and closes") {
  HubFixture f(caps(1));
  const auto alice = f.user("alice");
  f.connect(alice);
  const core::ConnectionId late = 50;
  f.hub.on_open(late);
  f.hub.on_packet(late, "0");
  f.take(late);
  f.emit(late, "authenticate", {{"token", f.tokens.issue(alice.id, alice.username)}}, 3);
  const auto events = f.take(late);
  const auto* reply = HubFixture::find(events, "ack:3");
  REQUIRE(reply);
  CHECK(reply->payload["ok"] == false);
  CHECK(reply->payload["error"]["code"] == "too_many_connections");
  CHECK(f.outbox.closed.contains(late));
  // Authenticating again as the same user on a counted connection costs nothing more.
  const auto first = core::ConnectionId{1};
  f.emit(first, "authenticate", {{"token", f.tokens.issue(alice.id, alice.username)}}, 4);
  const auto first_events = f.take(first);
  const auto* again = HubFixture::find(first_events, "ack:4");
  REQUIRE(again);
  CHECK(again->payload["ok"] == true);
}

TEST_CASE("a connection without an identity is closed after auth_timeout_ms, one with an identity stays") {
  core::HubOptions options;
  options.auth_timeout_ms = 2000;
  HubFixture f(options);
  const auto alice = f.user("alice");
  const core::ConnectionId anonymous = 70;
  f.hub.on_open(anonymous);
  f.hub.on_packet(anonymous, "0");  // connected to the namespace, but nobody
  const auto known = f.connect(alice);
  f.take(anonymous);
  f.clock.now += 1500;
  f.hub.on_tick();
  CHECK_FALSE(f.outbox.closed.contains(anonymous));
  f.clock.now += 1000;
  f.hub.on_tick();
  CHECK(f.outbox.closed.contains(anonymous));
  CHECK_FALSE(f.outbox.closed.contains(known));
  const auto events = f.take(anonymous);
  const auto* notice = HubFixture::find(events, "system:error");
  REQUIRE(notice);
  CHECK(notice->payload["code"] == "unauthorized");
  CHECK(notice->payload["details"]["reason"] == "auth_timeout");
  CHECK(f.metrics.connections_refused("auth_timeout") == 1);
}

TEST_CASE("authenticating in time (the `authenticate` event) keeps the connection past the deadline") {
  core::HubOptions options;
  options.auth_timeout_ms = 2000;
  HubFixture f(options);
  const auto alice = f.user("alice");
  const core::ConnectionId late = 80;
  f.hub.on_open(late);
  f.hub.on_packet(late, "0");
  f.clock.now += 1000;
  f.emit(late, "authenticate", {{"token", f.tokens.issue(alice.id, alice.username)}});
  f.clock.now += 5000;
  f.hub.on_tick();
  CHECK_FALSE(f.outbox.closed.contains(late));
}
