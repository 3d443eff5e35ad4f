#include <catch2/catch.hpp>

#include "net/origin_policy.hpp"

using harmonic::net::normalize_origin;
using harmonic::net::OriginPolicy;

TEST_CASE("origins are scheme://host[:port], compared in lower case") {
  CHECK(normalize_origin("https://App.Example.com") == "https://app.example.com");
  CHECK(normalize_origin("http://127.0.0.1:8080") == "http://127.0.0.1:8080");
  CHECK(normalize_origin("http://[::1]:8080") == "http://[::1]:8080");
  CHECK_FALSE(normalize_origin("null"));
  CHECK_FALSE(normalize_origin("https://"));
  CHECK_FALSE(normalize_origin("ftp://example.com"));
  CHECK_FALSE(normalize_origin("https://example.com/"));
  CHECK_FALSE(normalize_origin("https://example.com/path"));
  CHECK_FALSE(normalize_origin("https://user@example.com"));
  CHECK_FALSE(normalize_origin("https://example.com?x"));
}

TEST_CASE("no Origin, the server's own origin and listed origins are allowed, others are not") {
  const OriginPolicy policy({"https://app.example.com"});
  CHECK(policy.allows("", "harmonic.example.com"));
  CHECK(policy.allows("https://harmonic.example.com", "harmonic.example.com"));
  CHECK(policy.allows("http://127.0.0.1:8080", "127.0.0.1:8080"));
  CHECK(policy.allows("https://APP.example.com", "harmonic.example.com"));
  CHECK_FALSE(policy.allows("https://evil.example", "harmonic.example.com"));
  CHECK_FALSE(policy.allows("http://127.0.0.1:9999", "127.0.0.1:8080"));  // another port is another origin
  CHECK_FALSE(policy.allows("null", "harmonic.example.com"));
  CHECK_FALSE(policy.allows("https://harmonic.example.com", ""));  // no Host: nothing to be the same as
}

TEST_CASE("only listed origins get CORS headers, the default lists none") {
  const OriginPolicy policy({"https://app.example.com", "not an origin"});
  CHECK(policy.listed("https://app.example.com"));
  CHECK_FALSE(policy.listed("https://harmonic.example.com"));
  CHECK_FALSE(policy.listed("not an origin"));
  CHECK_FALSE(OriginPolicy().listed("https://app.example.com"));
  CHECK_FALSE(OriginPolicy().allows("https://app.example.com", "harmonic.example.com"));
}
