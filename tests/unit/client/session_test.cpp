#include <catch2/catch.hpp>

#include "client/session.hpp"
#include "fake_transport.hpp"

using namespace harmonic::client;
using namespace harmonic::client::testing;
using nlohmann::json;

namespace {
ReconnectPolicy exact_policy() {
  ReconnectPolicy p;
  p.jitter = 0;
  return p;
}
}  // namespace

TEST_CASE("session: handshake sends CONNECT with auth and reports connected") {
  FakeNetwork net;
  Session session(net.factory(), exact_policy());
  bool connected = false, reconnected_flag = true;
  Session::Handlers h;
  h.on_connected = [&](bool reconnected) {
    connected = true;
    reconnected_flag = reconnected;
  };
  session.set_handlers(h);
  session.open("ws://x/socket.io/?EIO=4&transport=websocket", {{"token", "T"}}, 0);
  REQUIRE(session.status() == ConnectionStatus::connecting);
  REQUIRE(net.last().url == "ws://x/socket.io/?EIO=4&transport=websocket");
  net.last().handshake();
  REQUIRE(net.last().sent.size() == 1);
  CHECK(json::parse(net.last().sent[0].substr(2)) == json{{"token", "T"}});
  CHECK(net.last().sent[0].rfind("40", 0) == 0);
  CHECK_FALSE(connected);
  net.last().receive("40{\"sid\":\"s1\"}");
  CHECK(connected);
  CHECK_FALSE(reconnected_flag);
  CHECK(session.status() == ConnectionStatus::connected);
  CHECK(session.sid() == "s1");
}

TEST_CASE("session: answers engine pings with pongs") {
  FakeNetwork net;
  Session session(net.factory(), exact_policy());
  session.open("ws://x", nullptr, 0);
  net.last().handshake();
  net.last().receive("40{\"sid\":\"s\"}");
  net.last().sent.clear();
  net.last().receive("2");
  REQUIRE(net.last().sent == std::vector<std::string>{"3"});
}

TEST_CASE("session: events are delivered and acks matched by id") {
  FakeNetwork net;
  Session session(net.factory(), exact_policy());
  std::vector<std::string> names;
  Session::Handlers h;
  h.on_event = [&](const harmonic::protocol::Event& e) { names.push_back(e.name); };
  session.set_handlers(h);
  session.open("ws://x", nullptr, 0);
  net.last().handshake();
  net.last().receive("40{\"sid\":\"s\"}");
  net.last().receive("42[\"parameter:updated\",{\"category\":\"physics\"}]");
  REQUIRE(names == std::vector<std::string>{"parameter:updated"});

  json first, second;
  net.last().sent.clear();
  REQUIRE(session.emit("universe:join", {{"universe_id", "u1"}}, [&](const json& a) { first = a; }));
  REQUIRE(session.emit("collaboration:message", {{"message", "hi"}}, [&](const json& a) { second = a; }));
  REQUIRE(net.last().sent.size() == 2);
  CHECK(net.last().sent[0] == "421[\"universe:join\",{\"universe_id\":\"u1\"}]");
  CHECK(net.last().sent[1].rfind("422[", 0) == 0);
  // Answers out of order still reach the right callback.
  net.last().receive("432[{\"ok\":true,\"id\":\"m\"}]");
  net.last().receive("431[{\"ok\":false,\"error\":{\"code\":\"invalid_universe\"}}]");
  CHECK(second["id"] == "m");
  CHECK(first["ok"] == false);
  CHECK(session.pending_acks() == 0);
}

TEST_CASE("session: emit without connection fails the ack at once") {
  FakeNetwork net;
  Session session(net.factory(), exact_policy());
  json answer;
  CHECK_FALSE(session.emit("x", nullptr, [&](const json& a) { answer = a; }));
  CHECK(answer["error"]["code"] == "disconnected");
}

TEST_CASE("session: ack timeout answers with an error") {
  FakeNetwork net;
  Session session(net.factory(), exact_policy());
  session.open("ws://x", nullptr, 0);
  net.last().handshake();
  net.last().receive("40{}");
  json answer;
  session.emit("x", nullptr, [&](const json& a) { answer = a; }, 500);
  session.update(400);
  CHECK(answer.is_null());
  session.update(600);
  CHECK(answer["error"]["code"] == "timeout");
}

TEST_CASE("session: reconnection follows 1000 ms base delay with backoff, 5 attempts") {
  FakeNetwork net;
  Session session(net.factory(), exact_policy());
  std::vector<int> attempts;
  std::vector<bool> reconnected;
  bool failed = false;
  Session::Handlers h;
  h.on_reconnect_attempt = [&](int n) { attempts.push_back(n); };
  h.on_connected = [&](bool r) { reconnected.push_back(r); };
  h.on_reconnect_failed = [&] { failed = true; };
  session.set_handlers(h);
  session.open("ws://x", nullptr, 0);
  net.last().handshake();
  net.last().receive("40{}");
  REQUIRE(net.sockets.size() == 1);

  double now = 10000;
  session.update(now);
  net.last().drop();  // the server went away
  CHECK(session.status() == ConnectionStatus::reconnecting);
  CHECK(session.attempt() == 1);
  CHECK(session.next_attempt_at_ms() == Approx(now + 1000));

  const double expected[] = {1000, 2000, 4000, 5000, 5000};  // capped at 5000
  for (int i = 0; i < 5; ++i) {
    session.update(now + expected[i] - 1);
    CHECK(net.sockets.size() == std::size_t(1 + i));  // not yet
    now += expected[i];
    session.update(now);
    REQUIRE(net.sockets.size() == std::size_t(2 + i));
    CHECK(attempts.back() == i + 1);
    if (i < 4) {
      net.last().drop();
      CHECK(session.status() == ConnectionStatus::reconnecting);
      CHECK(session.next_attempt_at_ms() == Approx(now + expected[i + 1]));
    }
  }
  net.last().drop();
  CHECK(failed);
  CHECK(session.status() == ConnectionStatus::disconnected);
  CHECK(session.stop_reason() == StopReason::attempts_exhausted);
  session.update(now + 60000);
  CHECK(net.sockets.size() == 6);  // no more tries

  // A manual retry starts again and a success counts as a reconnection.
  session.retry_now(now + 60000);
  REQUIRE(net.sockets.size() == 7);
  net.last().handshake();
  net.last().receive("40{}");
  REQUIRE(reconnected == std::vector<bool>{false, true});
  CHECK(session.attempt() == 0);
}

TEST_CASE("session: a successful reconnection resets the attempt count") {
  FakeNetwork net;
  Session session(net.factory(), exact_policy());
  session.open("ws://x", nullptr, 0);
  net.last().handshake();
  net.last().receive("40{}");
  net.last().drop();
  session.update(1000);
  net.last().drop();
  CHECK(session.attempt() == 2);
  session.update(3000);
  net.last().handshake();
  net.last().receive("40{}");
  CHECK(session.attempt() == 0);
  net.last().drop();
  CHECK(session.next_attempt_at_ms() == Approx(3000 + 1000));
}

TEST_CASE("session: silence beyond pingInterval + pingTimeout counts as a lost connection") {
  FakeNetwork net;
  Session session(net.factory(), exact_policy());
  session.open("ws://x", nullptr, 0);
  net.last().handshake(1000, 500);
  net.last().receive("40{}");
  session.update(1400);
  CHECK(session.status() == ConnectionStatus::connected);
  net.last().receive("2");  // activity at 1400
  session.update(2800);
  CHECK(session.status() == ConnectionStatus::connected);
  session.update(3000);
  CHECK(session.status() == ConnectionStatus::reconnecting);
  CHECK(net.sockets[0]->closed);
}

TEST_CASE("session: CONNECT_ERROR stops without retrying") {
  FakeNetwork net;
  Session session(net.factory(), exact_policy());
  std::string error;
  Session::Handlers h;
  h.on_connect_error = [&](const std::string& m) { error = m; };
  session.set_handlers(h);
  session.open("ws://x", {{"token", "bad"}}, 0);
  net.last().handshake();
  net.last().receive("44{\"message\":\"unauthorized\"}");
  CHECK(error == "unauthorized");
  CHECK(session.status() == ConnectionStatus::disconnected);
  session.update(100000);
  CHECK(net.sockets.size() == 1);
}

TEST_CASE("session: callbacks from an abandoned transport are ignored") {
  FakeNetwork net;
  Session session(net.factory(), exact_policy());
  session.open("ws://x", nullptr, 0);
  auto first = net.sockets[0];
  session.open("ws://y", nullptr, 0);
  REQUIRE(first->closed);
  first->callbacks.on_close(1006, "");  // late close of the old socket
  CHECK(session.status() == ConnectionStatus::connecting);
  CHECK(session.attempt() == 0);
}

TEST_CASE("backoff: jitter stays within the configured spread") {
  ReconnectPolicy policy;  // jitter 0.5
  Backoff backoff(policy, 42);
  for (int i = 0; i < 100; ++i) {
    const double d = backoff.delay_ms(1);
    CHECK(d >= 500);
    CHECK(d <= 1500);
  }
  CHECK(backoff.delay_ms(10) <= 5000);
}

TEST_CASE("socket url from page origin") {
  CHECK(socket_url_for("http://127.0.0.1:8080") == "ws://127.0.0.1:8080/socket.io/?EIO=4&transport=websocket");
  CHECK(socket_url_for("https://h/") == "wss://h/socket.io/?EIO=4&transport=websocket");
}
