// The client model's part of window.harmonic.status() (shared/frontend/client_status.hpp).
#include <catch2/catch.hpp>

#include "client/client_state.hpp"
#include "frontend/client_status.hpp"

using namespace harmonic::client;
using harmonic::frontend::client_status_json;

TEST_CASE("status: the client's part has the documented fields") {
  ClientState s;
  s.user = User{"1", "alice"};
  s.universe_id = "7";
  apply_event(s, "state:initial",
              {{"universe", {{"id", "7"}, {"name", "Test"}}},
               {"parameters", {{"physics", {{"gravity", 9.81}}}}},
               {"participants", {{{"id", "1"}, {"username", "alice"}, {"status", "active"}}}},
               {"messages", {{{"id", "m1"}, {"user_id", "1"}, {"username", "alice"}, {"message", "hi"},
                              {"timestamp", 100}}}}},
              1000);
  s.connection = ConnectionStatus::connected;
  s.frames = 12;
  auto j = client_status_json(s);
  CHECK(j["connection"] == "connected");
  CHECK(j["user"]["username"] == "alice");
  CHECK(j["universe_id"] == "7");
  CHECK(j["joined"] == true);
  CHECK(j["participants"].size() == 1);
  CHECK(j["parameters"]["physics"]["gravity"] == 9.81);
  // Every schema category is there, empty when the server sent none.
  CHECK(j["parameters"]["visualization"] == nlohmann::json::object());
  CHECK(j["chat_count"] == 1);
  CHECK(j["frames"] == 12);
}

TEST_CASE("status: a notice's text is what the toast shows, an error worded") {
  ClientState s;
  s.notify(NoticeLevel::success, "Link copied", "http://x/?universe=7", 0);
  s.notify_error("Could not delete", {{"code", "forbidden"}, {"message", "only the owner can delete"}}, 0);
  auto j = client_status_json(s);
  REQUIRE(j["notices"].size() == 2);
  CHECK(j["notices"][0] == nlohmann::json{{"title", "Link copied"}, {"text", "http://x/?universe=7"}});
  CHECK(j["notices"][1] == nlohmann::json{{"title", "Could not delete"}, {"text", "only the owner can delete"}});
}
