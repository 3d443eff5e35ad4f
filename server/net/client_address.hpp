// Which address a request comes from, for the per-address limits on logins and
// registrations. Behind a reverse proxy every request arrives from the proxy, so all
// users would share one quota; the proxy names the real client in X-Forwarded-For.
// That header is only believed when the TCP peer is a proxy the operator listed
// (--trusted-proxy): anybody else could write any address into it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/address.hpp>

namespace harmonic::net {

// The operator's list, parsed once. Entries that are not IP addresses are refused by
// parse_trusted_proxies (the server then does not start).
using TrustedProxies = std::vector<boost::asio::ip::address>;

// Throws std::invalid_argument naming the first entry that is not an IP address.
TrustedProxies parse_trusted_proxies(const std::vector<std::string>& entries);

// The peer's address, or, when the peer is a trusted proxy, the right-most address in
// `forwarded_for` (comma-separated, each proxy appends) that is not itself a trusted
// proxy. Malformed entries end the walk: what lies left of them cannot be trusted.
// IPv4-mapped IPv6 addresses are written as IPv4.
std::string client_address(const boost::asio::ip::address& peer, std::string_view forwarded_for,
                           const TrustedProxies& trusted);

}  // namespace harmonic::net
