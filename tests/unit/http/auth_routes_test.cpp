#include <catch2/catch.hpp>

#include <chrono>

#include "api_fixture.hpp"

using harmonic::http::header_value;
using harmonic::test::ApiFixture;
using harmonic::test::body_of;
using harmonic::test::error_code_of;
using nlohmann::json;

TEST_CASE("register creates an account and answers a token that works", "[auth]") {
  ApiFixture fixture;
  const auto response = fixture.send("POST", "/api/auth/register",
                                     json{{"username", "Ada"}, {"password", "analytical engine"},
                                          {"email", "ada@example.org"}});
  REQUIRE(response.status == 201);
  CHECK(response.content_type == "application/json");
  const auto body = body_of(response);
  CHECK(body["user"]["username"] == "Ada");
  CHECK(body["user"]["id"].is_string());
  const auto claims = fixture.tokens.verify(body["token"].get<std::string>());
  REQUIRE(claims);
  CHECK(claims->user_id == body["user"]["id"]);

  const auto me = fixture.send("GET", "/api/auth/me", "", body["token"].get<std::string>());
  REQUIRE(me.status == 200);
  CHECK(body_of(me)["user"] == body["user"]);

  SECTION("the name is then taken, whatever its case") {
    const auto again =
        fixture.send("POST", "/api/auth/register", json{{"username", "ADA"}, {"password", "something else"}});
    CHECK(again.status == 409);
    CHECK(error_code_of(again) == "conflict");
  }
  SECTION("logging in with the password answers a token; a wrong one or unknown user the same 401") {
    const auto ok = fixture.send("POST", "/api/auth/login", json{{"username", "ada"}, {"password", "analytical engine"}});
    REQUIRE(ok.status == 200);
    CHECK(body_of(ok)["user"]["username"] == "Ada");
    CHECK(fixture.tokens.verify(body_of(ok)["token"].get<std::string>()));

    const auto wrong = fixture.send("POST", "/api/auth/login", json{{"username", "Ada"}, {"password", "difference engine"}});
    const auto unknown = fixture.send("POST", "/api/auth/login", json{{"username", "Babbage"}, {"password", "analytical engine"}});
    CHECK(wrong.status == 401);
    CHECK(unknown.status == 401);
    CHECK(error_code_of(wrong) == "unauthorized");
    CHECK(body_of(wrong)["error"]["message"] == body_of(unknown)["error"]["message"]);
  }
}

TEST_CASE("register refuses bad input with 400", "[auth]") {
  ApiFixture fixture;
  const auto refuse = [&](const std::string& body) {
    const auto response = fixture.send("POST", "/api/auth/register", body);
    INFO(body << " -> " << response.body);
    CHECK(response.status == 400);
    CHECK(error_code_of(response) == "bad_request");
    const auto error = body_of(response)["error"];
    CHECK(error["message"].is_string());
    CHECK(error["details"].is_object());
  };
  refuse("");
  refuse("not json");
  refuse("[1,2]");
  refuse(R"({"username":"ada"})");
  refuse(R"({"password":"long enough"})");
  refuse(R"({"username":42,"password":"long enough"})");
  refuse(R"({"username":"ada","password":12345678})");
  refuse(R"({"username":"ab","password":"long enough"})");
  refuse(R"({"username":"ada lovelace","password":"long enough"})");
  refuse(R"({"username":"ada","password":"short"})");
  refuse(json{{"username", "ada"}, {"password", std::string(1025, 'p')}}.dump());
  refuse(R"({"username":"ada","password":"long enough","email":"not-an-email"})");
  refuse(R"({"username":"ada","password":"long enough","email":7})");
  CHECK(fixture.store.find_user_by_name("ada") == std::nullopt);

  SECTION("an empty or null email counts as none") {
    CHECK(fixture.send("POST", "/api/auth/register", R"({"username":"ada","password":"long enough","email":""})")
              .status == 201);
    CHECK(fixture.send("POST", "/api/auth/register", R"({"username":"bob","password":"long enough","email":null})")
              .status == 201);
  }
}

TEST_CASE("login checks its input and never says which part was wrong", "[auth]") {
  ApiFixture fixture;
  fixture.make_user("grace");
  CHECK(fixture.send("POST", "/api/auth/login", "nope").status == 400);
  CHECK(fixture.send("POST", "/api/auth/login", R"({"username":"grace"})").status == 400);
  CHECK(fixture.send("POST", "/api/auth/login", R"({"username":"grace","password":true})").status == 400);
  CHECK(fixture.send("POST", "/api/auth/login", R"({"username":"x","password":"correct horse"})").status == 401);
  CHECK(fixture.send("POST", "/api/auth/login", json{{"username", "grace"}, {"password", std::string(5000, 'p')}})
            .status == 401);
  CHECK(fixture.send("POST", "/api/auth/login", R"({"username":"GRACE","password":"correct horse"})").status == 200);
}

TEST_CASE("logins are rate limited per address and per (username, address)", "[auth][rate]") {
  ApiFixture fixture({}, harmonic::http::AttemptLimits{3, 60'000});
  fixture.make_user("grace");
  const auto attempt = [&](const std::string& name, const std::string& password) {
    return fixture.send("POST", "/api/auth/login", json{{"username", name}, {"password", password}});
  };

  SECTION("per address") {
    for (int i = 0; i < 3; ++i) CHECK(attempt("someone" + std::to_string(i), "guess guess").status == 401);
    const auto limited = attempt("grace", "correct horse");
    REQUIRE(limited.status == 429);
    CHECK(error_code_of(limited) == "rate_limited");
    CHECK(header_value(limited, "Retry-After") == "60");
    CHECK(body_of(limited)["error"]["details"]["retry_after_seconds"] == 60);

    fixture.remote_address = "198.51.100.7";  // another address may still try
    CHECK(attempt("grace", "correct horse").status == 200);

    fixture.remote_address = "192.0.2.1";
    fixture.now_ms += 30'500;
    CHECK(header_value(attempt("grace", "correct horse"), "Retry-After") == "30");
    fixture.now_ms += 30'000;
    CHECK(attempt("grace", "correct horse").status == 200);
  }
  SECTION("failures spread over addresses never refuse the owner's address") {
    for (int i = 0; i < 3; ++i) {
      fixture.remote_address = "203.0.113." + std::to_string(i);
      CHECK(attempt(i % 2 ? "GRACE" : "grace", "guess guess").status == 401);
    }
    fixture.remote_address = "203.0.113.200";
    CHECK(attempt("Grace", "correct horse").status == 200);
    CHECK(attempt("someone_else", "guess guess").status == 401);
  }
}

TEST_CASE("per (username, address): one address guessing one account is refused, others are not", "[auth][rate]") {
  ApiFixture fixture({}, {}, harmonic::http::RestOptions{}.registrations_per_address,
                     [](harmonic::http::RestOptions& options) {
                       options.logins_per_address = {10, 60'000};
                       options.logins_per_account_and_address = {3, 60'000};
                     });
  fixture.make_user("grace");
  fixture.make_user("alan");
  const auto attempt = [&](const std::string& name, const std::string& password) {
    return fixture.send("POST", "/api/auth/login", json{{"username", name}, {"password", password}});
  };
  for (int i = 0; i < 3; ++i) CHECK(attempt(i % 2 ? "GRACE" : "grace", "guess guess").status == 401);
  const auto limited = attempt("grace", "correct horse");
  CHECK(limited.status == 429);
  CHECK(error_code_of(limited) == "rate_limited");
  CHECK(attempt("alan", "correct horse").status == 200);  // the same address, another account
  fixture.remote_address = "198.51.100.7";
  CHECK(attempt("grace", "correct horse").status == 200);  // the owner, elsewhere
}

TEST_CASE("ten failures from one address do not lock the owner out from another (finding 6)", "[auth][rate]") {
  ApiFixture fixture;  // the default limits
  fixture.make_user("grace");
  const auto attempt = [&](const std::string& password) {
    return fixture.send("POST", "/api/auth/login", json{{"username", "grace"}, {"password", password}});
  };
  fixture.remote_address = "203.0.113.66";  // the attacker
  int refused = 0;
  for (int i = 0; i < 12; ++i) refused += attempt("guess guess").status == 429 ? 1 : 0;
  CHECK(refused > 0);  // the attacker's address is limited
  fixture.remote_address = "198.51.100.7";  // the owner
  const auto owner = attempt("correct horse");
  CHECK(owner.status == 200);
  CHECK(owner.delay_ms > 0);  // slowed down, not locked
}

TEST_CASE("failures per username slow its logins down, capped, from every address", "[auth][rate]") {
  ApiFixture fixture;
  fixture.make_user("grace");
  const harmonic::http::LoginSlowDown slow;  // the defaults the fixture uses
  const auto attempt = [&](const std::string& name, const std::string& password, int address) {
    fixture.remote_address = "203.0.113." + std::to_string(address);
    return fixture.send("POST", "/api/auth/login", json{{"username", name}, {"password", password}});
  };
  std::int64_t last_delay = 0;
  for (int i = 0; i < slow.free_failures; ++i) {
    const auto failed = attempt("grace", "guess guess", i);
    CHECK(failed.status == 401);
    CHECK(failed.delay_ms == 0);  // a few typos cost nothing
  }
  for (int i = slow.free_failures; i < 20; ++i) {
    const auto failed = attempt("grace", "guess guess", i);
    CHECK(failed.status == 401);
    CHECK(failed.delay_ms >= last_delay);
    CHECK(failed.delay_ms <= slow.max_delay_ms);
    last_delay = failed.delay_ms;
  }
  CHECK(last_delay == slow.max_delay_ms);
  const auto owner = attempt("grace", "correct horse", 200);
  CHECK(owner.status == 200);
  CHECK(owner.delay_ms == slow.max_delay_ms);  // right and wrong passwords wait alike
  CHECK(attempt("someone_else", "guess guess", 201).delay_ms == 0);  // other accounts are not slowed
  fixture.now_ms += slow.window_ms;
  CHECK(attempt("grace", "correct horse", 202).delay_ms == 0);  // failures age out
}

TEST_CASE("a missing, malformed, forged or expired token is 401", "[auth]") {
  ApiFixture fixture;
  const auto user = fixture.make_user("grace");
  const auto me = [&](std::map<std::string, std::string> headers) {
    return fixture.send("GET", "/api/auth/me", "", "", std::move(headers));
  };
  CHECK(me({{"authorization", "Bearer " + user.token}}).status == 200);
  CHECK(me({{"authorization", "bearer " + user.token}}).status == 200);

  const auto missing = me({});
  CHECK(missing.status == 401);
  CHECK(error_code_of(missing) == "unauthorized");
  CHECK(header_value(missing, "WWW-Authenticate") == "Bearer");
  CHECK(me({{"authorization", user.token}}).status == 401);
  CHECK(me({{"authorization", "Basic " + user.token}}).status == 401);
  CHECK(me({{"authorization", "Bearer "}}).status == 401);
  CHECK(me({{"authorization", "Bearer " + user.token + "x"}}).status == 401);

  harmonic::auth::TokenService other_secret{std::string(48, 'z')};
  CHECK(me({{"authorization", "Bearer " + other_secret.issue(user.id, user.username)}}).status == 401);
  const auto expired = fixture.tokens.issue(user.id, user.username, std::chrono::seconds(-10));
  CHECK(me({{"authorization", "Bearer " + expired}}).status == 401);
  const auto ghost = fixture.tokens.issue("999999", "ghost");
  CHECK(me({{"authorization", "Bearer " + ghost}}).status == 401);
}

TEST_CASE("registrations are limited per address before any hashing", "[auth][rate]") {
  ApiFixture fixture({}, {}, harmonic::http::AttemptLimits{3, 3'600'000});  // hashing is slow: a small quota
  const auto signup = [&](const std::string& name) {
    return fixture.send("POST", "/api/auth/register", json{{"username", name}, {"password", "correct horse"}});
  };
  for (int i = 0; i < 3; ++i) REQUIRE(signup("member" + std::to_string(i)).status == 201);
  // A refusal for bad input does not use up the quota, and is still a 400, not a 429.
  CHECK(fixture.send("POST", "/api/auth/register", R"({"username":"x","password":"y"})").status == 400);

  const auto limited = signup("one_too_many");
  REQUIRE(limited.status == 429);
  CHECK(error_code_of(limited) == "rate_limited");
  CHECK(header_value(limited, "Retry-After") == "3600");
  CHECK_FALSE(fixture.store.find_user_by_name("one_too_many"));

  fixture.remote_address = "198.51.100.7";  // another address may still register
  CHECK(signup("from_elsewhere").status == 201);
  fixture.remote_address = "192.0.2.1";
  fixture.now_ms += 3'600'000;
  CHECK(signup("an_hour_later").status == 201);
}
