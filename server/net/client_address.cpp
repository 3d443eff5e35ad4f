#include "net/client_address.hpp"

#include <algorithm>
#include <stdexcept>

namespace harmonic::net {

namespace ip = boost::asio::ip;

namespace {

ip::address canonical(const ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return ip::make_address_v4(ip::v4_mapped, address.to_v6());
  }
  return address;
}

bool is_trusted(const ip::address& address, const TrustedProxies& trusted) {
  return std::find(trusted.begin(), trusted.end(), canonical(address)) != trusted.end();
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

TrustedProxies parse_trusted_proxies(const std::vector<std::string>& entries) {
  TrustedProxies proxies;
  for (const auto& entry : entries) {
    boost::system::error_code error;
    const auto address = ip::make_address(entry, error);
    if (error) throw std::invalid_argument("--trusted-proxy: '" + entry + "' is not an IP address");
    proxies.push_back(canonical(address));
  }
  return proxies;
}

std::string client_address(const ip::address& peer, std::string_view forwarded_for, const TrustedProxies& trusted) {
  ip::address client = canonical(peer);
  if (!is_trusted(client, trusted)) return client.to_string();
  // Walk from the right: the last entry was written by the proxy we trust, the one before
  // it by the proxy before that, and so on, until an address we do not trust.
  while (!forwarded_for.empty()) {
    const auto comma = forwarded_for.rfind(',');
    const auto entry = trim(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    forwarded_for = comma == std::string_view::npos ? std::string_view{} : forwarded_for.substr(0, comma);
    boost::system::error_code error;
    const auto address = ip::make_address(std::string(entry), error);
    if (error) break;
    client = canonical(address);
    if (!is_trusted(client, trusted)) break;
  }
  return client.to_string();
}

}  // namespace harmonic::net
