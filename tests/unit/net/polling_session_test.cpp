// The polling session's state machine against a real core: held GETs, overlaps, the
// client's close, the write bounds, heartbeats and the upgrade hand-over.
#include <catch2/catch.hpp>

#include <list>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <nlohmann/json.hpp>

#include "auth/tokens.hpp"
#include "core/clock.hpp"
#include "core/group_commit.hpp"
#include "core/realtime_hub.hpp"
#include "core/room_delivery.hpp"
#include "net/polling_session.hpp"
#include "net/polling_sessions.hpp"
#include "net/server_context.hpp"
#include "storage/sqlite_store.hpp"

using namespace harmonic;
using namespace std::chrono_literals;

namespace {

struct Recorder final : net::FrameSink {
  void send(const core::Frame& frame) override { frames.push_back(*frame); }
  void close_after_flush() override {}
  void close_over_capacity() override {}
  bool is_closing() const override { return false; }
  std::vector<std::string> frames;
};

class PollingFixture {
 public:
  explicit PollingFixture(net::TransportLimits limits = {})
      : store(":memory:"), tokens("test-secret-of-sufficient-length"), writes(store, registry), delivery(writes),
        hub(store, tokens, writes, delivery, clock, metrics), workers(1), sender(0), flusher(io.get_executor(), sender),
        caps(100, 100),
        context{hub, registry, metrics, [](const http::ApiRequest&) { return http::ApiResponse{}; }, workers, flusher,
                caps, limits, false, {}, {}, "n1", {}} {}
  ~PollingFixture() { workers.join(); }

  std::shared_ptr<net::PollingSession> open() {
    auto opened = net::open_polling_session(context, io.get_executor(), "10.0.0.1");
    REQUIRE(std::holds_alternative<std::shared_ptr<net::PollingSession>>(opened));
    auto session = std::get<std::shared_ptr<net::PollingSession>>(opened);
    const auto handshake = session->get([](net::PollingAnswer) { FAIL("the handshake GET is answered at once"); });
    REQUIRE(handshake);
    open_packet = handshake->body;
    return session;
  }

  // A GET that records its answer whenever it comes.
  std::optional<net::PollingAnswer>& get(net::PollingSession& session) {
    answers.emplace_back();
    auto& slot = answers.back();
    if (auto now = session.get([&slot](net::PollingAnswer answer) { slot = std::move(answer); })) slot = std::move(*now);
    return slot;
  }

  void settle() {
    io.restart();
    io.poll();
  }

  storage::SqliteStore store;
  auth::TokenService tokens;
  core::SystemClock clock;
  core::Metrics metrics;
  net::ConnectionRegistry registry;
  core::GroupCommit writes;
  core::LocalRoomDelivery delivery;
  core::RealtimeHub hub;
  boost::asio::io_context io;
  boost::asio::thread_pool workers;
  net::ParallelSender sender;
  net::WriteFlusher flusher;
  net::ConnectionCaps caps;
  net::ServerContext context;
  std::string open_packet;
  std::list<std::optional<net::PollingAnswer>> answers;
};

nlohmann::json error_body(const net::PollingAnswer& answer) { return nlohmann::json::parse(answer.body); }

// A POST's body, answered at once (no backpressure in these cases).
net::PollingAnswer post(net::PollingSession& session, std::string_view body) {
  auto answer = session.finish_post(body, [](net::PollingAnswer) { FAIL("a POST waited"); });
  REQUIRE(answer);
  return *answer;
}

}  // namespace

TEST_CASE("the handshake: open packet with the node's sid and the websocket upgrade, the core sees a connection") {
  PollingFixture f;
  auto session = f.open();
  REQUIRE(f.open_packet.front() == '0');
  const auto open = nlohmann::json::parse(f.open_packet.substr(1));
  CHECK(open["sid"] == session->sid());
  CHECK(session->sid().rfind("n1.", 0) == 0);
  CHECK(open["upgrades"] == nlohmann::json::array({"websocket"}));
  CHECK(f.context.polling.find(session->sid()) == session);
  CHECK(f.hub.connection_count() == 1);
  CHECK(f.registry.size() == 1);
  CHECK(f.caps.connections_from("10.0.0.1") == 1);
}

TEST_CASE("an idle GET is held, the core's frames of one turn release it as one payload") {
  PollingFixture f;
  auto session = f.open();
  auto& answer = f.get(*session);
  CHECK_FALSE(answer);
  f.registry.send(session->id(), core::make_frame("42[\"a\"]"));
  f.registry.send(session->id(), core::make_frame("42[\"b\"]"));
  CHECK_FALSE(answer);  // not from inside the core's call
  f.settle();
  REQUIRE(answer);
  CHECK(answer->status == 200);
  CHECK(answer->body == "42[\"a\"]\x1e" "42[\"b\"]");
  // With frames waiting, the next GET is answered at once.
  f.registry.send(session->id(), core::make_frame("42[\"c\"]"));
  auto& next = f.get(*session);
  REQUIRE(next);
  CHECK(next->body == "42[\"c\"]");
}

TEST_CASE("a second concurrent GET ends the session: 400 code 3, the held GET gets a close packet") {
  PollingFixture f;
  auto session = f.open();
  auto& first = f.get(*session);
  auto& second = f.get(*session);
  REQUIRE(second);
  CHECK(second->status == 400);
  CHECK(error_body(*second)["code"] == 3);
  REQUIRE(first);
  CHECK(first->body == "1");
  CHECK(session->finished());
  CHECK(f.context.polling.find(session->sid()) == nullptr);
  CHECK(f.hub.connection_count() == 0);
  CHECK(f.caps.connections_from("10.0.0.1") == 0);
}

TEST_CASE("a second concurrent POST ends the session") {
  PollingFixture f;
  auto session = f.open();
  CHECK(session->begin_post());
  CHECK_FALSE(session->begin_post());
  CHECK(session->finished());
  CHECK(f.hub.connection_count() == 0);
}

TEST_CASE("the client's close packet ends the session and releases a held GET with a noop") {
  PollingFixture f;
  auto session = f.open();
  auto& held = f.get(*session);
  REQUIRE(session->begin_post());
  CHECK(post(*session, "1").body == "ok");
  REQUIRE(held);
  CHECK(held->body == "6");
  CHECK(session->finished());
  CHECK(f.registry.size() == 0);
}

TEST_CASE("POSTed packets reach the core in order, a malformed payload closes the session") {
  PollingFixture f;
  auto session = f.open();
  REQUIRE(session->begin_post());
  CHECK(post(*session, "40\x1e" "42[\"no-such-event\",{}]").body == "ok");
  f.settle();
  auto& answer = f.get(*session);
  REQUIRE(answer);
  CHECK(answer->body.rfind("40{", 0) == 0);  // the CONNECT was handled before the event
  REQUIRE(session->begin_post());
  post(*session, "40\x1e\x1e" "3");
  auto& closing = f.get(*session);
  REQUIRE(closing);
  CHECK(closing->body == "1");
  CHECK(session->finished());
}

TEST_CASE("a session past the write bounds is dropped, like a WebSocket that does not read") {
  net::TransportLimits limits;
  limits.max_queued_frames = 4;
  PollingFixture f(limits);
  auto session = f.open();  // the open packet was taken by the handshake
  for (int i = 0; i < 5; ++i) f.registry.send(session->id(), core::make_frame("42[\"x\"]"));
  f.settle();
  CHECK(session->finished());
  CHECK(f.metrics.connections_refused("write_backlog") == 1);
  CHECK(f.hub.connection_count() == 0);
}

TEST_CASE("the ping goes out with a GET, without a pong in time the session ends") {
  net::TransportLimits limits;
  limits.ping_interval_ms = 20;
  // Generous against the 25 ms steps below: on a loaded machine one step can take far
  // longer than 25 ms, and the polite session's pong must still be in time.
  limits.ping_timeout_ms = 1000;
  PollingFixture f(limits);
  auto silent = f.open();
  auto polite = f.open();
  auto& ping = f.get(*silent);
  f.io.run_for(30ms);
  REQUIRE(ping);
  CHECK(ping->body == "2");
  // The polite session answers every ping until the silent one has been ended.
  int pongs = 0;
  const auto give_up = std::chrono::steady_clock::now() + 10s;
  while (!silent->finished() && std::chrono::steady_clock::now() < give_up) {
    auto& answer = f.get(*polite);
    while (!answer && std::chrono::steady_clock::now() < give_up) {
      f.io.restart();
      f.io.run_for(25ms);
    }
    if (answer && answer->body.find('2') != std::string::npos) {
      REQUIRE(polite->begin_post());
      post(*polite, "3");
      ++pongs;
    }
  }
  CHECK(silent->finished());
  CHECK_FALSE(polite->finished());
  CHECK(pongs > 1);  // it was pinged, and kept, through the whole wait
}

TEST_CASE("the upgrade: one probe at a time, the held GET released, frames handed over in order") {
  PollingFixture f;
  auto session = f.open();
  auto& held = f.get(*session);
  REQUIRE(session->begin_upgrade());
  CHECK_FALSE(session->begin_upgrade());  // a second WebSocket with this sid
  f.registry.send(session->id(), core::make_frame("42[\"1\"]"));
  session->probed();
  REQUIRE(held);
  CHECK(held->body == "42[\"1\"]");  // what waited goes with the released GET
  auto& during = f.get(*session);
  REQUIRE(during);
  CHECK(during->body == "6");  // probed: a GET is not held
  f.registry.send(session->id(), core::make_frame("42[\"2\"]"));
  f.registry.send(session->id(), core::make_frame("42[\"3\"]"));
  auto websocket = std::make_shared<Recorder>();
  const auto id = session->id();
  const auto adopted = session->complete_upgrade(websocket, [&](const core::Frame& frame) { websocket->send(frame); });
  REQUIRE(adopted);
  CHECK(*adopted == id);
  f.registry.send(id, core::make_frame("42[\"4\"]"));
  CHECK(websocket->frames == std::vector<std::string>{"42[\"2\"]", "42[\"3\"]", "42[\"4\"]"});
  CHECK(f.context.polling.find(session->sid()) == nullptr);
  CHECK(f.hub.connection_count() == 1);  // the core never saw the switch
  CHECK(f.caps.connections_from("10.0.0.1") == 0);  // the WebSocket's own connection counts now
}

TEST_CASE("an abandoned probe leaves polling as it was") {
  PollingFixture f;
  auto session = f.open();
  REQUIRE(session->begin_upgrade());
  session->probed();
  session->upgrade_abandoned();
  auto& held = f.get(*session);
  CHECK_FALSE(held);  // held again, as before the probe
  CHECK(session->begin_upgrade());
  auto websocket = std::make_shared<Recorder>();
  // "5" before "2probe" moves nothing.
  CHECK_FALSE(session->complete_upgrade(websocket, [](const core::Frame&) {}));
}

TEST_CASE("a POST that is not UTF-8 closes the session, as a WebSocket text frame would") {
  PollingFixture f;
  auto session = f.open();
  REQUIRE(session->begin_post());
  CHECK(post(*session, "2probe\xc3\x28").body == "ok");  // a ping would be echoed
  auto& closing = f.get(*session);
  REQUIRE(closing);
  CHECK(closing->body == "1");
}

TEST_CASE("backpressure: over the read-pause mark a POST waits, unread, until a GET drains the buffer") {
  net::TransportLimits limits;
  limits.read_pause_frames = 2;
  PollingFixture f(limits);
  auto session = f.open();
  for (int i = 0; i < 3; ++i) f.registry.send(session->id(), core::make_frame("42[\"x\"]"));
  REQUIRE(session->begin_post());
  std::optional<net::PollingAnswer> posted;
  CHECK_FALSE(session->finish_post("41", [&](net::PollingAnswer answer) { posted = std::move(answer); }));
  CHECK_FALSE(session->begin_post());  // still in progress: a second one is an overlap...
  CHECK(session->finished());          // ...which ends the session
  REQUIRE(posted);                     // and answers the waiting POST
  CHECK(posted->status == 400);
}

TEST_CASE("backpressure: the waiting POST is read once a GET took the buffer") {
  net::TransportLimits limits;
  limits.read_pause_frames = 2;
  PollingFixture f(limits);
  auto session = f.open();
  for (int i = 0; i < 3; ++i) f.registry.send(session->id(), core::make_frame("42[\"x\"]"));
  REQUIRE(session->begin_post());
  std::optional<net::PollingAnswer> posted;
  CHECK_FALSE(session->finish_post("40", [&](net::PollingAnswer answer) { posted = std::move(answer); }));
  f.settle();
  CHECK_FALSE(posted);
  auto& drained = f.get(*session);
  REQUIRE(drained);
  CHECK_FALSE(posted);  // not from inside the GET
  f.settle();
  REQUIRE(posted);
  CHECK(posted->body == "ok");
  f.settle();
  auto& connected = f.get(*session);
  REQUIRE(connected);
  CHECK(connected->body.rfind("40{", 0) == 0);  // the CONNECT was read only now
}

TEST_CASE("an idle held GET is answered with a noop once the hold limit passes") {
  net::TransportLimits limits;
  limits.max_poll_hold_ms = 20;
  PollingFixture f(limits);
  auto session = f.open();
  auto& held = f.get(*session);
  f.io.run_for(10ms);
  CHECK_FALSE(held);
  f.io.restart();
  f.io.run_for(30ms);
  REQUIRE(held);
  CHECK(held->body == "6");
  CHECK_FALSE(session->finished());
}

// The hold timer is not re-armed per GET (polling_session.cpp, hold()): a GET held while
// it runs, armed for an earlier GET, must still get its own whole hold limit.
TEST_CASE("a GET held after an answered one is kept for its own whole hold limit") {
  net::TransportLimits limits;
  limits.max_poll_hold_ms = 300;
  PollingFixture f(limits);
  auto session = f.open();
  auto& first = f.get(*session);
  f.io.restart();
  f.io.run_for(150ms);
  CHECK_FALSE(first);
  session->send(core::make_frame("42[\"x\"]"));
  f.settle();
  REQUIRE(first);
  CHECK(first->body == "42[\"x\"]");
  const auto second_at = std::chrono::steady_clock::now();
  auto& second = f.get(*session);
  // Past the first GET's deadline (the timer fires for it), before the second's.
  f.io.restart();
  f.io.run_for(200ms);
  if (std::chrono::steady_clock::now() - second_at < 290ms) CHECK_FALSE(second);
  f.io.restart();
  f.io.run_for(200ms);
  REQUIRE(second);
  CHECK(second->body == "6");
  CHECK_FALSE(session->finished());
}
