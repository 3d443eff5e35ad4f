// Splits the absolute URLs the client uses (http, https, ws, wss) into what a socket
// needs. No percent-decoding, no user info: the server's URLs never have them.
#pragma once

#include <optional>
#include <string>

namespace harmonic::native {

struct Url {
  std::string scheme;  // lower case: http, https, ws, wss
  std::string host;    // without brackets for IPv6 literals
  std::string port;    // always set (defaults 80 / 443)
  std::string target;  // path and query, at least "/"
  bool secure() const { return scheme == "https" || scheme == "wss"; }
  // The Host header: host, plus the port when it is not the scheme's default.
  std::string host_header() const;
};

std::optional<Url> parse_url(const std::string& text);

}  // namespace harmonic::native
