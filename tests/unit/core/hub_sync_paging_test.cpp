// state:sync under a byte budget (docs/protocol.md, "Limits and paging"), its input
// checks, what expensive events cost, and no replies for a closing connection
// (issue 12, findings 2 and 9).
#include <catch2/catch.hpp>

#include <set>

#include "hub_fixture.hpp"

using harmonic::test::HubFixture;
using nlohmann::json;

namespace {
struct Prefilled {
  static harmonic::core::HubOptions options() {
    harmonic::core::HubOptions o;
    o.sync_reply_bytes = 4096;  // small, so a few dozen entries need several pages
    o.event_burst = 1000;       // this test is about paging, not the rate limit
    o.event_rate = 1000;
    return o;
  }
  HubFixture f{options()};
  harmonic::storage::User owner = f.user("owner");
  harmonic::storage::Universe universe = f.universe(owner, /*is_public=*/true);
  harmonic::core::ConnectionId c = 0;
  std::set<std::int64_t> seqs_written;
  std::set<std::string> messages_written;

  Prefilled() {
    c = f.connect(owner);
    f.emit(c, "universe:join", {{"universe_id", universe.id}});
    for (int i = 0; i < 60; ++i) {
      f.clock.now += 1;
      f.emit(c, "parameter:update",
             {{"universe_id", universe.id}, {"category", "physics"}, {"parameters", {{"gravity", 1 + i % 9}}}});
      f.clock.now += 1;
      f.emit(c, "collaboration:message", {{"universe_id", universe.id}, {"message", "note " + std::to_string(i) + std::string(100, 'x')}});
    }
    for (const auto& e : f.store.latest_history(universe.id, 1000)) seqs_written.insert(e.seq);
    for (const auto& m : f.store.latest_messages(universe.id, 1000)) messages_written.insert(m.id);
    f.take(c);
  }

  // The state:synced frame and its payload for one request.
  std::pair<std::string, json> sync(const json& request) {
    f.outbox.frames[c].clear();
    f.emit(c, "state:sync", request);
    for (const auto& frame : f.outbox.frames[c]) {
      if (frame.rfind("42[\"state:synced\"", 0) == 0) {
        std::string found = frame;  // a copy: clearing the outbox frees `frame`
        auto payload = json::parse(found.substr(2))[1];
        f.outbox.frames[c].clear();
        return {found, payload};
      }
    }
    FAIL("no state:synced");
    return {};
  }
};

std::size_t largest_entry(const json& page) {
  std::size_t largest = 0;
  for (const auto* list : {"history", "messages"}) {
    for (const auto& item : page["state"][list]) largest = std::max(largest, item.dump().size());
  }
  return largest;
}
}  // namespace

TEST_CASE("state:sync pages by the byte budget: every page within it, everything exactly once") {
  Prefilled p;
  REQUIRE(p.seqs_written.size() == 60);
  std::multiset<std::int64_t> seqs;
  std::multiset<std::string> messages;
  json request = {{"universe_id", p.universe.id}, {"last_sync", 0}};
  int pages = 0;
  for (;; ++pages) {
    REQUIRE(pages < 100);
    auto [frame, page] = p.sync(request);
    CHECK(frame.size() <= 4096 + largest_entry(page));
    CHECK(page["state"]["parameters"].is_object());
    for (const auto& h : page["state"]["history"]) seqs.insert(h["seq"].get<std::int64_t>());
    for (const auto& m : page["state"]["messages"]) messages.insert(m["id"].get<std::string>());
    if (!page["has_more"].get<bool>()) break;
    REQUIRE(page["cursor"].is_object());
    request["cursor"] = page["cursor"];
  }
  CHECK(pages >= 3);
  CHECK(seqs == std::multiset<std::int64_t>(p.seqs_written.begin(), p.seqs_written.end()));
  CHECK(messages == std::multiset<std::string>(p.messages_written.begin(), p.messages_written.end()));
}

TEST_CASE("state:sync pages hold what is newer than last_sync, in time order across both lists") {
  Prefilled p;
  const auto half = p.f.store.latest_history(p.universe.id, 30).front().timestamp;  // entry 31's stamp
  json request = {{"universe_id", p.universe.id}, {"last_sync", half - 1}};
  std::int64_t previous = 0;
  std::size_t history = 0, messages = 0;
  for (int pages = 0; pages < 100; ++pages) {
    auto [frame, page] = p.sync(request);
    // Within a page and across pages, nothing older than what came before (merged by time).
    std::vector<std::int64_t> stamps;
    for (const auto& h : page["state"]["history"]) stamps.push_back(h["timestamp"]);
    for (const auto& m : page["state"]["messages"]) stamps.push_back(m["timestamp"]);
    std::sort(stamps.begin(), stamps.end());
    if (!stamps.empty()) {
      CHECK(stamps.front() >= previous);
      CHECK(stamps.front() >= half);
      previous = stamps.back();
    }
    history += page["state"]["history"].size();
    messages += page["state"]["messages"].size();
    if (!page["has_more"].get<bool>()) break;
    request["cursor"] = page["cursor"];
  }
  CHECK(history == 30);
  CHECK(messages == 30);
}

TEST_CASE("one entry larger than the budget still makes progress, one per page") {
  harmonic::core::HubOptions options = Prefilled::options();
  options.sync_reply_bytes = 100;  // smaller than any entry
  HubFixture f(options);
  auto owner = f.user("owner");
  auto universe = f.universe(owner);
  const auto c = f.connect(owner);
  f.emit(c, "universe:join", {{"universe_id", universe.id}});
  for (int i = 0; i < 3; ++i) f.emit(c, "collaboration:message", {{"universe_id", universe.id}, {"message", "m" + std::to_string(i)}});
  f.take(c);
  json request = {{"universe_id", universe.id}, {"last_sync", 0}};
  std::vector<std::string> seen;
  for (int pages = 0; pages < 10; ++pages) {
    f.emit(c, "state:sync", request);
    const auto page = HubFixture::find(f.take(c), "state:synced")->payload;
    REQUIRE(page["state"]["messages"].size() <= 1);
    for (const auto& m : page["state"]["messages"]) seen.push_back(m["message"]);
    if (!page["has_more"].get<bool>()) break;
    request["cursor"] = page["cursor"];
  }
  CHECK(seen == std::vector<std::string>{"m0", "m1", "m2"});
}

TEST_CASE("last_sync must be an integer from 0 to 2^53-1, a bad cursor is refused") {
  Prefilled p;
  const auto refused = [&](const json& request) {
    p.f.emit(p.c, "state:sync", request, 9);
    const auto events = p.f.take(p.c);
    const auto* ack = HubFixture::find(events, "ack:9");
    return ack && ack->payload["ok"] == false && ack->payload["error"]["code"] == "invalid_parameters" &&
           !HubFixture::find(events, "state:synced");
  };
  const auto& id = p.universe.id;
  CHECK(refused({{"universe_id", id}, {"last_sync", 1e300}}));
  CHECK(refused({{"universe_id", id}, {"last_sync", -1}}));
  CHECK(refused({{"universe_id", id}, {"last_sync", 1.5}}));
  CHECK(refused({{"universe_id", id}, {"last_sync", 9007199254740992.0}}));
  CHECK(refused({{"universe_id", id}, {"last_sync", std::uint64_t{18446744073709551615u}}}));
  CHECK(refused({{"universe_id", id}, {"last_sync", "yesterday"}}));
  CHECK(refused({{"universe_id", id}, {"last_sync", 0}, {"cursor", "next"}}));
  CHECK(refused({{"universe_id", id}, {"last_sync", 0}, {"cursor", {{"history_seq", -3}}}}));
  CHECK(refused({{"universe_id", id}, {"last_sync", 0}, {"cursor", {{"message_id", "012"}}}}));
  CHECK(refused({{"universe_id", id}, {"last_sync", 0}, {"cursor", {{"message_id", 12}}}}));
  CHECK_FALSE(refused({{"universe_id", id}, {"last_sync", 9007199254740991}}));
  CHECK_FALSE(refused({{"universe_id", id}, {"last_sync", 1700000000000.0}}));  // a whole float is fine
  CHECK_FALSE(refused({{"universe_id", id}, {"last_sync", nullptr}}));
  CHECK_FALSE(refused({{"universe_id", id}}));
}

TEST_CASE("expensive events spend more of the event budget") {
  harmonic::core::HubOptions options;
  options.event_rate = 0.001;  // no refill during the test
  options.event_burst = 20;
  HubFixture f(options);
  auto owner = f.user("owner");
  auto universe = f.universe(owner);
  const auto c = f.connect(owner);
  f.emit(c, "universe:join", {{"universe_id", universe.id}}, 1);                  // 5 -> 15 left
  f.emit(c, "state:sync", {{"universe_id", universe.id}, {"last_sync", 0}}, 2);   // 10 -> 5 left
  f.emit(c, "state:sync", {{"universe_id", universe.id}, {"last_sync", 0}}, 3);   // refused
  f.emit(c, "parameter:sync", {{"universe_id", universe.id}}, 4);                 // 3 -> 2 left
  f.emit(c, "parameter:sync", {{"universe_id", universe.id}}, 5);                 // refused
  f.emit(c, "collaboration:presence", {{"universe_id", universe.id}, {"status", "idle"}}, 6);  // 1
  const auto events = f.take(c);
  const auto ok = [&](int ack) { return HubFixture::find(events, "ack:" + std::to_string(ack))->payload["ok"] == true; };
  CHECK(ok(1));
  CHECK(ok(2));
  CHECK_FALSE(ok(3));
  CHECK(HubFixture::find(events, "ack:3")->payload["error"]["code"] == "rate_limited");
  CHECK(ok(4));
  CHECK_FALSE(ok(5));
  CHECK(ok(6));
}

TEST_CASE("no reply is built for a connection that is being closed") {
  Prefilled p;
  p.f.outbox.closed.insert(p.c);  // e.g. dropped by the network for not reading
  p.f.emit(p.c, "state:sync", {{"universe_id", p.universe.id}, {"last_sync", 0}}, 1);
  p.f.emit(p.c, "parameter:sync", {{"universe_id", p.universe.id}}, 2);
  CHECK(p.f.outbox.frames[p.c].empty());
}

TEST_CASE("state:initial keeps the newest history and chat that fit the same budget") {
  Prefilled p;
  const auto newest_message = p.f.store.latest_messages(p.universe.id, 1).at(0).id;
  const auto newest_seq = p.f.store.latest_history(p.universe.id, 1).at(0).seq;
  const auto c = p.f.connect(p.owner);
  p.f.emit(c, "universe:join", {{"universe_id", p.universe.id}});
  std::string frame;
  for (const auto& f : p.f.outbox.frames[c]) {
    if (f.rfind("42[\"state:initial\"", 0) == 0) frame = f;
  }
  REQUIRE_FALSE(frame.empty());
  const auto initial = json::parse(frame.substr(2))[1];
  CHECK(frame.size() <= 4096);
  const auto& messages = initial["messages"];
  const auto& history = initial["history"];
  REQUIRE_FALSE(messages.empty());
  REQUIRE_FALSE(history.empty());
  CHECK(messages.size() < 50);
  CHECK(messages.back()["id"] == newest_message);     // the newest are kept ...
  CHECK(history.back()["seq"] == newest_seq);
  CHECK(history.front()["seq"].get<std::int64_t>() > 1);  // ... the oldest dropped
}
