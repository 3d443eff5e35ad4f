// GET /api/universes pages, and the per-account quota and creation rate of create and
// import (issue 12, finding 3; docs/operations.md, "Universe lists and quotas").
#include <catch2/catch.hpp>

#include <set>

#include "api_fixture.hpp"

using harmonic::test::ApiFixture;
using harmonic::test::body_of;
using harmonic::test::error_code_of;
using nlohmann::json;

namespace {

harmonic::http::ApiResponse list(ApiFixture& f, const std::string& token, std::map<std::string, std::string> query) {
  harmonic::http::ApiRequest request;
  request.method = "GET";
  request.path = "/api/universes";
  request.query = std::move(query);
  request.headers["authorization"] = "Bearer " + token;
  return f.api.handle(request);
}

}  // namespace

TEST_CASE("the universe list pages with limit and cursor, each visible universe once", "[universes][list]") {
  ApiFixture f;
  const auto ada = f.make_user("ada");
  const auto bob = f.make_user("bob");
  std::set<std::string> visible;
  for (int i = 0; i < 9; ++i) visible.insert(f.make_universe(bob, "open" + std::to_string(i), true));
  f.make_universe(bob, "private");
  visible.insert(f.make_universe(ada, "mine"));

  const auto first = list(f, ada.token, {});
  REQUIRE(first.status == 200);
  CHECK(body_of(first)["universes"].size() == visible.size());
  CHECK(body_of(first)["next_cursor"].is_null());

  std::vector<std::string> seen;
  std::map<std::string, std::string> query{{"limit", "4"}};
  int pages = 0;
  while (true) {
    const auto response = list(f, ada.token, query);
    REQUIRE(response.status == 200);
    const auto body = body_of(response);
    REQUIRE(body["universes"].size() <= 4);
    for (const auto& universe : body["universes"]) {
      seen.push_back(universe["id"]);
      CHECK(universe["role"] == (universe["name"] == "mine" ? "owner" : "viewer"));
    }
    ++pages;
    if (body["next_cursor"].is_null()) break;
    REQUIRE(body["next_cursor"].is_string());
    query["cursor"] = body["next_cursor"];
    REQUIRE(pages < 10);
  }
  CHECK(pages == 3);
  CHECK(seen.size() == visible.size());
  CHECK(std::set<std::string>(seen.begin(), seen.end()) == visible);
}

TEST_CASE("a bad limit or cursor is a 400 that names the field", "[universes][list]") {
  ApiFixture f;
  const auto ada = f.make_user("ada");
  for (const auto* limit : {"0", "201", "-1", "abc", "", "01", "1.5", " 5", "99999999999999999999"}) {
    INFO("limit=" << limit);
    const auto response = list(f, ada.token, {{"limit", limit}});
    CHECK(response.status == 400);
    CHECK(error_code_of(response) == "bad_request");
    CHECK(body_of(response)["error"]["details"]["field"] == "limit");
  }
  for (const auto* cursor : {"", "0", "-3", "abc", "12x", "007", "99999999999999999999"}) {
    INFO("cursor=" << cursor);
    const auto response = list(f, ada.token, {{"cursor", cursor}});
    CHECK(response.status == 400);
    CHECK(body_of(response)["error"]["details"]["field"] == "cursor");
  }
  CHECK(list(f, ada.token, {{"limit", "200"}}).status == 200);
  CHECK(list(f, ada.token, {{"limit", "1"}, {"cursor", "12345"}}).status == 200);
}

TEST_CASE("an account may own at most max_universes_per_user universes, created or imported", "[universes][quota]") {
  ApiFixture f({}, {}, harmonic::http::RestOptions{}.registrations_per_address,
               [](harmonic::http::RestOptions& options) { options.universe_limits.max_universes_per_user = 3; });
  const auto ada = f.make_user("ada");
  const auto bob = f.make_user("bob");
  std::vector<std::string> mine;
  for (int i = 0; i < 3; ++i) mine.push_back(f.make_universe(ada, "u" + std::to_string(i)));

  const auto refused = f.send("POST", "/api/universes", json{{"name", "one too many"}}, ada.token);
  CHECK(refused.status == 403);
  CHECK(error_code_of(refused) == "quota_exceeded");
  CHECK(body_of(refused)["error"]["details"]["limit"] == 3);
  const auto imported =
      f.send("POST", "/api/universes/import", json{{"name", "copy"}, {"parameters", json::object()}}, ada.token);
  CHECK(imported.status == 403);
  CHECK(error_code_of(imported) == "quota_exceeded");
  CHECK(f.store.count_universes_owned_by(ada.id) == 3);

  CHECK(f.send("POST", "/api/universes", json{{"name", "bob's"}}, bob.token).status == 201);  // per account
  REQUIRE(f.send("DELETE", "/api/universes/" + mine.front(), "", ada.token).status == 204);
  CHECK(f.send("POST", "/api/universes", json{{"name", "room again"}}, ada.token).status == 201);
}

TEST_CASE("creating and importing share a per-account rate limit with Retry-After", "[universes][quota]") {
  ApiFixture f({}, {}, harmonic::http::RestOptions{}.registrations_per_address,
               [](harmonic::http::RestOptions& options) { options.universe_limits.creations_per_minute = 2; });
  const auto ada = f.make_user("ada");
  const auto bob = f.make_user("bob");
  CHECK(f.send("POST", "/api/universes", json{{"name", "a"}}, ada.token).status == 201);
  f.now_ms += 10'000;
  CHECK(f.send("POST", "/api/universes/import", json{{"name", "b"}, {"parameters", json::object()}}, ada.token).status ==
        201);
  const auto refused = f.send("POST", "/api/universes", json{{"name", "c"}}, ada.token);
  CHECK(refused.status == 429);
  CHECK(error_code_of(refused) == "rate_limited");
  CHECK(harmonic::http::header_value(refused, "Retry-After") == "50");
  CHECK(f.send("POST", "/api/universes/import", json{{"name", "c"}, {"parameters", json::object()}}, ada.token).status ==
        429);
  // Bad input is refused as such and does not use up the allowance.
  CHECK(f.send("POST", "/api/universes", json{{"name", ""}}, bob.token).status == 400);
  CHECK(f.send("POST", "/api/universes", json{{"name", "bob 1"}}, bob.token).status == 201);
  CHECK(f.send("POST", "/api/universes", json{{"name", "bob 2"}}, bob.token).status == 201);

  f.now_ms += 50'000;  // the first creation leaves the window
  CHECK(f.send("POST", "/api/universes", json{{"name", "c"}}, ada.token).status == 201);
  CHECK(f.store.count_universes_owned_by(ada.id) == 3);
}
