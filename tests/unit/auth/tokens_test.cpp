// Token verification accepts our HS256 tokens and nothing else. Every forged token is
// built next to an accepted twin made the same way, so a refusal is due to the one defect
// under test and not to the forging itself.
#include <catch2/catch.hpp>

#include <random>

#include <nlohmann/json.hpp>

#include "auth/tokens.hpp"
#include "forge.hpp"

using namespace harmonic::auth;
using harmonic::test::forge;
using harmonic::test::kHs256Header;
using harmonic::test::payload;
using harmonic::test::unix_now;
using harmonic::test::unsigned_part;

namespace {
const std::string kSecret = "test-secret-0123456789abcdef";
}

TEST_CASE("an issued token verifies and carries its claims") {
  TokenService tokens(kSecret);
  const auto before = unix_now();
  const auto token = tokens.issue("17", "Ada");
  auto claims = tokens.verify(token);
  REQUIRE(claims);
  CHECK(claims->user_id == "17");
  CHECK(claims->username == "Ada");
  const std::int64_t week = 7 * 24 * 3600;
  CHECK(claims->expires_at >= before + week);
  CHECK(claims->expires_at <= unix_now() + week);

  auto short_lived = tokens.verify(tokens.issue("17", "Ada", std::chrono::seconds(60)));
  REQUIRE(short_lived);
  CHECK(short_lived->expires_at <= unix_now() + 60);
}

TEST_CASE("the issued token is a standard HS256 JWT with string sub, name, iat and exp") {
  TokenService tokens(kSecret);
  const auto token = tokens.issue("17", "Ada");
  const auto first_dot = token.find('.');
  const auto second_dot = token.find('.', first_dot + 1);
  auto header = nlohmann::json::parse(*base64url_decode(token.substr(0, first_dot)));
  auto body = nlohmann::json::parse(*base64url_decode(token.substr(first_dot + 1, second_dot - first_dot - 1)));
  CHECK(header["alg"] == "HS256");
  CHECK(body["sub"] == "17");
  CHECK(body["name"] == "Ada");
  CHECK(body["iat"].is_number_integer());
  CHECK(body["exp"].get<std::int64_t>() - body["iat"].get<std::int64_t>() == 7 * 24 * 3600);
  CHECK(token.substr(second_dot + 1) ==
        base64url_encode(hmac_sha256(kSecret, token.substr(0, second_dot))));  // signed with our key
}

TEST_CASE("a hand-made token with every part right is accepted (the baseline)") {
  TokenService tokens(kSecret);
  auto claims = tokens.verify(forge(kHs256Header, payload(), kSecret));
  REQUIRE(claims);
  CHECK(claims->user_id == "42");
  CHECK(claims->username == "ada");
  CHECK(tokens.verify(forge(R"({"alg":"HS256"})", payload(), kSecret)));  // typ is optional
}

TEST_CASE("alg none is refused, with or without a signature") {
  TokenService tokens(kSecret);
  for (const char* header : {R"({"alg":"none","typ":"JWT"})", R"({"alg":"none"})", R"({"alg":"None","typ":"JWT"})",
                             R"({"alg":"NONE","typ":"JWT"})"}) {
    INFO(header);
    const auto part = unsigned_part(header, payload());
    CHECK_FALSE(tokens.verify(part + "."));
    CHECK_FALSE(tokens.verify(part));
    CHECK_FALSE(tokens.verify(forge(header, payload(), kSecret)));
    CHECK_FALSE(tokens.verify(forge(header, payload(), "")));
  }
}

TEST_CASE("any algorithm other than exactly HS256 is refused, even with a valid MAC") {
  TokenService tokens(kSecret);
  for (const char* header :
       {R"({"alg":"HS512","typ":"JWT"})", R"({"alg":"HS384","typ":"JWT"})", R"({"alg":"RS256","typ":"JWT"})",
        R"({"alg":"ES256","typ":"JWT"})", R"({"alg":"hs256","typ":"JWT"})", R"({"alg":"HS256 ","typ":"JWT"})",
        R"({"alg":"","typ":"JWT"})", R"({"alg":null,"typ":"JWT"})", R"({"alg":256,"typ":"JWT"})",
        R"({"alg":["HS256"],"typ":"JWT"})", R"({"typ":"JWT"})"}) {
    INFO(header);
    CHECK_FALSE(tokens.verify(forge(header, payload(), kSecret)));
  }
}

TEST_CASE("odd headers are refused: other typ, crit, not an object") {
  TokenService tokens(kSecret);
  for (const char* header : {R"({"alg":"HS256","typ":"JWS"})", R"({"alg":"HS256","typ":1})",
                             R"({"alg":"HS256","typ":"JWT","crit":["exp"]})", R"(["HS256"])", R"("HS256")", "null",
                             "", "{"}) {
    INFO(header);
    CHECK_FALSE(tokens.verify(forge(header, payload(), kSecret)));
  }
}

TEST_CASE("a token signed with another secret, or altered after signing, is refused") {
  TokenService tokens(kSecret);
  CHECK_FALSE(tokens.verify(forge(kHs256Header, payload(), "another-secret-0123456789")));
  CHECK_FALSE(tokens.verify(TokenService("another-secret-0123456789").issue("42", "ada")));

  const auto good = tokens.issue("42", "ada");
  REQUIRE(tokens.verify(good));
  SECTION("a different payload under the original signature") {
    const auto signature = good.substr(good.rfind('.'));
    const auto forged = unsigned_part(kHs256Header, payload(3600, "\"1\"")) + signature;
    CHECK_FALSE(tokens.verify(forged));
  }
  SECTION("a truncated or extended signature") {
    CHECK_FALSE(tokens.verify(good.substr(0, good.size() - 1)));
    CHECK_FALSE(tokens.verify(good + "A"));
  }
  SECTION("every single-character change anywhere") {
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    int accepted = 0;
    for (std::size_t i = 0; i < good.size(); ++i) {
      if (good[i] == '.') continue;
      auto changed = good;
      changed[i] = alphabet[(alphabet.find(good[i]) + 1) % alphabet.size()];
      if (tokens.verify(changed)) ++accepted;
    }
    CHECK(accepted == 0);
  }
}

TEST_CASE("expired tokens are refused") {
  TokenService tokens(kSecret);
  CHECK_FALSE(tokens.verify(tokens.issue("42", "ada", std::chrono::seconds(-60))));
  CHECK_FALSE(tokens.verify(forge(kHs256Header, payload(-1), kSecret)));
  CHECK_FALSE(tokens.verify(forge(kHs256Header, payload(0), kSecret)));  // exp == now is over
  // A negative exp: cpp-jwt reads exp as uint64, where -1 would be the far future.
  CHECK_FALSE(tokens.verify(forge(kHs256Header, R"({"sub":"42","name":"ada","exp":-1})", kSecret)));
  CHECK_FALSE(tokens.verify(forge(kHs256Header, R"({"sub":"42","name":"ada","exp":0})", kSecret)));
}

TEST_CASE("tokens without a usable sub, name or exp are refused") {
  TokenService tokens(kSecret);
  const auto exp = std::to_string(unix_now() + 3600);
  const auto nbf_future = std::to_string(unix_now() + 600);
  for (const std::string& body : {
           R"({"name":"ada","exp":)" + exp + "}",                          // no sub
           R"({"sub":42,"name":"ada","exp":)" + exp + "}",                  // numeric sub
           R"({"sub":"","name":"ada","exp":)" + exp + "}",                  // empty sub
           R"({"sub":null,"name":"ada","exp":)" + exp + "}",                // null sub
           R"({"sub":"42","exp":)" + exp + "}",                             // no name
           R"({"sub":"42","name":7,"exp":)" + exp + "}",                    // numeric name
           std::string(R"({"sub":"42","name":"ada"})"),                     // no exp
           R"({"sub":"42","name":"ada","exp":")" + exp + "\"}",             // exp as a string
           R"({"sub":"42","name":"ada","exp":)" + exp + ".5}",              // exp with a fraction
           std::string(R"({"sub":"42","name":"ada","exp":18446744073709551615})"),  // beyond int64
           R"({"sub":"42","name":"ada","exp":)" + exp + R"(,"nbf":)" + nbf_future + "}",  // not yet valid
           std::string(R"(["sub","42"])"),                                  // not an object
           std::string("null"),
       }) {
    INFO(body);
    CHECK_FALSE(tokens.verify(forge(kHs256Header, body, kSecret)));
  }
  // The jwt.io example: correctly signed, but without exp it would never expire.
  TokenService jwt_io("your-256-bit-secret");
  CHECK_FALSE(jwt_io.verify(
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIy"
      "fQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"));
}

TEST_CASE("malformed token strings are refused without throwing") {
  TokenService tokens(kSecret);
  const auto good = tokens.issue("42", "ada");
  const auto dot = good.find('.');
  const std::vector<std::string> malformed = {
      "",
      "abc",
      "a.b",
      "a.b.c",
      "..",
      "...",
      good + ".",
      good + ".extra",
      "." + good,
      good.substr(0, dot) + "=" + good.substr(dot),      // padding
      good.substr(0, dot) + "+" + good.substr(dot),      // standard alphabet
      " " + good,
      good + "\n",
      "!!!." + good.substr(dot + 1),
      unsigned_part("not json", payload()) + ".c2ln",
      std::string("\xff\xfe\xfd.") + good.substr(dot + 1),  // bytes >= 0x80 (cpp-jwt reads out of bounds)
      std::string("eyJ\x80\x81.eyJ\x82.\x83"),
      std::string("a\0b.c.d", 7),
  };
  for (const auto& token : malformed) {
    INFO(token);
    CHECK_NOTHROW(tokens.verify(token));
    CHECK_FALSE(tokens.verify(token));
  }
}

TEST_CASE("tokens over 4 KB are refused even when correctly signed") {
  TokenService tokens(kSecret);
  const auto exp = std::to_string(unix_now() + 3600);
  auto signed_with_padding = [&](std::size_t padding) {
    return forge(kHs256Header,
                 R"({"sub":"42","name":"ada","jti":"abc","gen":0,"exp":)" + exp + R"(,"pad":")" +
                     std::string(padding, 'x') + "\"}",
                 kSecret);
  };
  const auto near_limit = signed_with_padding(2800);
  REQUIRE(near_limit.size() < TokenService::kMaxTokenBytes);
  CHECK(tokens.verify(near_limit));  // the limit is 4 KB, not less
  const auto over_limit = signed_with_padding(3200);
  REQUIRE(over_limit.size() > TokenService::kMaxTokenBytes);
  CHECK_FALSE(tokens.verify(over_limit));
  CHECK_FALSE(tokens.verify(std::string(1 << 20, 'A')));
}

TEST_CASE("random bytes never verify and never throw") {
  TokenService tokens(kSecret);
  std::mt19937 random(12345);
  for (int i = 0; i < 2000; ++i) {
    std::string junk(random() % 300, '\0');
    for (auto& c : junk) c = static_cast<char>(random() % 256);
    if (i % 2 == 0 && junk.size() > 10) {  // with the shape of a token, to get past the split
      junk[junk.size() / 3] = '.';
      junk[2 * junk.size() / 3] = '.';
    }
    CHECK_NOTHROW(tokens.verify(junk));
  }
}

TEST_CASE("a secret that is too short is refused") {
  CHECK_THROWS_AS(TokenService(""), std::invalid_argument);
  CHECK_THROWS_AS(TokenService("short"), std::invalid_argument);
  CHECK_NOTHROW(TokenService(std::string(TokenService::kMinSecretBytes, 'k')));
}

TEST_CASE("every issued token has its own random id and carries the user's generation") {
  TokenService tokens(kSecret);
  const auto first = tokens.verify(tokens.issue("17", "Ada"));
  const auto second = tokens.verify(tokens.issue("17", "Ada", 3));
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->token_id.size() == 32);
  CHECK(first->token_id.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(first->token_id != second->token_id);
  CHECK(first->generation == 0);
  CHECK(second->generation == 3);
}

TEST_CASE("a token without a usable jti or gen is refused: it could not be revoked") {
  TokenService tokens(kSecret);
  REQUIRE(tokens.verify(forge(kHs256Header, payload(3600, "\"42\"", R"(,"jti":"abc","gen":0)"), kSecret)));
  for (const std::string& bad : {std::string(""), std::string(R"(,"gen":0)"), std::string(R"(,"jti":"abc")"),
                                std::string(R"(,"jti":"","gen":0)"), std::string(R"(,"jti":7,"gen":0)"),
                                std::string(R"(,"jti":"abc","gen":"0")"), std::string(R"(,"jti":"abc","gen":-1)"),
                                std::string(R"(,"jti":"abc","gen":1.5)"),
                                R"(,"jti":")" + std::string(65, 'a') + R"(","gen":0)"}) {
    INFO(bad);
    CHECK_FALSE(tokens.verify(forge(kHs256Header, payload(3600, "\"42\"", bad), kSecret)));
  }
}

TEST_CASE("the service's token lifetime is what issue() gives unless told otherwise") {
  TokenService hourly(kSecret, std::chrono::hours(1));
  const auto before = unix_now();
  const auto claims = hourly.verify(hourly.issue("17", "Ada"));
  REQUIRE(claims);
  CHECK(claims->expires_at >= before + 3600);
  CHECK(claims->expires_at <= unix_now() + 3600);
  CHECK_THROWS_AS(TokenService(kSecret, std::chrono::seconds(0)), std::invalid_argument);
}
