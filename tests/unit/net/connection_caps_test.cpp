#include <catch2/catch.hpp>

#include <vector>

#include "net/connection_caps.hpp"

using namespace harmonic::net;

TEST_CASE("the total cap refuses the connection past it and frees a slot on release", "[caps]") {
  ConnectionCaps caps(2, 10);
  auto a = caps.open();
  auto b = caps.open();
  REQUIRE(a);
  REQUIRE(b);
  CHECK_FALSE(caps.open());
  CHECK(caps.open_connections() == 2);
  b.reset();
  CHECK(caps.open_connections() == 1);
  CHECK(caps.open());  // opened and released at once (a temporary)
  CHECK(caps.open_connections() == 1);
}

TEST_CASE("the per-address cap counts charged slots of one address only", "[caps]") {
  ConnectionCaps caps(100, 2);
  std::vector<ConnectionSlot> slots;
  for (int i = 0; i < 3; ++i) slots.push_back(*caps.open());
  CHECK(slots[0].charge("10.0.0.1"));
  CHECK(slots[1].charge("10.0.0.1"));
  CHECK_FALSE(slots[2].charge("10.0.0.1"));
  CHECK_FALSE(slots[2].charged());
  CHECK(slots[2].charge("10.0.0.2"));  // another address has its own share
  CHECK(caps.connections_from("10.0.0.1") == 2);
  CHECK(slots[0].charge("10.0.0.1"));  // charging the same address again costs nothing
  CHECK(caps.connections_from("10.0.0.1") == 2);
  slots.erase(slots.begin());
  CHECK(caps.connections_from("10.0.0.1") == 1);
  CHECK(caps.open_connections() == 2);
}

TEST_CASE("a charge moves when a proxied connection names another client", "[caps]") {
  ConnectionCaps caps(100, 1);
  auto slot = *caps.open();
  REQUIRE(slot.charge("192.0.2.1"));
  REQUIRE(slot.charge("192.0.2.2"));
  CHECK(caps.connections_from("192.0.2.1") == 0);
  CHECK(caps.connections_from("192.0.2.2") == 1);
}

TEST_CASE("a moved slot is counted once and released once", "[caps]") {
  ConnectionCaps caps(100, 5);
  {
    auto first = *caps.open();
    REQUIRE(first.charge("198.51.100.7"));
    ConnectionSlot second = std::move(first);
    ConnectionSlot third;
    third = std::move(second);
    CHECK(caps.open_connections() == 1);
    CHECK(caps.connections_from("198.51.100.7") == 1);
  }
  CHECK(caps.open_connections() == 0);
  CHECK(caps.connections_from("198.51.100.7") == 0);
}
