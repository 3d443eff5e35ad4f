// Logout, password change and the bound on password hashing (finding 5 and 9 of issue 12).
#include <catch2/catch.hpp>

#include <vector>

#include "api_fixture.hpp"
#include "auth/token_sessions.hpp"

using harmonic::http::header_value;
using harmonic::test::ApiFixture;
using harmonic::test::body_of;
using harmonic::test::error_code_of;
using nlohmann::json;

namespace {

std::string login_token(ApiFixture& fixture, const std::string& name, const std::string& password) {
  const auto response =
      fixture.send("POST", "/api/auth/login", json{{"username", name}, {"password", password}});
  REQUIRE(response.status == 200);
  return body_of(response)["token"].get<std::string>();
}

}  // namespace

TEST_CASE("logout revokes the presented token, and only that one", "[auth][logout]") {
  ApiFixture fixture;
  const auto grace = fixture.make_user("grace");
  const auto laptop = login_token(fixture, "grace", "correct horse");
  const auto phone = login_token(fixture, "grace", "correct horse");
  const auto jti = fixture.tokens.verify(laptop)->token_id;

  const auto out = fixture.send("POST", "/api/auth/logout", "", laptop);
  CHECK(out.status == 204);
  const auto after = fixture.send("GET", "/api/auth/me", "", laptop);
  CHECK(after.status == 401);
  CHECK(error_code_of(after) == "unauthorized");
  CHECK(fixture.send("GET", "/api/universes", "", laptop).status == 401);
  CHECK(fixture.send("GET", "/api/auth/me", "", phone).status == 200);
  CHECK(fixture.send("GET", "/api/auth/me", "", grace.token).status == 200);
  CHECK(fixture.store.is_token_revoked(jti));

  REQUIRE(fixture.notifier.calls.size() == 1);  // the realtime side closes that token's sockets
  CHECK(fixture.notifier.calls[0].kind == "token_revoked");
  CHECK(fixture.notifier.calls[0].by_user_id == grace.id);
  CHECK(fixture.notifier.calls[0].data["token_id"] == jti);

  CHECK(fixture.send("POST", "/api/auth/logout", "", laptop).status == 401);  // already out
  CHECK(fixture.send("POST", "/api/auth/logout", "").status == 401);
  CHECK(fixture.notifier.calls.size() == 1);
}

TEST_CASE("a password change revokes every older token and answers a fresh one", "[auth][password]") {
  ApiFixture fixture;
  const auto grace = fixture.make_user("grace");
  const auto other_session = login_token(fixture, "grace", "correct horse");
  const auto alan = fixture.make_user("alan");
  const auto change = [&](const std::string& token, const json& body) {
    return fixture.send("POST", "/api/auth/password", body, token);
  };

  SECTION("a wrong current password is 403 and changes nothing") {
    const auto wrong = change(grace.token, {{"current_password", "battery staple"}, {"new_password", "new and long"}});
    CHECK(wrong.status == 403);
    CHECK(error_code_of(wrong) == "forbidden");
    CHECK(fixture.send("GET", "/api/auth/me", "", grace.token).status == 200);
    login_token(fixture, "grace", "correct horse");
    CHECK(fixture.notifier.calls.empty());
  }
  SECTION("bad input is 400 and changes nothing") {
    CHECK(change(grace.token, {{"current_password", "correct horse"}, {"new_password", "short"}}).status == 400);
    CHECK(change(grace.token, {{"current_password", "correct horse"}}).status == 400);
    CHECK(change(grace.token, {{"new_password", "new and long"}}).status == 400);
    CHECK(change("", {{"current_password", "correct horse"}, {"new_password", "new and long"}}).status == 401);
    CHECK(fixture.send("GET", "/api/auth/me", "", grace.token).status == 200);
  }
  SECTION("the right one changes it") {
    const auto changed = change(grace.token, {{"current_password", "correct horse"}, {"new_password", "new and long"}});
    REQUIRE(changed.status == 200);
    const auto fresh = body_of(changed)["token"].get<std::string>();
    CHECK(body_of(changed)["user"]["id"] == grace.id);

    CHECK(fixture.send("GET", "/api/auth/me", "", grace.token).status == 401);
    CHECK(fixture.send("GET", "/api/auth/me", "", other_session).status == 401);
    CHECK(fixture.send("GET", "/api/auth/me", "", fresh).status == 200);
    CHECK(fixture.send("GET", "/api/auth/me", "", alan.token).status == 200);  // others keep theirs

    CHECK(fixture.send("POST", "/api/auth/login", json{{"username", "grace"}, {"password", "correct horse"}}).status ==
          401);
    login_token(fixture, "grace", "new and long");

    REQUIRE(fixture.notifier.calls.size() == 1);
    CHECK(fixture.notifier.calls[0].kind == "tokens_revoked");
    CHECK(fixture.notifier.calls[0].by_user_id == grace.id);
  }
}

TEST_CASE("password hashing beyond the bound is 503 with Retry-After, counted in metrics", "[auth][busy]") {
  ApiFixture fixture({}, {}, harmonic::http::RestOptions{}.registrations_per_address,
                     [](harmonic::http::RestOptions& options) { options.password_work_limit = 3; });
  fixture.make_user("grace");
  const auto login_request = [&] {
    harmonic::http::ApiRequest request;
    request.method = "POST";
    request.path = "/api/auth/login";
    request.body = json{{"username", "grace"}, {"password", "correct horse"}}.dump();
    request.remote_address = "192.0.2.1";
    return request;
  };
  // What the edge holds while hashes wait for or run on a worker: the offloaded steps.
  std::vector<harmonic::http::ApiResponse> waiting;
  for (int i = 0; i < 3; ++i) {
    waiting.push_back(fixture.api.handle(login_request()));
    REQUIRE(waiting.back().offload);
  }
  const auto busy = fixture.api.handle(login_request());
  CHECK(busy.status == 503);
  CHECK_FALSE(busy.offload);
  CHECK(header_value(busy, "Retry-After") == "1");
  CHECK(error_code_of(busy) == "unavailable");
  CHECK(body_of(busy)["error"]["details"]["reason"] == "password_work_busy");
  CHECK(fixture.metrics.errors("password_work_busy") == 1);
  CHECK(fixture.send("POST", "/api/auth/register", json{{"username", "alan"}, {"password", "long enough"}}).status ==
        503);
  CHECK(fixture.metrics.errors("password_work_busy") == 2);

  // A finished hash frees its slot (the worker ran it, the I/O thread finished it).
  CHECK(harmonic::http::complete_in_place(std::move(waiting.back())).status == 200);
  waiting.pop_back();
  CHECK(fixture.send("POST", "/api/auth/login", json{{"username", "grace"}, {"password", "correct horse"}}).status ==
        200);
  waiting.clear();  // dropped work (a closed connection) frees its slots too
  for (int i = 0; i < 3; ++i) {
    waiting.push_back(fixture.api.handle(login_request()));
    CHECK(waiting.back().offload);
  }
  CHECK(fixture.api.handle(login_request()).status == 503);
}

TEST_CASE("the password work limit counts tickets across copies and threads") {
  harmonic::http::PasswordWorkLimit limit(2);
  auto first = limit.try_acquire();
  auto second = limit.try_acquire();
  REQUIRE(first);
  REQUIRE(second);
  CHECK_FALSE(limit.try_acquire());
  auto copy = first;
  first.reset();
  CHECK(limit.in_use() == 2);  // the copy still holds it
  copy.reset();
  CHECK(limit.in_use() == 1);
  CHECK(limit.try_acquire());  // a temporary: released at once
  CHECK(limit.in_use() == 1);
  CHECK(harmonic::http::password_work_limit_for(2) == 2 * 2 + harmonic::http::kPasswordWorkQueueSlack);
}
