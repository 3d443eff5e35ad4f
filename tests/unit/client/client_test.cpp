#include <catch2/catch.hpp>

#include <algorithm>

#include "client/client.hpp"
#include "client/client_errors.hpp"
#include "fake_transport.hpp"

using namespace harmonic::client;
using namespace harmonic::client::testing;
using nlohmann::json;

namespace {
struct Fixture {
  FakeNetwork net;
  FakeHttp http;
  Client client{ClientConfig{"http://127.0.0.1:9", ReconnectPolicy{5, 1000, 5000, 2, 0}}, http, net.factory()};

  void sign_in() {
    client.sign_in("alice", "password1");
    REQUIRE(http.calls.size() == 1);
    CHECK(http.calls[0].request.url == "http://127.0.0.1:9/api/auth/login");
    http.calls[0].done({200, R"({"token":"T","user":{"id":"1","username":"alice"}})"});
    REQUIRE(net.sockets.size() == 1);
    net.last().handshake(10000000, 10000000);  // no ping timeout within a test
    net.last().receive("40{\"sid\":\"s\"}");
  }
  // Signed in and in universe "7", which has no parameters and nobody else in it.
  void join_empty_universe() {
    sign_in();
    client.open_universe("7");
    net.last().receive(R"(42["state:initial",{"universe":{"id":"7"},"parameters":{},"participants":[]}])");
  }
  std::vector<json> sent_events(const std::string& name) {
    std::vector<json> out;
    for (auto& frame : net.last().sent) {
      if (frame.rfind("42", 0) != 0) continue;
      auto j = json::parse(frame.substr(frame.find('[')));
      if (j[0] == name) out.push_back(j[1]);
    }
    return out;
  }
};
}  // namespace

TEST_CASE("client: sign-in stores the token, connects and lists universes") {
  Fixture f;
  std::string stored;
  f.client.on_token_changed = [&](const std::string& t) { stored = t; };
  f.sign_in();
  CHECK(stored == "T");
  CHECK(f.client.state().user->username == "alice");
  CHECK(f.client.state().connection == ConnectionStatus::connected);
  REQUIRE(f.http.calls.size() == 2);
  CHECK(f.http.calls[1].request.bearer_token == "T");
  f.http.calls[1].done({200, R"({"universes":[{"id":"7","name":"A","role":"owner"}]})"});
  REQUIRE(f.client.state().universes.size() == 1);
  CHECK(f.client.state().universes[0].role == "owner");
}

TEST_CASE("client: the universe list loads page by page, a refresh drops a page still on its way") {
  Fixture f;
  f.sign_in();
  REQUIRE(f.http.calls.size() == 2);
  CHECK(f.http.calls[1].request.url == "http://127.0.0.1:9/api/universes?limit=50");
  f.http.calls[1].done({200, R"({"universes":[{"id":"9","name":"A","role":"owner"},{"id":"8","name":"B","role":"viewer"}],
                              "next_cursor":"8"})"});
  CHECK(f.client.state().universes.size() == 2);
  REQUIRE(f.client.state().universes_next_cursor == std::optional<std::string>("8"));

  f.client.load_more_universes();
  f.client.load_more_universes();  // one page at a time
  REQUIRE(f.http.calls.size() == 3);
  CHECK(f.http.calls[2].request.url == "http://127.0.0.1:9/api/universes?limit=50&cursor=8");
  f.http.calls[2].done({200, R"({"universes":[{"id":"8","name":"B","role":"viewer"},{"id":"5","name":"C","role":"viewer"}],
                              "next_cursor":null})"});
  std::vector<std::string> ids;
  for (const auto& u : f.client.state().universes) ids.push_back(u.id);
  CHECK(ids == std::vector<std::string>{"9", "8", "5"});  // each once
  CHECK_FALSE(f.client.state().universes_next_cursor);
  f.client.load_more_universes();  // the last page is shown
  CHECK(f.http.calls.size() == 3);

  f.client.refresh_universes();
  REQUIRE(f.http.calls.size() == 4);
  f.http.calls[3].done({200, R"({"universes":[{"id":"9","name":"A","role":"owner"}],"next_cursor":"9"})"});
  f.client.load_more_universes();
  REQUIRE(f.http.calls.size() == 5);
  f.client.refresh_universes();  // before the next page arrives
  REQUIRE(f.http.calls.size() == 6);
  f.http.calls[5].done({200, R"({"universes":[{"id":"12","name":"New","role":"owner"}],"next_cursor":null})"});
  f.http.calls[4].done({200, R"({"universes":[{"id":"3","name":"Stale","role":"viewer"}],"next_cursor":null})"});
  REQUIRE(f.client.state().universes.size() == 1);
  CHECK(f.client.state().universes[0].id == "12");
}

TEST_CASE("client: a failed sign-in keeps the server's error for the UI to word") {
  Fixture f;
  f.client.sign_in("alice", "nope");
  f.http.calls[0].done({401, R"({"error":{"code":"unauthorized","message":"wrong username or password"}})"});
  CHECK(f.client.state().auth_error == json{{"code", "unauthorized"}, {"message", "wrong username or password"}});
  CHECK_FALSE(f.client.state().user);
  // Trying again clears it while the answer is on its way.
  f.client.sign_in("alice", "password1");
  CHECK(f.client.state().auth_error.is_null());
}

TEST_CASE("client: errors the client notices itself are error objects with its own codes") {
  Fixture f;
  f.client.sign_in("alice", "password1");
  f.http.calls[0].done({0, ""});  // no answer at all
  CHECK(f.client.state().auth_error.value("code", "") == std::string(errors::unreachable));
  f.client.sign_in("alice", "password1");
  f.http.calls[1].done({502, "<html>Bad gateway</html>"});  // an error without the server's error body
  CHECK(f.client.state().auth_error.value("code", "") == std::string(errors::http_status));
  CHECK(f.client.state().auth_error["details"]["status"] == 502);
  f.client.sign_in("alice", "password1");
  f.http.calls[2].done({200, R"({"user":{"id":"1"}})"});  // no token
  CHECK(f.client.state().auth_error.value("code", "") == std::string(errors::unexpected_answer));
  CHECK_FALSE(f.client.state().user);
}

TEST_CASE("client: a failed REST action becomes an error notice holding the server's error") {
  Fixture f;
  f.sign_in();
  f.client.delete_universe("7");
  f.http.calls.back().done({403, R"({"error":{"code":"forbidden","message":"only the owner can delete"}})"});
  REQUIRE(f.client.state().notices.size() == 1);
  const Notice& n = f.client.state().notices[0];
  CHECK(n.level == NoticeLevel::error);
  CHECK(n.title == "Could not delete");
  CHECK(n.error == json{{"code", "forbidden"}, {"message", "only the owner can delete"}});
}

TEST_CASE("client: the person's view of the model: dismissing a toast, reading the chat") {
  Fixture f;
  auto& s = f.client.state();
  s.notify(NoticeLevel::info, "one", "", 0);
  s.notify(NoticeLevel::info, "two", "", 0);
  s.notify(NoticeLevel::info, "three", "", 0);
  f.client.dismiss_notice(1);
  REQUIRE(s.notices.size() == 2);
  CHECK(s.notices[0].title == "one");
  CHECK(s.notices[1].title == "three");
  f.client.dismiss_notice(5);  // a toast that expired meanwhile: nothing else goes
  CHECK(s.notices.size() == 2);
  s.unread_chat = 4;
  f.client.mark_chat_read();
  CHECK(s.unread_chat == 0);
}

TEST_CASE("client: joining, editing and re-syncing after a reconnection") {
  Fixture f;
  f.sign_in();
  f.client.update(1000);
  f.client.open_universe("7");
  auto joins = f.sent_events("universe:join");
  REQUIRE(joins.size() == 1);
  CHECK(joins[0]["universe_id"] == "7");
  f.net.last().receive(R"(42["state:initial",{"universe":{"id":"7"},"parameters":{"physics":{"gravity":9.81}},"participants":[],"history":[{"seq":1,"timestamp":900,"user_id":"1","kind":"parameter","changes":{}}],"messages":[]}])");
  CHECK(f.client.state().joined);

  // Dragging: the first edit leaves at once; the ones within the interval after it
  // produce one more update, with the latest value, when the interval is over.
  f.client.update(1100);
  f.client.edit_parameter("physics", "gravity", 5.0);
  f.client.edit_parameter("physics", "gravity", 6.0);
  f.client.update(1116);
  f.client.edit_parameter("physics", "gravity", 7.0);
  f.client.update(1132);
  auto updates = f.sent_events("parameter:update");
  REQUIRE(updates.size() == 1);
  CHECK(updates[0]["parameters"]["gravity"] == 5.0);
  f.client.update(1200);
  updates = f.sent_events("parameter:update");
  REQUIRE(updates.size() == 2);
  CHECK(updates[1]["parameters"]["gravity"] == 7.0);
  CHECK(f.client.displayed_parameter("physics", "gravity") == 7.0);

  // The server goes away and comes back: rejoin and ask for what was missed.
  f.net.last().drop();
  CHECK(f.client.state().connection == ConnectionStatus::reconnecting);
  f.client.update(2300);
  CHECK(f.client.state().reconnect_attempt == 1);
  REQUIRE(f.net.sockets.size() == 2);
  f.net.last().handshake();
  f.net.last().receive("40{\"sid\":\"s2\"}");
  CHECK(f.client.state().connection == ConnectionStatus::connected);
  REQUIRE(f.sent_events("universe:join").size() == 1);
  auto syncs = f.sent_events("state:sync");
  REQUIRE(syncs.size() == 1);
  CHECK(syncs[0]["universe_id"] == "7");
  CHECK(syncs[0]["last_sync"] == 900.0);
}

TEST_CASE("client: an edit after a quiet spell is sent in the same frame, not at the next update") {
  Fixture f;
  f.sign_in();
  f.client.open_universe("7");
  f.net.last().receive(R"(42["state:initial",{"universe":{"id":"7"},"parameters":{"physics":{"gravity":9.81}},"participants":[]}])");
  f.client.update(1000);
  f.client.edit_parameter("physics", "gravity", 4.0);
  auto updates = f.sent_events("parameter:update");
  REQUIRE(updates.size() == 1);  // before any further update(): no coalescing wait
  CHECK(updates[0]["parameters"]["gravity"] == 4.0);
  f.client.move_cursor(5, 6);
  auto cursors = f.sent_events("collaboration:cursor");
  REQUIRE(cursors.size() == 1);
  CHECK(cursors[0]["position"]["y"] == 6.0);
  // A discrete choice (compare-and-set) likewise, once the interval since the last send is over.
  f.client.update(1060);
  f.client.choose_parameter("physics", "gravity", 3.0);
  auto deltas = f.sent_events("parameter:delta");
  REQUIRE(deltas.size() == 1);
  CHECK(deltas[0]["changes"]["gravity"]["to"] == 3.0);
}

TEST_CASE("client: cursor positions are sent at most every 50 ms, latest wins") {
  Fixture f;
  f.join_empty_universe();
  f.client.update(1000);
  f.client.move_cursor(1, 1);
  f.client.update(1010);
  f.client.move_cursor(2, 2);
  f.client.update(1020);
  f.client.move_cursor(3, 3);
  f.client.update(1070);
  auto cursors = f.sent_events("collaboration:cursor");
  REQUIRE(cursors.size() == 2);
  CHECK(cursors[0]["position"]["x"] == 1.0);
  CHECK(cursors[1]["position"]["x"] == 3.0);
}

TEST_CASE("client: a pointer that leaves hides the cursor once, a move shows it again, even in place") {
  Fixture f;
  f.join_empty_universe();
  f.client.update(1000);
  f.client.hide_cursor();  // never shown: nothing to hide
  CHECK(f.sent_events("collaboration:cursor").empty());
  f.client.move_cursor(4, 5);
  f.client.update(1100);
  f.client.hide_cursor();
  f.client.hide_cursor();
  f.client.update(1200);
  f.client.move_cursor(4, 5);
  auto cursors = f.sent_events("collaboration:cursor");
  REQUIRE(cursors.size() == 3);
  CHECK_FALSE(cursors[0].contains("hidden"));
  CHECK(cursors[1]["hidden"] == true);
  CHECK(cursors[1]["position"]["x"] == 4.0);
  CHECK_FALSE(cursors[2].contains("hidden"));
}

TEST_CASE("client: a remote cursor marked hidden is no longer drawn") {
  Fixture f;
  f.join_empty_universe();
  f.net.last().receive(R"(42["collaboration:cursor",{"universe_id":"7","user_id":"2","username":"bo","position":{"x":1,"y":2}}])");
  REQUIRE(f.client.state().cursors.count("2") == 1);
  f.net.last().receive(R"(42["collaboration:cursor",{"universe_id":"7","user_id":"2","username":"bo","position":{"x":1,"y":2},"hidden":true}])");
  CHECK(f.client.state().cursors.count("2") == 0);
}

TEST_CASE("client: presence goes idle and away without input") {
  Fixture f;
  f.sign_in();
  f.client.open_universe("7");
  f.net.last().receive(R"(42["state:initial",{"universe":{"id":"7"},"parameters":{},"participants":[{"id":"1","username":"alice"}]}])");
  f.client.note_activity(0);
  f.client.update(10);
  f.client.update(61000);
  f.client.set_page_visible(false);
  f.client.update(61100);
  auto presence = f.sent_events("collaboration:presence");
  REQUIRE(presence.size() == 3);
  CHECK(presence[0]["status"] == "active");
  CHECK(presence[1]["status"] == "idle");
  CHECK(presence[2]["status"] == "away");
}

TEST_CASE("client: the debug log never shows the token") {
  Fixture f;
  f.client.state().debug_level = 3;
  f.sign_in();
  // The token did go out, in the outgoing CONNECT, and that frame was logged: so the
  // check below looks at the entry that could have leaked it, not at an empty log.
  const auto& sent = f.net.last().sent;
  const bool token_sent = std::any_of(sent.begin(), sent.end(), [](const std::string& frame) {
    return frame.rfind("40", 0) == 0 && frame.find("\"T\"") != std::string::npos;
  });
  REQUIRE(token_sent);
  const auto& log = f.client.state().event_log;
  const bool connect_logged = std::any_of(log.begin(), log.end(), [](const auto& entry) {
    return entry.outgoing && entry.name == "connect";
  });
  REQUIRE(connect_logged);
  for (const auto& entry : log) CHECK(entry.payload.find("\"T\"") == std::string::npos);
}

namespace {
// Joined to universe 7, then reconnected: the client has sent its first state:sync.
void reconnected_and_syncing(Fixture& f) {
  f.sign_in();
  f.client.update(1000);
  f.client.open_universe("7");
  f.net.last().receive(R"(42["state:initial",{"universe":{"id":"7"},"parameters":{},"participants":[],"history":[{"seq":1,"timestamp":900,"user_id":"1","kind":"parameter","changes":{}}],"messages":[]}])");
  f.net.last().drop();
  f.client.update(2300);
  f.net.last().handshake(10000000, 10000000);
  f.net.last().receive("40{\"sid\":\"s2\"}");
  REQUIRE(f.sent_events("state:sync").size() == 1);
}

// The ack id of the last frame sent for `name` ("42<id>[...]").
std::string last_ack_id(FakeNetwork& net, const std::string& name) {
  std::string id;
  for (auto& frame : net.last().sent) {
    if (frame.rfind("42", 0) != 0 || frame.find("[\"" + name + "\"") == std::string::npos) continue;
    id = frame.substr(2, frame.find('[') - 2);
  }
  return id;
}
}  // namespace

TEST_CASE("client: state:sync follows has_more page by page, only the last page moves the sync point") {
  Fixture f;
  reconnected_and_syncing(f);
  f.net.last().receive(R"(42["state:synced",{"universe_id":"7","state":{"history":[{"seq":2,"timestamp":950,"user_id":"1","kind":"parameter","changes":{}}],"messages":[]},"timestamp":3000,"has_more":true,"cursor":{"history_seq":2,"message_id":""}}])");
  auto syncs = f.sent_events("state:sync");
  REQUIRE(syncs.size() == 2);
  CHECK(syncs[1]["last_sync"] == 900);  // the same sync, continued
  CHECK(syncs[1]["cursor"]["history_seq"] == 2);
  CHECK(f.client.state().last_sync_ms == 900);
  f.net.last().receive(R"(42["state:synced",{"universe_id":"7","state":{"history":[{"seq":3,"timestamp":960,"user_id":"1","kind":"parameter","changes":{}}],"messages":[]},"timestamp":3100,"has_more":false,"cursor":{"history_seq":3,"message_id":""}}])");
  CHECK(f.sent_events("state:sync").size() == 2);
  CHECK(f.client.state().last_sync_ms == 3100);
  CHECK(f.client.state().history.size() == 3);
}

TEST_CASE("client: a sync page refused by the rate limit is asked for again a second later") {
  Fixture f;
  reconnected_and_syncing(f);
  f.net.last().receive(R"(42["state:synced",{"universe_id":"7","state":{},"timestamp":3000,"has_more":true,"cursor":{"history_seq":5,"message_id":"9"}}])");
  REQUIRE(f.sent_events("state:sync").size() == 2);
  const auto id = last_ack_id(f.net, "state:sync");
  REQUIRE_FALSE(id.empty());
  f.net.last().receive("43" + id + R"([{"ok":false,"error":{"code":"rate_limited","message":"slow down"}}])");
  f.client.update(2800);
  CHECK(f.sent_events("state:sync").size() == 2);
  f.client.update(3400);
  const auto syncs = f.sent_events("state:sync");
  REQUIRE(syncs.size() == 3);
  CHECK(syncs[2]["cursor"]["message_id"] == "9");
}

TEST_CASE("client: told that access to the open universe was removed, it closes the universe") {
  Fixture f;
  f.join_empty_universe();
  std::string changed = "unset";
  f.client.on_universe_changed = [&](const std::string& id) { changed = id; };
  f.net.last().receive(R"(42["system:error",{"code":"unauthorized","message":"you no longer have access to this universe","details":{"universe_id":"8","reason":"access_removed"}}])");
  CHECK(f.client.state().universe_id == "7");  // another universe: nothing to close
  f.net.last().receive(R"(42["system:error",{"code":"unauthorized","message":"you no longer have access to this universe","details":{"universe_id":"7","reason":"access_removed"}}])");
  CHECK(f.client.state().universe_id.empty());
  CHECK(changed.empty());
  bool told = false;
  for (const auto& n : f.client.state().notices) told |= n.text == "you no longer have access to this universe";
  CHECK(told);
}
