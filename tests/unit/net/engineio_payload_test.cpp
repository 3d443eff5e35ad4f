#include <catch2/catch.hpp>

#include "net/engineio_payload.hpp"

using harmonic::net::append_engine_packet;
using harmonic::net::split_engine_payload;

TEST_CASE("payloads join packets with the record separator \\x1e") {
  std::string payload;
  append_engine_packet(payload, "40");
  CHECK(payload == "40");
  append_engine_packet(payload, "42[\"a\"]");
  append_engine_packet(payload, "2");
  CHECK(payload == "40\x1e" "42[\"a\"]\x1e" "2");
}

TEST_CASE("received payloads split back into their packets, in order") {
  const auto packets = split_engine_payload("40\x1e" "42[\"a\",\"x\\u001ey\"]\x1e" "3");
  REQUIRE(packets);
  REQUIRE(packets->size() == 3);
  CHECK((*packets)[0] == "40");
  CHECK((*packets)[1] == "42[\"a\",\"x\\u001ey\"]");  // JSON escapes the separator inside strings
  CHECK((*packets)[2] == "3");
  const auto one = split_engine_payload("1");
  REQUIRE(one);
  CHECK(one->size() == 1);
}

TEST_CASE("payloads with an empty packet are refused") {
  CHECK_FALSE(split_engine_payload(""));
  CHECK_FALSE(split_engine_payload("\x1e"));
  CHECK_FALSE(split_engine_payload("40\x1e"));
  CHECK_FALSE(split_engine_payload("\x1e" "40"));
  CHECK_FALSE(split_engine_payload("40\x1e\x1e" "3"));
}
