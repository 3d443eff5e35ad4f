// REST while the disk is full (simulated with PRAGMA max_page_count): writes answer 503
// server_error with reason disk_full, reads answer as usual, /healthz says "degraded"
// until a write commits again (issue 12, finding 8; docs/operations.md, "Disk full").
#include <catch2/catch.hpp>

#include "api_fixture.hpp"

using harmonic::http::header_value;
using harmonic::test::ApiFixture;
using harmonic::test::body_of;
using nlohmann::json;

TEST_CASE("a full disk: REST writes answer disk_full, reads work, healthz is degraded until it recovers", "[ops]") {
  ApiFixture f;
  const auto ada = f.make_user("ada");
  const auto universe = f.make_universe(ada, "Kept", true);
  REQUIRE(f.send("GET", "/healthz").status == 200);
  const auto used = f.store.pragma_value("page_count");
  f.store.limit_pages(used);

  // Universes with long descriptions until the file would have to grow.
  harmonic::http::ApiResponse refused;
  for (int i = 0; i < 100 && refused.status != 503; ++i) {
    refused = f.send("POST", "/api/universes", json{{"name", "n" + std::to_string(i)}, {"description", std::string(1900, 'd')}},
                     ada.token);
    REQUIRE((refused.status == 201 || refused.status == 503));
  }
  REQUIRE(refused.status == 503);
  CHECK(body_of(refused)["error"]["code"] == "server_error");
  CHECK(body_of(refused)["error"]["details"]["reason"] == "disk_full");
  CHECK(header_value(refused, "Retry-After") == "30");

  const auto health = f.send("GET", "/healthz");
  CHECK(health.status == 503);
  CHECK(body_of(health)["status"] == "degraded");
  CHECK(body_of(health)["reason"] == "disk_full");

  // Reads answer as before.
  CHECK(f.send("GET", "/api/universes/" + universe, "", ada.token).status == 200);
  CHECK(f.send("GET", "/api/universes", "", ada.token).status == 200);

  // Room again: the next write commits, and the server is healthy.
  f.store.limit_pages(used + 100000);
  CHECK(f.send("PATCH", "/api/universes/" + universe, json{{"description", "room again"}}, ada.token).status == 200);
  CHECK(f.send("GET", "/healthz").status == 200);
}
