#include <catch2/catch.hpp>

#include <stdexcept>

#include "net/client_address.hpp"

using harmonic::net::client_address;
using harmonic::net::parse_trusted_proxies;

namespace {
boost::asio::ip::address addr(const char* text) { return boost::asio::ip::make_address(text); }
}  // namespace

TEST_CASE("X-Forwarded-For is ignored unless the peer is a trusted proxy") {
  const auto none = parse_trusted_proxies({});
  CHECK(client_address(addr("203.0.113.9"), "198.51.100.1", none) == "203.0.113.9");
  const auto proxy = parse_trusted_proxies({"127.0.0.1"});
  CHECK(client_address(addr("203.0.113.9"), "198.51.100.1", proxy) == "203.0.113.9");
}

TEST_CASE("behind trusted proxies the right-most untrusted forwarded address is the client") {
  const auto proxies = parse_trusted_proxies({"127.0.0.1", "10.0.0.2"});
  CHECK(client_address(addr("127.0.0.1"), "198.51.100.1", proxies) == "198.51.100.1");
  // A client may write anything on the left; only what the trusted chain appended counts.
  CHECK(client_address(addr("127.0.0.1"), "1.2.3.4, 198.51.100.1, 10.0.0.2", proxies) == "198.51.100.1");
  CHECK(client_address(addr("127.0.0.1"), " 198.51.100.1 ,10.0.0.2 ", proxies) == "198.51.100.1");
  // No header, or nothing usable in it: the proxy itself.
  CHECK(client_address(addr("127.0.0.1"), "", proxies) == "127.0.0.1");
  CHECK(client_address(addr("127.0.0.1"), "not-an-address", proxies) == "127.0.0.1");
  // A malformed entry stops the walk at the last good address.
  CHECK(client_address(addr("127.0.0.1"), "198.51.100.7, junk, 10.0.0.2", proxies) == "10.0.0.2");
  // IPv6 clients and IPv4-mapped peers.
  CHECK(client_address(addr("::ffff:127.0.0.1"), "2001:db8::5", proxies) == "2001:db8::5");
}

TEST_CASE("a trusted proxy entry must be an IP address") {
  CHECK_THROWS_AS(parse_trusted_proxies({"proxy.example"}), std::invalid_argument);
  CHECK(parse_trusted_proxies({"::1", "192.0.2.1"}).size() == 2);
}
