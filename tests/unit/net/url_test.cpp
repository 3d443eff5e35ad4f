#include <catch2/catch.hpp>

#include "net/url.hpp"

using harmonic::net::parse_target;
using harmonic::net::percent_decode;

TEST_CASE("request targets split into a decoded path and query") {
  auto target = parse_target("/socket.io/?EIO=4&transport=websocket&x=a%20b+c");
  REQUIRE(target);
  CHECK(target->path == "/socket.io/");
  CHECK(target->query.at("EIO") == "4");
  CHECK(target->query.at("transport") == "websocket");
  CHECK(target->query.at("x") == "a b c");
  CHECK(parse_target("/api/universes/%31")->path == "/api/universes/1");
  CHECK(parse_target("/a?flag")->query.at("flag").empty());
}

TEST_CASE("malformed targets are refused") {
  CHECK_FALSE(parse_target(""));
  CHECK_FALSE(parse_target("relative/path"));
  CHECK_FALSE(parse_target("/bad%G1"));
  CHECK_FALSE(parse_target("/truncated%4"));
  CHECK_FALSE(parse_target("/nul%00byte"));
  // A NUL byte sent as it is, not only one percent-encoded (found by tests/fuzz/static_path.cpp).
  CHECK_FALSE(parse_target(std::string_view("/app.js\0", 8)));
  CHECK_FALSE(parse_target(std::string_view("/a?k=v\0", 7)));
  CHECK_FALSE(percent_decode(std::string_view("a\0b", 3), true));
  CHECK_FALSE(percent_decode("%", false));
  CHECK(percent_decode("a+b", false) == "a+b");
}
