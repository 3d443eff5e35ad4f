#include <catch2/catch.hpp>

#include "net/https_redirect.hpp"

using harmonic::net::https_location;

TEST_CASE("the redirect keeps the Host's name and the target, on the HTTPS port") {
  CHECK(https_location("example.com", "0.0.0.0", 8443, "/u/7?x=1") == "https://example.com:8443/u/7?x=1");
  CHECK(https_location("example.com:80", "0.0.0.0", 443, "/") == "https://example.com:443/");
  CHECK(https_location("[2001:db8::1]:80", "0.0.0.0", 443, "/a") == "https://[2001:db8::1]:443/a");
  CHECK(https_location("[2001:db8::1]", "0.0.0.0", 443, "/a") == "https://[2001:db8::1]:443/a");
}

TEST_CASE("without a Host the listening address is used, IPv6 bracketed") {
  CHECK(https_location("", "127.0.0.1", 8443, "/x") == "https://127.0.0.1:8443/x");
  CHECK(https_location("", "::1", 8443, "/x") == "https://[::1]:8443/x");
}

TEST_CASE("a target that is not a path (absolute-form, asterisk) redirects to the root") {
  CHECK(https_location("example.com", "0.0.0.0", 443, "http://evil.test/") == "https://example.com:443/");
  CHECK(https_location("example.com", "0.0.0.0", 443, "*") == "https://example.com:443/");
  CHECK(https_location("example.com", "0.0.0.0", 443, "") == "https://example.com:443/");
}
