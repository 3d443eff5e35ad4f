#include <catch2/catch.hpp>

#include "client/client_state.hpp"

using namespace harmonic::client;
using nlohmann::json;

namespace {
ClientState joined_state() {
  ClientState s;
  s.user = User{"1", "alice"};
  s.universe_id = "7";
  apply_event(s, "state:initial",
              {{"universe", {{"id", "7"}, {"name", "Test"}}},
               {"parameters", {{"physics", {{"gravity", 9.81}}}, {"music", {{"tempo", 120}}}}},
               {"participants", {{{"id", "1"}, {"username", "alice"}, {"status", "active"}}}},
               {"history", {{{"seq", 1}, {"timestamp", 100}, {"user_id", "1"}, {"kind", "parameter"},
                             {"category", "physics"}, {"changes", {{"gravity", 9.81}}}}}},
               {"messages", {{{"id", "m1"}, {"user_id", "1"}, {"username", "alice"}, {"message", "hi"},
                              {"timestamp", 100}}}}},
              1000);
  return s;
}
}  // namespace

TEST_CASE("state: state:initial fills the universe") {
  auto s = joined_state();
  CHECK(s.joined);
  CHECK(s.parameters["physics"]["gravity"] == 9.81);
  CHECK(s.participants.size() == 1);
  CHECK(s.history.size() == 1);
  CHECK(s.chat.size() == 1);
  CHECK(s.unread_chat == 0);
}

TEST_CASE("state: parameter:updated merges only the applied values") {
  auto s = joined_state();
  apply_event(s, "parameter:updated",
              {{"universe_id", "7"}, {"category", "physics"}, {"parameters", {{"friction", 0.5}}}, {"user_id", "2"}},
              2000);
  CHECK(s.parameters["physics"]["gravity"] == 9.81);
  CHECK(s.parameters["physics"]["friction"] == 0.5);
  CHECK(s.history.back().user_id == "2");
  // Events for another universe are ignored.
  apply_event(s, "parameter:updated", {{"universe_id", "8"}, {"category", "physics"}, {"parameters", {{"gravity", 1}}}},
              2000);
  CHECK(s.parameters["physics"]["gravity"] == 9.81);
}

TEST_CASE("state: participants, presence, cursors and leaving") {
  auto s = joined_state();
  apply_event(s, "universe:joined",
              {{"universe", {{"id", "7"}}},
               {"participants", {{{"id", "1"}, {"username", "alice"}}, {{"id", "2"}, {"username", "bob"}}}},
               {"user_id", "2"}},
              0);
  CHECK(s.participants.size() == 2);
  apply_event(s, "collaboration:presence", {{"universe_id", "7"}, {"user_id", "2"}, {"status", "idle"}}, 0);
  CHECK(s.participant("2")->status == "idle");
  apply_event(s, "collaboration:cursor",
              {{"universe_id", "7"}, {"user_id", "2"}, {"username", "bob"}, {"position", {{"x", 1.5}, {"y", -2}}}}, 0);
  REQUIRE(s.cursors.count("2"));
  CHECK(s.cursors["2"].x == 1.5);
  apply_event(s, "universe:left", {{"universe_id", "7"}, {"user_id", "2"}}, 0);
  CHECK(s.participants.size() == 1);
  CHECK(s.cursors.empty());
}

TEST_CASE("state: chat counts unread messages from others and drops duplicates") {
  auto s = joined_state();
  json m = {{"id", "m2"}, {"universe_id", "7"}, {"user_id", "2"}, {"username", "bob"}, {"message", "yo"}, {"timestamp", 5}};
  apply_event(s, "collaboration:message", m, 0);
  apply_event(s, "collaboration:message", m, 0);
  CHECK(s.chat.size() == 2);
  CHECK(s.unread_chat == 1);
  apply_event(s, "collaboration:message",
              {{"id", "m3"}, {"user_id", "1"}, {"username", "alice"}, {"message", "mine"}, {"timestamp", 6}}, 0);
  CHECK(s.unread_chat == 1);
}

TEST_CASE("state: state:synced merges news without duplicating history") {
  auto s = joined_state();
  apply_event(s, "state:synced",
              {{"universe_id", "7"},
               {"timestamp", 5000},
               {"state",
                {{"parameters", {{"physics", {{"gravity", 3.0}}}}},
                 {"history", {{{"seq", 1}, {"timestamp", 100}, {"user_id", "1"}, {"kind", "parameter"}},
                              {{"seq", 2}, {"timestamp", 200}, {"user_id", "2"}, {"kind", "reset"},
                               {"category", "music"}}}}}}},
              0);
  CHECK(s.parameters["physics"]["gravity"] == 3.0);
  CHECK(s.parameters["music"]["tempo"] == 120);
  CHECK(s.history.size() == 2);
  CHECK(s.last_sync_ms == 5000);
}

TEST_CASE("state: system messages become notices") {
  ClientState s;
  const nlohmann::json error = {
      {"code", "invalid_parameters"},
      {"message", "invalid parameters"},
      {"details", {{"fields", {{{"field", "physics.gravity"}, {"message", "must be between 0 and 20"}}}}}}};
  apply_event(s, "system:error", error, 0);
  REQUIRE(s.notices.size() == 1);
  // The error object itself: the UI words it (tests/unit/ui/display_text_test.cpp).
  CHECK(s.notices[0].level == NoticeLevel::error);
  CHECK(s.notices[0].error == error);
  apply_event(s, "system:error", error, 500);  // the same error again refreshes its toast
  REQUIRE(s.notices.size() == 1);
  CHECK(s.notices[0].at_ms == 500);
  apply_event(s, "rate_limit", {{"limit", 40}, {"remaining", 0}, {"reset_at", 2000}}, 1000);
  apply_event(s, "system:maintenance", {{"type", "restart"}, {"message", "Back soon"}, {"estimated_duration", 30000}}, 0);
  apply_event(s, "system:notification", {{"type", "collaborator_added"}, {"message", "bob joined"}}, 0);
  REQUIRE(s.notices.size() == 4);
  CHECK(s.notices[1].text.find("full again in 1.0 s") != std::string::npos);
  CHECK(s.notices[3].title == "Collaborator added");
}
