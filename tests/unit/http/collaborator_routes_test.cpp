#include <catch2/catch.hpp>

#include "api_fixture.hpp"

using harmonic::test::ApiFixture;
using harmonic::test::body_of;
using harmonic::test::error_code_of;
using nlohmann::json;

namespace {

struct Team {
  ApiFixture fixture;
  harmonic::test::TestUser ada = fixture.make_user("ada");
  harmonic::test::TestUser bob = fixture.make_user("bob");
  harmonic::test::TestUser carol = fixture.make_user("carol");
  std::string universe = fixture.make_universe(ada, "band", true);
  std::string path = "/api/universes/" + universe + "/collaborators";
};

}  // namespace

TEST_CASE("the owner adds a collaborator by name, and the room is told", "[collaborators]") {
  Team team;
  auto& f = team.fixture;
  const auto added = f.send("POST", team.path, json{{"username", "BOB"}}, team.ada.token);
  REQUIRE(added.status == 201);
  CHECK(body_of(added)["collaborator"] == json{{"id", team.bob.id}, {"username", "bob"}});
  CHECK(f.store.role_of(team.universe, team.bob.id) == harmonic::storage::Role::collaborator);
  REQUIRE(f.notifier.calls.size() == 1);
  CHECK(f.notifier.calls[0].kind == "collaborators_changed");
  CHECK(f.notifier.calls[0].universe_id == team.universe);
  CHECK(f.notifier.calls[0].data["message"] == "ada added bob as a collaborator");

  const auto listed = f.send("GET", team.path, "", team.carol.token);  // viewers may list
  REQUIRE(listed.status == 200);
  CHECK(body_of(listed) == json{{"collaborators", {{{"id", team.bob.id}, {"username", "bob"}}}}});

  SECTION("adding again is 409; unknown users 404; yourself 400; bad body 400") {
    CHECK(f.send("POST", team.path, json{{"username", "bob"}}, team.ada.token).status == 409);
    const auto unknown = f.send("POST", team.path, json{{"username", "nobody"}}, team.ada.token);
    CHECK(unknown.status == 404);
    CHECK(error_code_of(unknown) == "not_found");
    CHECK(f.send("POST", team.path, json{{"username", "ada"}}, team.ada.token).status == 400);
    CHECK(f.send("POST", team.path, json::object(), team.ada.token).status == 400);
    CHECK(f.send("POST", team.path, json{{"username", 1}}, team.ada.token).status == 400);
    CHECK(f.notifier.calls.size() == 1);
  }
  SECTION("the owner removes them again") {
    const auto removed = f.send("DELETE", team.path + "/" + team.bob.id, "", team.ada.token);
    CHECK(removed.status == 204);
    CHECK(f.store.role_of(team.universe, team.bob.id) == harmonic::storage::Role::viewer);  // still public
    REQUIRE(f.notifier.calls.size() == 2);
    CHECK(f.notifier.calls[1].data["message"] == "ada removed bob as a collaborator");
    CHECK(f.send("DELETE", team.path + "/" + team.bob.id, "", team.ada.token).status == 404);
    CHECK(f.send("DELETE", team.path + "/999999", "", team.ada.token).status == 404);
  }
  SECTION("collaborators and viewers may not manage collaborators") {
    CHECK(f.send("POST", team.path, json{{"username", "carol"}}, team.bob.token).status == 403);
    CHECK(f.send("POST", team.path, json{{"username", "carol"}}, team.carol.token).status == 403);
    CHECK(f.send("DELETE", team.path + "/" + team.bob.id, "", team.bob.token).status == 403);
    CHECK(f.send("DELETE", team.path + "/" + team.bob.id, "", team.carol.token).status == 403);
    CHECK(f.notifier.calls.size() == 1);
  }
}

TEST_CASE("collaborators of a private universe are hidden from strangers", "[collaborators]") {
  ApiFixture f;
  const auto ada = f.make_user("ada");
  const auto eve = f.make_user("eve");
  const auto universe = f.make_universe(ada, "private");
  const auto path = "/api/universes/" + universe + "/collaborators";
  CHECK(f.send("GET", path, "", eve.token).status == 404);
  CHECK(f.send("POST", path, json{{"username", "eve"}}, eve.token).status == 404);
  CHECK(f.send("DELETE", path + "/" + ada.id, "", eve.token).status == 404);
  CHECK(f.send("GET", path, "").status == 401);
  CHECK(f.send("GET", "/api/universes/999999/collaborators", "", ada.token).status == 404);
  const auto empty = f.send("GET", path, "", ada.token);
  REQUIRE(empty.status == 200);
  CHECK(body_of(empty) == json{{"collaborators", json::array()}});
}
