// Which web pages may use this server from a visitor's browser (docs/protocol.md,
// "Transports", and docs/operations.md, "Cross-origin access").
//
// Why: a browser sends its cookies and reaches the server from any site the visitor
// opens; without a check another site could open realtime sessions, or read REST answers,
// in the visitor's name. Browsers name the page's site in the Origin header; clients
// that are not browsers send none and are not affected.
//
// A request is from the server's own origin when the Origin's host (and port) is the
// request's Host. Other origins must be listed (--cors-origin, repeatable): those get
// CORS headers that echo them (never "*", since credentials are allowed), and only those
// may open WebSocket or polling sessions. Everything else is refused with 403.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace harmonic::net {

// "scheme://host[:port]" in lower case; nullopt for anything else (a path, a query,
// another scheme than http or https, "null").
std::optional<std::string> normalize_origin(std::string_view origin);

class OriginPolicy {
 public:
  OriginPolicy() = default;
  // Every entry must pass normalize_origin (options check it); others are ignored.
  explicit OriginPolicy(const std::vector<std::string>& allowed);

  // No Origin header, the server's own origin, or a listed one.
  bool allows(std::string_view origin, std::string_view host) const;
  // A listed origin: cross-origin answers to it carry CORS headers.
  bool listed(std::string_view origin) const;

 private:
  std::vector<std::string> allowed_;
};

}  // namespace harmonic::net
