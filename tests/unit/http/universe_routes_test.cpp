#include <catch2/catch.hpp>

#include "api_fixture.hpp"
#include "params/schema.hpp"

using harmonic::test::ApiFixture;
using harmonic::test::body_of;
using harmonic::test::error_code_of;
using nlohmann::json;

TEST_CASE("creating a universe stores defaults, a seed and the owner", "[universes]") {
  ApiFixture fixture;
  const auto ada = fixture.make_user("ada");
  fixture.next_seed = 0xFFFFFFFFu;
  const auto response = fixture.send("POST", "/api/universes",
                                     json{{"name", "  Nebula  "}, {"description", "slow and deep"}}, ada.token);
  REQUIRE(response.status == 201);
  const auto body = body_of(response);
  CHECK(body["name"] == "Nebula");  // trimmed
  CHECK(body["description"] == "slow and deep");
  CHECK(body["is_public"] == false);
  CHECK(body["owner_id"] == ada.id);
  CHECK(body["seed"] == 0xFFFFFFFFu);
  CHECK(body["role"] == "owner");
  CHECK(body["parameters"] == harmonic::params::all_defaults());
  CHECK(body["created_at"] == fixture.now_ms);
  CHECK(fixture.notifier.calls.empty());

  const auto got = fixture.send("GET", "/api/universes/" + body["id"].get<std::string>(), "", ada.token);
  REQUIRE(got.status == 200);
  CHECK(body_of(got) == body);
}

TEST_CASE("creating a universe refuses bad input", "[universes]") {
  ApiFixture fixture;
  const auto ada = fixture.make_user("ada");
  const auto refuse = [&](const std::string& body) {
    const auto response = fixture.send("POST", "/api/universes", body, ada.token);
    INFO(body);
    CHECK(response.status == 400);
    CHECK(error_code_of(response) == "bad_request");
  };
  refuse("{}");
  refuse("{bad json");
  refuse(R"({"name":""})");
  refuse(R"({"name":"   "})");
  refuse(R"({"name":5})");
  refuse(json{{"name", std::string(101, 'x')}}.dump());
  refuse(json{{"name", "ok"}, {"description", std::string(2001, 'x')}}.dump());
  refuse(R"({"name":"ok","is_public":"yes"})");
  refuse(R"({"name":"ok","description":false})");
  CHECK(fixture.send("POST", "/api/universes", json{{"name", "ok"}}).status == 401);
  CHECK(fixture.store.count_universes_owned_by(ada.id) == 0);
  // Spaces around the name do not count against its 100 characters.
  CHECK(fixture.send("POST", "/api/universes", json{{"name", " " + std::string(100, 'x') + " "}}, ada.token).status ==
        201);
}

TEST_CASE("the list holds own, shared and public universes with my role", "[universes]") {
  ApiFixture fixture;
  const auto ada = fixture.make_user("ada");
  const auto bob = fixture.make_user("bob");
  const auto eve = fixture.make_user("eve");
  const auto mine = fixture.make_universe(ada, "mine");
  const auto shared = fixture.make_universe(bob, "shared");
  const auto open = fixture.make_universe(eve, "open", true);
  fixture.make_universe(eve, "secret");
  REQUIRE(fixture.store.add_collaborator(shared, ada.id));

  const auto response = fixture.send("GET", "/api/universes", "", ada.token);
  REQUIRE(response.status == 200);
  std::map<std::string, std::string> roles;
  const auto body = body_of(response);
  for (const auto& universe : body["universes"]) roles[universe["id"]] = universe["role"];
  CHECK(roles == std::map<std::string, std::string>{{mine, "owner"}, {shared, "collaborator"}, {open, "viewer"}});
  CHECK(fixture.send("GET", "/api/universes", "").status == 401);
}

namespace {

// ada owns a private universe with bob as collaborator; a public one with the same people.
// carol sees only the public one (as viewer); "dan" sees neither private.
struct RightsWorld {
  ApiFixture fixture;
  harmonic::test::TestUser ada = fixture.make_user("ada");
  harmonic::test::TestUser bob = fixture.make_user("bob");
  harmonic::test::TestUser carol = fixture.make_user("carol");
  std::string closed = fixture.make_universe(ada, "closed");
  std::string open = fixture.make_universe(ada, "open", true);
  RightsWorld() {
    fixture.store.add_collaborator(closed, bob.id);
    fixture.store.add_collaborator(open, bob.id);
  }
};

}  // namespace

TEST_CASE("reading a universe needs viewer or more, and invisible ones look missing", "[universes][rights]") {
  RightsWorld world;
  auto& f = world.fixture;
  CHECK(body_of(f.send("GET", "/api/universes/" + world.closed, "", world.ada.token))["role"] == "owner");
  CHECK(body_of(f.send("GET", "/api/universes/" + world.closed, "", world.bob.token))["role"] == "collaborator");
  CHECK(body_of(f.send("GET", "/api/universes/" + world.open, "", world.carol.token))["role"] == "viewer");

  const auto hidden = f.send("GET", "/api/universes/" + world.closed, "", world.carol.token);
  const auto missing = f.send("GET", "/api/universes/999999", "", world.carol.token);
  CHECK(hidden.status == 404);
  CHECK(missing.status == 404);
  CHECK(hidden.body == missing.body);
  CHECK(f.send("GET", "/api/universes/not-a-number", "", world.ada.token).status == 404);
  CHECK(f.send("GET", "/api/universes/" + world.closed, "").status == 401);
}

TEST_CASE("PATCH lets owner and collaborators rename, only the owner change is_public", "[universes][rights]") {
  RightsWorld world;
  auto& f = world.fixture;
  const auto patch = [&](const std::string& id, const json& body, const harmonic::test::TestUser& user) {
    return f.send("PATCH", "/api/universes/" + id, body, user.token);
  };

  SECTION("the owner renames; the change is stored with history and told to the room") {
    f.now_ms += 5000;
    const auto response = patch(world.closed, {{"name", "Renamed"}, {"description", "new words"}}, world.ada);
    REQUIRE(response.status == 200);
    const auto body = body_of(response);
    CHECK(body["name"] == "Renamed");
    CHECK(body["description"] == "new words");
    CHECK(body["updated_at"] == f.now_ms);
    CHECK(body["role"] == "owner");
    CHECK(body["parameters"].is_object());

    const auto history = f.store.latest_history(world.closed, 10);
    REQUIRE(history.size() == 1);
    CHECK(history[0].kind == "universe");
    CHECK(history[0].user_id == world.ada.id);
    CHECK(history[0].changes == json{{"name", "Renamed"}, {"description", "new words"}});

    REQUIRE(f.notifier.calls.size() == 1);
    CHECK(f.notifier.calls[0].kind == "universe_updated");
    CHECK(f.notifier.calls[0].universe_id == world.closed);
    CHECK(f.notifier.calls[0].data == json{{"name", "Renamed"}, {"description", "new words"}});
    CHECK(f.notifier.calls[0].by_user_id == world.ada.id);
  }
  SECTION("a collaborator renames but may not change is_public") {
    CHECK(patch(world.closed, {{"name", "Bob's now"}}, world.bob).status == 200);
    CHECK(f.store.find_universe(world.closed)->name == "Bob's now");
    const auto refused = patch(world.closed, {{"is_public", true}}, world.bob);
    CHECK(refused.status == 403);
    CHECK(error_code_of(refused) == "forbidden");
    const auto mixed = patch(world.closed, {{"name", "sneaky"}, {"is_public", true}}, world.bob);
    CHECK(mixed.status == 403);
    CHECK(f.store.find_universe(world.closed)->name == "Bob's now");  // nothing applied
    CHECK_FALSE(f.store.find_universe(world.closed)->is_public);
    // Repeating the current value is no change, so it is not refused.
    CHECK(patch(world.closed, {{"name", "again"}, {"is_public", false}}, world.bob).status == 200);
  }
  SECTION("the owner changes is_public") {
    const auto response = patch(world.closed, {{"is_public", true}}, world.ada);
    REQUIRE(response.status == 200);
    CHECK(body_of(response)["is_public"] == true);
    REQUIRE(f.notifier.calls.size() == 1);
    CHECK(f.notifier.calls[0].data == json{{"is_public", true}});
  }
  SECTION("a viewer may not change anything; a stranger sees nothing") {
    CHECK(patch(world.open, {{"name", "mine now"}}, world.carol).status == 403);
    CHECK(patch(world.closed, {{"name", "mine now"}}, world.carol).status == 404);
    CHECK(f.notifier.calls.empty());
    CHECK(f.store.latest_history(world.open, 10).empty());
  }
  SECTION("bad bodies are 400; unchanged values change nothing") {
    CHECK(patch(world.closed, json::object(), world.ada).status == 400);
    CHECK(patch(world.closed, {{"name", ""}}, world.ada).status == 400);
    CHECK(patch(world.closed, {{"name", 3}}, world.ada).status == 400);
    CHECK(patch(world.closed, {{"is_public", "true"}}, world.ada).status == 400);
    CHECK(patch(world.closed, {{"description", std::string(2001, 'd')}}, world.ada).status == 400);
    CHECK(f.send("PATCH", "/api/universes/" + world.closed, "{", world.ada.token).status == 400);
    CHECK(patch(world.closed, {{"name", "closed"}}, world.ada).status == 200);
    CHECK(f.notifier.calls.empty());
    CHECK(f.store.latest_history(world.closed, 10).empty());
  }
}

TEST_CASE("DELETE is for the owner only, and the room is told", "[universes][rights]") {
  RightsWorld world;
  auto& f = world.fixture;
  CHECK(f.send("DELETE", "/api/universes/" + world.closed, "", world.bob.token).status == 403);
  CHECK(f.send("DELETE", "/api/universes/" + world.open, "", world.carol.token).status == 403);
  CHECK(f.send("DELETE", "/api/universes/" + world.closed, "", world.carol.token).status == 404);
  CHECK(f.send("DELETE", "/api/universes/" + world.closed, "").status == 401);
  CHECK(f.notifier.calls.empty());

  const auto deleted = f.send("DELETE", "/api/universes/" + world.closed, "", world.ada.token);
  CHECK(deleted.status == 204);
  CHECK(deleted.body.empty());
  CHECK_FALSE(f.store.find_universe(world.closed));
  REQUIRE(f.notifier.calls.size() == 1);
  CHECK(f.notifier.calls[0].kind == "universe_deleted");
  CHECK(f.notifier.calls[0].universe_id == world.closed);
  CHECK(f.send("DELETE", "/api/universes/" + world.closed, "", world.ada.token).status == 404);
}
