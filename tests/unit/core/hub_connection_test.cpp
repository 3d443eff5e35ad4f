#include <catch2/catch.hpp>

#include "hub_fixture.hpp"

using harmonic::test::HubFixture;
using nlohmann::json;

TEST_CASE("CONNECT with a valid token is answered with a sid, a bad one with unauthorized") {
  HubFixture f;
  auto alice = f.user("alice");
  const auto good = f.connect(alice);
  REQUIRE(f.outbox.frames[good].size() == 1);
  CHECK(f.outbox.frames[good][0].rfind("40{\"sid\":", 0) == 0);

  f.hub.on_open(50);
  f.hub.on_packet(50, R"(0{"token":"not-a-jwt"})");
  REQUIRE(f.outbox.frames[50].size() == 1);
  CHECK(f.outbox.frames[50][0] == R"(44{"message":"unauthorized"})");

  // a token for a user that does not exist (deleted account) is refused too
  f.hub.on_open(51);
  f.hub.on_packet(51, "0" + json{{"token", f.tokens.issue("999", "ghost")}}.dump());
  CHECK(f.outbox.frames[51][0] == R"(44{"message":"unauthorized"})");
}

TEST_CASE("other namespaces are refused and packets before CONNECT close the connection") {
  HubFixture f;
  f.hub.on_open(1);
  f.hub.on_packet(1, "0/admin,{}");
  CHECK(f.outbox.frames[1][0].rfind("44/admin,", 0) == 0);
  CHECK(f.outbox.closed.empty());
  f.hub.on_packet(1, R"(2["universe:join",{}])");
  CHECK(f.outbox.closed.contains(1));
}

TEST_CASE("without a token the connection waits for authenticate") {
  HubFixture f;
  auto alice = f.user("alice");
  f.hub.on_open(1);
  f.hub.on_packet(1, "0");
  f.take(1);
  f.emit(1, "universe:join", {{"universe_id", "1"}});
  auto events = f.take(1);
  REQUIRE(events.size() == 1);
  CHECK(events[0].name == "system:error");
  CHECK(events[0].payload["code"] == "unauthorized");

  f.emit(1, "no:such:event", {});
  CHECK(f.take(1)[0].payload["code"] == "unauthorized");

  f.emit(1, "authenticate", {{"token", "forged"}}, 3);
  events = f.take(1);
  CHECK(events[0].name == "ack:3");
  CHECK(events[0].payload["ok"] == false);

  f.emit(1, "authenticate", {{"token", f.tokens.issue(alice.id, alice.username)}});
  events = f.take(1);
  REQUIRE(HubFixture::find(events, "authenticated"));
  CHECK(HubFixture::find(events, "authenticated")->payload["user"]["username"] == "alice");

  auto bob = f.user("bobby");
  f.emit(1, "authenticate", {{"token", f.tokens.issue(bob.id, bob.username)}});
  events = f.take(1);
  REQUIRE(HubFixture::find(events, "system:error"));
  CHECK(HubFixture::find(events, "system:error")->payload["code"] == "unauthorized");
}

TEST_CASE("malformed packets after CONNECT get invalid_parameters and the connection stays") {
  HubFixture f;
  auto alice = f.user("alice");
  const auto c = f.connect(alice);
  f.take(c);
  f.hub.on_packet(c, "2[\"a\",");
  f.hub.on_packet(c, "2{\"not\":\"an array\"}");
  f.hub.on_binary(c);
  f.emit(c, "no:such:event", {});
  auto events = f.take(c);
  REQUIRE(events.size() == 4);
  for (const auto& event : events) {
    CHECK(event.name == "system:error");
    CHECK(event.payload["code"] == "invalid_parameters");
  }
  CHECK(events[3].payload["details"]["event"] == "no:such:event");
  CHECK(f.outbox.closed.empty());
}

TEST_CASE("a connection that never sends CONNECT is closed after the timeout") {
  HubFixture f;
  f.hub.on_open(1);
  f.clock.now += 5000;
  f.hub.on_tick();
  CHECK_FALSE(f.outbox.closed.contains(1));
  f.clock.now += 6000;
  f.hub.on_tick();
  CHECK(f.outbox.closed.contains(1));
}

TEST_CASE("each connection gets its own full CONNECT timeout, and a connected one is never dropped by it") {
  HubFixture f;
  auto alice = f.user("alice");
  f.hub.on_open(901);
  f.clock.now += 6000;
  f.hub.on_open(902);
  const auto connected = f.connect(alice);
  f.clock.now += 5000;  // 11 s for the first, 5 s for the second and the connected one
  f.hub.on_tick();
  CHECK(f.outbox.closed.contains(901));
  CHECK_FALSE(f.outbox.closed.contains(902));
  f.clock.now += 6000;
  f.hub.on_tick();
  CHECK(f.outbox.closed.contains(902));
  CHECK_FALSE(f.outbox.closed.contains(connected));
}

TEST_CASE("maintenance reaches every connected client") {
  HubFixture f;
  auto alice = f.user("alice");
  const auto a = f.connect(alice);
  const auto b = f.connect(alice);
  f.take(a);
  f.take(b);
  f.hub.announce_maintenance("restarting", 30);
  for (const auto id : {a, b}) {
    auto events = f.take(id);
    REQUIRE(events.size() == 1);
    CHECK(events[0].name == "system:maintenance");
    CHECK(events[0].payload["estimated_duration"] == 30);
  }
}
