// The desktop's network layer (native/: Beast WebSocket transport, HTTP client, the
// network thread and its UI queue) against the real harmonic-server, started as a
// child process: connect and exchange Socket.IO events, a refused token
// (CONNECT_ERROR), nothing after close(), a port with no server (1006), and
// reconnection after the server restarts on the same port.
//
// The server binary is $HARMONIC_SERVER, else <build>/server/harmonic-server next to
// this test's build directory. Without it the tests fail (never skip silently).
#include "test_support.hpp"

#include "native/url.hpp"

using namespace native_test;

TEST_CASE("native: URLs split into host, port and target") {
  auto u = native::parse_url("ws://127.0.0.1:8080/socket.io/?EIO=4&transport=websocket");
  REQUIRE(u);
  CHECK(u->host == "127.0.0.1");
  CHECK(u->port == "8080");
  CHECK(u->target == "/socket.io/?EIO=4&transport=websocket");
  CHECK(u->host_header() == "127.0.0.1:8080");
  auto s = native::parse_url("https://example.org");
  REQUIRE(s);
  CHECK(s->secure());
  CHECK(s->port == "443");
  CHECK(s->target == "/");
  CHECK(s->host_header() == "example.org");
  auto v6 = native::parse_url("wss://[::1]:9443/x#frag");
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->target == "/x");
  CHECK_FALSE(native::parse_url("ftp://x"));
  CHECK_FALSE(native::parse_url("http://:80"));
  CHECK_FALSE(native::parse_url("http://h:99999"));
  CHECK_FALSE(native::parse_url("http://user@h"));
}

TEST_CASE("native: the Beast transport connects, authenticates and exchanges events") {
  ServerProcess server;
  server.start();
  native::IoThread io;
  native::BeastHttpClient http(io);
  const std::string token = register_user(io, http, server.origin(), "native_ok");

  client::Session session(native::beast_websocket_factory(io), client::ReconnectPolicy{3, 100, 200, 2, 0});
  Recorder r;
  session.set_handlers(r.handlers());
  session.open(client::socket_url_for(server.origin()), {{"token", token}}, now_ms());
  REQUIRE(pump(io, &session, [&] { return r.connected == 1; }));
  CHECK(session.status() == client::ConnectionStatus::connected);
  CHECK_FALSE(session.sid().empty());

  // An event with an ack, answered by the server through the same socket.
  std::optional<json> ack;
  session.emit("universe:join", {{"universe_id", "999999"}}, [&](const json& a) { ack = a; });
  REQUIRE(pump(io, &session, [&] { return ack.has_value(); }));
  INFO(ack->dump());
  CHECK(ack->value("ok", true) == false);

  session.close();
  CHECK(session.status() == client::ConnectionStatus::disconnected);
}

TEST_CASE("native: a refused token is a CONNECT_ERROR and no retry") {
  ServerProcess server;
  server.start();
  native::IoThread io;
  client::Session session(native::beast_websocket_factory(io), client::ReconnectPolicy{3, 100, 200, 2, 0});
  Recorder r;
  session.set_handlers(r.handlers());
  session.open(client::socket_url_for(server.origin()), {{"token", "not-a-token"}}, now_ms());
  REQUIRE(pump(io, &session, [&] { return !r.connect_error.empty(); }));
  CHECK(r.connect_error == "unauthorized");
  pump(io, &session, [] { return false; }, 500);
  CHECK(r.connected == 0);
  CHECK(r.attempts == 0);
  CHECK(session.status() == client::ConnectionStatus::disconnected);
  CHECK(session.stop_reason() == client::StopReason::unauthorized);
}

TEST_CASE("native: no server is a 1006 close, close() silences a transport") {
  native::IoThread io;
  const int port = free_port();
  auto transport = native::beast_websocket_factory(io)();
  std::optional<int> code;
  bool opened = false;
  transport->connect("ws://127.0.0.1:" + std::to_string(port) + "/socket.io/?EIO=4&transport=websocket",
                     {[&] { opened = true; }, [](std::string_view) {}, [&](int c, std::string) { code = c; }});
  REQUIRE(pump(io, nullptr, [&] { return code.has_value(); }));
  CHECK(*code == 1006);
  CHECK_FALSE(opened);

  // A transport closed before anything happens never calls back.
  ServerProcess server;
  server.start();
  auto quiet = native::beast_websocket_factory(io)();
  int calls = 0;
  quiet->connect(client::socket_url_for(server.origin()),
                 {[&] { ++calls; }, [&](std::string_view) { ++calls; }, [&](int, std::string) { ++calls; }});
  quiet->close();
  pump(io, nullptr, [] { return false; }, 500);
  CHECK(calls == 0);

  // HTTP to a dead port: status 0, on the UI thread.
  native::BeastHttpClient http(io);
  std::optional<client::HttpResponse> response;
  http.request({"GET", "http://127.0.0.1:" + std::to_string(port) + "/api/health", "", ""},
               [&](client::HttpResponse r) { response = r; });
  REQUIRE(pump(io, nullptr, [&] { return response.has_value(); }));
  CHECK(response->status == 0);
}

TEST_CASE("native: the session reconnects when the server comes back on the same port") {
  ServerProcess server;
  const int port = server.start();
  native::IoThread io;
  native::BeastHttpClient http(io);
  const std::string token = register_user(io, http, server.origin(), "native_again");

  client::Session session(native::beast_websocket_factory(io), client::ReconnectPolicy{20, 200, 500, 1.5, 0});
  Recorder r;
  session.set_handlers(r.handlers());
  session.open(client::socket_url_for(server.origin()), {{"token", token}}, now_ms());
  REQUIRE(pump(io, &session, [&] { return r.connected == 1; }));

  server.stop(SIGTERM);
  REQUIRE(pump(io, &session, [&] { return r.disconnected >= 1; }));
  CHECK(session.status() == client::ConnectionStatus::reconnecting);
  REQUIRE(pump(io, &session, [&] { return r.attempts >= 1; }));

  server.start(port);  // same data dir and secret: the token is still good
  REQUIRE(pump(io, &session, [&] { return r.reconnected == 1; }, 20000));
  CHECK(session.status() == client::ConnectionStatus::connected);
  session.close();
}
