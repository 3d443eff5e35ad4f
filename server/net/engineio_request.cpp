#include "net/engineio_request.hpp"

#include <nlohmann/json.hpp>

namespace harmonic::net {

namespace {
std::string_view message_of(EngineError error) {
  switch (error) {
    case EngineError::unknown_transport: return "Transport unknown";
    case EngineError::unknown_sid: return "Session ID unknown";
    case EngineError::bad_handshake_method: return "Bad handshake method";
    case EngineError::bad_request: return "Bad request";
    case EngineError::forbidden: return "Forbidden";
    case EngineError::unsupported_protocol_version: return "Unsupported protocol version";
  }
  return "Bad request";
}
}  // namespace

EngineErrorAnswer engine_error_answer(EngineError error) {
  return {error == EngineError::forbidden ? 403u : 400u,
          nlohmann::json{{"code", static_cast<int>(error)}, {"message", message_of(error)}}.dump()};
}

std::variant<EngineQuery, EngineError> check_engine_request(const std::map<std::string, std::string>& query,
                                                            std::string_view method, bool websocket_upgrade) {
  const auto eio = query.find("EIO");
  if (eio == query.end() || eio->second != "4") return EngineError::unsupported_protocol_version;
  const auto transport = query.find("transport");
  if (transport == query.end()) return EngineError::unknown_transport;
  EngineQuery result;
  if (transport->second == "polling") {
    result.transport = EngineTransport::polling;
  } else if (transport->second == "websocket") {
    result.transport = EngineTransport::websocket;
  } else {
    return EngineError::unknown_transport;
  }
  // A WebSocket upgrade must say transport=websocket, and only an upgrade may.
  if (websocket_upgrade != (result.transport == EngineTransport::websocket)) return EngineError::bad_request;
  if (const auto sid = query.find("sid"); sid != query.end()) {
    if (sid->second.empty()) return EngineError::unknown_sid;
    result.sid = sid->second;
    return result;
  }
  if (method != "GET") return EngineError::bad_handshake_method;
  return result;
}

}  // namespace harmonic::net
