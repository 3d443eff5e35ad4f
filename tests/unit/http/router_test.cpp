#include <catch2/catch.hpp>

#include "http/router.hpp"

using harmonic::http::ApiRequest;
using harmonic::http::ApiResponse;
using harmonic::http::RouteParams;
using harmonic::http::Router;
using harmonic::http::split_path;

namespace {

harmonic::http::RouteHandler answer(int status) {
  return [status](const ApiRequest&, const RouteParams&) {
    ApiResponse response;
    response.status = status;
    return response;
  };
}

int call(const Router::Match& match) { return (*match.handler)(ApiRequest{}, match.params).status; }

}  // namespace

TEST_CASE("split_path splits on slashes and ignores one trailing slash", "[router]") {
  CHECK(split_path("/") == std::vector<std::string>{});
  CHECK(split_path("/api/universes") == std::vector<std::string>{"api", "universes"});
  CHECK(split_path("/api/universes/") == std::vector<std::string>{"api", "universes"});
  CHECK(split_path("/a//b") == std::vector<std::string>{"a", "", "b"});
}

TEST_CASE("the router captures segments and picks the handler by method", "[router]") {
  Router router;
  router.add("GET", "/api/universes/{id}", answer(1));
  router.add("PATCH", "/api/universes/{id}", answer(2));
  router.add("DELETE", "/api/universes/{id}/collaborators/{user_id}", answer(3));

  auto match = router.match("GET", "/api/universes/42");
  REQUIRE(match);
  REQUIRE(match->handler);
  CHECK(call(*match) == 1);
  CHECK(match->params.at("id") == "42");

  match = router.match("DELETE", "/api/universes/7/collaborators/9");
  REQUIRE(match);
  REQUIRE(match->handler);
  CHECK(match->params.at("id") == "7");
  CHECK(match->params.at("user_id") == "9");

  SECTION("a known path with another method lists the allowed ones") {
    match = router.match("POST", "/api/universes/42");
    REQUIRE(match);
    CHECK(match->handler == nullptr);
    CHECK(match->allowed_methods == std::vector<std::string>{"GET", "PATCH"});
  }
  SECTION("unknown paths and empty captures do not match") {
    CHECK_FALSE(router.match("GET", "/api/universes"));
    CHECK_FALSE(router.match("GET", "/api/universes/42/extra"));
    CHECK_FALSE(router.match("GET", "/api/universes//"));
    CHECK_FALSE(router.match("GET", "api/universes/42"));
  }
}

TEST_CASE("a literal segment beats a capture whatever the order of registration", "[router]") {
  Router router;
  router.add("GET", "/api/universes/{id}", answer(1));
  router.add("POST", "/api/universes/{id}", answer(2));
  router.add("POST", "/api/universes/import", answer(3));

  auto match = router.match("POST", "/api/universes/import");
  REQUIRE(match);
  REQUIRE(match->handler);
  CHECK(call(*match) == 3);
  CHECK(match->params.empty());

  match = router.match("GET", "/api/universes/import");
  REQUIRE(match);
  REQUIRE(match->handler);
  CHECK(call(*match) == 1);
  CHECK(match->params.at("id") == "import");
}
