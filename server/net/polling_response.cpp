#include "net/polling_response.hpp"

#include <ostream>  // beast/http/status.hpp uses it without including it

#include <boost/beast/http/status.hpp>

namespace harmonic::net {

namespace {
// Beast's reason phrases, so an answer reads the same as one Beast serialised.
std::string_view reason(unsigned status) {
  const auto phrase = boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status));
  return {phrase.data(), phrase.size()};
}
}  // namespace

std::string polling_response_bytes(const PollingResponseHead& head, std::string_view body) {
  constexpr std::string_view server = "Server: harmonic-server\r\n";
  const auto phrase = reason(head.status);
  const auto length = std::to_string(body.size());
  std::string out;
  out.reserve(64 + phrase.size() + server.size() + head.content_type.size() + 2 * head.allowed_origin.size() + 120 +
              (head.head_request ? 0 : body.size()));
  out += head.version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(head.status);
  out += ' ';
  out += phrase;
  out += "\r\n";
  out += server;
  if (!head.content_type.empty()) {
    out += "Content-Type: ";
    out += head.content_type;
    out += "\r\n";
  }
  if (!head.allowed_origin.empty()) {
    out += "Access-Control-Allow-Origin: ";
    out += head.allowed_origin;
    out += "\r\nAccess-Control-Allow-Credentials: true\r\n";
  }
  out += "Vary: Origin\r\nContent-Length: ";
  out += length;
  out += "\r\n";
  // HTTP/1.1 keeps the connection unless told; HTTP/1.0 closes it unless told.
  if (head.version == 10 && head.keep_alive) out += "Connection: keep-alive\r\n";
  if (head.version != 10 && !head.keep_alive) out += "Connection: close\r\n";
  out += "\r\n";
  if (!head.head_request) out += body;
  return out;
}

}  // namespace harmonic::net
