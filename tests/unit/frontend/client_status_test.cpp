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
