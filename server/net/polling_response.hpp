// The bytes of an answer to an Engine.IO long-polling request (docs/protocol.md,
// "Transports"), written straight into one buffer: the status line, the few headers such
// an answer carries, and the payload.
//
// Why not Beast's http::response: every polling GET of every session is answered, so
// the per-answer cost counts (bench/results/polling-2026-12-04.md). A Beast response
// allocates each header field on its own and serialises through a generic writer; here
// the constant part is one literal and the whole answer one allocation, sent in one
// write. The headers are those HttpSession::to_response gives every other answer:
// Server, Content-Type, the CORS pair for an allow-listed origin, Vary: Origin,
// Content-Length, and Connection where the version needs it.
#pragma once

#include <string>
#include <string_view>

namespace harmonic::net {

struct PollingResponseHead {
  unsigned status = 200;
  unsigned version = 11;           // HTTP/1.x as the request's: 10 or 11
  bool keep_alive = true;
  bool head_request = false;       // HEAD: the headers of the answer without its body
  std::string_view content_type;   // empty: no Content-Type
  std::string_view allowed_origin; // non-empty: an allow-listed Origin the answer may be read by
};

// The whole answer: headers, then `body` (unless a HEAD request).
std::string polling_response_bytes(const PollingResponseHead& head, std::string_view body);

}  // namespace harmonic::net
