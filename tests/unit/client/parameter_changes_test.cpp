#include <catch2/catch.hpp>

#include "client/parameter_changes.hpp"

using namespace harmonic::client;
using nlohmann::json;

TEST_CASE("coalescing: a drag sends at most one update per 50 ms with the latest value") {
  ParameterChanges changes(50);
  int sent = 0;
  json last;
  // 60 fps drag for one second: 60 edits.
  for (int frame = 0; frame < 60; ++frame) {
    const double now = 1000 + frame * 16.667;
    changes.edit("physics", "gravity", 1.0 + frame, now);
    if (auto m = changes.take_due("u1", now)) {
      ++sent;
      last = m->payload;
      CHECK(m->event == "parameter:update");
    }
  }
  CHECK(sent <= 21);
  CHECK(sent >= 15);
  // The final value goes out once the interval has passed.
  auto final_message = changes.take_due("u1", 3000);
  REQUIRE(final_message);
  CHECK(final_message->payload["parameters"]["gravity"] == 60.0);
  CHECK(final_message->payload["universe_id"] == "u1");
  CHECK(final_message->payload["category"] == "physics");
  CHECK_FALSE(changes.take_due("u1", 4000));
}

TEST_CASE("coalescing: several categories become one batch_update") {
  ParameterChanges changes(50);
  changes.edit("physics", "gravity", 3.0, 0);
  changes.edit("music", "tempo", 90, 0);
  changes.edit("physics", "friction", 0.5, 0);
  auto m = changes.take_due("u", 100);
  REQUIRE(m);
  CHECK(m->event == "parameter:batch_update");
  REQUIRE(m->payload["updates"].size() == 2);
  CHECK(m->payload["updates"][1]["category"] == "physics");
  CHECK(m->payload["updates"][1]["parameters"] == json{{"friction", 0.5}, {"gravity", 3.0}});
}

TEST_CASE("coalescing: a discrete choice is a compare-and-set delta from the server value") {
  ParameterChanges changes(50);
  changes.edit_discrete("music", "scale", "major", "minor", 0);
  changes.edit_discrete("music", "scale", "minor", "blues", 10);  // still unsent: from stays "major"
  auto m = changes.take_due("u", 100);
  REQUIRE(m);
  CHECK(m->event == "parameter:delta");
  CHECK(m->payload["changes"]["scale"] == json{{"from", "major"}, {"to", "blues"}});
}

TEST_CASE("coalescing: local values show while fresh, then the server's") {
  ParameterChanges changes(50, 1000);
  json server = {{"physics", {{"gravity", 9.81}}}};
  changes.edit("physics", "gravity", 2.0, 0);
  CHECK(changes.displayed(server, "physics", "gravity", 500) == 2.0);
  CHECK(changes.effective(server, 500)["physics"]["gravity"] == 2.0);
  CHECK(changes.displayed(server, "physics", "gravity", 1500) == 9.81);
  CHECK(changes.displayed(server, "physics", "missing", 0).is_null());
}
